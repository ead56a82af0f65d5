import { sql } from 'kysely';
import type { Executor } from '../schema.js';

/** The cheapest round trip that proves the database answers: what /healthz waits for. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
