import type { KyselyPlugin } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { buildSummaryTable } from '../../test/factories/summary-table.js';
import { TEST_CONFIG } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { authConfig } from '../config.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { writeSummaryDocument } from '../documents/index.js';
import { createUser } from './accounts.js';
import { exportAuditEvents, listAuditEvents } from './audit.js';
import { createServiceContext } from './context.js';
import { importSummaryTable } from './import.js';

const AT = '2030-06-01T00:00:00.000Z';
const SYSTEM = { id: 'cli', source: 'cli' };

describeEachDatabase('the audit trail in words', (database) => {
  const ids = { plan: 0, period: 0, item: 0, report: 0, organisation: 0, attachment: 0, extension: 0, user: 0 };

  beforeAll(async () => {
    const { db } = database();
    const ctx = createServiceContext(db);
    // the import writes its own entry (import.summary_table) and creating the user its own (user.create)
    await importSummaryTable(ctx, SYSTEM, {
      bytes: await writeSummaryDocument(buildSummaryTable(), 'json'),
      fileName: '水务局2030年汇总表.json',
    });
    const organisation = await db.selectFrom('organisations').select('id').where('name', '=', '市水务局').executeTakeFirstOrThrow();
    ids.organisation = organisation.id;
    ids.user = (
      await createUser(ctx, SYSTEM, authConfig(TEST_CONFIG), {
        username: 'li.si',
        displayName: '李四',
        organisationId: organisation.id,
        role: 'unit_reporter',
      })
    ).user.id;
    const report = await db
      .selectFrom('reports')
      .innerJoin('items', 'items.id', 'reports.item_id')
      .select(['reports.id as id', 'reports.item_id as item', 'reports.period_id as period'])
      .where('items.work', '=', '新开工水利项目15个。')
      .executeTakeFirstOrThrow();
    Object.assign(ids, { report: report.id, item: report.item, period: report.period });
    ids.plan = (await db.selectFrom('plans').select('id').executeTakeFirstOrThrow()).id;
    await db
      .insertInto('attachment_blobs')
      .values({ sha256: 'a'.repeat(64), size: 3, bytes: new Uint8Array([1, 2, 3]), created_at: AT })
      .execute();
    ids.attachment = (
      await db
        .insertInto('attachments')
        .values({
          report_id: report.id,
          file_name: '现场照片.jpg',
          content_type: 'image/jpeg',
          size: 3,
          sha256: 'a'.repeat(64),
          scan_state: 'clean',
          added_revision: 2,
          created_by: 'cli',
          created_at: AT,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    ids.extension = (
      await db
        .insertInto('extension_requests')
        .values({
          report_id: report.id,
          requested_due_on: '2031-01-20',
          reason: '等待年度统计数据',
          state: 'pending',
          created_by: 'cli',
          created_at: AT,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const entries: [string, string, number | string][] = [
      ['plan.schedule', 'plan', ids.plan],
      ['period.update', 'period', ids.period],
      ['item.assign', 'item', ids.item],
      ['report.submit', 'report', ids.report],
      ['report.attach', 'attachment', ids.attachment],
      ['report.extension_request', 'extension_request', ids.extension],
      ['organisation.update', 'organisation', ids.organisation],
      ['calendar.update', 'calendar', 2030],
      ['report.accept', 'report', 999_999],
    ];
    for (const [action, objectType, objectId] of entries)
      await appendAuditEvent(db, { actor: `user:${ids.user}`, source: 'test', action, objectType, objectId }, AT);
  });

  it('gives every entry its action in words and its object by name', async () => {
    const { events } = await listAuditEvents(createServiceContext(database().db), { limit: 100 });
    const byAction = (action: string, objectId?: number) =>
      events.find((event) => event.action === action && (objectId === undefined || event.objectId === String(objectId)))!;
    expect(byAction('report.submit')).toMatchObject({
      actionLabel: '报送报告',
      objectTypeLabel: '进展报告',
      objectName: '2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年',
      actorName: '李四（li.si）',
    });
    expect(byAction('plan.schedule')).toMatchObject({
      actionLabel: '设置报送安排',
      objectTypeLabel: '工作计划',
      objectName: '2030年度市政府工作任务',
    });
    expect(byAction('period.update')).toMatchObject({ objectTypeLabel: '报送期', objectName: '2030年 全年' });
    expect(byAction('item.assign')).toMatchObject({ actionLabel: '调整分工', objectName: '2030年 序号3：新开工水利项目15个。' });
    expect(byAction('report.attach')).toMatchObject({
      objectTypeLabel: '佐证材料',
      objectName: '现场照片.jpg（2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年）',
    });
    expect(byAction('report.extension_request')).toMatchObject({
      objectTypeLabel: '延期申请',
      objectName: '2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年',
    });
    expect(byAction('organisation.update')).toMatchObject({ objectName: '市水务局' });
    expect(byAction('calendar.update')).toMatchObject({ actionLabel: '修改工作日历', objectName: '2030年工作日历' });
    expect(byAction('user.create')).toMatchObject({ actionLabel: '新建用户', objectTypeLabel: '用户', objectName: '李四（li.si）' });
    expect(byAction('import.summary_table')).toMatchObject({ actionLabel: '导入汇总表', objectName: '水务局2030年汇总表.json' });
    // an object that is gone keeps its id and no name
    expect(byAction('report.accept', 999_999)).toMatchObject({ objectName: null });
    // long work texts are cut, so that a name stays a name
    const long = await listAuditEvents(createServiceContext(database().db), { action: 'item.' });
    expect(long.events.every((event) => [...(event.objectName ?? '')].length < 60)).toBe(true);
  });

  it('looks the names up in a fixed number of queries, however many entries there are', async () => {
    const { db } = database();
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const ctx = createServiceContext(db.withPlugin(counting));
    const count = async (limit: number) => {
      queries = 0;
      const { events } = await listAuditEvents(ctx, { limit });
      return { events: events.length, queries };
    };
    const few = await count(2);
    for (let index = 0; index < 30; index += 1) {
      await appendAuditEvent(
        db,
        { actor: `user:${ids.user}`, source: 'test', action: 'report.save', objectType: 'report', objectId: ids.report },
        AT,
      );
      await appendAuditEvent(db, { actor: 'cli', source: 'test', action: 'item.steps', objectType: 'item', objectId: ids.item }, AT);
    }
    const many = await count(100);
    expect(many.events).toBeGreaterThan(60);
    expect(many.queries).toBeLessThanOrEqual(few.queries + 8);
    // every kind of object of the page at most once, and the actors, and the page and its count
    expect(many.queries).toBeLessThanOrEqual(14);
  });

  it('exports the words beside the codes', async () => {
    const csv = (await exportAuditEvents(createServiceContext(database().db), { action: 'report.submit' }, 'csv'))
      .toString('utf8')
      .replace(/^\ufeff/, '');
    const [header, row] = csv.trim().split('\r\n');
    expect(header).toBe(
      '编号,时间（UTC）,操作者,操作者名称,单位编号,单位名称,来源,操作,操作代码,对象类型,对象类型代码,对象编号,对象名称,变更前,变更后',
    );
    expect(row).toContain(`,报送报告,report.submit,进展报告,report,${ids.report},2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年,`);
  });
});
