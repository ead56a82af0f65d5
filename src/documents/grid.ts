import { badInput } from '../domain/errors.js';
import { splitFirstOrganisation } from '../domain/organisations.js';
import { periodFromHeading } from '../domain/periods.js';
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
  /** Text that stands outside the table below its start (paragraphs between and after Word's tables): not imported. */
  outside?: GridLine[];
  /** Worksheets with content that hold no table (hidden ones, or without a header): not imported, and said so. */
  sheetsNotRead?: { name: string; hidden: boolean; filled: number }[];
}

export interface GridLine {
  text: string;
  line: number;
  location?: string;
}

/** （续表） over the continued part of a table: a printing mark, not content. */
export const CONTINUED_MARK = /^[（(]?\s*续\s*表\s*[）)]?$/;

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

const filledFields = (filing: FilingDetails | undefined) =>
  filing === undefined ? 0 : [filing.organisation, filing.date, filing.contact, filing.phone].filter((value) => value).length;

/**
 * A sheet's filing row often puts each label and its value in cells of their own (填报单位（盖章）： | 市文化广电旅游局 |
 * … | 填报时间： | 2031年7月5日): read cell by cell the labels have no values. When the row read as one line says more,
 * it is that line; otherwise undefined, and its cells are read one by one.
 */
export function filingRowText(cells: string[]): string | undefined {
  const filled = cells.map(normaliseCell).filter((cell) => cell !== '');
  if (filled.length < 2) return undefined;
  const joined = filled.join('  ');
  const asLine = readFilingLine(joined);
  return filledFields(asLine) > filledFields(mergeFilings(filled.map(readFilingLine))) ? joined : undefined;
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
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u3000\u00a0]+$/gm, '')
    .replace(/^[ \t\u3000\u00a0]+/gm, '')
    .trim();
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
  /** the first and the last header row, as indexes into grid.rows */
  index: number;
  last: number;
  positions: Partial<Record<ColumnKey, number>>;
  /** 责任单位 alone: its first unit leads, the others cooperate */
  responsibleSplits: boolean;
  extra: { heading: string; position: number }[];
  columns: SummaryColumns;
  signature: string;
  /** each header row's own signature, to recognise the header repeated on a continuation page, table or sheet */
  rowSignatures: string[];
  readings: ColumnReading[];
}

/**
 * One column's heading as read from one, two or three header rows. `written` is every heading over the column from
 * the top down, joined by ／ (责任单位／牵头单位), what the preview shows; `heading` is what the table keeps and the
 * writers print on their one header row: the lowest specific heading (牵头单位), which is understandable alone, and
 * for the progress column under a period group the period written before it (2031年一季度 over 进展情况 gives
 * 2031年一季度进展情况), so that the period is still found in it and the printed heading reads back the same.
 */
interface HeadingCell {
  heading: string;
  written: string;
  meaning: HeadingMeaning | undefined;
}

/** A heading that names a reporting period rather than a column: 2031年一季度, 一季度, 上半年, 1-3月, 全年. */
function isPeriodHeading(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length <= 16 && headingMeaning(compact) === undefined && periodFromHeading(compact, 2000) !== undefined;
}

/** Under a 责任单位 group, the short sub-headings offices write: 牵头 | 配合, 主办 | 协办. */
function meaningUnderResponsible(text: string): HeadingMeaning | undefined {
  const compact = text.replace(/\s+/g, '');
  if (/^(牵头|主办|主责|牵头部门|主责单位)$/.test(compact)) return 'lead';
  if (/^(配合|协办|参与|协同|配合部门)$/.test(compact)) return 'cooperating';
  return undefined;
}

/**
 * Reads the headings of the header rows `rows` (top first, cells normalised). A column's heading is its lowest
 * non-empty cell; the cells above it are its groups: its own (a group cell written again in every column, or a
 * heading merged down over the rows) or, when the cell above is empty, the nearest group to its left in that row (a
 * group merged across its sub-headings keeps its text in the first cell only). A column with no cell is headingless.
 */
function headingCells(written: string[][]): HeadingCell[] {
  const rows = alignSpans(written);
  const width = Math.max(...rows.map((cells) => cells.length));
  const result: HeadingCell[] = [];
  for (let position = 0; position < width; position++) {
    let lowest = -1;
    for (let row = rows.length - 1; row >= 0; row--) {
      if ((rows[row]![position] ?? '') !== '') {
        lowest = row;
        break;
      }
    }
    if (lowest < 0) {
      result.push({ heading: '', written: '', meaning: undefined });
      continue;
    }
    const specific = rows[lowest]![position]!;
    const groups: string[] = [];
    for (let row = 0; row < lowest; row++) {
      let text = rows[row]![position] ?? '';
      if (text === '') {
        // merged across: the group's text stands in the first cell of the span, the covered cells are empty
        for (let left = position - 1; left >= 0; left--) {
          const candidate = rows[row]![left] ?? '';
          if (candidate === '') continue;
          // a heading merged down over the rows below it is no group: only a cell with sub-headings under it spans
          if (rows.slice(row + 1, lowest + 1).some((below) => (below[left] ?? '') !== '')) text = candidate;
          break;
        }
      }
      if (text !== '' && text !== specific && !groups.includes(text)) groups.push(text);
    }
    let meaning = headingMeaning(specific);
    if (meaning === undefined && groups.some((group) => headingMeaning(group) === 'responsible'))
      meaning = meaningUnderResponsible(specific);
    const period = groups.find(isPeriodHeading);
    const heading =
      meaning === 'completion' && period !== undefined && periodFromHeading(specific, 2000) === undefined
        ? `${period}${specific}`
        : specific;
    result.push({ heading, written: [...groups, specific].join('／'), meaning });
  }
  return result;
}

/**
 * Text copied out of Word writes a cell merged across (责任单位 over two sub-headings) once, so an upper header row has
 * fewer cells than the row below it. Its cells are spread back over the columns, bottom row up: a cell with nothing
 * below it was merged down and covers one column; a cell over sub-headings is a group and covers the sub-headings
 * that fit it (责任单位 the units, a period or 完成情况 the report's columns), the last one whatever is left.
 * Rows of one width (Word, Excel, a CSV written out in full) are left as they are.
 */
function alignSpans(rows: string[][]): string[][] {
  const aligned = rows.map((cells) => [...cells]);
  for (let row = aligned.length - 2; row >= 0; row--) {
    const upper = aligned[row]!;
    const below = aligned[row + 1]!;
    let extra = below.length - upper.length;
    if (extra <= 0) continue;
    const spread: string[] = [];
    upper.forEach((cell, index) => {
      spread.push(cell);
      if (cell === '' || (below[spread.length - 1] ?? '') === '' || below[spread.length - 1] === cell) return;
      const last = index === upper.length - 1;
      while (extra > 0 && (last || ((below[spread.length] ?? '') !== '' && fitsUnder(cell, below[spread.length]!)))) {
        spread.push('');
        extra--;
      }
    });
    aligned[row] = spread;
  }
  return aligned;
}

/** Whether a sub-heading belongs under a group heading: the units under 责任单位, the report's columns under a period. */
function fitsUnder(group: string, sub: string): boolean {
  const meaning = headingMeaning(sub) ?? meaningUnderResponsible(sub);
  if (headingMeaning(group) === 'responsible') return meaning === 'lead' || meaning === 'cooperating';
  if (headingMeaning(group) === 'completion' || isPeriodHeading(group)) {
    return meaning === undefined || meaning === 'completion' || meaning === 'problems' || meaning === 'nextSteps' || meaning === 'status';
  }
  return true;
}

/** A cell that can stand in a header row below the first: a heading by its meaning, or a period over columns. */
function isHeadingWord(cell: string): boolean {
  if (cell.length > 20 || /[。；;，,]/.test(cell) || CHAPTER_HEADING.test(cell) || CHAPTER_NUMBER.test(cell)) return false;
  return headingMeaning(cell) !== undefined || meaningUnderResponsible(cell) !== undefined || isPeriodHeading(cell);
}

/**
 * The rows below a first header row that belong to the header: each has headings (by meaning; beside them short
 * headings with no meaning here, 备注) and empty cells under a heading merged down, at most three header rows in all. A data row or a chapter row (一、…) has cells that
 * are no headings, so a complete one-row header never swallows the row after it.
 */
function headerRowCount(rows: string[][], index: number): number {
  let count = 1;
  while (count < 3 && index + count < rows.length) {
    const filled = rows[index + count]!.filter((cell) => cell !== '');
    // a heading luoshi has no meaning for (备注, 协作单位) may stand beside known ones: short, no sentence, no number
    const headingLike = (cell: string) => isHeadingWord(cell) || (cell.length <= 12 && !/[。；;，,：:、\d]/.test(cell));
    if (!filled.some(isHeadingWord) || !filled.every(headingLike)) break;
    count++;
  }
  return count;
}

function readHeader(rows: string[][], index: number, overrides: Record<number, ColumnMeaning> = {}): Header | undefined {
  const cellsOf = headingCells(rows);
  const cells = cellsOf.map((cell) => cell.heading);
  const chosen = (position: number) => Object.hasOwn(overrides, position);
  const meanings = cellsOf.map((cell, position) => {
    if (chosen(position)) {
      const meaning = overrides[position]!;
      return meaning === 'extra' || meaning === 'ignore' ? undefined : meaning;
    }
    return cell.meaning;
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
    let key: ColumnKey | undefined =
      meaning === 'responsible' ? (hasLead ? (hasCooperating ? undefined : 'cooperating') : 'lead') : meaning;
    if (meaning === 'responsible' && !hasLead && !hasCooperating) responsibleSplits = true;
    if (key !== undefined && positions[key] !== undefined) key = undefined;
    if (key !== undefined) {
      positions[key] = position;
      columns[key] = heading;
    } else if (heading !== '' && overrides[position] !== 'ignore') {
      // an extra column under a group keeps the group in its name when its own heading is taken already (备注 twice)
      const taken = extra.some((column) => column.heading === heading);
      extra.push({ heading: taken ? cellsOf[position]!.written : heading, position });
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
  cellsOf.forEach(({ written }, position) => {
    const key = (Object.keys(positions) as ColumnKey[]).find((candidate) => positions[candidate] === position);
    const meaning: ColumnMeaning | undefined =
      overrides[position] === 'ignore'
        ? 'ignore'
        : key === undefined
          ? extra.some((column) => column.position === position)
            ? 'extra'
            : undefined
          : key === 'lead' && responsibleSplits
            ? 'responsible'
            : key;
    if (meaning !== undefined) readings.push({ position, heading: written, meaning, source: chosen(position) ? 'chosen' : 'heading' });
  });
  const rowSignatures = rows.map(headerSignature);
  return {
    index,
    last: index + rows.length - 1,
    positions,
    responsibleSplits,
    extra,
    columns,
    // one row: as it always was, so that a mapping remembered for a one-row header still applies
    signature: rowSignatures.join('\u0001'),
    rowSignatures,
    readings,
  };
}

/** Headings compared without white space: a continuation may write 序 号 where the first table wrote 序号. */
function headerSignature(cells: string[]): string {
  return cells.map((cell) => cell.replace(/\s+/g, '')).join('\u0000');
}

/**
 * The first row that, with the header rows under it, names 序号 and 名称 or 工作任务. The first header row itself must
 * hold two headings at least, so that a title row is never read as a group over the real header.
 */
function findHeader(rows: GridRow[], overrides: Record<number, ColumnMeaning> = {}): Header | undefined {
  // a person's choice reads the header the headings found; it must not make a title or filing row the header
  if (Object.keys(overrides).length > 0) {
    const found = findHeader(rows);
    if (found)
      return readHeader(
        rows.slice(found.index, found.last + 1).map((row) => row.cells.map(normaliseCell)),
        found.index,
        overrides,
      );
  }
  const normalised = rows.slice(0, 32).map((row) => row.cells.map(normaliseCell));
  for (let index = 0; index < Math.min(rows.length, 30); index++) {
    if (
      normalised[index]!.filter(
        (cell, position) => cell !== '' && (headingMeaning(cell) !== undefined || Object.hasOwn(overrides, position)),
      ).length < 2
    )
      continue;
    const count = headerRowCount(normalised, index);
    const header = readHeader(normalised.slice(index, index + count), index, overrides);
    if (header) return header;
  }
  return undefined;
}

/**
 * A row that numbers the columns under the header, 1 2 3 … (full-width digits too, 1列 or （1） as some forms write
 * them): three numbers at least, counting up from 1, one per filled cell and nothing else in the row.
 */
export function isColumnNumberRow(cells: string[]): boolean {
  const numbers = cells
    .map(normaliseCell)
    .filter((cell) => cell !== '')
    .map((cell) =>
      cell
        .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
        .replace(/^[（(]\s*(\d+)\s*[）)]$|^(\d+)\s*列?$/, '$1$2'),
    );
  return numbers.length >= 3 && numbers.every((number, index) => number === String(index + 1));
}

/** 责任单位 alone: the first name leads and the rest cooperate, each kept as written. */
function splitResponsible(raw: string): { lead: string; cooperating: string } {
  const { first, rest } = splitFirstOrganisation(raw);
  return { lead: first, cooperating: rest };
}

/**
 * Turns a grid into chapters, tasks and items. Columns are found by the meaning of their headings, not their
 * position; the header may take one, two or three rows (a group heading over sub-headings, see headingCells), and the
 * header rows repeated where a table continues on the next page, or in the next table or sheet, are skipped. Rows
 * that fit no pattern are not guessed at: they are reported as warnings with their line, and the rest of the table
 * is still read.
 *
 * Nothing is dropped without a word: every non-empty text of the grid ends up in a read column of a task or item
 * row, in the title or filing details, or in a warning naming its row (and column, 第N列 when it has no heading).
 * accounting.ts checks this from the outside.
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
  // every text above the header, with where it stands: a paragraph (no column) or a cell of a row above the header
  const above: { text: string; line: number; location?: string; column?: number }[] = [
    ...grid.preamble.map((line) => ({ text: normaliseCell(line.text), line: line.line })),
    ...grid.rows.slice(0, header.index).flatMap((row) => {
      const where = { line: row.line, ...(row.location ? { location: row.location } : {}) };
      const joined = filingRowText(row.cells);
      if (joined !== undefined) return [{ text: joined, ...where }];
      return row.cells.map((cell, column) => ({ text: normaliseCell(cell), ...where, column }));
    }),
  ].filter((entry) => entry.text !== '');
  const preamble = above.map((entry) => entry.text);
  const filings = preamble.map(readFilingLine);
  const title =
    preamble.find((text, index) => !filings[index] && TITLE_WORDS.test(text)) ?? preamble.find((_, index) => !filings[index]) ?? '';
  const filing = mergeFilings(filings);
  const organisation =
    filing?.organisation ||
    (preamble
      .filter((text, index) => text !== title && !filings[index])
      // 单位：万元 states the unit of the figures, 注： a footnote: neither names who files the table
      .find((text) => !/^(日期|填报日期|报送日期|单位[:：]|注[:：])/.test(text) && !/^\d{4}年\d{1,2}月\d{1,2}日$/.test(text)) ??
      '');
  // what is neither the title, a filing line nor the unit is not imported, and the person is told so
  above.forEach((entry, index) => {
    if (filings[index] || entry.text === title || entry.text === organisation) return;
    const where = entry.location ?? `第${entry.line}行`;
    warnings.push({
      line: entry.line,
      ...(entry.location ? { location: entry.location } : {}),
      ...(entry.column === undefined ? {} : { column: `第${entry.column + 1}列` }),
      message:
        entry.column === undefined
          ? `表格上方的文字“${truncate(entry.text)}”不是标题、填报单位或填报时间，未导入。`
          : `表头上方${where}第${entry.column + 1}列的文字“${truncate(entry.text)}”不是标题、填报单位或填报时间，未导入。`,
    });
  });

  for (const entry of grid.outside ?? []) {
    const text = normaliseCell(entry.text);
    if (text === '' || CONTINUED_MARK.test(text)) continue;
    warnings.push({
      line: entry.line,
      ...(entry.location ? { location: entry.location } : {}),
      message: `表格之外的文字“${truncate(text)}”不是表格的内容，未导入。`,
    });
  }

  for (const sheet of grid.sheetsNotRead ?? []) {
    warnings.push({
      line: 1,
      location: `工作表“${sheet.name}”`,
      message: sheet.hidden
        ? `隐藏的工作表“${sheet.name}”有 ${sheet.filled} 个非空单元格，未导入（隐藏的工作表多为旧版或辅助数据）。`
        : `工作表“${sheet.name}”中没有表头（序号、名称等），其 ${sheet.filled} 个非空单元格未导入。`,
    });
  }

  const table: SummaryTable = { title, organisation, columns: header.columns, chapters: [] };
  const at = (cells: string[], key: ColumnKey) => {
    const position = header.positions[key];
    return position === undefined ? '' : normaliseCell(cells[position] ?? '');
  };
  for (const row of grid.rows.slice(header.index, header.last + 1)) {
    rows.push({ line: row.line, location: row.location, kind: 'header' });
  }
  // Columns with content but no heading (or beyond the header's width) are not kept as extra columns named 第N列:
  // a column without a heading is most often a note typed beside the table or a stray cell, and a person decides
  // better from a warning naming the row, the column and the text (and can still choose a meaning for it in the
  // preview, which makes it a read column). A column a person chose to ignore is not warned about cell by cell.
  const read = new Set(header.readings.map((reading) => reading.position));

  let currentTask: SummaryTask | undefined;
  // header rows still to skip where a multi-row header is repeated (on a continuation page, table or sheet)
  let repeated = 0;
  for (const row of grid.rows.slice(header.last + 1)) {
    const cells = row.cells.map(normaliseCell);
    const filled = cells.filter((cell) => cell !== '');
    const where = { line: row.line, ...(row.location ? { location: row.location } : {}) };
    const ignore = (message?: string, column?: string) => {
      rows.push({ ...where, kind: 'ignored' });
      if (message) warnings.push({ ...where, message, ...(column ? { column } : {}) });
    };
    if (filled.length === 0) continue;
    const signature = headerSignature(cells);
    if (signature === header.rowSignatures[0]) {
      ignore();
      repeated = header.rowSignatures.length - 1;
      continue;
    }
    if (repeated > 0 && signature === header.rowSignatures[header.rowSignatures.length - repeated]) {
      ignore();
      repeated--;
      continue;
    }
    repeated = 0;
    if (isColumnNumberRow(cells)) {
      // 1 2 3 … under the headings numbers the columns (a habit of printed forms): no task, and no content lost
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
    if (filled.length === 1 && cells[header.positions.number!] === filled[0] && !/^[（(]?\s*[\d０-９]/.test(filled[0]!)) {
      // a note typed under the table (注：…, 填表人：…), which a text copy or a sheet gives as a row of its own: no task
      ignore(`表格中的整行文字“${truncate(filled[0]!)}”不是章节或任务，已忽略。`);
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
      ignore(`此行没有序号和名称，且上方没有可归属的任务，已忽略：“${truncate(item.work || filled.join(' '))}”`);
      continue;
    }
    rows.push({
      ...where,
      kind: currentTask!.items.length === 1 ? 'task' : 'item',
      chapter: table.chapters.length - 1,
      task: currentChapter!.tasks.length - 1,
      item: currentTask!.items.length - 1,
    });
    cells.forEach((cell, position) => {
      if (cell === '' || read.has(position)) return;
      warnings.push({
        ...where,
        column: `第${position + 1}列`,
        message: `${row.location ?? `第${row.line}行`}第${position + 1}列没有表头，其内容“${truncate(cell)}”未导入。`,
      });
    });
    if (item.work === '') warnings.push({ ...where, column: 'work', message: `任务 ${currentTask!.number} 的一项缺少工作任务内容。` });
    if (item.lead === '') warnings.push({ ...where, column: 'lead', message: `任务 ${currentTask!.number} 的一项缺少牵头单位。` });
  }
  if (table.chapters.length === 0) {
    const headerRow = grid.rows[header.index]!;
    warnings.push({
      line: headerRow.line,
      ...(headerRow.location ? { location: headerRow.location } : {}),
      message: '表格中没有章节行（如“一、……”）。',
    });
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
