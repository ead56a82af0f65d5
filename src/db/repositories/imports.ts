import type { Insertable } from 'kysely';
import type { Executor, ImportTable } from '../schema.js';

/** The record of one import that changed something: which file, for which plan, unit and period, and what it did. */
export async function insertImportRecord(db: Executor, record: Insertable<ImportTable>): Promise<number> {
  const { id } = await db.insertInto('imports').values(record).returning('id').executeTakeFirstOrThrow();
  return id;
}
