import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Executor } from '../db/schema.js';
import { writeCsv } from '../documents/csv.js';
import { byIdInChunks, lookUpActors } from './actors.js';
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
  objectType: string;
  objectId: string;
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

/**
 * The names behind the ids of a set of events, looked up as they are now: the trail keeps ids, which stay true when
 * a person or a unit is renamed, and the reader wants names.
 */
async function namesFor(db: Executor, actors: Iterable<string>, organisationIds: Iterable<number>) {
  const actorNames = await lookUpActors(db, actors);
  const organisations = await byIdInChunks([...new Set(organisationIds)], (chunk) =>
    db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', chunk).execute(),
  );
  const organisationNames = new Map(organisations.map((organisation) => [organisation.id, organisation.name]));
  return {
    actorName: (actor: string) => actorNames.full(actor),
    organisationName: (id: number | null) => (id === null ? null : (organisationNames.get(id) ?? null)),
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
      objectType: row.object_type,
      objectId: row.object_id,
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

const COLUMNS = ['编号', '时间（UTC）', '操作者', '操作者名称', '单位编号', '单位名称', '来源', '操作', '对象类型', '对象编号', '变更前', '变更后'];
const WIDTHS = [8, 26, 18, 24, 10, 24, 20, 26, 14, 12, 40, 60];

function cells(event: AuditEventView): (string | number)[] {
  return [
    event.id,
    event.at,
    event.actor,
    event.actorName,
    event.organisationId ?? '',
    event.organisationName ?? '',
    event.source,
    event.action,
    event.objectType,
    event.objectId,
    event.before === null ? '' : JSON.stringify(event.before),
    event.after === null ? '' : JSON.stringify(event.after),
  ];
}

/** CSV (UTF-8 with BOM) or XLSX of the filtered trail, at most 100,000 entries. */
export async function exportAuditEvents(ctx: ServiceContext, query: AuditQuery, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const { events } = await listAuditEvents(ctx, { ...query, limit: 100_000, offset: 0 });
  // anyone can put text in the trail (the user name of a failed sign-in): writeCsv keeps a spreadsheet from running it
  if (format === 'csv') return writeCsv([COLUMNS, ...events.map(cells)]);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(COLUMNS).font = { bold: true };
  for (const event of events) sheet.addRow(cells(event));
  sheet.columns.forEach((column, index) => {
    column.width = WIDTHS[index];
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
