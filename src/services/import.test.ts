import { readFileSync } from 'node:fs';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, TEST_DIALECTS } from '../../test/helpers/database.js';
import type { Db } from '../db/schema.js';
import { createServiceContext, type Actor } from './context.js';
import { readSummaryDocument } from '../documents/index.js';
import { findOrganisationByName } from './catalogue.js';
import { importSummaryTable, planTitleFromTableTitle, unitFromFileName, yearFromFileName } from './import.js';
import { exportOrganisationSummary } from './summary.js';

const SAMPLE = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));
const actor: Actor = { id: 'test', source: 'test' };
const TABLES = [
  'organisations',
  'organisation_aliases',
  'plans',
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

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

describe('planTitleFromTableTitle', () => {
  it('strips the table words from the title', () => {
    expect(planTitleFromTableTitle('2022年度市政府工作任务完成情况汇总表', 2022)).toBe('2022年度市政府工作任务');
    expect(planTitleFromTableTitle('2023年度市政府工作任务上半年进展情况汇总表', 2023)).toBe('2023年度市政府工作任务');
    expect(planTitleFromTableTitle('汇总表', 2023)).toBe('2023年度市政府工作任务');
  });
});

describeEachDatabase('importing the sample summary table', (database) => {
  it('dry run reports the structure and the organisations, and writes nothing', async () => {
    const { db } = database();
    const before = await rowCounts(db);
    const summary = await importSummaryTable(createServiceContext(db), actor, { bytes: SAMPLE, fileName: 'sample.txt', dryRun: true });
    expect(await rowCounts(db)).toEqual(before);
    expect(summary).toMatchObject({
      title: '2022年度市政府工作任务完成情况汇总表',
      year: 2022,
      organisation: '市生态环境局',
      counts: { chapters: 6, tasks: 10, items: 15 },
      warnings: [],
    });
    const names = summary.organisations.map((organisation) => organisation.name);
    expect(names).toHaveLength(19);
    expect(names).toContain('市科技局');
    expect(names).not.toContain('科技局');
    expect(names).not.toContain('生态环境局');
    expect(summary.organisations.find((organisation) => organisation.name === '市科技局')).toMatchObject({
      written: ['科技局'],
      status: 'new',
    });
    // the dry run computed what confirming would write, then rolled it back
    expect(summary.changes).toMatchObject({ plans: 1, chapters: 6, tasks: 10, items: 15, organisations: 19, aliases: 2, reports: 15 });
    expect(summary.planId).toBeNull();
  });

  it('stores 6 chapters, 10 tasks, 15 items and 19 organisations, with short forms resolved', async () => {
    const { db } = database();
    const summary = await importSummaryTable(createServiceContext(db), actor, { bytes: SAMPLE, fileName: 'sample.txt' });
    expect(summary.changes).toMatchObject({ plans: 1, chapters: 6, tasks: 10, items: 15, organisations: 19, reports: 15 });
    const counts = await rowCounts(db);
    expect(counts).toMatchObject({
      plans: 1,
      chapters: 6,
      tasks: 10,
      items: 15,
      organisations: 19,
      reports: 15,
      report_versions: 15,
      imports: 1,
      audit_events: 1,
    });

    const names = (await db.selectFrom('organisations').select('name').execute()).map((row) => row.name);
    expect(names).toContain('市科技局');
    expect(names).toContain('市生态环境局');
    expect(names).not.toContain('科技局');
    expect(names).not.toContain('生态环境局');
    const aliases = await db
      .selectFrom('organisation_aliases')
      .innerJoin('organisations', 'organisations.id', 'organisation_aliases.organisation_id')
      .select(['alias', 'organisations.name'])
      .orderBy('alias')
      .execute();
    expect(aliases).toEqual(
      [
        { alias: '生态环境局', name: '市生态环境局' },
        { alias: '科技局', name: '市科技局' },
      ].sort((a, b) => (a.alias < b.alias ? -1 : 1)),
    );
  });

  it("splits task 27's cooperating units into 12 organisations of the right kinds", async () => {
    const { db } = database();
    const cooperating = await db
      .selectFrom('item_organisations')
      .innerJoin('items', 'items.id', 'item_organisations.item_id')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .innerJoin('organisations', 'organisations.id', 'item_organisations.organisation_id')
      .select(['organisations.name', 'organisations.kind'])
      .where('tasks.number', '=', '27')
      .where('item_organisations.role', '=', 'cooperating')
      .orderBy('item_organisations.position')
      .execute();
    expect(cooperating.map((row) => row.name)).toEqual([
      '市发改委',
      '市财政局',
      '市资源规划局',
      '市生态环境局',
      '市园林绿化局',
      '市交通局',
      '市国资委',
      '苏州水务集团',
      '昆山市政府',
      '吴江区政府',
      '吴中区政府',
      '工业园区管委会',
    ]);
    const kinds = cooperating.reduce<Record<string, number>>((acc, row) => ({ ...acc, [row.kind]: (acc[row.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ city_department: 7, state_enterprise: 1, county_level_government: 3, management_committee: 1 });
  });

  it('keeps the reporting unit’s completion texts as its year-end reports', async () => {
    const { db } = database();
    const report = await db
      .selectFrom('reports')
      .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .innerJoin('items', 'items.id', 'reports.item_id')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .select(['organisations.name', 'periods.code', 'periods.label', 'reports.text', 'reports.revision'])
      .where('tasks.number', '=', '36')
      .orderBy('items.position', 'desc')
      .executeTakeFirstOrThrow();
    expect(report).toEqual({
      name: '市生态环境局',
      code: '2022-Y',
      label: '全年',
      text: '长江干流水质稳定达到Ⅱ类，全市设国省考断面的27个通江河道水质全部达到或好于Ⅲ类。',
      revision: 1,
    });
  });

  it('is idempotent: importing the same table again changes nothing', async () => {
    const { db } = database();
    const before = await rowCounts(db);
    const summary = await importSummaryTable(createServiceContext(db), actor, { bytes: SAMPLE, fileName: 'sample.txt' });
    expect(Object.values(summary.changes).every((n) => n === 0)).toBe(true);
    expect(await rowCounts(db)).toEqual(before);
  });

  it('supersedes a changed completion text with a new revision and keeps the old version', async () => {
    const { db } = database();
    const changed = SAMPLE.toString('utf8').replace('减排量满足省下达任务。', '减排量满足并超过省下达任务。');
    const summary = await importSummaryTable(createServiceContext(db), actor, { bytes: Buffer.from(changed), fileName: 'sample-v2.txt' });
    expect(summary.changes).toMatchObject({ items: 0, reports: 0, revisedReports: 1 });
    const versions = await db
      .selectFrom('report_versions')
      .innerJoin('reports', 'reports.id', 'report_versions.report_id')
      .select(['report_versions.revision', 'report_versions.text', 'reports.revision as current'])
      .where('report_versions.text', 'like', '%减排量满足%')
      .orderBy('report_versions.revision')
      .execute();
    expect(versions.map((v) => [v.revision, v.text.endsWith('满足省下达任务。'), v.current])).toEqual([
      [1, true, 2],
      [2, false, 2],
    ]);
  });
});

/** Fails the n-th insert into a table, to prove an import is all or nothing. */
class FailingInsert implements KyselyPlugin {
  private seen = 0;
  constructor(
    private readonly table: string,
    private readonly failAt: number,
  ) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === this.table && ++this.seen === this.failAt) {
      throw new Error(`simulated failure on insert #${this.failAt} into ${this.table}`);
    }
    return node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe.each(TEST_DIALECTS)('an import that fails half-way [%s]', (dialect) => {
  it('writes nothing at all', async () => {
    const database = await createTestDatabase(dialect);
    try {
      const failing = database.db.withPlugin(new FailingInsert('reports', 9));
      await expect(importSummaryTable(createServiceContext(failing), actor, { bytes: SAMPLE, fileName: 'sample.txt' })).rejects.toThrow(
        /simulated failure/,
      );
      const counts = await rowCounts(database.db);
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    } finally {
      await database.destroy();
    }
  });
});

const MERGE = (name: string) => readFileSync(new URL(`../../test/fixtures/merge/${name}`, import.meta.url));

describeEachDatabase('merging several units’ tables of one year', (database) => {
  const ctx = () => createServiceContext(database().db);

  it('builds one plan in which each unit’s summary export reproduces its own table', async () => {
    const first = await importSummaryTable(ctx(), actor, { bytes: MERGE('shuiwu-2030.txt'), fileName: 'shuiwu-2030.txt' });
    const second = await importSummaryTable(ctx(), actor, { bytes: MERGE('zhujian-2030.txt'), fileName: 'zhujian-2030.txt' });
    expect(second.planId).toBe(first.planId);
    expect(second.changes).toMatchObject({ plans: 0, tasks: 1, items: 1, reports: 3 });
    expect(second.conflicts).toEqual([]);
    const plan = await database()
      .db.selectFrom('tasks')
      .select('number')
      .where('plan_id', '=', first.planId!)
      .orderBy('sort_key')
      .execute();
    expect(plan.map((task) => task.number)).toEqual(['3', '11', '12', '14']);

    for (const [file, unit] of [
      ['shuiwu-2030.txt', '市水务局'],
      ['zhujian-2030.txt', '市住建局'],
    ] as const) {
      const input = (await readSummaryDocument(MERGE(file), file)).table;
      const organisation = await findOrganisationByName(ctx(), unit);
      const exported = await exportOrganisationSummary(ctx(), { organisationId: organisation.id, planId: first.planId!, format: 'json' });
      expect((await readSummaryDocument(exported.bytes, exported.fileName)).table, unit).toEqual(input);
    }
  });

  it('reports a task whose name differs from the stored one, and does not overwrite it', async () => {
    const changed = MERGE('zhujian-2030.txt').toString('utf8').replace('推进城市更新', '实施城市更新行动');
    const summary = await importSummaryTable(ctx(), actor, { bytes: Buffer.from(changed), fileName: 'zhujian-v2.txt', dryRun: true });
    expect(summary.conflicts).toEqual([
      { line: expect.any(Number), message: '序号 11 已有任务“推进城市更新”，与本文件的“实施城市更新行动”不同：未覆盖，请核对序号。' },
    ]);
    const task = await database().db.selectFrom('tasks').select('name').where('number', '=', '11').executeTakeFirstOrThrow();
    expect(task.name).toBe('推进城市更新');
  });

  it('suggests existing units for a new name and remembers a mapping as an alias', async () => {
    const renamed = MERGE('zhujian-2030.txt').toString('utf8').replace('市发改委', '发展改革委');
    const preview = await importSummaryTable(ctx(), actor, { bytes: Buffer.from(renamed), fileName: 'renamed.txt', dryRun: true });
    const entry = preview.organisations.find((organisation) => organisation.name === '发展改革委');
    expect(entry).toMatchObject({ status: 'new', organisationId: null, written: ['发展改革委'] });
    expect(entry!.suggestions[0]).toMatchObject({ name: '市发改委' });

    const target = entry!.suggestions[0]!.id;
    const result = await importSummaryTable(ctx(), actor, {
      bytes: Buffer.from(renamed),
      fileName: 'renamed.txt',
      mappings: { 发展改革委: { organisationId: target } },
    });
    expect(result.changes).toMatchObject({ organisations: 0, aliases: 1 });
    expect(result.organisations.map((organisation) => organisation.name)).not.toContain('发展改革委');
    const alias = await database()
      .db.selectFrom('organisation_aliases')
      .select('organisation_id')
      .where('alias', '=', '发展改革委')
      .executeTakeFirstOrThrow();
    expect(alias.organisation_id).toBe(target);

    const again = await importSummaryTable(ctx(), actor, { bytes: Buffer.from(renamed), fileName: 'renamed.txt', dryRun: true });
    expect(again.organisations.find((organisation) => organisation.written.includes('发展改革委'))).toMatchObject({
      name: '市发改委',
      status: 'known',
    });
  });

  it('reports an item close to a stored one, but not items of the same file that resemble each other', async () => {
    const similar = MERGE('zhujian-2030.txt')
      .toString('utf8')
      .replace('改造老旧小区120个，惠及居民4.2万户。', '改造老旧小区130个，惠及居民4.2万户。')
      .replace('\t12\n', '\t13\n')
      .replace('\t改善城市基础设施\n', '\t新增的任务\n');
    const withTwins = similar.replace(
      '\t13\n\t新增的任务\n\t推进城区雨污分流改造，新建管网120公里。',
      '\t13\n\t新增的任务\n\t推进城区雨污分流改造，新建管网120公里。\n\t市住建局\n\t\n\t\n\n\t\n\t\n\t推进城区雨污分流改造，新建管网150公里。',
    );
    const summary = await importSummaryTable(ctx(), actor, { bytes: Buffer.from(withTwins), fileName: 'similar.txt', dryRun: true });
    expect(summary.table.chapters[1]!.tasks[1]!.items.map((item) => item.work)).toEqual([
      '推进城区雨污分流改造，新建管网120公里。',
      '推进城区雨污分流改造，新建管网150公里。',
    ]);
    expect(summary.conflicts.map((conflict) => conflict.message)).toEqual([
      expect.stringMatching(
        /^序号 11：事项“改造老旧小区130个，惠及居民4\.2万户。”与已有事项“改造老旧小区120个，惠及居民4\.2万户。”相近但文字不同/,
      ),
    ]);
  });

  it('refuses a mapping to a unit that does not exist or for a name not in the file', async () => {
    const bytes = MERGE('zhujian-2030.txt');
    await expect(
      importSummaryTable(ctx(), actor, { bytes, fileName: 'z.txt', mappings: { 市住建局: { organisationId: 999999 } } }),
    ).rejects.toMatchObject({
      code: 'mapping_unknown_organisation',
    });
    await expect(
      importSummaryTable(ctx(), actor, { bytes, fileName: 'z.txt', mappings: { 不在文件中的局: { create: true } } }),
    ).rejects.toMatchObject({
      code: 'mapping_unknown_name',
    });
  });
});

describeEachDatabase('存在问题 and 下步打算 of a unit’s table', (database) => {
  const table = (
    rows: string[][],
    header = ['序号', '重点工作', '目标任务', '牵头单位', '配合单位', '一季度进展情况', '存在问题', '下步打算'],
  ) =>
    Buffer.from(
      [['2031年一季度重点工作进展情况汇总表'], ['填报单位：市水务局（盖章）　　填报时间：2031年4月6日'], header, ['一、水利建设'], ...rows]
        .map((cells) => cells.join(','))
        .join('\r\n'),
      'utf8',
    );
  const reports = (db: Db) => db.selectFrom('reports').select(['text', 'problems', 'next_steps', 'revision']).orderBy('id').execute();

  it('fill the report’s problems and next steps; a change to them revises the report; a table without them keeps them', async () => {
    const { db } = database();
    const ctx = createServiceContext(db);
    const first = await importSummaryTable(ctx, actor, {
      bytes: table([['3', '海塘加固', '加固海塘12公里。', '市水务局', '', '完成3公里。', '汛期施工窗口短。', '4月底前完成5公里。']]),
      fileName: 'q1.csv',
    });
    expect(first).toMatchObject({
      organisation: '市水务局',
      filing: { organisation: '市水务局', date: '2031-04-06' },
      changes: { reports: 1 },
    });
    expect(await reports(db)).toEqual([
      { text: '完成3公里。', problems: '汛期施工窗口短。', next_steps: '4月底前完成5公里。', revision: 1 },
    ]);

    const second = await importSummaryTable(ctx, actor, {
      bytes: table([['3', '海塘加固', '加固海塘12公里。', '市水务局', '', '完成3公里。', '汛期施工窗口短。', '5月中旬前完成5公里。']]),
      fileName: 'q1-again.csv',
    });
    expect(second.changes).toMatchObject({ reports: 0, revisedReports: 1 });
    expect(await reports(db)).toEqual([
      { text: '完成3公里。', problems: '汛期施工窗口短。', next_steps: '5月中旬前完成5公里。', revision: 2 },
    ]);

    const without = await importSummaryTable(ctx, actor, {
      bytes: table(
        [['3', '海塘加固', '加固海塘12公里。', '市水务局', '', '完成3公里。']],
        ['序号', '重点工作', '目标任务', '牵头单位', '配合单位', '一季度进展情况'],
      ),
      fileName: 'q1-plain.csv',
    });
    expect(without.changes).toMatchObject({ reports: 0, revisedReports: 0 });
    expect((await reports(db))[0]).toMatchObject({ problems: '汛期施工窗口短。', next_steps: '5月中旬前完成5公里。', revision: 2 });
  });

  it('a row with problems but no progress text still gives the unit a report', async () => {
    const { db } = database();
    const summary = await importSummaryTable(createServiceContext(db), actor, {
      bytes: table([['4', '山塘整治', '整治山塘20座。', '市水务局', '', '', '资金未到位，尚未开工。', '争取省补资金。']]),
      fileName: 'q1.csv',
    });
    expect(summary.changes.reports).toBe(1);
    // the database is shared with the test above: this one's item is task 4's
    expect((await reports(db)).at(-1)).toEqual({ text: '', problems: '资金未到位，尚未开工。', next_steps: '争取省补资金。', revision: 1 });
  });
});

describe('the year and the filing unit in a file’s name', () => {
  const registry = {
    names: new Set(['市水务局', '市数据局', '市人民政府']),
    aliases: new Map([['江南水利', '市水务局']]),
    kinds: new Map([['市人民政府', 'city_government']]),
  };

  it('reads the year written in any of the usual ways, and only a year', () => {
    expect(yearFromFileName('2031年一季度重点工作进展-市水务局')).toBe(2031);
    expect(yearFromFileName('市水务局2031年上半年')).toBe(2031);
    expect(yearFromFileName('2031_Q1_市数据局')).toBe(2031);
    expect(yearFromFileName('进展情况20310408')).toBeUndefined();
    expect(yearFromFileName('一季度进展')).toBeUndefined();
  });

  it('finds the unit: known names and aliases first, then a part that reads as a unit; the report’s own words are none', () => {
    expect(unitFromFileName('2031年一季度重点工作进展-市水务局', registry)).toBe('市水务局');
    expect(unitFromFileName('市水务局2031年上半年', registry)).toBe('市水务局');
    expect(unitFromFileName('2031_Q1_市数据局', registry)).toBe('市数据局');
    expect(unitFromFileName('市数据局2031年上半年工作进展', registry)).toBe('市数据局');
    expect(unitFromFileName('江南市水务局2031年一季度', registry)).toBe('市水务局');
    expect(unitFromFileName('2031年一季度进展（江南水利）', registry)).toBe('市水务局');
    expect(unitFromFileName('2031年上半年工作进展-市商务局', registry)).toBe('市商务局');
    expect(unitFromFileName('2031年一季度-高新区管委会', registry)).toBe('高新区管委会');
    // the city government in a plan's title is not a filing unit, nor are collective names
    expect(unitFromFileName('2031年度市人民政府工作任务完成情况汇总表', registry)).toBeUndefined();
    expect(unitFromFileName('2031年一季度-各区人民政府', registry)).toBeUndefined();
    expect(unitFromFileName('2031年一季度重点工作进展情况汇总表', registry)).toBeUndefined();
  });
});

describeEachDatabase('a collective name stands for the units of its kind', (database) => {
  it('a district government’s text on a row of 各区人民政府 is its own report, not a row it has no part in', async () => {
    const csv = [
      '2031年一季度重点工作进展情况汇总表',
      '填报单位：临湖区人民政府',
      '序号,重点工作,工作任务,牵头单位,配合单位,一季度进展情况',
      '一、乡村振兴',
      '21,农村公路提升,改造提升农村公路150公里。,市交通运输局,各区人民政府,临湖区完成改造38公里。',
      '22,美丽乡村建设,建成美丽乡村示范村20个。,市农业农村局,市财政局,临湖区已建成4个。',
    ].join('\r\n');
    const summary = await importSummaryTable(createServiceContext(database().db), actor, {
      bytes: Buffer.from(csv, 'utf8'),
      fileName: 'q1.csv',
      dryRun: true,
    });
    expect(summary.organisation).toBe('临湖区人民政府');
    expect(summary.unlinked.map((row) => row.task)).toEqual(['22']);
  });
});
