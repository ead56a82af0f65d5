/**
 * A summary table (汇总表) as people print it: chapters, numbered tasks, and the items of each task, each item with
 * its work text, the lead and cooperating units exactly as written, and one completion text for one period.
 *
 * The same shape is what every reader (text, DOCX, XLSX, CSV) produces and what every writer consumes, so that a
 * round trip through any format can be checked by comparing two values of this type.
 */

export interface SummaryTable {
  /** e.g. 2022年度市政府工作任务完成情况汇总表 */
  title: string;
  /** The reporting unit as written on the table, e.g. 市生态环境局; empty for a city-wide table. */
  organisation: string;
  /** Column headings in order; the last one names the period, e.g. 全年完成情况. */
  columns: SummaryColumns;
  chapters: SummaryChapter[];
}

export interface SummaryColumns {
  number: string;
  name: string;
  work: string;
  lead: string;
  cooperating: string;
  completion: string;
  /** Headings of the optional columns, present only when the table has them. */
  deadline?: string;
  status?: string;
  leader?: string;
  /** 存在问题 and 下步打算 of a unit's table: what its report says besides the progress. */
  problems?: string;
  nextSteps?: string;
  /** Headings of unknown columns, in table order. */
  extra?: string[];
}

export interface SummaryChapter {
  /** Chinese numeral without the 、, e.g. 一 */
  numeral: string;
  title: string;
  tasks: SummaryTask[];
}

export interface SummaryTask {
  /** The city-wide 序号, as written (usually digits). */
  number: string;
  name: string;
  items: SummaryItem[];
}

export interface SummaryItem {
  work: string;
  /** Lead units as written in the cell (raw text, trimmed). */
  lead: string;
  /** Cooperating units as written in the cell (raw text, trimmed). */
  cooperating: string;
  /** The completion / progress text for the table's period. */
  completion: string;
  /** Optional columns some tables carry: 完成时限, 进展状态/完成状态, 责任领导. */
  deadline?: string;
  status?: string;
  leader?: string;
  /** The report's problems (存在问题) and next steps (下步打算), for the table's period like the completion text. */
  problems?: string;
  nextSteps?: string;
  /** Columns luoshi has no meaning for, kept by their heading rather than dropped. */
  extra?: Record<string, string>;
}

export const DEFAULT_COLUMNS: SummaryColumns = {
  number: '序号',
  name: '名称',
  work: '工作任务',
  lead: '牵头单位',
  cooperating: '主要配合单位',
  completion: '全年完成情况',
};

export function columnList(columns: SummaryColumns): string[] {
  return [columns.number, columns.name, columns.work, columns.lead, columns.cooperating, columns.completion];
}

/** A chapter heading as printed: 一、经济社会发展主要预期目标 */
export function chapterHeading(chapter: Pick<SummaryChapter, 'numeral' | 'title'>): string {
  return `${chapter.numeral}、${chapter.title}`;
}

export function countTable(table: SummaryTable): { chapters: number; tasks: number; items: number } {
  let tasks = 0;
  let items = 0;
  for (const chapter of table.chapters) {
    tasks += chapter.tasks.length;
    for (const task of chapter.tasks) items += task.items.length;
  }
  return { chapters: table.chapters.length, tasks, items };
}

/** A problem found while reading a file, at a 1-based line (text) or row (sheets, Word tables). */
export interface ImportWarning {
  line: number;
  message: string;
  /** Where a person finds it, when the line alone is ambiguous: 第2个表格第5行, 工作表“二季度”第7行. */
  location?: string;
  /** The column it concerns, by meaning (work, lead, …) or by heading for unknown columns. */
  column?: string;
}

/**
 * Only the known fields, in a fixed order: what a writer prints does not depend on how the value was built, and a
 * table that carries ids (the web view) becomes the plain table the document writers take.
 */
export function canonicalTable(table: SummaryTable): SummaryTable {
  return {
    title: table.title,
    organisation: table.organisation,
    columns: {
      number: table.columns.number,
      name: table.columns.name,
      work: table.columns.work,
      lead: table.columns.lead,
      cooperating: table.columns.cooperating,
      completion: table.columns.completion,
      ...optional(table.columns, ['deadline', 'status', 'leader', 'problems', 'nextSteps']),
      ...(table.columns.extra && table.columns.extra.length > 0 ? { extra: [...table.columns.extra] } : {}),
    },
    chapters: table.chapters.map((chapter) => ({
      numeral: chapter.numeral,
      title: chapter.title,
      tasks: chapter.tasks.map((task) => ({
        number: task.number,
        name: task.name,
        items: task.items.map((item) => ({
          work: item.work,
          lead: item.lead,
          cooperating: item.cooperating,
          completion: item.completion,
          ...optional(item, ['deadline', 'status', 'leader', 'problems', 'nextSteps']),
          ...(item.extra && Object.keys(item.extra).length > 0 ? { extra: { ...item.extra } } : {}),
        })),
      })),
    })),
  };
}

function optional<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
  return picked;
}
