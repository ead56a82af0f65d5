import { createHash } from 'node:crypto';
import type { Executor, ImportColumnMappingRow } from '../schema.js';

/**
 * The key of a remembered column mapping: the SHA-256 of the header signature. The signature joins headings with
 * U+0000, which PostgreSQL text cannot hold, and a hash keeps the key short however wide the table.
 */
export function headerKey(signature: string): string {
  return createHash('sha256').update(signature, 'utf8').digest('hex');
}

/** The column choice remembered for tables with these headings. */
export async function findColumnMapping(db: Executor, signature: string): Promise<ImportColumnMappingRow | undefined> {
  return db.selectFrom('import_column_mappings').selectAll().where('header_key', '=', headerKey(signature)).executeTakeFirst();
}

/** Insert or replace the mapping remembered for a header. */
export async function saveColumnMapping(
  db: Executor,
  values: { signature: string; headings: string[]; columns: Record<number, string>; chosenBy: string; chosenAt: string },
): Promise<void> {
  const row = {
    header_key: headerKey(values.signature),
    headings: JSON.stringify(values.headings),
    columns: JSON.stringify(values.columns),
    chosen_by: values.chosenBy,
    chosen_at: values.chosenAt,
  };
  await db
    .insertInto('import_column_mappings')
    .values(row)
    .onConflict((conflict) =>
      conflict
        .column('header_key')
        .doUpdateSet({ headings: row.headings, columns: row.columns, chosen_by: row.chosen_by, chosen_at: row.chosen_at }),
    )
    .execute();
}

/** Forgets the mapping remembered for a header; answers whether there was one. */
export async function deleteColumnMapping(db: Executor, signature: string): Promise<boolean> {
  const result = await db.deleteFrom('import_column_mappings').where('header_key', '=', headerKey(signature)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
