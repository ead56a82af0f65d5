import { preparedQuery } from '../prepared.js';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { AuditEventTable, Executor } from '../schema.js';
import { inChunks } from './chunks.js';

export interface AuditEntry {
  actor: string;
  organisationId?: number | null;
  source: string;
  action: string;
  objectType: string;
  objectId: string | number;
  before?: unknown;
  after?: unknown;
}

/** The only write path to audit_events: there is deliberately no update or delete. */
export async function appendAuditEvent(db: Executor, entry: AuditEntry, at: string): Promise<void> {
  await insertAuditEvent(db, {
    at,
    actor: entry.actor,
    organisation_id: entry.organisationId ?? null,
    source: entry.source,
    action: entry.action,
    object_type: entry.objectType,
    object_id: String(entry.objectId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

const insertAuditEvent = preparedQuery((db, v: Omit<Selectable<AuditEventTable>, 'id'>) =>
  db.insertInto('audit_events').values({
    at: v.at,
    actor: v.actor,
    organisation_id: v.organisation_id,
    source: v.source,
    action: v.action,
    object_type: v.object_type,
    object_id: v.object_id,
    before: v.before,
    after: v.after,
  }),
);

/** Which entries of the trail to read; every part is optional and the parts are combined with AND. */
export interface AuditFilter {
  /** from this instant on (ISO-8601, inclusive) */
  from?: string;
  /** before this instant (exclusive) */
  to?: string;
  actor?: string;
  /** the action or the start of one: `report.` is every report action */
  action?: string;
  objectType?: string;
  objectId?: string;
  organisationId?: number;
}

function filteredAuditEvents(db: Executor, filter: AuditFilter) {
  let select = db.selectFrom('audit_events');
  if (filter.from) select = select.where('at', '>=', filter.from);
  if (filter.to) select = select.where('at', '<', filter.to);
  if (filter.actor) select = select.where('actor', '=', filter.actor);
  // a prefix match without LIKE, whose wildcards (_ is common in action names) would need escaping per dialect
  if (filter.action) select = select.where(sql`substr(action, 1, ${[...filter.action].length})`, '=', filter.action);
  if (filter.objectType) select = select.where('object_type', '=', filter.objectType);
  if (filter.objectId) select = select.where('object_id', '=', filter.objectId);
  if (filter.organisationId !== undefined) select = select.where('organisation_id', '=', filter.organisationId);
  return select;
}

/** How many entries of the trail the filter matches. */
export async function countAuditEvents(db: Executor, filter: AuditFilter): Promise<number> {
  const row = await filteredAuditEvents(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of the entries the filter matches, newest first (entries of the same instant by id). */
export async function findAuditEvents(db: Executor, filter: AuditFilter, page: { limit: number; offset: number }) {
  return filteredAuditEvents(db, filter)
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The distinct values of one column over the whole trail, in no particular order. */
export async function listDistinctAuditValues(db: Executor, column: 'action' | 'object_type' | 'actor'): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select(`${column} as value`).distinct().execute();
  return rows.map((row) => row.value);
}

/** The organisations that occur in the trail, by id. */
export async function listAuditOrganisationIds(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('audit_events').select('organisation_id').distinct().where('organisation_id', 'is not', null).execute();
  return rows.map((row) => row.organisation_id!);
}

/** The ids of the objects of a page of audit entries, by the kind of row they name. */
export interface AuditObjectIds {
  organisations: number[];
  plans: number[];
  periods: number[];
  items: number[];
  reports: number[];
  attachments: number[];
  extensionRequests: number[];
  imports: number[];
}

export interface AuditObjectRows {
  organisations: { id: number; name: string }[];
  plans: { id: number; year: number; title: string }[];
  periods: { id: number; label: string; year: number }[];
  items: { id: number; work: string; task_number: string; year: number }[];
  reports: { id: number; work: string; task_number: string; year: number; organisation: string; period: string }[];
  attachments: { id: number; file_name: string; report_id: number }[];
  extensionRequests: { id: number; report_id: number }[];
  imports: { id: number; file_name: string }[];
}

/**
 * The rows behind the objects of a set of audit entries, one query per kind of object however many entries there
 * are (people and tokens are named with the actors, by services/actors.ts). Attachments and extension requests name their report, whose item, unit and period are read with the others.
 */
export async function findAuditObjects(db: Executor, ids: AuditObjectIds): Promise<AuditObjectRows> {
  const [attachments, extensionRequests] = await Promise.all([
    inChunks(ids.attachments, (chunk) =>
      db.selectFrom('attachments').select(['id', 'file_name', 'report_id']).where('id', 'in', chunk).execute(),
    ),
    inChunks(ids.extensionRequests, (chunk) =>
      db.selectFrom('extension_requests').select(['id', 'report_id']).where('id', 'in', chunk).execute(),
    ),
  ]);
  const reportIds = [...ids.reports, ...attachments.map((row) => row.report_id), ...extensionRequests.map((row) => row.report_id)];
  const [organisations, plans, periods, items, reports, imports] = await Promise.all([
    inChunks(ids.organisations, (chunk) => db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', chunk).execute()),
    inChunks(ids.plans, (chunk) => db.selectFrom('plans').select(['id', 'year', 'title']).where('id', 'in', chunk).execute()),
    inChunks(ids.periods, (chunk) =>
      db
        .selectFrom('periods')
        .innerJoin('plans', 'plans.id', 'periods.plan_id')
        .select(['periods.id as id', 'periods.label as label', 'plans.year as year'])
        .where('periods.id', 'in', chunk)
        .execute(),
    ),
    inChunks(ids.items, (chunk) =>
      db
        .selectFrom('items')
        .innerJoin('tasks', 'tasks.id', 'items.task_id')
        .innerJoin('plans', 'plans.id', 'tasks.plan_id')
        .select(['items.id as id', 'items.work as work', 'tasks.number as task_number', 'plans.year as year'])
        .where('items.id', 'in', chunk)
        .execute(),
    ),
    inChunks(reportIds, (chunk) =>
      db
        .selectFrom('reports')
        .innerJoin('items', 'items.id', 'reports.item_id')
        .innerJoin('tasks', 'tasks.id', 'items.task_id')
        .innerJoin('plans', 'plans.id', 'tasks.plan_id')
        .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
        .innerJoin('periods', 'periods.id', 'reports.period_id')
        .select([
          'reports.id as id',
          'items.work as work',
          'tasks.number as task_number',
          'plans.year as year',
          'organisations.name as organisation',
          'periods.label as period',
        ])
        .where('reports.id', 'in', chunk)
        .execute(),
    ),
    inChunks(ids.imports, (chunk) => db.selectFrom('imports').select(['id', 'file_name']).where('id', 'in', chunk).execute()),
  ]);
  return { organisations, plans, periods, items, reports, attachments, extensionRequests, imports };
}
