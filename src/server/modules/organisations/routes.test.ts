import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask, buildSummaryChapter } from '../../../../test/factories/summary-table.js';
import { auditedWrite, buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { writeSummaryDocument } from '../../../documents/index.js';
import type { SummaryTable } from '../../../domain/summary-table.js';
import { createServiceContext } from '../../../services/context.js';
import { importSummaryTable, type ImportRequest } from '../../../services/import.js';

interface Record_ {
  id: number;
  name: string;
  aliases: string[];
  active: boolean;
  parent: { id: number; name: string } | null;
  mergedInto: { id: number; name: string } | null;
  leadCount: number;
  cooperatingCount: number;
  userCount: number;
}

/** 市水利局's own table for 2031: it leads one item and cooperates on one that 市水务局 leads. */
function waterConservancyTable(): SummaryTable {
  return buildSummaryTable({
    title: '2031年度市政府工作任务完成情况汇总表',
    organisation: '市水利局',
    chapters: [
      buildSummaryChapter({
        numeral: '一',
        title: '建设水利设施',
        tasks: [
          buildSummaryTask({
            number: '1',
            name: '治水',
            items: [
              buildSummaryItem({ work: '加固堤防30公里。', lead: '市水利局', cooperating: '市财政局', completion: '加固堤防31公里。' }),
              buildSummaryItem({ work: '建设海绵城市示范区。', lead: '市水务局', cooperating: '市水利局', completion: '完成示范区规划。' }),
            ],
          }),
        ],
      }),
    ],
  });
}

describeEachDatabase('the organisation register', (database) => {
  let app: FastifyInstance;
  let supervisor: Session;
  let reporter: Session;
  const audited = (write: () => Promise<LightMyRequestResponse>, status = 200) => auditedWrite(database().db, write, status);
  const list = async (query = ''): Promise<Record_[]> =>
    (await supervisor.inject({ method: 'GET', url: `/api/organisations${query}` })).json().organisations;
  const byName = async (name: string, query = '') => (await list(query)).find((record) => record.name === name)!;
  const importTable = async (table: SummaryTable, choice: Pick<ImportRequest, 'unlinked'> = {}) =>
    importSummaryTable(
      createServiceContext(database().db),
      { id: 'test', source: 'test' },
      { bytes: await writeSummaryDocument(table, 'json'), fileName: 'table.json', ...choice },
    );

  beforeAll(async () => {
    await importTable(buildSummaryTable());
    await importTable(waterConservancyTable());
    app = await buildTestApp(database().db, { now: () => new Date() });
    supervisor = await signInAs(app, database().db, 'supervisor');
    reporter = await signInAs(app, database().db, 'unit_reporter', '市水利局');
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a unit under its parent, with aliases, blanks taken out, audited once', async () => {
    const parent = await byName('市政府办公室');
    const { response, entries } = await audited(() =>
      supervisor.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name: '市 数据局', kind: 'city_department', parentId: parent.id, aliases: ['数据局', '市大数据局', '数据局'] },
      }),
    );
    expect(response).toMatchObject({
      name: '市数据局',
      kind: 'city_department',
      kindLabel: '市级部门',
      aliases: ['市大数据局', '数据局'],
      parent: { id: parent.id, name: '市政府办公室' },
      active: true,
      mergedInto: null,
    });
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'organisation.create',
        object_type: 'organisation',
        object_id: String(response.id),
        before: null,
        after: {
          name: '市数据局',
          kind: 'city_department',
          parentId: parent.id,
          active: true,
          aliases: ['市大数据局', '数据局'],
          mergedIntoId: null,
        },
      }),
    ]);
  });

  it('refuses a name that is taken, as a name or an alias, or that would split in a table, and writes nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ name: '市水务局', kind: 'city_department' }, 409, '已有名为“市水务局”的单位'],
      [{ name: '新单位', kind: 'city_department', aliases: ['市大数据局'] }, 409, '“市大数据局”已是“市数据局”的别名'],
      [{ name: '市发改委、市工信局', kind: 'city_department' }, 400, '分隔符“、”'],
      [{ name: '  ', kind: 'city_department' }, 400, '不能为空'],
      [{ name: '市某局', kind: 'ministry' }, 400, ''],
    ];
    for (const [payload, status, message] of cases) {
      const { response, entries } = await audited(
        () => supervisor.inject({ method: 'POST', url: '/api/organisations', payload: payload as object }),
        status,
      );
      expect(response.error.message).toContain(message);
      expect(entries).toEqual([]);
    }
  });

  it('keeps the old name as an alias on renaming, so that tables written with it still import to the same unit', async () => {
    const data = await byName('市数据局');
    const { response, entries } = await audited(() =>
      supervisor.inject({ method: 'PATCH', url: `/api/organisations/${data.id}`, payload: { name: '市政务服务和数据管理局' } }),
    );
    expect([...response.aliases].sort()).toEqual(['市大数据局', '市数据局', '数据局'].sort());
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'organisation.update',
      before: { name: '市数据局' },
      after: { name: '市政务服务和数据管理局' },
    });

    const table = buildSummaryTable({ title: '2032年度市政府工作任务完成情况汇总表', organisation: '市数据局' });
    table.chapters[0]!.tasks[0]!.items[0]!.lead = '市数据局';
    // the factory's other rows are 市水务局's items: their texts are not the data office's to file
    await importTable(table, { unlinked: 'omit' });
    expect((await list()).map((record) => record.name)).not.toContain('市数据局');
    expect(await byName('市政务服务和数据管理局')).toMatchObject({ leadCount: 1 });
  });

  it('retires and restores a unit, and refuses a parent that would make a cycle', async () => {
    const office = await byName('市政府办公室');
    const data = await byName('市政务服务和数据管理局');
    const cycle = await audited(
      () => supervisor.inject({ method: 'PATCH', url: `/api/organisations/${office.id}`, payload: { parentId: data.id } }),
      400,
    );
    expect(cycle.response.error.code).toBe('parent_cycle');
    expect(cycle.entries).toEqual([]);

    // retiring takes the explicit yes; without it nothing changes
    const unconfirmed = await audited(
      () => supervisor.inject({ method: 'PATCH', url: `/api/organisations/${data.id}`, payload: { active: false } }),
      400,
    );
    expect(unconfirmed.response.error.code).toBe('confirmation_required');
    expect(unconfirmed.entries).toEqual([]);
    const retired = await audited(() =>
      supervisor.inject({ method: 'PATCH', url: `/api/organisations/${data.id}`, payload: { active: false, confirm: true } }),
    );
    expect(retired.response.active).toBe(false);
    expect(retired.entries[0]).toMatchObject({ before: { active: true }, after: { active: false } });
    // no change, no entry
    expect(
      (await audited(() => supervisor.inject({ method: 'PATCH', url: `/api/organisations/${data.id}`, payload: { active: false } })))
        .entries,
    ).toEqual([]);
    await audited(() => supervisor.inject({ method: 'PATCH', url: `/api/organisations/${data.id}`, payload: { active: true } }));
  });

  it('shows what a merge would move without moving it, then merges on confirmation: everything moves, the old name becomes an alias', async () => {
    const water = await byName('市水务局');
    const conservancy = await byName('市水利局');
    expect(conservancy).toMatchObject({ leadCount: 1, cooperatingCount: 1, userCount: 1 });
    const waterBefore = { leadCount: water.leadCount, cooperatingCount: water.cooperatingCount };

    const dryRun = await audited(() =>
      supervisor.inject({ method: 'POST', url: `/api/organisations/${conservancy.id}/merge`, payload: { into: water.id } }),
    );
    // the item 市水务局 leads and 市水利局 cooperates on keeps the lead assignment only
    expect(dryRun.response).toMatchObject({
      dryRun: true,
      moved: { leadLinks: 1, cooperatingLinks: 0, reports: 2, users: 1, tokens: 0, imports: 1 },
    });
    expect(dryRun.entries).toEqual([]);
    expect(await byName('市水利局')).toMatchObject({ mergedInto: null, leadCount: 1 });

    const merged = await audited(() =>
      supervisor.inject({ method: 'POST', url: `/api/organisations/${conservancy.id}/merge`, payload: { into: water.id, confirm: true } }),
    );
    expect(merged.response).toMatchObject({ dryRun: false, source: { active: false, mergedInto: { id: water.id, name: '市水务局' } } });
    expect(merged.response.target.aliases).toContain('市水利局');
    expect(merged.entries).toEqual([
      expect.objectContaining({ action: 'organisation.merge', object_id: String(conservancy.id), organisation_id: water.id }),
    ]);
    expect(merged.entries[0]!.after.moved).toEqual(merged.response.moved);

    expect((await list()).map((record) => record.name)).not.toContain('市水利局');
    expect(await byName('市水利局', '?includeMerged=true')).toMatchObject({
      mergedInto: { name: '市水务局' },
      leadCount: 0,
      cooperatingCount: 0,
      userCount: 0,
    });
    expect(await byName('市水务局')).toMatchObject({
      leadCount: waterBefore.leadCount + 1,
      cooperatingCount: waterBefore.cooperatingCount,
      userCount: 1,
    });

    // the merged unit's reporter now works for 市水务局 and sees its reports, including the ones it wrote before
    const me = (await reporter.inject({ method: 'GET', url: '/api/auth/me' })).json();
    expect(me.user.organisation.name).toBe('市水务局');
    const plans: { id: number; year: number }[] = (await reporter.inject({ method: 'GET', url: '/api/plans' })).json().plans;
    const plan2031 = plans.find((plan) => plan.year === 2031)!;
    const summary = (await reporter.inject({ method: 'GET', url: `/api/organisations/${water.id}/summary?plan=${plan2031.id}` })).json();
    const works = summary.table.chapters.flatMap((c: any) =>
      c.tasks.flatMap((t: any) => t.items.map((i: any) => `${i.work}|${i.completion}`)),
    );
    expect(works).toEqual(['加固堤防30公里。|加固堤防31公里。', '建设海绵城市示范区。|完成示范区规划。']);

    // a table still written with the old name imports to 市水务局, and no new unit appears
    const count = (await list('?includeMerged=true')).length;
    await importTable(waterConservancyTable());
    expect((await list('?includeMerged=true')).length).toBe(count);
  });

  it('refuses merges that cannot be right, and writes nothing', async () => {
    const water = await byName('市水务局');
    const finance = await byName('市财政局');
    const conservancy = await byName('市水利局', '?includeMerged=true');
    const attempts: [number, number, number, string][] = [
      [water.id, water.id, 400, 'merge_into_itself'],
      [conservancy.id, finance.id, 409, 'organisation_merged'],
      [finance.id, conservancy.id, 409, 'organisation_merged'],
    ];
    for (const [source, into, status, code] of attempts) {
      const { response, entries } = await audited(
        () => supervisor.inject({ method: 'POST', url: `/api/organisations/${source}/merge`, payload: { into, confirm: true } }),
        status,
      );
      expect(response.error.code).toBe(code);
      expect(entries).toEqual([]);
    }
    // both units reported on the same item for the same period: merging would lose one of the texts
    const report = await database().db.selectFrom('reports').selectAll().where('organisation_id', '=', water.id).executeTakeFirstOrThrow();
    await database()
      .db.insertInto('reports')
      .values({ ...report, id: undefined as never, organisation_id: finance.id, text: '财政局的报告' })
      .execute();
    const clash = await audited(
      () =>
        supervisor.inject({ method: 'POST', url: `/api/organisations/${finance.id}/merge`, payload: { into: water.id, confirm: true } }),
      409,
    );
    expect(clash.response.error).toMatchObject({
      code: 'merge_report_conflict',
      details: { clashes: [expect.objectContaining({ item_id: report.item_id })] },
    });
    expect(await byName('市财政局')).toMatchObject({ mergedInto: null, active: true });
  });

  it('is not for units: a unit reporter reads only its own unit of the register and may not change it', async () => {
    const water = await byName('市水务局');
    const finance = await byName('市财政局');
    // the reporter's unit, 市水利局, was merged into 市水务局 above, and its account went with it
    const own: { id: number; name: string } = (await reporter.inject({ method: 'GET', url: '/api/auth/me' })).json().user.organisation;
    const listed = await reporter.inject({ method: 'GET', url: '/api/organisations' });
    expect(listed.statusCode).toBe(200);
    // every unit listed must open for the reader: another unit's page answers 404 to a unit role
    const records: Record_[] = listed.json().organisations;
    expect(records.map((record) => record.id)).toEqual([own.id]);
    for (const record of records)
      expect((await reporter.inject({ method: 'GET', url: `/api/organisations/${record.id}` })).statusCode).toBe(200);
    expect((await reporter.inject({ method: 'GET', url: `/api/organisations/${finance.id}` })).statusCode).toBe(404);
    expect((await list()).length).toBeGreaterThan(1);
    expect(
      (await reporter.inject({ method: 'PATCH', url: `/api/organisations/${water.id}`, payload: { name: '市水务集团' } })).statusCode,
    ).toBe(403);
  });
});
