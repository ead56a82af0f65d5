import type { GridRow, TableGrid } from './grid.js';
import { decodeText } from './encoding.js';

/**
 * Reads the text form of a Word table, as produced by copying a table out of Word: lines before the first
 * tab-indented line are the title and unit; every cell is a line starting with a tab; rows are separated by blank
 * lines. A cell that runs on over several lines keeps its line breaks.
 */
export function readTextGrid(bytes: Uint8Array): TableGrid {
  const { text } = decodeText(bytes);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const grid: TableGrid = { preamble: [], rows: [] };
  let row: GridRow | undefined;
  let inTable = false;

  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line.startsWith('\t')) {
      inTable = true;
      if (!row) {
        row = { cells: [], line: lineNumber };
        grid.rows.push(row);
      }
      row.cells.push(line.slice(1));
    } else if (line.trim() === '') {
      row = undefined;
    } else if (!inTable) {
      grid.preamble.push({ text: line, line: lineNumber });
    } else if (row && row.cells.length > 0) {
      // a line break inside a cell: the continuation has no leading tab
      row.cells[row.cells.length - 1] += `\n${line}`;
    } else {
      row = { cells: [line], line: lineNumber };
      grid.rows.push(row);
    }
  });
  return grid;
}
