import type { ImportWarning, SummaryTable } from '../domain/summary-table.js';
import { ATTACHMENT_LABEL } from './decomposition.js';
import {
  CONTINUED_MARK,
  filingRowText,
  isColumnNumberRow,
  normaliseCell,
  readFilingLine,
  type GridLine,
  type InterpretedTable,
  type RowInterpretation,
  type TableGrid,
} from './grid.js';

/**
 * The import's promise that nothing is lost without a word: every non-empty cell (or paragraph) of the source ends
 * up in a read column of an imported row, in the title or the filing lines, or in a warning that names its row (and
 * column). These functions check that from the outside: they look at the source and at what the reading returned
 * (what each row became, how each column was read, the warnings' lines and columns, the table's texts) and list what
 * nothing accounts for. They recompute rather than trust any flag of the interpreter, so that a test over every
 * fixture fails when a reader starts dropping text.
 */

export interface UnaccountedCell {
  line: number;
  /** 0-based column in the grid; -1 for a paragraph above the table */
  position: number;
  text: string;
  location?: string;
}

const compact = (text: string) => text.replace(/\s+/g, '');
const sameWhere = (a: { line: number; location?: string }, b: { line: number; location?: string }) =>
  a.line === b.line && (a.location ?? '') === (b.location ?? '');

/** A warning quotes the text it is about: its first characters, before any … of truncation. */
function quotes(warning: ImportWarning, text: string): boolean {
  return compact(warning.message).includes(compact(text).slice(0, 8));
}

export function unaccountedCells(grid: TableGrid, read: InterpretedTable): UnaccountedCell[] {
  const missing: UnaccountedCell[] = [];
  const headerRows = read.rows.filter((row) => row.kind === 'header');
  const firstHeader = headerRows[0];
  const headerIndex = firstHeader ? grid.rows.findIndex((row) => sameWhere(row, firstHeader)) : -1;
  const byWhere = (row: { line: number; location?: string }) => read.rows.find((candidate) => sameWhere(candidate, row));
  const warningsAt = (row: { line: number; location?: string }) => read.warnings.filter((warning) => sameWhere(warning, row));

  // above the table: the title, a filing line, the unit, or a warning quoting the text
  const aboveAccounted = (text: string, warnings: ImportWarning[]) =>
    text === read.table.title ||
    text === read.table.organisation ||
    readFilingLine(text) !== undefined ||
    warnings.some((warning) => quotes(warning, text));
  for (const line of grid.preamble) {
    const text = normaliseCell(line.text);
    if (text === '') continue;
    const warnings = read.warnings.filter((warning) => warning.line === line.line && warning.column === undefined);
    if (!aboveAccounted(text, warnings)) missing.push({ line: line.line, position: -1, text });
  }

  for (const line of grid.outside ?? []) {
    const text = normaliseCell(line.text);
    if (text === '' || CONTINUED_MARK.test(text)) continue;
    if (!read.warnings.some((warning) => sameWhere(warning, line) && quotes(warning, text))) {
      missing.push({ line: line.line, position: -1, text, ...(line.location ? { location: line.location } : {}) });
    }
  }

  for (const sheet of grid.sheetsNotRead ?? []) {
    if (!read.warnings.some((warning) => warning.location === `工作表“${sheet.name}”`)) {
      missing.push({ line: 1, position: -1, text: `工作表“${sheet.name}”的 ${sheet.filled} 个单元格`, location: `工作表“${sheet.name}”` });
    }
  }

  const headerTexts = new Set(read.columns.flatMap((column) => column.heading.split('／')).map(compact));
  const headerSignatures = headerRows.map((row) => {
    const source = grid.rows.find((candidate) => sameWhere(candidate, row));
    return source ? source.cells.map((cell) => compact(cell)).join('\u0000') : '';
  });
  const readings = new Map(read.columns.map((column) => [column.position, column]));
  const columnWarned = (warnings: ImportWarning[], position: number) =>
    warnings.some(
      (warning) =>
        warning.column === `第${position + 1}列` || (warning.column !== undefined && warning.column === readings.get(position)?.heading),
    );

  grid.rows.forEach((row, index) => {
    const cells = row.cells.map(normaliseCell);
    const here = (position: number) => ({
      line: row.line,
      position,
      text: cells[position]!,
      ...(row.location ? { location: row.location } : {}),
    });
    const warnings = warningsAt(row);
    if (headerIndex < 0 || index < headerIndex) {
      // a filing row whose labels and values stand in cells of their own is read as one line
      if (filingRowText(row.cells) !== undefined && read.filing !== undefined) return;
      cells.forEach((text, position) => {
        if (
          text !== '' &&
          !aboveAccounted(
            text,
            warnings.filter((warning) => warning.column === `第${position + 1}列`),
          )
        )
          missing.push(here(position));
      });
      return;
    }
    const interpretation: RowInterpretation | undefined = byWhere(row);
    cells.forEach((text, position) => {
      if (text === '') return;
      if (!interpretation) {
        missing.push(here(position));
        return;
      }
      switch (interpretation.kind) {
        case 'header':
          // a heading is read when a column's reading names it (a group heading names every column under it)
          if (!headerTexts.has(compact(text)) && !columnWarned(warnings, position)) missing.push(here(position));
          return;
        case 'chapter': {
          const chapter = read.table.chapters[interpretation.chapter ?? -1];
          const inChapter = chapter && (compact(text).includes(compact(chapter.title)) || compact(text).includes(chapter.numeral));
          if (!inChapter && !columnWarned(warnings, position)) missing.push(here(position));
          return;
        }
        case 'ignored':
          // a row that repeats the header, or one the reader says it ignored (a row-level warning names the whole row)
          if (headerSignatures.includes(cells.map(compact).join('\u0000')) || isColumnNumberRow(cells) || warnings.length > 0) return;
          missing.push(here(position));
          return;
        case 'task':
        case 'item': {
          const reading = readings.get(position);
          const kept = reading !== undefined && (reading.meaning !== 'ignore' || reading.source === 'chosen');
          if (!kept && !columnWarned(warnings, position)) missing.push(here(position));
          return;
        }
      }
    });
  });
  return missing;
}

/**
 * The same for a 责任分工方案 read as paragraphs: every non-empty paragraph is a chapter, task or item row, a row the
 * reader says it ignored with a warning at its line, the title, or text of the table (a paragraph continuing the
 * one above it stands in that task's or item's work, a responsibility line in its units).
 */
export function unaccountedLines(lines: GridLine[], read: Omit<InterpretedTable, 'columns' | 'headerSignature'>): UnaccountedCell[] {
  const table: SummaryTable = read.table;
  const texts = [
    table.title,
    ...table.chapters.flatMap((chapter) => [
      chapter.title,
      ...chapter.tasks.flatMap((task) => [task.name, ...task.items.flatMap((item) => [item.work, item.lead, item.cooperating])]),
    ]),
  ].map(compact);
  const units = new Set(
    table.chapters.flatMap((chapter) =>
      chapter.tasks.flatMap((task) =>
        task.items.flatMap((item) => [item.lead, item.cooperating].flatMap((list) => list.split(/[、，,]/).map(compact))),
      ),
    ),
  );
  units.delete('');
  const missing: UnaccountedCell[] = [];
  for (const { text: raw, line } of lines) {
    const text = compact(raw);
    if (text === '') continue;
    const row = read.rows.find((candidate) => candidate.line === line);
    if (row && row.kind !== 'ignored') continue;
    if (read.warnings.some((warning) => warning.line === line)) continue;
    // the label 附件1 over the title is the document's, not its content
    if (!row && ATTACHMENT_LABEL.test(text)) continue;
    // a section heading （一）扩大有效投资 stands in its tasks' names without its numeral
    const body = text.replace(/^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])/, '');
    if (!row && body !== '' && texts.some((known) => known !== '' && known.includes(body))) continue;
    // a responsibility line (牵头单位：X；配合单位：Y) is accounted when the units it names stand in the table
    const named = [...units].filter((unit) => text.includes(unit));
    if (!row && named.length > 0 && /单位|部门|牵头|配合|负责|参与/.test(text)) continue;
    missing.push({ line, position: -1, text: raw.trim() });
  }
  return missing;
}
