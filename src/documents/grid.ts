import { badInput } from '../domain/errors.js';
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
}

export interface InterpretedTable {
  table: SummaryTable;
  warnings: ImportWarning[];
}

type ColumnKey = keyof SummaryColumns;

/** Heading words by meaning. Longer synonyms first so that 主要配合单位 is not taken for a shorter word. */
const HEADING_SYNONYMS: Record<ColumnKey, RegExp> = {
  number: /^(序号|编号)$/,
  name: /^(名称|重点任务|任务名称|工作事项)$/,
  work: /^(工作任务|任务内容|具体内容|工作目标|目标任务|主要内容)$/,
  lead: /^(牵头单位|牵头部门|责任单位)$/,
  cooperating: /^(主要配合单位|配合单位|协办单位|参与单位)$/,
  completion: /(完成情况|进展情况|工作进展|落实情况)$/,
};

const CHAPTER_HEADING = /^([一二三四五六七八九十百]+)[、.．]\s*(.+)$/s;

export function normaliseCell(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t\u3000\u00a0]+$/gm, '').replace(/^[ \t\u3000\u00a0]+/gm, '').trim();
}

function headingKey(cell: string): ColumnKey | undefined {
  const compact = cell.replace(/\s+/g, '');
  for (const key of Object.keys(HEADING_SYNONYMS) as ColumnKey[]) {
    if (HEADING_SYNONYMS[key].test(compact)) return key;
  }
  return undefined;
}

function findHeader(rows: GridRow[]): { index: number; positions: Partial<Record<ColumnKey, number>>; columns: SummaryColumns } | undefined {
  for (let index = 0; index < Math.min(rows.length, 20); index++) {
    const cells = rows[index]!.cells.map(normaliseCell);
    const positions: Partial<Record<ColumnKey, number>> = {};
    const columns: SummaryColumns = { ...DEFAULT_COLUMNS };
    cells.forEach((cell, position) => {
      const key = headingKey(cell);
      if (key && positions[key] === undefined) {
        positions[key] = position;
        columns[key] = cell;
      }
    });
    if (positions.number !== undefined && positions.name !== undefined && positions.work !== undefined) {
      return { index, positions, columns };
    }
  }
  return undefined;
}

/**
 * Turns a grid into chapters, tasks and items. Rows that fit no pattern are not guessed at: they are reported as
 * warnings with their line, and the rest of the table is still read.
 */
export function interpretGrid(grid: TableGrid): InterpretedTable {
  const warnings: ImportWarning[] = [];
  const header = findHeader(grid.rows);
  if (!header) {
    throw badInput(
      'table_header_missing',
      '未找到表头：表格中没有同时包含“序号”“名称”“工作任务”的行，无法识别为工作任务汇总表。',
    );
  }
  const preamble = [
    ...grid.preamble.map((line) => normaliseCell(line.text)),
    ...grid.rows.slice(0, header.index).flatMap((row) => row.cells.map(normaliseCell)),
  ].filter((text) => text !== '');
  const title = preamble.find((text) => /汇总表|完成情况|进展情况|任务/.test(text)) ?? preamble[0] ?? '';
  const organisation = preamble
    .filter((text) => text !== title)
    .map((text) => text.replace(/^(填报单位|报送单位|责任单位)(（盖章）|\(盖章\))?[:：]\s*/, ''))
    .find((text) => text !== '' && !/^(日期|填报日期|报送日期)/.test(text)) ?? '';

  const table: SummaryTable = { title, organisation, columns: header.columns, chapters: [] };
  const at = (cells: string[], key: ColumnKey) => {
    const position = header.positions[key];
    return position === undefined ? '' : normaliseCell(cells[position] ?? '');
  };

  let currentTask: SummaryTask | undefined;
  for (const row of grid.rows.slice(header.index + 1)) {
    const cells = row.cells.map(normaliseCell);
    const filled = cells.filter((cell) => cell !== '');
    if (filled.length === 0) continue;

    const chapterMatch = filled.length === 1 || new Set(filled).size === 1 ? CHAPTER_HEADING.exec(filled[0]!) : null;
    if (chapterMatch) {
      table.chapters.push({ numeral: chapterMatch[1]!, title: normaliseCell(chapterMatch[2]!), tasks: [] });
      currentTask = undefined;
      continue;
    }
    if (new Set(filled).size === 1 && headingKey(filled[0]!) === undefined && filled.length > 1) {
      // a merged row whose text is repeated in every cell (some sheet writers do this) but is not a chapter
      warnings.push({ line: row.line, message: `无法识别的整行文字，已忽略：“${truncate(filled[0]!)}”` });
      continue;
    }

    const item: SummaryItem = {
      work: at(cells, 'work'),
      lead: at(cells, 'lead'),
      cooperating: at(cells, 'cooperating'),
      completion: at(cells, 'completion'),
    };
    const number = at(cells, 'number');
    const name = at(cells, 'name');
    const chapter = table.chapters.at(-1);

    if (number !== '' || name !== '') {
      if (!chapter) {
        warnings.push({ line: row.line, message: `任务“${number} ${truncate(name)}”出现在第一个章节行（如“一、……”）之前，已忽略。` });
        continue;
      }
      if (number === '') warnings.push({ line: row.line, message: `任务“${truncate(name)}”缺少序号。` });
      if (number !== '' && !/^\d+$/.test(number)) warnings.push({ line: row.line, message: `序号“${number}”不是数字。` });
      const sameTask = currentTask && currentTask.number === number && currentTask.name === name;
      if (!sameTask) {
        currentTask = { number, name, items: [] };
        chapter.tasks.push(currentTask);
      }
      currentTask!.items.push(item);
    } else if (currentTask) {
      currentTask.items.push(item);
    } else {
      warnings.push({ line: row.line, message: `此行没有序号和名称，且上方没有可归属的任务，已忽略：“${truncate(item.work)}”` });
      continue;
    }
    if (item.work === '') warnings.push({ line: row.line, message: `任务 ${currentTask!.number} 的一项缺少工作任务内容。` });
    if (item.lead === '') warnings.push({ line: row.line, message: `任务 ${currentTask!.number} 的一项缺少牵头单位。` });
  }
  if (table.chapters.length === 0) warnings.push({ line: grid.rows[header.index]!.line, message: '表格中没有章节行（如“一、……”）。' });
  return { table, warnings };
}

function truncate(text: string, length = 30): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
