import { readFileSync } from 'node:fs';
import { toChapterNumeral } from '../src/domain/numerals.js';
import type { ReportState, ReportStatus } from '../src/domain/reporting.js';
import { DEFAULT_COLUMNS, type SummaryTable } from '../src/domain/summary-table.js';

/**
 * A city's year of work, made up but shaped like the real thing, for the benchmark: the units of a city government,
 * one plan of chapters, numbered tasks and items, the units on each item (one leads, often several cooperate), and
 * every unit's monthly report on every item it has a part in, in the states a year leaves them in. Deterministic for
 * a seed, so that two runs (and two databases) measure the same data.
 *
 * The texts are recombined from the clauses of the sample table (demo/), so that their length, punctuation and
 * vocabulary are those of real reports rather than of a word list.
 */
export interface CityScale {
  units: number;
  tasks: number;
  items: number;
  /** reporting months, from January */
  months: number;
  /** most units on one item, lead included */
  mostUnitsPerItem: number;
}

export const CITY_SCALES = {
  /** the city of the measurements: 80 units, 300 tasks, 1,200 items, about 3,500 links and 42k monthly reports */
  city: { units: 80, tasks: 300, items: 1200, months: 12, mostUnitsPerItem: 14 },
  /** what the test suite loads, through the services, to keep the generator honest */
  smoke: { units: 8, tasks: 5, items: 10, months: 2, mostUnitsPerItem: 4 },
} as const satisfies Record<string, CityScale>;

export interface GeneratedReport {
  /** the task's 序号 and the item's place in it (0-based), which identify the item after import */
  task: string;
  item: number;
  organisation: string;
  /** 1–12 */
  month: number;
  progress: string;
  /** the status word the unit chose (DOMAIN.md's words); a report is not submitted without one */
  status: ReportStatus;
  /** where the year has left it: the months long past are accepted, the last ones still on their way */
  state: ReportState;
}

export interface GeneratedCity {
  year: number;
  units: string[];
  /** the plan as an import reads it: no completion texts, so it assigns work rather than records it */
  table: SummaryTable;
  links: number;
  reports: GeneratedReport[];
}

const DEPARTMENTS = [
  '市发展改革委',
  '市教育局',
  '市科技局',
  '市工业和信息化局',
  '市公安局',
  '市民政局',
  '市司法局',
  '市财政局',
  '市人力资源社会保障局',
  '市自然资源和规划局',
  '市生态环境局',
  '市住房城乡建设局',
  '市城市管理局',
  '市交通运输局',
  '市水务局',
  '市农业农村局',
  '市商务局',
  '市文化广电旅游局',
  '市卫生健康委',
  '市退役军人事务局',
  '市应急管理局',
  '市审计局',
  '市国资委',
  '市市场监管局（市知识产权局）',
  '市体育局',
  '市统计局',
  '市医保局',
  '市信访局',
  '市政务服务管理办公室',
  '市数据局',
  '市地方金融管理局',
  '市机关事务管理局',
  '市人防办',
  '市供销总社',
  '市委宣传部（市新闻办）',
  '市委组织部',
  '市委网信办',
  '市委编办',
  '市委政法委',
  '市委统战部（市民宗局）',
  '市总工会',
  '团市委',
  '市妇联',
  '市科协',
  '市残联',
  '市税务局',
  '市消防救援支队',
  '市气象局',
  '市邮政管理局',
  '市通信管理办公室',
  '人民银行市分行',
  '市粮食和物资储备局',
  '市林业局',
  '市港口管理局',
  '市口岸办',
  '市侨办',
  '市外办',
  '市档案馆',
  '市海洋渔业局',
  '市城市更新局',
  '市投资促进局',
  '市会展办',
  '市住房公积金管理中心',
  '市公共资源交易中心',
];
const DISTRICTS = [
  '江北区人民政府',
  '江南区人民政府',
  '东湖区人民政府',
  '西山区人民政府',
  '高新区管委会',
  '经开区管委会',
  '临港新区管委会',
  '南湖县人民政府',
  '北岭县人民政府',
  '清溪市人民政府',
];
const ENTERPRISES = [
  '市城投集团',
  '市交投集团',
  '市文旅集团',
  '市水务集团',
  '市国资运营公司',
  '市轨道交通集团',
  '市港务集团',
  '市农发集团',
  '市数字产业集团',
  '市建设集团',
  '市金控集团',
  '市燃气集团',
];

/** Clauses of the sample's texts (split at ，；。), the material the generated texts are made of. */
function sampleClauses(): string[] {
  const text = readFileSync(new URL('../demo/suzhou-sthjj-2022-summary.txt', import.meta.url), 'utf8');
  const clauses = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 40)
    .flatMap((line) => line.split(/[，；。]/))
    .map((clause) => clause.trim())
    .filter((clause) => clause.length >= 6 && clause.length <= 60);
  return [...new Set(clauses)];
}

/** A 32-bit generator (mulberry32): small, fast and the same on every platform. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const integer = (least: number, most: number) => least + Math.floor(next() * (most - least + 1));
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  return { next, integer, pick };
}

/**
 * `title` names the plan (a province holds several cities' plans of one year; the import tells plans apart by year and
 * title); the default is the single city's.
 */
export function generateCity(scale: CityScale, options: { seed?: number; year?: number; title?: string } = {}): GeneratedCity {
  const random = generator(options.seed ?? 2031);
  const year = options.year ?? 2031;
  const clauses = sampleClauses();
  const sentence = (least: number, most: number) => {
    const count = random.integer(least, most);
    return `${Array.from({ length: count }, () => random.pick(clauses)).join('，')}。`;
  };

  const pool = [...DEPARTMENTS, ...DISTRICTS, ...ENTERPRISES];
  if (scale.units > pool.length) throw new Error(`at most ${pool.length} units can be generated, not ${scale.units}`);
  // departments first, as a city's list has them, then the districts and enterprises the scale leaves room for
  const districts = Math.min(DISTRICTS.length, Math.round(scale.units / 8));
  const enterprises = Math.min(ENTERPRISES.length, Math.round(scale.units / 10));
  const units = [
    ...DEPARTMENTS.slice(0, scale.units - districts - enterprises),
    ...DISTRICTS.slice(0, districts),
    ...ENTERPRISES.slice(0, enterprises),
  ];

  // a few units lead much of the plan (发展改革委, 财政局), most lead a little: the first units are drawn more often
  const weightedUnit = () => units[Math.floor(units.length * random.next() ** 1.6)]!;
  const unitsOfItem = () => {
    // one lead, and cooperating units whose number falls off geometrically (mean about two), at most the scale's cap
    let count = 1;
    while (count < scale.mostUnitsPerItem && random.next() < 0.66) count++;
    const chosen = new Set<string>();
    while (chosen.size < Math.min(count, units.length)) chosen.add(weightedUnit());
    const [lead, ...cooperating] = [...chosen];
    return { lead: lead!, cooperating };
  };

  const chapterCount = Math.max(1, Math.min(12, Math.round(scale.tasks / 25)));
  const table: SummaryTable = {
    title: options.title ?? `${year}年度市政府工作任务`,
    organisation: '',
    columns: { ...DEFAULT_COLUMNS },
    chapters: [],
  };
  let itemsLeft = scale.items;
  let links = 0;
  const itemUnits: { task: string; item: number; units: string[] }[] = [];
  for (let taskIndex = 0; taskIndex < scale.tasks; taskIndex++) {
    const chapterIndex = Math.floor((taskIndex * chapterCount) / scale.tasks);
    if (!table.chapters[chapterIndex]) {
      table.chapters.push({ numeral: toChapterNumeral(chapterIndex + 1), title: sentence(1, 1).replace(/。$/, ''), tasks: [] });
    }
    const tasksLeft = scale.tasks - taskIndex;
    // every task has an item; the rest are spread so that the plan has exactly the scale's items
    const itemCount =
      tasksLeft === 1
        ? itemsLeft
        : Math.max(1, Math.min(itemsLeft - (tasksLeft - 1), random.integer(1, Math.round((2 * itemsLeft) / tasksLeft) - 1)));
    itemsLeft -= itemCount;
    const number = String(taskIndex + 1);
    // the import takes the same work text within a task for the same item, so a task never repeats one
    const works = new Set<string>();
    const items = Array.from({ length: itemCount }, (_, position) => {
      const { lead, cooperating } = unitsOfItem();
      links += 1 + cooperating.length;
      itemUnits.push({ task: number, item: position, units: [lead, ...cooperating] });
      let work = sentence(1, 3);
      while (works.has(work)) work = sentence(1, 3);
      works.add(work);
      return { work, lead, cooperating: cooperating.join('、'), completion: '' };
    });
    table.chapters[chapterIndex]!.tasks.push({ number, name: random.pick(clauses).slice(0, 12), items });
  }

  const reports: GeneratedReport[] = [];
  for (let month = 1; month <= scale.months; month++) {
    // the year's last month is still being written and reviewed; the one before it is mostly through
    const recent = scale.months - month;
    for (const { task, item, units: involved } of itemUnits) {
      for (const organisation of involved) {
        const roll = random.next();
        const state: ReportState =
          recent === 0
            ? roll < 0.3
              ? 'draft'
              : roll < 0.6
                ? 'submitted'
                : roll < 0.85
                  ? 'approved'
                  : 'accepted'
            : recent === 1 && roll < 0.1
              ? 'approved'
              : 'accepted';
        // most work is on schedule; some runs late, and by the year's end much is done
        const status: ReportStatus = random.next() < 0.12 ? '进度滞后' : month === 12 && random.next() < 0.7 ? '已完成' : '序时推进';
        reports.push({ task, item, organisation, month, progress: sentence(2, 6), status, state });
      }
    }
  }
  return { year, units, table, links, reports };
}
