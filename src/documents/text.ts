import type { GridRow, TableGrid } from './grid.js';
import { decodeText } from './encoding.js';
import { cellTooLong, formatCount, resolveReaderLimits, tooManyRows, type ReaderLimits } from './limits.js';

/**
 * Reads the text form of a Word table, as produced by copying a table out of Word: lines before the first
 * tab-indented line are the title and unit; every cell is a line starting with a tab; rows are separated by blank
 * lines. A cell that runs on over several lines keeps its line breaks.
 *
 * `maxRows` caps the lines of the file (a text file has no rows before it is read), `maxCellChars` a cell or a
 * preamble line.
 */
export function readTextGrid(bytes: Uint8Array, limits: Partial<ReaderLimits> = {}): TableGrid {
  const caps = resolveReaderLimits(limits);
  const { text } = decodeText(bytes);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // a final line break does not start another line
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > caps.maxRows) {
    throw tooManyRows(caps.maxRows, '文本文件的行数', `第 ${formatCount(caps.maxRows + 1)} 行`);
  }
  const grid: TableGrid = { preamble: [], rows: [] };
  let row: GridRow | undefined;
  let inTable = false;
  const checkLength = (cellText: string, lineNumber: number) => {
    if (cellText.length > caps.maxCellChars)
      throw cellTooLong(cellText.length, caps.maxCellChars, `第 ${formatCount(lineNumber)} 行所在的单元格`);
  };

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.startsWith('\t')) {
      inTable = true;
      if (!row) {
        row = { cells: [], line: lineNumber };
        grid.rows.push(row);
      }
      row.cells.push(line.slice(1));
      checkLength(line.slice(1), lineNumber);
    } else if (line.trim() === '') {
      row = undefined;
    } else if (!inTable) {
      checkLength(line, lineNumber);
      grid.preamble.push({ text: line, line: lineNumber });
    } else if (row && row.cells.length > 0) {
      // a line break inside a cell: the continuation has no leading tab
      const last = row.cells.length - 1;
      row.cells[last] += `\n${line}`;
      checkLength(row.cells[last]!, lineNumber);
    } else {
      checkLength(line, lineNumber);
      row = { cells: [line], line: lineNumber };
      grid.rows.push(row);
    }
  });
  return grid;
}
