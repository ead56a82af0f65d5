import type { Executor } from '../db/schema.js';
import {
  countAuditEvents,
  findAuditEvents,
  findAuditObjects,
  listAuditOrganisationIds,
  listDistinctAuditValues,
  type AuditFilter,
} from '../db/repositories/audit.js';
import { auditActionLabel, auditObjectTypeLabel } from '../contract/audit-labels.js';
import type { AuditFacets, AuditPage } from '../contract/audit.js';
import { auditTable, writeAuditWorkbook } from '../documents/audit-workbook.js';
import { writeCsv } from '../documents/csv.js';
import { lookUpActors } from './actors.js';
import type { ServiceContext } from './context.js';

/** A filter of the trail and the page of it to read. */
export interface AuditQuery extends AuditFilter {
  limit?: number;
  offset?: number;
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
  const objects = (type: string) =>
    objectsOfEvents.filter((row) => row.object_type === type && isId(row.object_id)).map((row) => Number(row.object_id));
  const people = [...actors, ...objects('user').map((id) => `user:${id}`), ...objects('api_token').map((id) => `token:${id}`)];
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

/**
 * The audit trail, newest first. Reading it is the only thing the application does with it besides appending. The
 * facets are a reading of the whole trail, not of the page, so they are auditFacets' to give.
 */
export async function listAuditEvents(ctx: ServiceContext, query: AuditQuery): Promise<Omit<AuditPage, 'facets'>> {
  const { limit = 100, offset = 0, ...filter } = query;
  const total = await countAuditEvents(ctx.db, filter);
  const rows = await findAuditEvents(ctx.db, filter, { limit, offset });
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
  const actions = (await listDistinctAuditValues(ctx.db, 'action')).sort();
  const objectTypes = (await listDistinctAuditValues(ctx.db, 'object_type')).sort();
  const actors = (await listDistinctAuditValues(ctx.db, 'actor')).sort();
  const organisationIds = await listAuditOrganisationIds(ctx.db);
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

/** CSV (UTF-8 with BOM) or XLSX of the filtered trail, at most 100,000 entries. */
export async function exportAuditEvents(ctx: ServiceContext, query: AuditQuery, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const { events } = await listAuditEvents(ctx, { ...query, limit: 100_000, offset: 0 });
  // anyone can put text in the trail (the user name of a failed sign-in): writeCsv keeps a spreadsheet from running it
  if (format === 'csv') return writeCsv(auditTable(events));
  return writeAuditWorkbook(events);
}
