import type { Db } from '../db/schema.js';

/** Who is acting and from where; issue-4 accounts will fill this from the session or API token. */
export interface Actor {
  /** stable identifier written to the audit log, e.g. `cli`, `system:demo`, `user:17` */
  id: string;
  source: string;
}

export interface ServiceContext {
  db: Db;
  now(): Date;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', source: 'system' };

export function createServiceContext(db: Db, now: () => Date = () => new Date()): ServiceContext {
  return { db, now };
}
