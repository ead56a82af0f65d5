import { badInput } from '../domain/errors.js';
import { splitFirstOrganisation } from '../domain/organisations.js';
import { headingMeaning, type HeadingMeaning } from './columns.js';
import {
  DEFAULT_COLUMNS,
  type ImportWarning,
  type SummaryColumns,
  type SummaryItem,
  type SummaryTable,
  type SummaryTask,
} from '../domain/summary-table.js';

/**
 * What every reader produces: the paragraphs above the table and the table's rows as plain cell texts, with the
 * line (text files) or row (sheets, Word tables) each came from. Merged cells are expanded: the first cell keeps
 * the text, the cells it covers are empty, exactly as a continuation row looks in the text form.
 */
export interface TableGrid {
  preamble: GridLine[];
  rows: GridRow[];
}

export interface GridLine {
  text: string;
  line: number;
}

export interface GridRow {
  cells: string[];
  line: number;
  /** Where a person finds the row when line numbers restart (several tables or sheets): 第2个表格第5行. */
  location?: string;
}

/** What each row of the grid became, so that a preview can show every row and its warnings in place. */
export interface RowInterpretation {
  line: number;
  location?: string;
  kind: 'header' | 'chapter' | 'task' | 'item' | 'ignored';
  /** indexes into table.chapters, chapter.tasks and task.items */
  chapter?: number;
  task?: number;
  item?: number;
}

export interface InterpretedTable {
  table: SummaryTable;
  warnings: ImportWarning[];
  rows: RowInterpretation[];
  /** How each heading of the table was read: what the preview shows and a person may change. */
  columns: ColumnReading[];
  /**
   * The headings, compared without white space: files with the same signature are read with the same mapping,
   * which is how a mapping a person chose is remembered for the next file of that shape.
   */
  headerSignature: string;
  /** What the 填报单位 / 报送单位 lines above the table say, when it has them. */
  filing?: FilingDetails;
}

/** The lines an office writes under the title: who files the table, when, and whom to call about it. */
export interface FilingDetails {
  /** the unit, without 盖章; '' when the lines name only a date or a contact */
  organisation: string;
  /** yyyy-mm-dd */
  date?: string;
  contact?: string;
  phone?: string;
}

const TITLE_WORDS = /汇总表|完成情况|进展情况|任务|方案|清单|台账/;

/** 盖章 / 公章 / 签章 written beside the label or the name, in brackets of either width or none. */
const SEAL = '[（(]?\\s*(?:盖章|公章|签章|印章)\\s*[）)]?';
const FILING_LABEL = new RegExp(
  `(填报单位|报送单位|填报部门|报送部门|责任单位|单位名称|填报时间|填报日期|报送时间|报送日期|日期|时间|联系人|联系电话|电话|手机|联系方式)\\s*(?:${SEAL})?\\s*[:：]`,
  'g',
);
const LABEL_FIELDS: Record<string, keyof FilingDetails> = {
  填报单位: 'organisation',
  报送单位: 'organisation',
  填报部门: 'organisation',
  报送部门: 'organisation',
  责任单位: 'organisation',
  单位名称: 'organisation',
  填报时间: 'date',
  填报日期: 'date',
  报送时间: 'date',
  报送日期: 'date',
  日期: 'date',
  时间: 'date',
  联系人: 'contact',
  联系电话: 'phone',
  电话: 'phone',
  手机: 'phone',
  联系方式: 'phone',
};

/**
 * `填报单位：市住房城乡建设局（盖章）  填报时间：2025年4月8日`, `填报单位（盖章）：市水务局`, `报送单位：X　联系人：Y　电话：Z`:
 * each label's value runs to the next label. A line without such a label at its start is no filing line.
 */
export function readFilingLine(text: string): FilingDetails | undefined {
  const line = text.replace(/[\t\u3000\u00a0]/g, ' ');
  const labels = [...line.matchAll(FILING_LABEL)];
  if (labels.length === 0 || line.slice(0, labels[0]!.index).trim() !== '') return undefined;
  const found: Partial<Record<keyof FilingDetails, string>> = {};
  labels.forEach((label, index) => {
    const field = LABEL_FIELDS[label[1]!]!;
    const value = line.slice(label.index! + label[0].length, labels[index + 1]?.index ?? line.length).trim();
    if (value !== '' && found[field] === undefined) found[field] = value;
  });
  const organisation = (found.organisation ?? '').replace(new RegExp(`\\s*${SEAL}$`), '').replace(/\s+/g, '');
  const date = found.date === undefined ? undefined : isoDate(found.date);
  return {
    organisation,
    ...(date ? { date } : {}),
    ...(found.contact ? { contact: found.contact.replace(/\s+/g, '') } : {}),
    ...(found.phone ? { phone: found.phone.replace(/\s+/g, ' ') } : {}),
  };
}

/** 2025年4月8日, 2025-4-8, 2025.04.08, 2025/4/8 → 2025-04-08; other texts (……年…月) are no date. */
function isoDate(text: string): string | undefined {
  const match = /^(\d{4})\s*(?:年|[-./．])\s*(\d{1,2})\s*(?:月|[-./．])\s*(\d{1,2})\s*日?$/.exec(text.replace(/\s+/g, ''));
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Filing lines over several lines or cells (the unit on one, the date on the next): the first of each field. */
function mergeFilings(filings: (FilingDetails | undefined)[]): FilingDetails | undefined {
  const present = filings.filter((filing) => filing !== undefined);
  if (present.length === 0) return undefined;
  const first = (field: 'date' | 'contact' | 'phone') => present.find((filing) => filing[field])?.[field];
  const [date, contact, phone] = [first('date'), first('contact'), first('phone')];
  return {
    organisation: present.find((filing) => filing.organisation !== '')?.organisation ?? '',
    ...(date ? { date } : {}),
    ...(contact ? { contact } : {}),
    ...(phone ? { phone } : {}),
  };
}

type ColumnKey = Exclude<HeadingMeaning, 'responsible'>;

/** What a column of the source is read as: a meaning, an extra column kept as written, or nothing (ignored). */
export type ColumnMeaning = HeadingMeaning | 'extra' | 'ignore';

export interface ColumnReading {
  /** 0-based position of the column in the grid */
  position: number;
  /** its heading as written (the headings of a multi-row header joined by ／) */
  heading: string;
  meaning: ColumnMeaning;
  /** read from the heading's words, or chosen by a person (an override) */
  source: 'heading' | 'chosen';
}

export interface GridOptions {
  /** A person's reading of some columns, by position: it replaces what the headings say. */
  columns?: Record<number, ColumnMeaning>;
}

/** The optional columns an item carries only when the table has them. */
const OPTIONAL_KEYS = ['deadline', 'status', 'leader', 'problems', 'nextSteps'] as const;

const CHINESE_NUMERAL = '[一二三四五六七八九十百]+';
/** A chapter row written in one cell: 一、经济发展, or （一）经济发展 where chapters are numbered that way. */
const CHAPTER_HEADING = new RegExp(`^(?:(${CHINESE_NUMERAL})[、.．]|[（(]\\s*(${CHINESE_NUMERAL})\\s*[）)])\\s*(.+)$`, 's');
/** A 序号 cell holding a chapter's numeral alone (一、 or （一）), its title in the next cell. */
const CHAPTER_NUMBER = new RegExp(`^(?:(${CHINESE_NUMERAL})[、.．]?|[（(]\\s*(${CHINESE_NUMERAL})\\s*[）)])$`);

export function normaliseCell(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t\u3000\u00a0]+$/gm, '').replace(/^[ \t\u3000\u00a0]+/gm, '').trim();
}

/**
 * 序号 as offices write it: 1、 1. 1． （1） (1), in full-width digits too, is the number 1. Anything else is returned
 * as written, so that the reader can warn about it.
 */
export function taskNumber(written: string): string {
  const digits = written.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');
  const match = /^(?:(\d+)[、.．,，]?|[（(](\d+)[）)])$/.exec(digits);
  return match ? (match[1] ?? match[2])! : written;
}

interface Header {
  index: number;
  positions: Partial<Record<ColumnKey, number>>;
  /** 责任单位 alone: its first unit leads, the others cooperate */
  responsibleSplits: boolean;
  extra: { heading: string; position: number }[];
  columns: SummaryColumns;
  signature: string;
  readings: ColumnReading[];
}

function readHeader(cells: string[], index: number, overrides: Record<number, ColumnMeaning> = {}): Header | undefined {
  const chosen = (position: number) => Object.prototype.hasOwnProperty.call(overrides, position);
  const meanings = cells.map((cell, position) => {
    if (chosen(position)) {
      const meaning = overrides[position]!;
      return meaning === 'extra' || meaning === 'ignore' ? undefined : meaning;
    }
    return cell === '' ? undefined : headingMeaning(cell);
  });
  const positions: Partial<Record<ColumnKey, number>> = {};
  const columns: SummaryColumns = { ...DEFAULT_COLUMNS };
  const extra: { heading: string; position: number }[] = [];
  const hasLead = meanings.includes('lead');
  const hasCooperating = meanings.includes('cooperating');
  let responsibleSplits = false;
  // a column a person chose keeps its meaning against a heading elsewhere that says the same
  const order = cells.map((_, position) => position).sort((a, b) => Number(chosen(b)) - Number(chosen(a)) || a - b);
  for (const position of order) {
    const meaning = meanings[position];
    const heading = cells[position]!;
    let key: ColumnKey | undefined = meaning === 'responsible' ? (hasLead ? (hasCooperating ? undefined : 'cooperating') : 'lead') : meaning;
    if (meaning === 'responsible' && !hasLead && !hasCooperating) responsibleSplits = true;
    if (key !== undefined && positions[key] !== undefined) key = undefined;
    if (key !== undefined) {
      positions[key] = position;
      columns[key] = heading;
    } else if (heading !== '' && overrides[position] !== 'ignore') {
      extra.push({ heading, position });
    }
  }
  extra.sort((a, b) => a.position - b.position);
  if (positions.number === undefined || (positions.name === undefined && positions.work === undefined)) return undefined;
  if (positions.work === undefined) {
    // a table with one text column names it 重点任务 or 名称: the text is the work, the task has no short name
    positions.work = positions.name;
    columns.work = columns.name;
    delete positions.name;
  }
  for (const key of OPTIONAL_KEYS) if (positions[key] === undefined) delete columns[key];
  if (extra.length > 0) columns.extra = extra.map((column) => column.heading);
  if (responsibleSplits) columns.cooperating = '';
  const readings: ColumnReading[] = [];
  cells.forEach((heading, position) => {
    const key = (Object.keys(positions) as ColumnKey[]).find((candidate) => positions[candidate] === position);
    const meaning: ColumnMeaning | undefined =
      overrides[position] === 'ignore'
        ? 'ignore'
        : key === undefined
          ? extra.some((column) => column.position === position) ? 'extra' : undefined
          : key === 'lead' && responsibleSplits ? 'responsible' : key;
    if (meaning !== undefined) readings.push({ position, heading, meaning, source: chosen(position) ? 'chosen' : 'heading' });
  });
  return { index, positions, responsibleSplits, extra, columns, signature: headerSignature(cells), readings };
}

/** Headings compared without white space: a continuation may write 序 号 where the first table wrote 序号. */
function headerSignature(cells: string[]): string {
  return cells.map((cell) => cell.replace(/\s+/g, '')).join('\u0000');
}

function findHeader(rows: GridRow[], overrides: Record<number, ColumnMeaning> = {}): Header | undefined {
  for (let index = 0; index < Math.min(rows.length, 30); index++) {
    const header = readHeader(rows[index]!.cells.map(normaliseCell), index, overrides);
    if (header) return header;
  }
  return undefined;
}

/** 责任单位 alone: the first name leads and the rest cooperate, each kept as written. */
function splitResponsible(raw: string): { lead: string; cooperating: string } {
  const { first, rest } = splitFirstOrganisation(raw);
  return { lead: first, cooperating: rest };
}

/**
 * Turns a grid into chapters, tasks and items. Columns are found by the meaning of their headings, not their
 * position; a heading row repeated where a table continues on the next page, or in the next table or sheet, is
 * skipped. Rows that fit no pattern are not guessed at: they are reported as warnings with their line, and the
 * rest of the table is still read.
 */
export function interpretGrid(grid: TableGrid, options: GridOptions = {}): InterpretedTable {
  const warnings: ImportWarning[] = [];
  const rows: RowInterpretation[] = [];
  const header = findHeader(grid.rows, options.columns);
  if (!header) {
    throw badInput(
      'table_header_missing',
      '未找到表头：表格中没有同时包含“序号”和“名称”（或“工作任务”“重点任务”等）的行，无法识别为工作任务表。',
    );
  }
  const preamble = [
    ...grid.preamble.map((line) => normaliseCell(line.text)),
    ...grid.rows.slice(0, header.index).flatMap((row) => row.cells.map(normaliseCell)),
  ].filter((text) => text !== '');
  const filings = preamble.map(readFilingLine);
  const title = preamble.find((text, index) => !filings[index] && TITLE_WORDS.test(text)) ?? preamble.find((_, index) => !filings[index]) ?? '';
  const filing = mergeFilings(filings);
  const organisation =
    filing?.organisation ||
    (preamble
      .filter((text, index) => text !== title && !filings[index])
      // 单位：万元 states the unit of the figures, 注： a footnote: neither names who files the table
      .find((text) => !/^(日期|填报日期|报送日期|单位[:：]|注[:：])/.test(text) && !/^\d{4}年\d{1,2}月\d{1,2}日$/.test(text)) ??
      '');

  const table: SummaryTable = { title, organisation, columns: header.columns, chapters: [] };
  const at = (cells: string[], key: ColumnKey) => {
    const position = header.positions[key];
    return position === undefined ? '' : normaliseCell(cells[position] ?? '');
  };
  rows.push({ line: grid.rows[header.index]!.line, location: grid.rows[header.index]!.location, kind: 'header' });

  let currentTask: SummaryTask | undefined;
  for (const row of grid.rows.slice(header.index + 1)) {
    const cells = row.cells.map(normaliseCell);
    const filled = cells.filter((cell) => cell !== '');
    const where = { line: row.line, ...(row.location ? { location: row.location } : {}) };
    const ignore = (message?: string, column?: string) => {
      rows.push({ ...where, kind: 'ignored' });
      if (message) warnings.push({ ...where, message, ...(column ? { column } : {}) });
    };
    if (filled.length === 0) continue;
    if (headerSignature(cells) === header.signature) {
      ignore();
      continue;
    }

    const chapterMatch = new Set(filled).size === 1 ? CHAPTER_HEADING.exec(filled[0]!) : null;
    const chapter = chapterMatch
      ? { numeral: (chapterMatch[1] ?? chapterMatch[2])!, title: normaliseCell(chapterMatch[3]!) }
      : chapterInNumberColumn(cells, header.positions.number!);
    if (chapter) {
      table.chapters.push({ ...chapter, tasks: [] });
      rows.push({ ...where, kind: 'chapter', chapter: table.chapters.length - 1 });
      currentTask = undefined;
      continue;
    }
    if (new Set(filled).size === 1 && filled.length > 1) {
      // a merged row whose text is repeated in every cell (some sheet writers do this) but is not a chapter
      ignore(`无法识别的整行文字，已忽略：“${truncate(filled[0]!)}”`);
      continue;
    }

    const responsible = header.responsibleSplits ? splitResponsible(at(cells, 'lead')) : undefined;
    const item: SummaryItem = {
      work: at(cells, 'work'),
      lead: responsible?.lead ?? at(cells, 'lead'),
      cooperating: responsible?.cooperating ?? at(cells, 'cooperating'),
      completion: at(cells, 'completion'),
    };
    for (const key of OPTIONAL_KEYS) {
      if (header.positions[key] !== undefined) item[key] = at(cells, key);
    }
    if (header.extra.length > 0) {
      item.extra = Object.fromEntries(header.extra.map((column) => [column.heading, normaliseCell(cells[column.position] ?? '')]));
    }
    const number = taskNumber(at(cells, 'number'));
    const name = at(cells, 'name');
    const currentChapter = table.chapters.at(-1);

    if (number !== '' || name !== '') {
      if (!currentChapter) {
        ignore(`任务“${number} ${truncate(name || item.work)}”出现在第一个章节行（如“一、……”）之前，已忽略。`);
        continue;
      }
      if (number === '') warnings.push({ ...where, column: 'number', message: `任务“${truncate(name)}”缺少序号。` });
      if (number !== '' && !/^\d+$/.test(number)) warnings.push({ ...where, column: 'number', message: `序号“${number}”不是数字。` });
      const sameTask = currentTask && currentTask.number === number && currentTask.name === name;
      if (!sameTask) {
        currentTask = { number, name, items: [] };
        currentChapter.tasks.push(currentTask);
      }
      currentTask!.items.push(item);
    } else if (currentTask) {
      currentTask.items.push(item);
    } else {
      ignore(`此行没有序号和名称，且上方没有可归属的任务，已忽略：“${truncate(item.work)}”`);
      continue;
    }
    rows.push({
      ...where,
      kind: currentTask!.items.length === 1 ? 'task' : 'item',
      chapter: table.chapters.length - 1,
      task: currentChapter!.tasks.length - 1,
      item: currentTask!.items.length - 1,
    });
    if (item.work === '') warnings.push({ ...where, column: 'work', message: `任务 ${currentTask!.number} 的一项缺少工作任务内容。` });
    if (item.lead === '') warnings.push({ ...where, column: 'lead', message: `任务 ${currentTask!.number} 的一项缺少牵头单位。` });
  }
  if (table.chapters.length === 0) {
    const headerRow = grid.rows[header.index]!;
    warnings.push({ line: headerRow.line, ...(headerRow.location ? { location: headerRow.location } : {}), message: '表格中没有章节行（如“一、……”）。' });
  }
  return { table, warnings, rows, columns: header.readings, headerSignature: header.signature, ...(filing ? { filing } : {}) };
}

/**
 * 序号 一、 or （一） with nothing else in the row but the chapter's title, wherever the title was written (most often
 * in 名称): a chapter. A row with more filled cells is a task whose 序号 is odd, and is warned about as such.
 */
function chapterInNumberColumn(cells: string[], numberPosition: number): { numeral: string; title: string } | undefined {
  const match = CHAPTER_NUMBER.exec(cells[numberPosition] ?? '');
  if (!match) return undefined;
  const others = cells.filter((cell, position) => position !== numberPosition && cell !== '');
  if (new Set(others).size > 1) return undefined;
  return { numeral: (match[1] ?? match[2])!, title: others[0] ?? '' };
}

function truncate(text: string, length = 30): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
