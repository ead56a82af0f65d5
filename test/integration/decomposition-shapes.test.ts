import { describe, expect, it } from 'vitest';
import { getPlanTree } from '../../src/services/catalogue.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { SHAPE_FIXTURES, type ShapeFixture } from '../fixtures/layouts/decomposition-shapes.js';
import { fixtureBytes } from '../fixtures/layouts/fixtures.js';
import { createTestDatabase, TEST_DIALECTS } from '../helpers/database.js';

// The three numbering shapes of a 责任分工方案, in UTF-8 text, GB18030 text and Word paragraphs; see
// test/fixtures/layouts/decomposition-shapes.ts for what each holds and make-decomposition-shapes.ts for the files.

const actor = { id: 'test', source: 'test' };

/** The golden chapters as the reader writes them: unit lists as written, joined with 、. */
const asTable = (fixture: ShapeFixture) =>
  fixture.chapters.map((chapter) => ({
    numeral: chapter.numeral,
    title: chapter.title,
    tasks: chapter.tasks.map((task) => ({
      number: task.number,
      name: task.name,
      items: task.items.map((item) => ({ work: item.work, lead: item.leads.join('、'), cooperating: item.cooperating.join('、') })),
    })),
  }));

// each fixture on a database of its own: all three are plans of 2031 and would otherwise meet in one plan
describe.each(TEST_DIALECTS)('decomposition paragraphs in the three numbering shapes [%s]', (dialect) => {
  for (const fixture of SHAPE_FIXTURES) {
    it(`${fixture.file} (shape ${fixture.shape}): every item, its leads and cooperating units, stored as read`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        const request = { bytes: fixtureBytes(fixture.file), fileName: fixture.file };

        const preview = await importSummaryTable(ctx, actor, { ...request, dryRun: true });
        expect(preview.layout).toBe('decomposition');
        expect(preview.title).toBe(fixture.title);
        expect(preview.year).toBe(2031);
        expect(preview.warnings).toEqual(fixture.warnings);
        expect(
          preview.table.chapters.map((chapter) => ({
            ...chapter,
            tasks: chapter.tasks.map((task) => ({
              ...task,
              items: task.items.map(({ work, lead, cooperating }) => ({ work, lead, cooperating })),
            })),
          })),
        ).toEqual(asTable(fixture));

        const imported = await importSummaryTable(ctx, actor, request);
        const tree = await getPlanTree(ctx, imported.planId!);
        expect(
          tree.chapters.map((chapter) => ({
            numeral: chapter.numeral,
            title: chapter.title,
            tasks: chapter.tasks.map((task) => ({
              number: task.number,
              name: task.name,
              items: task.items.map((item) => ({
                work: item.work,
                leads: item.lead.map((unit) => unit.name),
                cooperating: item.cooperating.map((unit) => unit.name),
              })),
            })),
          })),
        ).toEqual(fixture.chapters);
      } finally {
        await database.destroy();
      }
    });
  }
});
