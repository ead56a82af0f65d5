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
