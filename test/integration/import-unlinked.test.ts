import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/schema.js';
import { AppError } from '../../src/domain/errors.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable, type ImportRequest, type UnlinkedChoice } from '../../src/services/import.js';
import { fixtureBytes, goldenPath } from '../fixtures/layouts/fixtures.js';
import { UNLINKED_FIXTURES, unlinkedGoldenOf, type UnlinkedFixture } from '../fixtures/layouts/service-fixtures.js';
import { buildTestApp, signInAs } from '../helpers/app.js';
import { createTestDatabase, describeEachDatabase, TEST_DIALECTS } from '../helpers/database.js';
import { multipartBody } from '../helpers/multipart.js';

// A filing unit's text on a row of an item it is neither a lead nor a cooperating unit of: the fixtures are made by
// test/fixtures/layouts/make-service.ts, see service-fixtures.ts for what each covers.

const actor = { id: 'test', source: 'test' };
const NO_CHANGES = { plans: 0, organisations: 0, aliases: 0, chapters: 0, tasks: 0, items: 0, reports: 0, revisedReports: 0 };
const COUNTED_TABLES = [
  'plans',
  'organisations',
  'organisation_aliases',
  'items',
  'item_organisations',
  'periods',
  'reports',
  'report_versions',
  'imports',
  'audit_events',
] as const;

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

const requestOf = (fixture: UnlinkedFixture, unlinked?: UnlinkedChoice): ImportRequest => ({
  bytes: fixtureBytes(fixture.file),
  fileName: fixture.file,
  ...(unlinked ? { unlinked } : {}),
});

/** Each stored link as work text → [unit, role, state], in role and position order. */
async function storedLinks(db: Db) {
  const rows = await db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('organisations', 'organisations.id', 'item_organisations.organisation_id')
    .select(['items.work', 'organisations.name', 'item_organisations.role', 'item_organisations.position', 'item_organisations.state'])
    .orderBy('items.id')
    .orderBy('item_organisations.role', 'desc')
    .orderBy('item_organisations.position')
    .execute();
  const byWork = new Map<string, { leads: string[]; cooperating: string[]; states: string[] }>();
  for (const row of rows) {
    const entry = byWork.get(row.work) ?? { leads: [], cooperating: [], states: [] };
    (row.role === 'lead' ? entry.leads : entry.cooperating).push(row.name);
    entry.states.push(row.state);
    byWork.set(row.work, entry);
  }
  return byWork;
}

async function storedReports(db: Db) {
  return db
    .selectFrom('reports')
    .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
    .innerJoin('items', 'items.id', 'reports.item_id')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select(['items.work', 'organisations.name', 'periods.code', 'reports.text'])
    .orderBy('items.id')
    .execute();
}

/** What the file says each item's units are and which texts the filing unit wrote, by work text. */
function writtenItems(fixture: UnlinkedFixture) {
  const golden = JSON.parse(readFileSync(goldenPath(fixture.file), 'utf8')) as ReturnType<typeof unlinkedGoldenOf>;
  return golden.table.chapters.flatMap((chapter) =>
    chapter.tasks.flatMap((task) => task.items.map((item) => ({ task: task.number, ...item }))),
  );
}

describe.each(TEST_DIALECTS)('a unit’s text on an item it has no part in [%s]', (dialect) => {
  for (const fixture of UNLINKED_FIXTURES) {
    it(`${fixture.file}: the dry run warns each such row and lists it; confirming without a choice is refused, writing nothing`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        const before = await rowCounts(database.db);
        const preview = await importSummaryTable(ctx, actor, { ...requestOf(fixture), dryRun: true });
        expect(unlinkedGoldenOf(preview)).toEqual(JSON.parse(readFileSync(goldenPath(fixture.file), 'utf8')));
        expect(preview.unlinked.map((row) => row.task)).toEqual(fixture.unlinkedTasks);
        for (const row of preview.unlinked) {
          expect(preview.warnings).toContainEqual({
            line: row.line,
            column: 'lead',
            message: `序号 ${row.task}：填报单位${fixture.unit}不是此事项的牵头或配合单位；请选择把它加为配合单位，或不导入这段文字。`,
          });
        }
        expect(await rowCounts(database.db), 'a dry run writes nothing').toEqual(before);

        const refusal = await importSummaryTable(ctx, actor, requestOf(fixture)).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(AppError);
        expect(refusal).toMatchObject({
          status: 400,
          code: 'unlinked_choice_required',
          details: {
            field: 'unlinked',
            flag: '--unlinked',
            options: ['cooperate', 'omit'],
            count: fixture.unlinkedTasks.length,
            rows: preview.unlinked,
          },
        });
        const message = (refusal as AppError).message;
        expect(message).toContain(`有 ${fixture.unlinkedTasks.length} 行`);
        expect(message).toContain(`序号 ${[...new Set(fixture.unlinkedTasks)].join('、')}`);
        expect(message).toContain('加为这些事项的配合单位');
        expect(message).toContain('不导入这些文字');
        expect(await rowCounts(database.db), 'a refused import writes nothing').toEqual(before);
      } finally {
        await database.destroy();
      }
    });

    it(`${fixture.file}: cooperate adds the unit as the last cooperating unit of those items, files every text, and is audited`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        const preview = await importSummaryTable(ctx, actor, { ...requestOf(fixture, 'cooperate'), dryRun: true });
        const imported = await importSummaryTable(ctx, actor, requestOf(fixture, 'cooperate'));
        expect(imported.changes).toEqual(preview.changes);
        expect(imported.understood).toEqual(preview.understood);
        for (const row of imported.unlinked) {
          expect(imported.warnings).toContainEqual({
            line: row.line,
            column: 'lead',
            message: `序号 ${row.task}：填报单位${fixture.unit}不是此事项的牵头或配合单位；已按选择把${fixture.unit}加为此事项的配合单位，并导入这段文字。`,
          });
        }

        const items = writtenItems(fixture);
        const links = await storedLinks(database.db);
        const unlinkedWork = new Set(imported.unlinked.map((row) => row.work));
        for (const understood of imported.understood) {
          const stored = links.get(understood.work)!;
          expect({ leads: stored.leads, cooperating: stored.cooperating }, understood.work).toEqual({
            leads: understood.leads,
            cooperating: understood.cooperating,
          });
          // a table of texts records work already done: every part, the added one too, counts as signed for
          expect(new Set(stored.states)).toEqual(new Set(['acknowledged']));
          if (unlinkedWork.has(understood.work)) expect(stored.cooperating.at(-1)).toBe(fixture.unit);
        }
        expect(await storedReports(database.db)).toEqual(
          items
            .filter((item) => item.completion !== '')
            .map((item) => ({ work: item.work, name: fixture.unit, code: imported.period.code, text: item.completion })),
        );

        const audit = await database.db
          .selectFrom('audit_events')
          .select(['action', 'after'])
          .where('action', '=', 'import.summary_table')
          .executeTakeFirstOrThrow();
        expect(JSON.parse(audit.after!).unlinked).toEqual({
          choice: 'cooperate',
          rows: fixture.unlinkedTasks.length,
          cooperating: imported.unlinked.map((row) => ({ itemId: expect.any(Number), task: row.task, work: row.work })),
        });

        const after = await rowCounts(database.db);
        const again = await importSummaryTable(ctx, actor, requestOf(fixture, 'cooperate'));
        expect(again.changes).toEqual(NO_CHANGES);
        expect(await rowCounts(database.db), 'the same file and choice again: nothing happens').toEqual(after);
      } finally {
        await database.destroy();
      }
    });

    it(`${fixture.file}: omit leaves those texts out and the items as the file lists them; cooperate later adds them`, async () => {
      const database = await createTestDatabase(dialect);
      try {
        const ctx = createServiceContext(database.db);
        const imported = await importSummaryTable(ctx, actor, requestOf(fixture, 'omit'));
        const unlinkedWork = new Set(imported.unlinked.map((row) => row.work));
        const items = writtenItems(fixture);
        expect(await storedReports(database.db)).toEqual(
          items
            .filter((item) => item.completion !== '' && !unlinkedWork.has(item.work))
            .map((item) => ({ work: item.work, name: fixture.unit, code: imported.period.code, text: item.completion })),
        );
        const links = await storedLinks(database.db);
        for (const work of unlinkedWork) {
          expect([...links.get(work)!.leads, ...links.get(work)!.cooperating]).not.toContain(fixture.unit);
          expect(imported.understood.find((item) => item.work === work)!.reports).toEqual([]);
        }
        expect(imported.warnings.filter((warning) => warning.message.includes('已按选择不导入这段文字。'))).toHaveLength(unlinkedWork.size);
        const again = await importSummaryTable(ctx, actor, requestOf(fixture, 'omit'));
        expect(again.changes).toEqual(NO_CHANGES);

        // the person changes their mind: the same file with cooperate files the texts left out and adds the unit
        const cooperating = await importSummaryTable(ctx, actor, requestOf(fixture, 'cooperate'));
        expect(cooperating.changes).toEqual({ ...NO_CHANGES, reports: unlinkedWork.size });
        const relinked = await storedLinks(database.db);
        for (const work of unlinkedWork) expect(relinked.get(work)!.cooperating.at(-1)).toBe(fixture.unit);
      } finally {
        await database.destroy();
      }
    });
  }

  it('names are compared as units, not as written: a bare 水务局 and a mapped name are the filing unit', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const ctx = createServiceContext(database.db);
      const csv = (lead: string) =>
        Buffer.from(
          [
            '2031年一季度重点工作进展情况汇总表,,,,,',
            '填报单位：江南市水务局（盖章）,,,,,',
            '序号,重点工作,工作任务,牵头单位,配合单位,一季度进展情况',
            '一、水利建设,,,,,',
            `3,海塘加固,加固海塘12公里。,${lead},市财政局,完成加固3.2公里。`,
          ].join('\r\n'),
          'utf8',
        );
      // the unit is written 江南市水务局 above the table and 水利局 in the row: two names until a person maps them
      const preview = await importSummaryTable(ctx, actor, { bytes: csv('水利局'), fileName: 'q1.csv', dryRun: true });
      expect(preview.unlinked.map((row) => row.task)).toEqual(['3']);
      const first = await importSummaryTable(ctx, actor, { bytes: csv('江南市水务局'), fileName: 'q1.csv' });
      expect(first.unlinked).toEqual([]);
      const unit = await database.db.selectFrom('organisations').select('id').where('name', '=', '江南市水务局').executeTakeFirstOrThrow();
      const mapped = await importSummaryTable(ctx, actor, {
        bytes: csv('水利局'),
        fileName: 'q1.csv',
        dryRun: true,
        mappings: { 水利局: { organisationId: unit.id } },
      });
      expect(mapped.unlinked).toEqual([]);
      expect(mapped.understood[0]).toEqual({
        task: '3',
        name: '海塘加固',
        work: '加固海塘12公里。',
        leads: ['江南市水务局'],
        cooperating: ['市财政局'],
        reports: [{ organisation: '江南市水务局', period: '2031-Q1' }],
      });
    } finally {
      await database.destroy();
    }
  });
});

describe.each(TEST_DIALECTS)('what a file leaves unsaid [%s]', (dialect) => {
  const headerOnly = (rows: string[]) =>
    Buffer.from(['序号,重点工作,工作任务,牵头单位,配合单位,一季度进展情况', '一、水利建设,,,,,', ...rows].join('\r\n'), 'utf8');
  const withText = headerOnly(['3,海塘加固,加固海塘12公里。,市水务局,市财政局,完成加固3.2公里。']);

  const refusalOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('no year in the title or the name: year_missing names the field; no unit anywhere for the texts: organisation_missing', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const ctx = createServiceContext(database.db);
      const before = await rowCounts(database.db);
      expect(await refusalOf(importSummaryTable(ctx, actor, { bytes: withText, fileName: '一季度进展.csv', dryRun: true }))).toMatchObject({
        status: 400,
        code: 'year_missing',
        details: { field: 'year', flag: '--year' },
      });
      const missingUnit = await refusalOf(
        importSummaryTable(ctx, actor, { bytes: withText, fileName: '2031年一季度重点工作进展.csv', dryRun: true }),
      );
      expect(missingUnit).toMatchObject({ status: 400, code: 'organisation_missing', details: { field: 'organisation', flag: '--org' } });
      expect((missingUnit as AppError).message).toContain('没有可归属的单位');
      expect(await rowCounts(database.db)).toEqual(before);

      // what the request gives wins over the name and says nothing: it is the person's own word
      const given = await importSummaryTable(ctx, actor, {
        bytes: withText,
        fileName: '2030年一季度-市财政局.csv',
        dryRun: true,
        year: 2031,
        organisation: '市水务局',
      });
      expect(given).toMatchObject({ year: 2031, organisation: '市水务局', warnings: [] });
      // a plan without texts needs no unit
      const plain = headerOnly(['3,海塘加固,加固海塘12公里。,市水务局,市财政局,']);
      expect(await importSummaryTable(ctx, actor, { bytes: plain, fileName: '2031年重点工作.csv', dryRun: true })).toMatchObject({
        year: 2031,
        organisation: '',
      });
    } finally {
      await database.destroy();
    }
  });

  it('the unit in the name: a known unit or alias inside the name first, then a name that reads as a unit', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const ctx = createServiceContext(database.db);
      // nothing known yet: 江南市水务局 reads as a department's name and is taken as written
      const fresh = await importSummaryTable(ctx, actor, { bytes: withText, fileName: '江南市水务局2031年一季度.csv', dryRun: true });
      expect(fresh).toMatchObject({ year: 2031, organisation: '江南市水务局' });
      expect(fresh.warnings).toEqual([
        { line: 1, column: 'year', message: '年份取自文件名：2031（文件标题中没有写明年份，请核对）。' },
        { line: 1, column: 'organisation', message: '填报单位取自文件名：江南市水务局（文件中没有写明填报单位，请核对）。' },
        {
          line: 3,
          column: 'lead',
          message: '序号 3：填报单位江南市水务局不是此事项的牵头或配合单位；请选择把它加为配合单位，或不导入这段文字。',
        },
      ]);

      await importSummaryTable(ctx, actor, { bytes: withText, fileName: '2031_Q1_市水务局.csv' });
      const known = await importSummaryTable(ctx, actor, { bytes: withText, fileName: '江南市水务局2031年一季度.csv', dryRun: true });
      expect(known).toMatchObject({ organisation: '市水务局', unlinked: [] });

      const unit = await database.db.selectFrom('organisations').select('id').where('name', '=', '市水务局').executeTakeFirstOrThrow();
      await database.db
        .insertInto('organisation_aliases')
        .values({ organisation_id: unit.id, alias: '江南水利', created_at: '2031-01-01T00:00:00.000Z' })
        .execute();
      const alias = await importSummaryTable(ctx, actor, { bytes: withText, fileName: '2031年一季度进展（江南水利）.csv', dryRun: true });
      expect(alias).toMatchObject({ organisation: '市水务局', unlinked: [] });
      expect(alias.warnings).toContainEqual({
        line: 1,
        column: 'organisation',
        message: '填报单位取自文件名：市水务局（文件中没有写明填报单位，请核对）。',
      });

      // a name that is no unit's (a report's own words) gives none
      expect(
        await refusalOf(
          importSummaryTable(ctx, actor, { bytes: withText, fileName: '2031年一季度重点工作进展情况汇总表.csv', dryRun: true }),
        ),
      ).toMatchObject({
        code: 'organisation_missing',
      });
    } finally {
      await database.destroy();
    }
  });
});

describeEachDatabase('HTTP import: the unlinked choice', (database) => {
  it('the preview lists the rows and every item understood; confirming needs unlinked=cooperate|omit, and only those', async () => {
    const app = await buildTestApp(database().db);
    try {
      const supervisor = await signInAs(app, database().db, 'supervisor');
      const fixture = UNLINKED_FIXTURES[0]!;
      const post = async (url: string, fields: Record<string, string>) => {
        const body = await multipartBody(fields, { name: fixture.file, bytes: fixtureBytes(fixture.file) });
        const response = await supervisor.inject({ method: 'POST', url, ...body });
        return { status: response.statusCode, body: response.json() };
      };
      const golden = JSON.parse(readFileSync(goldenPath(fixture.file), 'utf8')) as ReturnType<typeof unlinkedGoldenOf>;
      const preview = await post('/api/imports/preview', {});
      expect(preview.status).toBe(200);
      expect(preview.body.preview.unlinked).toEqual(golden.unlinked);
      expect(preview.body.preview.understood).toEqual(golden.understood);

      const refused = await post('/api/imports', {});
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'unlinked_choice_required', details: { count: 2, options: ['cooperate', 'omit'] } });
      const bad = await post('/api/imports', { unlinked: 'both' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
      expect(bad.body.error.message).toContain('unlinked');

      const omitted = await post('/api/imports', { unlinked: 'omit' });
      expect(omitted.status).toBe(200);
      expect(omitted.body.result.changes.reports).toBe(2);
      expect(omitted.body.result.understood.filter((item: { reports: unknown[] }) => item.reports.length > 0)).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
