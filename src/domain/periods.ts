/**
 * Reporting periods of a plan year. A period is identified by a code: `2022-Y` (全年), `2022-H1`/`2022-H2`
 * (上半年/下半年), `2022-Q1`..`2022-Q4` (一季度…), `2022-M01`..`2022-M12` (1月…). The year-end period exists from the
 * start; monthly and quarterly ones are added by the same model without migrating data.
 */

export type PeriodKind = 'year' | 'half' | 'quarter' | 'month';

export interface PeriodSpec {
  code: string;
  year: number;
  kind: PeriodKind;
  /** 1 for year, 1–2 for halves, 1–4 for quarters, 1–12 for months */
  index: number;
  label: string;
  /** ISO dates, inclusive */
  startsOn: string;
  endsOn: string;
  /** Expected progress (序时进度) at the end of the period, in percent of the year. */
  expectedProgress: number;
}

const QUARTER_LABELS = ['一季度', '二季度', '三季度', '四季度'];
const CHINESE_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  十一: 11,
  十二: 12,
};

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function periodSpec(year: number, kind: PeriodKind, index = 1): PeriodSpec {
  const months: Record<PeriodKind, number> = { year: 12, half: 6, quarter: 3, month: 1 };
  const span = months[kind];
  const count = 12 / span;
  if (!Number.isInteger(index) || index < 1 || index > count) throw new RangeError(`period index ${index} out of range for ${kind}`);
  const firstMonth = (index - 1) * span + 1;
  const lastMonth = firstMonth + span - 1;
  const code =
    kind === 'year'
      ? `${year}-Y`
      : kind === 'half'
        ? `${year}-H${index}`
        : kind === 'quarter'
          ? `${year}-Q${index}`
          : `${year}-M${String(index).padStart(2, '0')}`;
  const label =
    kind === 'year'
      ? '全年'
      : kind === 'half'
        ? index === 1
          ? '上半年'
          : '下半年'
        : kind === 'quarter'
          ? QUARTER_LABELS[index - 1]!
          : `${index}月`;
  return {
    code,
    year,
    kind,
    index,
    label,
    startsOn: isoDate(year, firstMonth, 1),
    endsOn: isoDate(year, lastMonth, lastDayOfMonth(year, lastMonth)),
    expectedProgress: Math.round((lastMonth / 12) * 1000) / 10,
  };
}

export function parsePeriodCode(code: string): PeriodSpec | undefined {
  const match = /^(\d{4})-(Y|H([12])|Q([1-4])|M(0[1-9]|1[0-2]))$/.exec(code);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (match[2] === 'Y') return periodSpec(year, 'year');
  if (match[3]) return periodSpec(year, 'half', Number(match[3]));
  if (match[4]) return periodSpec(year, 'quarter', Number(match[4]));
  return periodSpec(year, 'month', Number(match[5]));
}

/**
 * The period a completion column or title speaks of: 全年完成情况 → year; 上半年 / 1-6月 → H1; 三季度 → Q3;
 * 10月份 → M10; 1-9月 and 截至9月底 are cumulative to the end of Q3. Undefined when the text names no period.
 */
export function periodFromHeading(text: string, year: number): PeriodSpec | undefined {
  const compact = text.replace(/\s+/g, '');
  if (/全年|年度|年底|年终/.test(compact)) return periodSpec(year, 'year');
  if (/上半年/.test(compact)) return periodSpec(year, 'half', 1);
  if (/下半年/.test(compact)) return periodSpec(year, 'half', 2);
  const quarter = /(一|二|三|四|[1-4])季度/.exec(compact);
  if (quarter) return periodSpec(year, 'quarter', CHINESE_DIGITS[quarter[1]!] ?? Number(quarter[1]));
  // progress as of a month's end is cumulative like 1-N月: 截至3月底 is the first quarter's report
  const range = /(?:1[-—~至到]|截至|截止|截止到|至)(\d{1,2})月/.exec(compact);
  if (range) {
    const end = Number(range[1]);
    if (end === 12) return periodSpec(year, 'year');
    if (end === 6) return periodSpec(year, 'half', 1);
    if (end % 3 === 0) return periodSpec(year, 'quarter', end / 3);
    if (end >= 1 && end <= 12) return periodSpec(year, 'month', end);
  }
  const month = /(\d{1,2}|十[一二]?|[一二三四五六七八九])月(份)?/.exec(compact);
  if (month) {
    const value = CHINESE_DIGITS[month[1]!] ?? Number(month[1]);
    if (value >= 1 && value <= 12) return periodSpec(year, 'month', value);
  }
  return undefined;
}

/** 2022年度… → 2022 */
export function yearFromText(text: string): number | undefined {
  const match = /(20\d{2}|19\d{2})\s*年/.exec(text);
  return match ? Number(match[1]) : undefined;
}
