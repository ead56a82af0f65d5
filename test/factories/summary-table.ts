import {
  DEFAULT_COLUMNS,
  type SummaryChapter,
  type SummaryItem,
  type SummaryTable,
  type SummaryTask,
} from '../../src/domain/summary-table.js';

/** Made-up content in the shape of a real table; every field can be overridden. */
export function buildSummaryItem(overrides: Partial<SummaryItem> = {}): SummaryItem {
  return {
    work: '推进城区雨污分流改造，新建管网12公里。',
    lead: '市水务局',
    cooperating: '市住建局、市财政局',
    completion: '已完成管网建设12.4公里，超额完成年度任务。',
    ...overrides,
  };
}

export function buildSummaryTask(overrides: Partial<SummaryTask> = {}): SummaryTask {
  return { number: '5', name: '改善城市基础设施', items: [buildSummaryItem()], ...overrides };
}

export function buildSummaryChapter(overrides: Partial<SummaryChapter> = {}): SummaryChapter {
  return { numeral: '二', title: '提升城市功能品质', tasks: [buildSummaryTask()], ...overrides };
}

/** A small table with a chapter of one task with two items, and a chapter with a single-item task. */
export function buildSummaryTable(overrides: Partial<SummaryTable> = {}): SummaryTable {
  return {
    title: '2030年度市政府工作任务完成情况汇总表',
    organisation: '市水务局',
    columns: { ...DEFAULT_COLUMNS },
    chapters: [
      buildSummaryChapter({
        numeral: '一',
        title: '稳住经济基本盘',
        tasks: [
          buildSummaryTask({
            number: '3',
            name: '扩大有效投资',
            items: [
              buildSummaryItem({ work: '实施市级重点项目200个，完成投资800亿元。', lead: '市发改委', cooperating: '市水务局、市工信局' }),
              buildSummaryItem({
                work: '新开工水利项目15个。',
                lead: '市水务局',
                cooperating: '',
                completion: '新开工水利项目16个。\n其中防洪工程9个。',
              }),
            ],
          }),
        ],
      }),
      buildSummaryChapter(),
    ],
    ...overrides,
  };
}
