import type { PeriodKind, PeriodSpec } from './periods.js';

/**
 * Working days as the State Council's holiday notice makes them: weekends are off except the 调休 Saturdays and
 * Sundays that are worked, and the public holidays are off. Dates are ISO strings (YYYY-MM-DD), in China's calendar.
 */
export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  /** weekend days that are working days (调休上班) */
  workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: WorkCalendar = { holidays: new Set(), workdays: new Set() };

function parts(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function isIsoDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(Date.UTC(year, month - 1, day));
  return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === day;
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.holidays.has(date)) return false;
  if (calendar.workdays.has(date)) return true;
  const [year, month, day] = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date itself when it is a working day, else the next working day. */
export function onOrNextWorkingDay(date: string, calendar: WorkCalendar): string {
  let at = date;
  // a year has no run of more than a few weeks off; the bound only guards against a calendar marking every day off
  for (let step = 0; step < 366 && !isWorkingDay(at, calendar); step++) at = addDays(at, 1);
  return at;
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * When a period's report is due: a day of the month after the period ends (the 10th for monthly reports), or a
 * number of working days after it ends. A due day that falls on a day off moves to the next working day unless the
 * rule says otherwise.
 */
export type DueRule =
  | { kind: 'day_of_next_month'; day: number; moveOffWorkingDays?: boolean }
  | { kind: 'working_days_after_end'; days: number };

export const DEFAULT_DUE_RULES: Record<PeriodKind, DueRule> = {
  month: { kind: 'day_of_next_month', day: 10 },
  quarter: { kind: 'day_of_next_month', day: 20 },
  half: { kind: 'day_of_next_month', day: 20 },
  year: { kind: 'day_of_next_month', day: 15 },
};

export function dueRuleProblem(rule: DueRule): string | undefined {
  if (rule.kind === 'day_of_next_month' && (!Number.isInteger(rule.day) || rule.day < 1 || rule.day > 28)) {
    return '截止日须为次月 1 日至 28 日之间的某一天。';
  }
  if (rule.kind === 'working_days_after_end' && (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > 60)) {
    return '截止工作日数须为 1 至 60。';
  }
  return undefined;
}

export function dueDate(period: Pick<PeriodSpec, 'endsOn'>, rule: DueRule, calendar: WorkCalendar): string {
  if (rule.kind === 'working_days_after_end') {
    let at = period.endsOn;
    for (let counted = 0; counted < rule.days; ) {
      at = addDays(at, 1);
      if (isWorkingDay(at, calendar)) counted++;
    }
    return at;
  }
  const [year, month] = parts(addDays(period.endsOn, 1));
  const day = `${year}-${String(month).padStart(2, '0')}-${String(rule.day).padStart(2, '0')}`;
  return rule.moveOffWorkingDays === false ? day : onOrNextWorkingDay(day, calendar);
}

export function describeDueRule(rule: DueRule): string {
  return rule.kind === 'day_of_next_month'
    ? `次月 ${rule.day} 日${rule.moveOffWorkingDays === false ? '' : '（遇节假日顺延）'}`
    : `期末后第 ${rule.days} 个工作日`;
}
