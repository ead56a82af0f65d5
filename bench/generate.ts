import { toChapterNumeral } from '../src/domain/numerals.js';
import { DEFAULT_COLUMNS, type SummaryTable } from '../src/domain/summary-table.js';

const UNITS = [
  '市发改委',
  '市工信局',
  '市财政局',
  '市住建局',
  '市水务局',
  '市交通局',
  '市生态环境局',
  '市农业农村局',
  '市商务局',
  '市科技局',
];
const VERBS = ['推进', '实施', '完成', '开展', '加快', '深化', '强化', '落实'];
const THINGS = ['重点项目建设', '管网改造', '老旧小区改造', '数字化转型', '生态修复', '营商环境优化', '科技创新平台', '乡村振兴示范'];

/**
 * A made-up city-wide plan of the given size, deterministic for a seed: chapters of numbered tasks, each with one
 * to three items, texts of realistic length, lead and cooperating units from a pool of city departments.
 */
export function generatePlanTable(items: number, options: { seed?: number; organisation?: string } = {}): SummaryTable {
  let state = options.seed ?? 20_301;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)]!;
  const sentence = (length: number) =>
    Array.from({ length }, (_, index) => `${pick(VERBS)}${pick(THINGS)}${index === 0 ? `${Math.floor(random() * 900 + 100)}个` : ''}`).join(
      '，',
    ) + '。';

  const table: SummaryTable = {
    title: '2031年度市政府工作任务完成情况汇总表',
    organisation: options.organisation ?? '',
    columns: { ...DEFAULT_COLUMNS },
    chapters: [],
  };
  const chapters = Math.max(1, Math.min(20, Math.round(items / 50)));
  let remaining = items;
  let number = 0;
  for (let c = 1; c <= chapters; c++) {
    const chapter = {
      numeral: toChapterNumeral(c),
      title: `${pick(VERBS)}${pick(THINGS)}，推动高质量发展第${c}部分`,
      tasks: [] as SummaryTable['chapters'][number]['tasks'],
    };
    table.chapters.push(chapter);
    const share = c === chapters ? remaining : Math.round(items / chapters);
    let placed = 0;
    while (placed < share && remaining > 0) {
      const count = Math.min(1 + Math.floor(random() * 3), share - placed);
      number += 1 + Math.floor(random() * 2);
      const lead = pick(UNITS);
      chapter.tasks.push({
        number: String(number),
        name: `${pick(VERBS)}${pick(THINGS)}`,
        items: Array.from({ length: count }, () => ({
          work: sentence(2 + Math.floor(random() * 3)),
          lead,
          cooperating: [...new Set([pick(UNITS), pick(UNITS)])].filter((unit) => unit !== lead).join('、'),
          completion: sentence(4 + Math.floor(random() * 6)),
        })),
      });
      placed += count;
      remaining -= count;
    }
  }
  return table;
}
