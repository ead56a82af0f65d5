import { badInput } from '../domain/errors.js';
import { splitFirstOrganisation } from '../domain/organisations.js';
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
}

type ColumnKey = 'number' | 'name' | 'work' | 'lead' | 'cooperating' | 'completion' | 'deadline' | 'status' | 'leader';
type HeadingMeaning = ColumnKey | 'responsible';

/** Heading words by meaning; headings are compared with white space removed. */
const HEADING_SYNONYMS: [HeadingMeaning, RegExp][] = [
  ['number', /^(序号|编号|任务编号|序)$/],
  ['name', /^(名称|重点任务|任务名称|工作事项|事项名称|项目名称)$/],
  ['work', /^(工作任务|任务内容|具体内容|工作目标|目标任务|主要内容|工作内容|具体任务|任务目标)$/],
  ['lead', /^(牵头单位|牵头部门|牵头责任单位|主办单位)$/],
  ['responsible', /^(责任单位|责任部门)$/],
  ['cooperating', /^(主要配合单位|配合单位|协办单位|参与单位|配合部门|协同单位)$/],
  ['deadline', /^(完成时限|时间节点|完成时间|时限要求)$/],
  ['status', /^(进展状态|完成状态|推进状态|状态)$/],
  ['leader', /^(责任领导|牵头市领导|分管领导|责任市领导)$/],
  ['completion', /(完成情况|进展情况|工作进展|落实情况|推进情况)$/],
];

const CHAPTER_HEADING = /^([一二三四五六七八九十百]+)[、.．]\s*(.+)$/s;

export function normaliseCell(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t\u3000\u00a0]+$/gm, '').replace(/^[ \t\u3000\u00a0]+/gm, '').trim();
}

function headingMeaning(cell: string): HeadingMeaning | undefined {
  const compact = cell.replace(/\s+/g, '');
  return HEADING_SYNONYMS.find(([, pattern]) => pattern.test(compact))?.[0];
}

interface Header {
  index: number;
  positions: Partial<Record<ColumnKey, number>>;
  /** 责任单位 alone: its first unit leads, the others cooperate */
  responsibleSplits: boolean;
  extra: { heading: string; position: number }[];
  columns: SummaryColumns;
  signature: string;
}

function readHeader(cells: string[], index: number): Header | undefined {
  const meanings = cells.map((cell) => (cell === '' ? undefined : headingMeaning(cell)));
  const positions: Partial<Record<ColumnKey, number>> = {};
  const columns: SummaryColumns = { ...DEFAULT_COLUMNS };
  const extra: { heading: string; position: number }[] = [];
  const hasLead = meanings.includes('lead');
  const hasCooperating = meanings.includes('cooperating');
  let responsibleSplits = false;
  meanings.forEach((meaning, position) => {
    const heading = cells[position]!;
    let key: ColumnKey | undefined = meaning === 'responsible' ? (hasLead ? (hasCooperating ? undefined : 'cooperating') : 'lead') : meaning;
    if (meaning === 'responsible' && !hasLead && !hasCooperating) responsibleSplits = true;
    if (key !== undefined && positions[key] !== undefined) key = undefined;
    if (key !== undefined) {
      positions[key] = position;
      columns[key] = heading;
    } else if (heading !== '') {
      extra.push({ heading, position });
    }
  });
  if (positions.number === undefined || (positions.name === undefined && positions.work === undefined)) return undefined;
  if (positions.work === undefined) {
    // a table with one text column names it 重点任务 or 名称: the text is the work, the task has no short name
    positions.work = positions.name;
    columns.work = columns.name;
    delete positions.name;
  }
  for (const key of ['deadline', 'status', 'leader'] as const) if (positions[key] === undefined) delete columns[key];
  if (extra.length > 0) columns.extra = extra.map((column) => column.heading);
  if (responsibleSplits) columns.cooperating = '';
  return { index, positions, responsibleSplits, extra, columns, signature: headerSignature(cells) };
}

/** Headings compared without white space: a continuation may write 序 号 where the first table wrote 序号. */
function headerSignature(cells: string[]): string {
  return cells.map((cell) => cell.replace(/\s+/g, '')).join('\u0000');
}

function findHeader(rows: GridRow[]): Header | undefined {
  for (let index = 0; index < Math.min(rows.length, 30); index++) {
    const header = readHeader(rows[index]!.cells.map(normaliseCell), index);
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
export function interpretGrid(grid: TableGrid): InterpretedTable {
  const warnings: ImportWarning[] = [];
  const rows: RowInterpretation[] = [];
  const header = findHeader(grid.rows);
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
  const title = preamble.find((text) => /汇总表|完成情况|进展情况|任务|方案|清单|台账/.test(text)) ?? preamble[0] ?? '';
  const organisation =
    preamble
      .filter((text) => text !== title)
      .map((text) => text.replace(/^(填报单位|报送单位|责任单位)(（盖章）|\(盖章\))?[:：]\s*/, ''))
      .find((text) => text !== '' && !/^(日期|填报日期|报送日期)/.test(text) && !/^\d{4}年\d{1,2}月\d{1,2}日$/.test(text)) ?? '';

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
    if (chapterMatch) {
      table.chapters.push({ numeral: chapterMatch[1]!, title: normaliseCell(chapterMatch[2]!), tasks: [] });
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
    for (const key of ['deadline', 'status', 'leader'] as const) {
      if (header.positions[key] !== undefined) item[key] = at(cells, key);
    }
    if (header.extra.length > 0) {
      item.extra = Object.fromEntries(header.extra.map((column) => [column.heading, normaliseCell(cells[column.position] ?? '')]));
    }
    const number = at(cells, 'number');
    const name = at(cells, 'name');
    const chapter = table.chapters.at(-1);

    if (number !== '' || name !== '') {
      if (!chapter) {
        ignore(`任务“${number} ${truncate(name || item.work)}”出现在第一个章节行（如“一、……”）之前，已忽略。`);
        continue;
      }
      if (number === '') warnings.push({ ...where, column: 'number', message: `任务“${truncate(name)}”缺少序号。` });
      if (number !== '' && !/^\d+$/.test(number)) warnings.push({ ...where, column: 'number', message: `序号“${number}”不是数字。` });
      const sameTask = currentTask && currentTask.number === number && currentTask.name === name;
      if (!sameTask) {
        currentTask = { number, name, items: [] };
        chapter.tasks.push(currentTask);
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
      task: chapter!.tasks.length - 1,
      item: currentTask!.items.length - 1,
    });
    if (item.work === '') warnings.push({ ...where, column: 'work', message: `任务 ${currentTask!.number} 的一项缺少工作任务内容。` });
    if (item.lead === '') warnings.push({ ...where, column: 'lead', message: `任务 ${currentTask!.number} 的一项缺少牵头单位。` });
  }
  if (table.chapters.length === 0) {
    const headerRow = grid.rows[header.index]!;
    warnings.push({ line: headerRow.line, ...(headerRow.location ? { location: headerRow.location } : {}), message: '表格中没有章节行（如“一、……”）。' });
  }
  return { table, warnings, rows };
}

function truncate(text: string, length = 30): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
