import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { unaccountedCells, unaccountedLines } from '../../src/documents/accounting.js';
import { interpretDecomposition, looksLikeDecomposition } from '../../src/documents/decomposition.js';
import { interpretGrid } from '../../src/documents/grid.js';
import { detectFormat, readDocumentGrid, readSummaryDocument, type ImportFormat } from '../../src/documents/index.js';

/**
 * Nothing is lost without a word: for every file the importer accepts among the fixtures and the demo sample (the
 * folders are listed, not the files, so a fixture added later is covered too), every non-empty cell or paragraph of
 * the source is in the table, the title or filing lines, or in a warning naming its row and column. The check is
 * unaccountedCells / unaccountedLines, which recompute that from the grid and the reading.
 */

const ROOT = new URL('../../', import.meta.url);
const FOLDERS = ['test/fixtures', 'demo'];
/** generators, golden files and notes are no input files */
const NOT_INPUT = /(\.ts|\.expected\.json|\.md)$/;

function filesUnder(folder: string): string[] {
  const path = new URL(`${folder}/`, ROOT);
  return readdirSync(path).flatMap((name) => {
    const relative = `${folder}/${name}`;
    if (statSync(new URL(name, path)).isDirectory()) return filesUnder(relative);
    return NOT_INPUT.test(name) ? [] : [relative];
  });
}

const FILES = FOLDERS.flatMap(filesUnder).sort();

describe('no cell of a source file is lost without a word', () => {
  it('finds the fixtures', () => {
    expect(FILES.length).toBeGreaterThan(20);
  });

  for (const file of FILES) {
    it(file, async () => {
      const bytes = readFileSync(new URL(file, ROOT));
      const name = file.split('/').at(-1)!;
      let format: ImportFormat;
      try {
        format = detectFormat(bytes, name);
        // what the importer itself does with the file: a refused one (hostile, not a table) has nothing to account for
        await readSummaryDocument(bytes, name, format);
      } catch (error) {
        if (error instanceof AppError) return;
        throw error;
      }
      if (format === 'json') return;
      const grid = await readDocumentGrid(bytes, format);
      if (grid.rows.length === 0 && looksLikeDecomposition(grid.preamble)) {
        expect(unaccountedLines(grid.preamble, interpretDecomposition(grid.preamble))).toEqual([]);
      } else {
        expect(unaccountedCells(grid, interpretGrid(grid))).toEqual([]);
      }
    });
  }
});
