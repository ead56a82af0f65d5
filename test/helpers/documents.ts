import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { interpretGrid } from '../../src/documents/grid.js';
import { readTextGrid } from '../../src/documents/text.js';
import { AppError } from '../../src/domain/errors.js';
import type { SummaryTable } from '../../src/domain/summary-table.js';
import { buildSummaryTable } from '../factories/summary-table.js';

export const SAMPLE_BYTES = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));

/** The real sample table (demo/), read through the text reader. */
export const sampleTable = (): SummaryTable => interpretGrid(readTextGrid(SAMPLE_BYTES)).table;

function checkBadInput(error: unknown, code: string): AppError {
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 400, code });
  expect((error as AppError).message).toMatch(/[\u4e00-\u9fff]/);
  return error as AppError;
}

/** A rejected promise with a 400 AppError of this code and a Chinese message. */
export async function expectBadInput(promise: Promise<unknown>, code: string): Promise<AppError> {
  return checkBadInput(await promise.then(() => undefined, (caught: unknown) => caught), code);
}

/** The same for a synchronous reader. */
export function expectBadInputNow(read: () => unknown, code: string): AppError {
  try {
    read();
  } catch (caught) {
    return checkBadInput(caught, code);
  }
  return checkBadInput(undefined, code);
}

type RoundTrip = (table: SummaryTable, date?: string) => Promise<{ table: SummaryTable; warnings: unknown[] }>;

/** The round-trip cases every document format must pass: the factory table and the real sample. */
export function itRoundTripsTables(roundTrip: RoundTrip): void {
  it('gives back the factory table, with and without a date', async () => {
    const table = buildSummaryTable();
    const back = await roundTrip(table);
    expect(back.table).toEqual(table);
    expect(back.warnings).toEqual([]);
    expect((await roundTrip(table, '2030年12月31日')).table).toEqual(table);
  });

  it('gives back the real sample table (6 chapters, 10 tasks, 15 items)', async () => {
    const table = sampleTable();
    const back = await roundTrip(table, '2022年12月31日');
    expect(back.warnings).toEqual([]);
    expect(back.table).toEqual(table);
  });
}
