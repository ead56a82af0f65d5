import { sql } from 'kysely';
import type { Executor } from '../db/schema.js';
import { findAuditObjects } from '../db/repositories/audit.js';
import { auditActionLabel, auditObjectTypeLabel } from '../contract/audit-labels.js';
import { writeCsv } from '../documents/csv.js';
import { lookUpActors } from './actors.js';
import type { ServiceContext } from './context.js';

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  organisationId?: number;
  limit?: number;
  offset?: number;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  /** who the actor is, for people: `张三（zhang.san）` for a user, the token's name for a token, else the actor itself */
  actorName: string;
  organisationId: number | null;
  organisationName: string | null;
  source: string;
  action: string;
  /** the action in words (src/contract/audit-labels.ts), the code itself for one it does not know */
  actionLabel: string;
  objectType: string;
  objectTypeLabel: string;
  objectId: string;
  /** what the object is called now: the user's name, the unit, the plan's title, a report's item, unit and period */
  objectName: string | null;
  before: unknown;
  after: unknown;
}

/** What occurs in the whole trail, for the choices of a filter form. */
export interface AuditFacets {
  actions: string[];
  objectTypes: string[];
  actors: { actor: string; name: string }[];
  organisations: { id: number; name: string }[];
}

function filtered(ctx: ServiceContext, query: AuditQuery) {
  let select = ctx.db.selectFrom('audit_events');
  if (query.from) select = select.where('at', '>=', query.from);
  if (query.to) select = select.where('at', '<', query.to);
  if (query.actor) select = select.where('actor', '=', query.actor);
  // a prefix match without LIKE, whose wildcards (_ is common in action names) would need escaping per dialect
  if (query.action) select = select.where(sql`substr(action, 1, ${[...query.action].length})`, '=', query.action);
  if (query.objectType) select = select.where('object_type', '=', query.objectType);
  if (query.objectId) select = select.where('object_id', '=', query.objectId);
  if (query.organisationId !== undefined) select = select.where('organisation_id', '=', query.organisationId);
  return select;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

const isId = (text: string) => /^\d+$/.test(text);

/** 2022年 序号8：单位地区生产总值二氧化碳排放量下降完成… — the plan, the task and enough of the work text to know the item by. */
function itemName(row: { task_number: string; work: string; year: number }): string {
  const work = [...row.work.trim()];
  return `${row.year}年 序号${row.task_number}：${work.length > 24 ? `${work.slice(0, 24).join('')}…` : work.join('')}`;
}

/**
 * The names behind the ids of a set of events, looked up as they are now: the trail keeps ids, which stay true when
 * a person or a unit is renamed, and the reader wants names. One lookup for the whole set: actors and the users and
 * tokens that are objects together, then one query per other kind of object.
 */
async function namesFor(
  db: Executor,
  actors: readonly string[],
  organisationIds: readonly number[],
  objectsOfEvents: readonly { object_type: string; object_id: string }[] = [],
) {
  const objects = (type: string) => objectsOfEvents.filter((row) => row.object_type === type && isId(row.object_id)).map((row) => Number(row.object_id));
  const people = [
    ...actors,
    ...objects('user').map((id) => `user:${id}`),
    ...objects('api_token').map((id) => `token:${id}`),
  ];
  const [actorNames, found] = await Promise.all([
    lookUpActors(db, people),
    findAuditObjects(db, {
      organisations: [...organisationIds, ...objects('organisation')],
      plans: objects('plan'),
      periods: objects('period'),
      items: objects('item'),
      reports: objects('report'),
      attachments: objects('attachment'),
      extensionRequests: objects('extension_request'),
      imports: objects('import'),
    }),
  ]);
  const byId = <T extends { id: number }>(list: T[]) => new Map(list.map((row) => [row.id, row]));
  const organisations = byId(found.organisations);
  const plans = byId(found.plans);
  const periods = byId(found.periods);
  const items = byId(found.items);
  const reports = byId(found.reports);
  const attachments = byId(found.attachments);
  const extensionRequests = byId(found.extensionRequests);
  const imports = byId(found.imports);
  const reportName = (id: number | undefined) => {
    const report = id === undefined ? undefined : reports.get(id);
    return report && `${itemName(report)} · ${report.organisation} · ${report.period}`;
  };
  /** A name only for what the lookup found: a login with an unknown user name keeps that name as its object id. */
  const objectName = (type: string, objectId: string): string | null => {
    if (!isId(objectId)) return null;
    const id = Number(objectId);
    const person = (actor: string) => {
      const name = actorNames.full(actor);
      return name === actor ? undefined : name;
    };
    const namers: Record<string, () => string | undefined> = {
      user: () => person(`user:${id}`),
      api_token: () => person(`token:${id}`),
      organisation: () => organisations.get(id)?.name,
      plan: () => plans.get(id)?.title,
      period: () => {
        const period = periods.get(id);
        return period && `${period.year}年 ${period.label}`;
      },
      calendar: () => `${id}年工作日历`,
      item: () => {
        const item = items.get(id);
        return item && itemName(item);
      },
      report: () => reportName(id),
      attachment: () => {
        const attachment = attachments.get(id);
        const report = reportName(attachment?.report_id);
        return attachment && (report ? `${attachment.file_name}（${report}）` : attachment.file_name);
      },
      extension_request: () => reportName(extensionRequests.get(id)?.report_id),
      import: () => imports.get(id)?.file_name,
    };
    return namers[type]?.() ?? null;
  };
  return {
    actorName: (actor: string) => actorNames.full(actor),
    organisationName: (id: number | null) => (id === null ? null : (organisations.get(id)?.name ?? null)),
    objectName,
  };
}

/** The audit trail, newest first. Reading it is the only thing the application does with it besides appending. */
export async function listAuditEvents(ctx: ServiceContext, query: AuditQuery): Promise<{ total: number; events: AuditEventView[] }> {
  const total = Number((await filtered(ctx, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await filtered(ctx, query)
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  const names = await namesFor(
    ctx.db,
    rows.map((row) => row.actor),
    rows.flatMap((row) => (row.organisation_id === null ? [] : [row.organisation_id])),
    rows,
  );
  return {
    total,
    events: rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      actorName: names.actorName(row.actor),
      organisationId: row.organisation_id,
      organisationName: names.organisationName(row.organisation_id),
      source: row.source,
      action: row.action,
      actionLabel: auditActionLabel(row.action),
      objectType: row.object_type,
      objectTypeLabel: auditObjectTypeLabel(row.object_type),
      objectId: row.object_id,
      objectName: names.objectName(row.object_type, row.object_id),
      before: parse(row.before),
      after: parse(row.after),
    })),
  };
}

/** The distinct actions, object types, actors and organisations of the whole trail, with names. */
export async function auditFacets(ctx: ServiceContext): Promise<AuditFacets> {
  // sorted here, not by the database, whose collation differs between dialects and installations
  const distinct = async (column: 'action' | 'object_type' | 'actor'): Promise<string[]> =>
    (await ctx.db.selectFrom('audit_events').select(`${column} as value`).distinct().execute()).map((row) => row.value).sort();
  const actions = await distinct('action');
  const objectTypes = await distinct('object_type');
  const actors = await distinct('actor');
  const organisationIds = (
    await ctx.db.selectFrom('audit_events').select('organisation_id').distinct().where('organisation_id', 'is not', null).execute()
  ).map((row) => row.organisation_id!);
  const names = await namesFor(ctx.db, actors, organisationIds);
  return {
    actions,
    objectTypes,
    actors: actors.map((actor) => ({ actor, name: names.actorName(actor) })),
    organisations: organisationIds
      .map((id) => ({ id, name: names.organisationName(id) ?? `单位 ${id}` }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
  };
}

// the words for a reader, each beside its code for a machine reading the file
const COLUMNS = ['编号', '时间（UTC）', '操作者', '操作者名称', '单位编号', '单位名称', '来源', '操作', '操作代码', '对象类型', '对象类型代码', '对象编号', '对象名称', '变更前', '变更后'];
const WIDTHS = [8, 26, 18, 24, 10, 24, 20, 24, 26, 12, 16, 12, 40, 40, 60];

function cells(event: AuditEventView): (string | number)[] {
  return [
    event.id,
    event.at,
    event.actor,
    event.actorName,
    event.organisationId ?? '',
    event.organisationName ?? '',
    event.source,
    event.actionLabel,
    event.action,
    event.objectTypeLabel,
    event.objectType,
    event.objectId,
    event.objectName ?? '',
    event.before === null ? '' : JSON.stringify(event.before),
    event.after === null ? '' : JSON.stringify(event.after),
  ];
}

/** CSV (UTF-8 with BOM) or XLSX of the filtered trail, at most 100,000 entries. */
export async function exportAuditEvents(ctx: ServiceContext, query: AuditQuery, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const { events } = await listAuditEvents(ctx, { ...query, limit: 100_000, offset: 0 });
  // anyone can put text in the trail (the user name of a failed sign-in): writeCsv keeps a spreadsheet from running it
  if (format === 'csv') return writeCsv([COLUMNS, ...events.map(cells)]);
  // exceljs loads on the first workbook: the server starts without it
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(COLUMNS).font = { bold: true };
  for (const event of events) sheet.addRow(cells(event));
  sheet.columns.forEach((column, index) => {
    column.width = WIDTHS[index];
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
