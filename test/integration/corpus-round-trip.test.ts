import { describe, expect, it } from 'vitest';
import { readSummaryDocument } from '../../src/documents/index.js';
import type { SummaryTable } from '../../src/domain/summary-table.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { exportCitySummary } from '../../src/services/city-summary.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { exportOrganisationSummary } from '../../src/services/summary.js';
import { CORPUS_LAYOUTS, fixtureBytes, LAYOUT_FIXTURES, readGolden } from '../fixtures/layouts/fixtures.js';
import { createTestDatabase, TEST_DIALECTS } from '../helpers/database.js';

// Every corpus file (see make-corpus.ts), imported and exported again: the filing unit's summary table (or, for a
// city-wide 分工方案, the city-wide one) in every format reads back as the plan the file states. The exports print
// the six standard columns and the unit's 存在问题 / 下步打算, so the comparison is of chapters, tasks and items: 序号,
// 名称, work, units as written, and the unit's progress, problems and next steps.

const actor = { id: 'test', source: 'test' };
const CORPUS = LAYOUT_FIXTURES.filter((fixture) => CORPUS_LAYOUTS.includes(fixture.layout));
const FORMATS = ['docx', 'xlsx', 'csv', 'json'] as const;

type Content = Pick<SummaryTable, 'chapters'>['chapters'];
function content(chapters: Content, withCompletion: boolean) {
  return chapters.map((chapter) => ({
    numeral: chapter.numeral,
    title: chapter.title,
    tasks: chapter.tasks.map((task) => ({
      number: task.number,
      name: task.name,
      items: task.items.map((item) => ({
        work: item.work,
        lead: item.lead,
        cooperating: item.cooperating,
        // the unit's own texts: progress, and 存在问题 / 下步打算 where it wrote them
        ...(withCompletion ? { completion: item.completion, problems: item.problems ?? '', nextSteps: item.nextSteps ?? '' } : {}),
      })),
    })),
  }));
}

describe.each(TEST_DIALECTS)('the corpus, imported and exported again [%s]', (dialect) => {
  it('covers every corpus layout', () => {
    expect(new Set(CORPUS.map((fixture) => fixture.layout))).toEqual(new Set(CORPUS_LAYOUTS));
    expect(CORPUS.length).toBeGreaterThanOrEqual(15);
  });

  for (const fixture of CORPUS) {
    it(`${fixture.file}: the export of the imported plan reads back as the file’s plan, in Word, Excel, CSV and JSON`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        await importSummaryTable(ctx, actor, { bytes: fixtureBytes(fixture.file), fileName: fixture.file, ...fixture.request });
        const golden = readGolden(fixture.file);
        const unit = golden.organisation;
        const [plan] = await listPlanSummaries(ctx);
        for (const format of FORMATS) {
          const exported =
            unit === ''
              ? await exportCitySummary(ctx, { planId: plan!.id, periodCode: golden.period.code, format })
              : await exportOrganisationSummary(ctx, {
                  organisationId: (await findOrganisationByName(ctx, unit)).id,
                  periodCode: golden.period.code,
                  format,
                });
          const back = await readSummaryDocument(exported.bytes, `export.${format}`);
          // a city-wide table prints each lead unit's consolidated report, of which a 分工方案 has none
          expect(content(back.table.chapters, unit !== ''), `${format} export`).toEqual(content(golden.table.chapters, unit !== ''));
          if (format !== 'csv' && unit !== '') expect(back.table.organisation, format).toBe(unit);
        }
      } finally {
        await database.destroy();
      }
    });
  }
});
