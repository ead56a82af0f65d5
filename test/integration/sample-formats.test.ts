import { describe, expect, it } from 'vitest';
import { readSummaryDocument, writeSummaryDocument } from '../../src/documents/index.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { createTestDatabase, TEST_DIALECTS } from '../helpers/database.js';
import { CITY_COLUMNS, SAMPLE_BYTES, withOptionalColumns } from '../helpers/documents.js';
import { storedPlan } from '../helpers/plans.js';

describe.each(TEST_DIALECTS)('the sample as text, Word and Excel [%s]', (dialect) => {
  it('gives identical plans', async () => {
    const { table } = await readSummaryDocument(SAMPLE_BYTES, 'sample.txt');
    const files = [
      { name: 'sample.txt', bytes: SAMPLE_BYTES },
      { name: 'sample.docx', bytes: await writeSummaryDocument(table, 'docx', { date: '2022年12月31日' }) },
      { name: 'sample.xlsx', bytes: await writeSummaryDocument(table, 'xlsx', { date: '2022年12月31日' }) },
    ];
    const plans = [];
    for (const file of files) {
      const database = await createTestDatabase(dialect);
      try {
        const summary = await importSummaryTable(
          createServiceContext(database.db),
          { id: 'test', source: 'test' },
          { bytes: file.bytes, fileName: file.name },
        );
        expect(summary.warnings, file.name).toEqual([]);
        plans.push(await storedPlan(database.db));
      } finally {
        await database.destroy();
      }
    }
    expect(plans[0]!.tree.plan.counts).toEqual({ chapters: 6, tasks: 10, items: 15 });
    expect(plans[0]!.reports).toHaveLength(15);
    expect(plans[1]).toEqual(plans[0]);
    expect(plans[2]).toEqual(plans[0]);
  });
});

describe('the sample with the city-wide columns (完成状态, 预警)', () => {
  it('reads back the same table from Word, Excel, CSV and JSON', async () => {
    const { table: sample } = await readSummaryDocument(SAMPLE_BYTES, 'sample.txt');
    const table = withOptionalColumns({ ...sample, organisation: '' }, CITY_COLUMNS);
    for (const format of ['docx', 'xlsx', 'csv', 'json'] as const) {
      const back = await readSummaryDocument(await writeSummaryDocument(table, format, { date: '2022年12月31日' }), `city.${format}`);
      expect(back.warnings, format).toEqual([]);
      expect(back.table, format).toEqual(format === 'csv' ? { ...table, title: '' } : table);
    }
  });
});
