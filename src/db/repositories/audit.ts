import type { Executor } from '../schema.js';

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
  await db
    .insertInto('audit_events')
    .values({
      at,
      actor: entry.actor,
      organisation_id: entry.organisationId ?? null,
      source: entry.source,
      action: entry.action,
      object_type: entry.objectType,
      object_id: String(entry.objectId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
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

/** Below both dialects' limits on bound parameters. */
const CHUNK = 500;

async function inChunks<T>(ids: number[], lookup: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let index = 0; index < unique.length; index += CHUNK) rows.push(...(await lookup(unique.slice(index, index + CHUNK))));
  return rows;
}

/**
 * The rows behind the objects of a set of audit entries, one query per kind of object however many entries there
 * are (people and tokens are named with the actors, by services/actors.ts). Attachments and extension requests name their report, whose item, unit and period are read with the others.
 */
export async function findAuditObjects(db: Executor, ids: AuditObjectIds): Promise<AuditObjectRows> {
  const [attachments, extensionRequests] = await Promise.all([
    inChunks(ids.attachments, (chunk) => db.selectFrom('attachments').select(['id', 'file_name', 'report_id']).where('id', 'in', chunk).execute()),
    inChunks(ids.extensionRequests, (chunk) => db.selectFrom('extension_requests').select(['id', 'report_id']).where('id', 'in', chunk).execute()),
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
