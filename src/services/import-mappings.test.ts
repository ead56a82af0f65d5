import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/helpers/database.js';
import type { Db } from '../db/schema.js';
import { saveColumnMapping } from '../db/repositories/import-mappings.js';
import { AppError } from '../domain/errors.js';
import { createServiceContext, type Actor } from './context.js';
import { importSummaryTable, type ImportRequest } from './import.js';

/**
 * 江南市's 2031 一季度 tables name their cooperating units 协同推进单位, a heading the importer does not know: read by
 * the headings, 责任单位 alone names the units, its first one leading and the others cooperating, and
 * 协同推进单位 is kept as an extra column. The person says it is the 主要配合单位 column: 责任单位 then names the
 * lead units (task 8 has two), and the choice is remembered for the next table with the same headings.
 */
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/layouts/${name}`, import.meta.url));
const FIRST = { bytes: fixture('mapping-first.csv'), fileName: '2031年一季度重点工作进展（发改委）.csv' };
const SECOND = { bytes: fixture('mapping-second.csv'), fileName: '2031年一季度重点工作进展（住建局）.csv' };
const DECOMPOSITION = { bytes: fixture('d-decomposition.txt'), fileName: 'd-decomposition.txt' };
const COOPERATING_CHOSEN = { 4: 'cooperating' } as const;

const supervisor: Actor = { id: 'user:7', source: 'web' };

function importFile(db: Db, request: ImportRequest) {
  return importSummaryTable(createServiceContext(db), supervisor, request);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Each item of the stored plan: its task, its work text, and its lead and cooperating units in order. */
async function storedItems(db: Db) {
  const items = await db
    .selectFrom('items')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select(['items.id', 'tasks.number', 'items.work', 'items.extra'])
    .orderBy('tasks.sort_key')
    .orderBy('items.position')
    .execute();
  const links = await db
    .selectFrom('item_organisations')
    .innerJoin('organisations', 'organisations.id', 'item_organisations.organisation_id')
    .select(['item_organisations.item_id', 'item_organisations.role', 'item_organisations.position', 'organisations.name'])
    .orderBy('item_organisations.position')
    .execute();
  const units = (itemId: number, role: string) =>
    links.filter((link) => link.item_id === itemId && link.role === role).map((link) => link.name);
  return items.map((item) => ({
    number: item.number,
    work: item.work,
    lead: units(item.id, 'lead'),
    cooperating: units(item.id, 'cooperating'),
    extra: JSON.parse(item.extra) as Record<string, unknown>,
  }));
}

async function rememberedMappings(db: Db) {
  return db.selectFrom('import_column_mappings').selectAll().execute();
}

async function importEvents(db: Db) {
  const rows = await db
    .selectFrom('audit_events')
    .select(['action', 'after'])
    .where('action', '=', 'import.summary_table')
    .orderBy('id')
    .execute();
  return rows.map((row) => JSON.parse(row.after!) as Record<string, unknown>);
}

describeEachDatabase('import: a person reads the columns, and the choice is remembered', (database) => {
  it('reads the columns by their headings when nothing is chosen or remembered, and says how each was read', async () => {
    const summary = await importFile(database().db, { ...FIRST, dryRun: true });
    expect(summary.columnsSource).toBe('heading');
    expect(summary.headerSignature).toBe(
      ['序号', '重点工作', '目标任务', '责任单位', '协同推进单位', '一季度进展情况', '备注'].join('\u0000'),
    );
    expect(summary.columns.map(({ heading, meaning, source }) => [heading, meaning, source])).toEqual([
      ['序号', 'number', 'heading'],
      ['重点工作', 'name', 'heading'],
      ['目标任务', 'work', 'heading'],
      ['责任单位', 'responsible', 'heading'],
      ['协同推进单位', 'extra', 'heading'],
      ['一季度进展情况', 'completion', 'heading'],
      ['备注', 'extra', 'heading'],
    ]);
    // 责任单位 alone: task 8's second lead unit is read as cooperating, its real cooperating unit is left aside
    const task8 = summary.table.chapters[0]!.tasks[1]!.items[0]!;
    expect(task8).toMatchObject({
      lead: '市发改委',
      cooperating: '市财政局',
      extra: { 协同推进单位: '市审计局', 备注: '两个牵头单位共同负责' },
    });
    expect(summary.period).toEqual({ code: '2031-Q1', label: '一季度' });
    expect(summary.filing).toEqual({ organisation: '市发改委投资处', date: '2031-04-08' });
  });

  it('previews with a chosen reading without remembering it', async () => {
    const { db } = database();
    const summary = await importFile(db, { ...FIRST, dryRun: true, columns: COOPERATING_CHOSEN });
    expect(summary.columnsSource).toBe('chosen');
    expect(summary.columns.find((column) => column.position === 3)).toMatchObject({
      heading: '责任单位',
      meaning: 'lead',
      source: 'heading',
    });
    expect(summary.columns.find((column) => column.position === 4)).toMatchObject({
      heading: '协同推进单位',
      meaning: 'cooperating',
      source: 'chosen',
    });
    const items = summary.table.chapters.flatMap((chapter) =>
      chapter.tasks.flatMap((task) => task.items.map((item) => [task.number, item.lead, item.cooperating])),
    );
    expect(items).toEqual([
      ['5', '市发改委', '市财政局、市自然资源和规划局'],
      ['5', '市发改委', '市住建局、市交通运输局'],
      ['8', '市发改委、市财政局', '市审计局'],
      ['14', '市住建局', '市发改委、市财政局'],
    ]);
    expect(summary.table.columns.extra).toEqual(['备注']);
    expect(await rememberedMappings(db)).toEqual([]);
    expect((await importFile(db, { ...FIRST, dryRun: true })).columnsSource).toBe('heading');
  });

  it('a choice that says what the headings already say is no choice', async () => {
    const summary = await importFile(database().db, { ...FIRST, dryRun: true, columns: { 0: 'number', 2: 'work', 4: 'extra' } });
    expect(summary.columnsSource).toBe('heading');
    expect(summary.columns.every((column) => column.source === 'heading')).toBe(true);
  });

  it('a confirmed import stores the plan as read by the person, and remembers the choice for these headings', async () => {
    const { db } = database();
    const summary = await importFile(db, { ...FIRST, columns: COOPERATING_CHOSEN, organisation: '市发改委' });
    expect(summary).toMatchObject({
      columnsSource: 'chosen',
      organisation: '市发改委',
      changes: { plans: 1, tasks: 3, items: 4, reports: 4 },
    });
    expect(await storedItems(db)).toEqual([
      {
        number: '5',
        work: '全年实施市级重大项目120个，完成年度投资850亿元以上。',
        lead: ['市发改委'],
        cooperating: ['市财政局', '市自然资源和规划局'],
        extra: { columns: { 备注: '' } },
      },
      {
        number: '5',
        work: '开展重大项目“集中开工月”活动，一季度新开工项目不少于30个。',
        lead: ['市发改委'],
        cooperating: ['市住建局', '市交通运输局'],
        extra: { columns: { 备注: '' } },
      },
      {
        number: '8',
        work: '健全政府投资项目储备库，全年入库项目不少于200个。',
        lead: ['市发改委', '市财政局'],
        cooperating: ['市审计局'],
        extra: { columns: { 备注: '两个牵头单位共同负责' } },
      },
      {
        number: '14',
        work: '完成老旧小区改造60个，惠及居民2.1万户。',
        lead: ['市住建局'],
        cooperating: ['市发改委', '市财政局'],
        extra: { columns: { 备注: '' } },
      },
    ]);
    const remembered = await rememberedMappings(db);
    expect(remembered).toHaveLength(1);
    expect(JSON.parse(remembered[0]!.columns)).toEqual({ 4: 'cooperating' });
    expect(JSON.parse(remembered[0]!.headings)).toEqual([
      '序号',
      '重点工作',
      '目标任务',
      '责任单位',
      '协同推进单位',
      '一季度进展情况',
      '备注',
    ]);
    expect(remembered[0]).toMatchObject({ chosen_by: 'user:7' });
    // the import event records the choice and that it was remembered
    expect((await importEvents(db)).at(-1)).toMatchObject({
      columnsSource: 'chosen',
      columns: { 4: 'cooperating' },
      columnMapping: 'remembered',
    });
  });

  it('the next table with the same headings is read with the remembered choice, and says so', async () => {
    const { db } = database();
    const summary = await importFile(db, { ...SECOND, dryRun: true });
    expect(summary.columnsSource).toBe('remembered');
    expect(summary.columns.find((column) => column.position === 4)).toMatchObject({ meaning: 'cooperating', source: 'chosen' });
    expect(summary.table.chapters[0]!.tasks[0]!.items.map((item) => [item.lead, item.cooperating, item.extra])).toEqual([
      ['市住建局', '市发改委、市财政局', { 备注: '' }],
      ['市住建局', '市市场监管局', { 备注: '联系人：王工' }],
    ]);
    // the same item as the first file's (same 序号 and work text): only the new one is added
    expect(summary.changes).toMatchObject({ plans: 0, tasks: 0, items: 1, reports: 2 });
  });

  it('a new choice for the same headings replaces the remembered one', async () => {
    const { db } = database();
    const confirmed = await importFile(db, { ...SECOND, columns: { 4: 'cooperating', 6: 'ignore' } });
    expect(confirmed.columnsSource).toBe('chosen');
    expect(JSON.parse((await rememberedMappings(db))[0]!.columns)).toEqual({ 4: 'cooperating', 6: 'ignore' });
    expect(await rememberedMappings(db)).toHaveLength(1);

    const again = await importFile(db, { ...FIRST, dryRun: true });
    expect(again.columnsSource).toBe('remembered');
    expect(again.columns.find((column) => column.position === 6)).toMatchObject({ heading: '备注', meaning: 'ignore', source: 'chosen' });
    expect(again.table.columns.extra).toBeUndefined();
    expect(again.table.chapters[0]!.tasks[1]!.items[0]!.extra).toBeUndefined();
  });

  it('going back to the headings (an empty choice) forgets the remembered one when confirmed', async () => {
    const { db } = database();
    const preview = await importFile(db, { ...FIRST, dryRun: true, columns: {} });
    expect(preview.columnsSource).toBe('heading');
    expect(preview.table.chapters[0]!.tasks[1]!.items[0]).toMatchObject({ lead: '市发改委', cooperating: '市财政局' });
    // a dry run changes nothing: still remembered
    expect(await rememberedMappings(db)).toHaveLength(1);

    const eventsBefore = (await importEvents(db)).length;
    // 市住建局's table: its unit leads every row however 协同推进单位 is read
    await importFile(db, { ...SECOND, columns: {} });
    expect(await rememberedMappings(db)).toEqual([]);
    // forgetting is recorded with the import even though the plan already holds what the file says
    const events = await importEvents(db);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({ columnsSource: 'heading', columnMapping: 'forgotten' });
    expect((await importFile(db, { ...FIRST, dryRun: true })).columnsSource).toBe('heading');
  });

  it('refuses a choice that does not fit the table, naming the column', async () => {
    const { db } = database();
    const cases: [ImportRequest['columns'], RegExp][] = [
      [{ 9: 'cooperating' }, /第 10 列不是表头中有标题的列/],
      [{ 4: 'helper' as never }, /第 5 列的含义“helper”不在可选范围内/],
      [{ 0: 'ignore' }, /没有“序号”列和“名称”或“工作任务”列/],
      [{ 1: 'extra', 2: 'ignore' }, /没有“序号”列和“名称”或“工作任务”列/],
      [{ 3: 'lead', 4: 'lead' }, /“责任单位”和“协同推进单位”两列都选为“牵头单位”/],
    ];
    for (const [columns, message] of cases) {
      const error = await refusal(importFile(db, { ...FIRST, dryRun: true, columns }));
      expect(error).toMatchObject({ status: 400, code: 'invalid_column_mapping' });
      expect(error.message).toMatch(message);
    }
    // 序号 and 名称 swapped: read so from the header the headings found, never from the title row above it
    const swapped = await importFile(db, { ...FIRST, dryRun: true, columns: { 0: 'name', 1: 'number' } });
    const plain = await importFile(db, { ...FIRST, dryRun: true });
    expect(swapped.rows.find((row) => row.kind === 'header')?.line).toBe(plain.rows.find((row) => row.kind === 'header')?.line);
    expect(swapped.table.chapters[0]!.tasks[0]!.name).toBe(plain.table.chapters[0]!.tasks[0]!.number);
    const decomposition = await refusal(importFile(db, { ...DECOMPOSITION, dryRun: true, columns: { 0: 'number' } }));
    expect(decomposition).toMatchObject({ status: 400, code: 'invalid_column_mapping' });
    expect(decomposition.message).toContain('不是表格');
    // nothing was remembered by a refused choice
    expect(await rememberedMappings(db)).toEqual([]);
  });

  it('a remembered mapping that no longer reads the table is left aside, with a warning saying so', async () => {
    const { db } = database();
    const first = await importFile(db, { ...FIRST, dryRun: true });
    // stored by an earlier release, or by hand: it would leave the table without its 序号
    await saveColumnMapping(db, {
      signature: first.headerSignature!,
      headings: [],
      columns: { 0: 'ignore' },
      chosenBy: 'user:1',
      chosenAt: '2031-04-01T00:00:00.000Z',
    });
    const summary = await importFile(db, { ...FIRST, dryRun: true });
    expect(summary.columnsSource).toBe('heading');
    // (the file's other warnings are the rows its filing unit has no part in)
    expect(summary.warnings.filter((warning) => warning.column === 'columns')).toEqual([
      {
        line: 3,
        column: 'columns',
        message: expect.stringMatching(/^上次为此表头保存的列对应关系已不适用（.*没有“序号”列.*），已按表头文字识别各列。$/),
      },
    ]);
    expect(summary.counts).toEqual({ chapters: 2, tasks: 3, items: 4 });
    await db.deleteFrom('import_column_mappings').execute();
  });

  it('reads the period a person chose instead of the one in the headings, and refuses a period of another year', async () => {
    const { db } = database();
    const summary = await importFile(db, { ...SECOND, period: '2031-H1' });
    expect(summary.period).toEqual({ code: '2031-H1', label: '上半年' });
    expect(summary.warnings).toEqual([]);
    const periods = await db
      .selectFrom('periods')
      .select(['code', 'label'])
      .where('plan_id', '=', summary.planId!)
      .orderBy('code')
      .execute();
    expect(periods.map((period) => period.code)).toEqual(['2031-H1', '2031-Q1', '2031-Y']);
    const reports = await db
      .selectFrom('reports')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
      .select(['periods.code', 'organisations.name', 'reports.text'])
      .where('periods.code', '=', '2031-H1')
      .execute();
    expect(reports.map((report) => [report.name, report.text]).sort()).toEqual([
      ['市住建局', '已完成加装电梯47台，另有63台完成审批。'],
      ['市住建局', '已开工改造老旧小区21个，完成投资3.4亿元。'],
    ]);

    for (const period of ['2030-Q1', '2031-Q5', '上半年']) {
      const error = await refusal(importFile(db, { ...SECOND, dryRun: true, period }));
      expect(error).toMatchObject({ status: 400, code: 'invalid_period', details: { field: 'period' } });
      expect(error.message).toContain(`报送周期“${period}”无效：应为 2031 年的周期`);
    }
  });
});
