import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { readCsvGrid } from '../documents/csv.js';
import { readSummaryDocument } from '../documents/index.js';
import { findOrganisationByName } from './catalogue.js';
import { createServiceContext } from './context.js';
import { importSummaryTable } from './import.js';
import { canonicalTable } from '../domain/summary-table.js';
import { buildOrganisationSummary, chineseDate, exportOrganisationSummary } from './summary.js';

const SAMPLE = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));

/**
 * The sample's cells as an independent reading: rows are separated by blank lines, cells are tab-led lines,
 * trimmed; the title and unit lines come before the table.
 */
function sampleRows(): string[][] {
  const rows: string[][] = [];
  let row: string[] | undefined;
  for (const line of SAMPLE.toString('utf8').split('\n')) {
    if (line.startsWith('\t')) {
      if (!row) rows.push((row = []));
      row.push(line.trim());
    } else row = undefined;
  }
  return rows.map((cells) => (cells.slice(1).every((cell) => cell === '') ? cells.slice(0, 1) : cells));
}

describeEachDatabase('the per-organisation summary table', (database) => {
  const ctx = () => createServiceContext(database().db, () => new Date('2022-12-31T04:00:00Z'));

  it('exports 市生态环境局’s 2022 table as CSV reproducing every cell of the sample in order', async () => {
    await importSummaryTable(ctx(), { id: 'test', source: 'test' }, { bytes: SAMPLE, fileName: 'sample.txt' });
    const organisation = await findOrganisationByName(ctx(), '市生态环境局');
    const file = await exportOrganisationSummary(ctx(), { organisationId: organisation.id, format: 'csv' });
    expect(file.fileName).toBe('市生态环境局-2022-全年-汇总表.csv');
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const exported = readCsvGrid(file.bytes).rows.map((row) => row.cells.map((cell) => cell.trim()));
    // The sample leaves 序号 and 名称 blank on a task's further items (merged cells in Word); the CSV repeats them
    // so that every row stands alone. Fill them in the expectation from the row above, and nothing else.
    const expected = sampleRows();
    let task: string[] = [];
    for (const cells of expected) {
      if (cells.length === 6 && cells[0] !== '') task = cells.slice(0, 2);
      else if (cells.length === 6) cells.splice(0, 2, ...task);
    }
    // a chapter is its heading and empty fields, as wide as every other record (RFC 4180)
    expect(exported).toEqual(expected.map((cells) => (cells.length === 1 ? [cells[0]!, '', '', '', '', ''] : cells)));
    expect(exported).toHaveLength(1 + 6 + 15);
  });

  it('round-trips through DOCX, XLSX and JSON with nothing lost', async () => {
    const original = (await readSummaryDocument(SAMPLE, 'sample.txt')).table;
    const organisation = await findOrganisationByName(ctx(), '生态环境局');
    for (const format of ['docx', 'xlsx', 'json'] as const) {
      const file = await exportOrganisationSummary(ctx(), { organisationId: organisation.id, format });
      const back = await readSummaryDocument(file.bytes, file.fileName);
      expect(back.table, format).toEqual(original);
      expect(back.warnings, format).toEqual([]);
    }
  });

  it('lists a cooperating unit’s items with empty completion texts when it has not reported', async () => {
    const organisation = await findOrganisationByName(ctx(), '市水务局');
    const summary = await buildOrganisationSummary(ctx(), { organisationId: organisation.id });
    const table = canonicalTable(summary.table);
    expect(table.organisation).toBe('市水务局');
    expect(table.chapters.flatMap((c) => c.tasks.map((t) => t.number))).toEqual(['27', '35', '36']);
    expect(table.chapters.flatMap((c) => c.tasks.flatMap((t) => t.items.map((i) => i.completion)))).toEqual(['', '', '', '']);
  });

  it('prints the unit’s 存在问题 and 下步打算 when it wrote them, and they read back as the report’s fields', async () => {
    const fileName = 'filing-seal.docx';
    const bytes = readFileSync(new URL(`../../test/fixtures/layouts/${fileName}`, import.meta.url));
    await importSummaryTable(ctx(), { id: 'test', source: 'test' }, { bytes, fileName });
    const input = (await readSummaryDocument(bytes, fileName)).table;
    const items = (table: typeof input) => table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items));
    const written = items(input).map((item) => [item.work, item.problems, item.nextSteps]);
    expect(written.some(([, problems, nextSteps]) => problems !== '' && nextSteps !== '')).toBe(true);
    const organisation = await findOrganisationByName(ctx(), input.organisation);
    for (const format of ['docx', 'xlsx', 'csv', 'json'] as const) {
      // the fixture is the unit's first-quarter table
      const file = await exportOrganisationSummary(ctx(), { organisationId: organisation.id, periodCode: '2031-Q1', format });
      const back = (await readSummaryDocument(file.bytes, file.fileName)).table;
      expect(back.columns, format).toMatchObject({ problems: '存在问题', nextSteps: '下步打算' });
      expect(
        items(back).map((item) => [item.work, item.problems, item.nextSteps]),
        format,
      ).toEqual(written);
    }
  });

  it('answers a clear error for a period the plan does not have', async () => {
    const organisation = await findOrganisationByName(ctx(), '市生态环境局');
    await expect(buildOrganisationSummary(ctx(), { organisationId: organisation.id, periodCode: '2022-H1' })).rejects.toMatchObject({
      status: 404,
      code: 'period_not_found',
    });
  });
});

it('writes dates in Asia/Shanghai', () => {
  expect(chineseDate(new Date('2022-12-31T17:00:00Z'))).toBe('2023年1月1日');
});
