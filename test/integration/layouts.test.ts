import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/schema.js';
import { otherBracketWidth, splitOrganisationList } from '../../src/domain/organisations.js';
import { readSummaryDocument, writeSummaryDocument } from '../../src/documents/index.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext, type ServiceContext } from '../../src/services/context.js';
import { importSummaryTable, type ImportRequest } from '../../src/services/import.js';
import { exportOrganisationSummary } from '../../src/services/summary.js';
import { fixtureBytes, goldenOf, LAYOUT_FIXTURES, readGolden, type LayoutFixture } from '../fixtures/layouts/fixtures.js';
import { storedPlan } from '../helpers/plans.js';
import { createTestDatabase, TEST_DIALECTS } from '../helpers/database.js';

// The fixtures and their golden files are made by test/fixtures/layouts/make.ts; see fixtures.ts for what each covers.

const actor = { id: 'test', source: 'test' };
const NO_CHANGES = { plans: 0, organisations: 0, aliases: 0, chapters: 0, tasks: 0, items: 0, reports: 0, revisedReports: 0 };
const COUNTED_TABLES = [
  'plans',
  'organisations',
  'organisation_aliases',
  'chapters',
  'tasks',
  'items',
  'item_organisations',
  'periods',
  'reports',
  'report_versions',
  'imports',
  'audit_events',
] as const;

const requestOf = (fixture: Pick<LayoutFixture, 'file' | 'request'>): ImportRequest => ({
  bytes: fixtureBytes(fixture.file),
  fileName: fixture.file,
  ...fixture.request,
});

const fixtureNamed = (file: string) => LAYOUT_FIXTURES.find((fixture) => fixture.file === file)!;

async function importBefore(ctx: ServiceContext, fixture: LayoutFixture): Promise<void> {
  for (const earlier of fixture.before ?? []) await importSummaryTable(ctx, actor, requestOf(fixtureNamed(earlier)));
}

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    counts[table] = Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }
  return counts;
}

type Tree = Awaited<ReturnType<typeof getPlanTree>>;

/** The tree in the golden table's terms: units joined as the fixtures write them (every list uses 、). */
function treeAsTable(tree: Tree) {
  return tree.chapters.map((chapter) => ({
    numeral: chapter.numeral,
    title: chapter.title,
    tasks: chapter.tasks.map((task) => ({
      number: task.number,
      name: task.name,
      items: task.items.map((item) => ({
        work: item.work,
        lead: item.lead.map((unit) => unit.name).join('、'),
        cooperating: item.cooperating.map((unit) => unit.name).join('、'),
      })),
    })),
  }));
}

function goldenAsTree(golden: ReturnType<typeof readGolden>) {
  // a name typed with brackets of the other width than the unit's (各县(市、区)人民政府) is stored as that unit
  const units = new Set(golden.organisations);
  const asStored = (list: string) =>
    splitOrganisationList(list)
      .map((name) =>
        units.has(name) ? name : ([otherBracketWidth(name)].find((other) => other !== undefined && units.has(other)) ?? name),
      )
      .join('、');
  return golden.table.chapters.map((chapter) => ({
    numeral: chapter.numeral,
    title: chapter.title,
    tasks: chapter.tasks.map((task) => ({
      number: task.number,
      name: task.name,
      items: task.items.map((item) => ({
        work: item.work,
        // 责任单位 lists written with ，: the stored links are what the import resolved, always listed with 、
        lead: asStored(item.lead.replace(/，/g, '、')),
        cooperating: asStored(item.cooperating.replace(/，/g, '、')),
      })),
    })),
  }));
}

async function storedReports(db: Db) {
  const rows = await db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
    .innerJoin('items', 'items.id', 'reports.item_id')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select(['organisations.name', 'items.work', 'periods.code', 'reports.text', 'reports.problems', 'reports.next_steps'])
    .execute();
  return rows.map((row) => ({ ...row })).sort((a, b) => a.work.localeCompare(b.work) || a.text.localeCompare(b.text));
}

/** What the golden table says the filing unit reports: every item with a progress, problems or next-steps text. */
function goldenReports(golden: ReturnType<typeof readGolden>) {
  if (golden.organisation === '') return [];
  return golden.table.chapters
    .flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))
    .filter((item) => item.completion !== '' || (item.problems ?? '') !== '' || (item.nextSteps ?? '') !== '')
    .map((item) => ({
      name: golden.organisation,
      work: item.work,
      code: golden.period.code,
      text: item.completion,
      problems: item.problems ?? '',
      next_steps: item.nextSteps ?? '',
    }))
    .sort((a, b) => a.work.localeCompare(b.work) || a.text.localeCompare(b.text));
}

describe.each(TEST_DIALECTS)('layout fixtures [%s]', (dialect) => {
  for (const fixture of LAYOUT_FIXTURES) {
    it(`${fixture.file}: the dry run gives the golden result, the import writes just that, and a second import nothing`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        await importBefore(ctx, fixture);
        const before = await rowCounts(database.db);
        const plansBefore = await listPlanSummaries(ctx);

        const preview = await importSummaryTable(ctx, actor, { ...requestOf(fixture), dryRun: true });
        const golden = readGolden(fixture.file);
        expect(goldenOf(preview)).toEqual(golden);
        expect(await rowCounts(database.db), 'a dry run writes nothing').toEqual(before);
        expect(preview.planId).toBe(plansBefore[0]?.id ?? null);

        const imported = await importSummaryTable(ctx, actor, requestOf(fixture));
        expect(imported.changes).toEqual(preview.changes);
        expect(imported.warnings).toEqual(preview.warnings);
        expect(imported.conflicts).toEqual(preview.conflicts);
        expect(imported.planId).not.toBeNull();

        const record = await database.db.selectFrom('imports').select('summary').orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(JSON.parse(record.summary).filing, 'the import’s record keeps the filing details').toEqual(golden.filing);

        const tree = await getPlanTree(ctx, imported.planId!);
        const countsBefore = plansBefore[0]?.counts ?? { chapters: 0, tasks: 0, items: 0 };
        expect(tree.plan.counts).toEqual({
          chapters: countsBefore.chapters + imported.changes.chapters,
          tasks: countsBefore.tasks + imported.changes.tasks,
          items: countsBefore.items + imported.changes.items,
        });
        if (!fixture.before) {
          expect(tree.plan.counts).toEqual(golden.counts);
          expect(treeAsTable(tree)).toEqual(goldenAsTree(golden));
          expect(await storedReports(database.db), 'the filing unit’s reports: progress, problems and next steps').toEqual(
            goldenReports(golden),
          );
        }

        const after = await rowCounts(database.db);
        const again = await importSummaryTable(ctx, actor, requestOf(fixture));
        expect(again.changes).toEqual(NO_CHANGES);
        expect(again.planId).toBe(imported.planId);
        // not even an import record or an audit event: nothing happened
        expect(await rowCounts(database.db)).toEqual(after);
      } finally {
        await database.destroy();
      }
    });
  }

  // every layout written in more than one format
  const layouts = [...new Set(LAYOUT_FIXTURES.map((fixture) => fixture.layout))].filter(
    (layout) => LAYOUT_FIXTURES.filter((fixture) => fixture.layout === layout).length > 1,
  );
  for (const layout of layouts) {
    const fixtures = LAYOUT_FIXTURES.filter((fixture) => fixture.layout === layout && fixture.file !== 'a-second-unit.txt');
    it(`layout ${layout} in every format (${fixtures.map((fixture) => fixture.file).join(', ')}) gives identical stored plans`, async () => {
      const plans = [];
      for (const fixture of fixtures) {
        const database = await createTestDatabase(dialect);
        try {
          const ctx = createServiceContext(database.db);
          await importBefore(ctx, fixture);
          await importSummaryTable(ctx, actor, requestOf(fixture));
          plans.push({ file: fixture.file, plan: await storedPlan(database.db) });
        } finally {
          await database.destroy();
        }
      }
      expect(plans.length).toBeGreaterThan(1);
      for (const { file, plan } of plans.slice(1)) expect(plan, `${file} vs ${plans[0]!.file}`).toEqual(plans[0]!.plan);
    });
  }

  it('two units’ tables of one year merge into one plan, and each unit’s export reproduces its own table', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const ctx = createServiceContext(database.db);
      const tables = [
        { file: 'a-standard.docx', unit: '市发改委' },
        { file: 'a-second-unit.txt', unit: '市住建局' },
      ];
      for (const { file } of tables) await importSummaryTable(ctx, actor, requestOf(fixtureNamed(file)));
      const plans = await listPlanSummaries(ctx);
      expect(plans).toHaveLength(1);
      // a-standard: 一 and 三 with tasks 3, 12 (2 items), 15; the second unit adds chapter 五 and task 18, and shares 12's second item
      expect(plans[0]!.counts).toEqual({ chapters: 3, tasks: 4, items: 5 });

      for (const { file, unit } of tables) {
        const organisation = await findOrganisationByName(ctx, unit);
        const exported = await exportOrganisationSummary(ctx, { organisationId: organisation.id, format: 'json' });
        const back = await readSummaryDocument(exported.bytes, 'export.json');
        const input = await readSummaryDocument(fixtureBytes(file), file);
        expect(back.table, `${unit}'s export`).toEqual(input.table);
      }
    } finally {
      await database.destroy();
    }
  });
});

describe('the optional columns of layout c, written back', () => {
  for (const file of ['c-synonyms.xlsx', 'c-synonyms.docx', 'c-synonyms.csv']) {
    it(`${file}: 完成时限, 责任领导 and 备注 survive being written as Word, Excel, CSV and JSON and read again`, async () => {
      const input = await readSummaryDocument(fixtureBytes(file), file);
      expect(input.table.columns).toMatchObject({ deadline: '完成时限', leader: '责任领导', extra: ['备注'] });
      // 责任单位 alone is read as lead and cooperating units, and the units must be printed under headings that read
      // back as such: the six standard columns are printed as they always were, whatever the optional ones
      const table = { ...input.table, columns: { ...input.table.columns, lead: '牵头单位', cooperating: '主要配合单位' } };
      for (const format of ['docx', 'xlsx', 'csv', 'json'] as const) {
        const back = await readSummaryDocument(await writeSummaryDocument(table, format, { date: '2031年7月5日' }), `back.${format}`);
        expect(back.warnings, format).toEqual([]);
        expect(back.table, format).toEqual(format === 'csv' ? { ...table, title: '', organisation: '' } : table);
      }
    });
  }
});

describe('存在问题 and 下步打算, written back', () => {
  it('filing-seal.docx: the report columns survive being written as Word, Excel, CSV and JSON and read again', async () => {
    const input = await readSummaryDocument(fixtureBytes('filing-seal.docx'), 'filing-seal.docx');
    expect(input.table.columns).toMatchObject({ problems: '存在问题', nextSteps: '下步打算' });
    for (const format of ['docx', 'xlsx', 'csv', 'json'] as const) {
      const back = await readSummaryDocument(await writeSummaryDocument(input.table, format, { date: '2031年4月8日' }), `back.${format}`);
      expect(back.warnings, format).toEqual([]);
      expect(back.table, format).toEqual(format === 'csv' ? { ...input.table, title: '', organisation: '' } : input.table);
    }
  });
});
