import type { Kysely } from 'kysely';

/**
 * How a person read the columns of a table whose headings the importer did not read right: remembered by the
 * table's header (the SHA-256 of its headings, compared without white space), so that the next file with the same
 * headings is read the same way. The overrides are JSON text (position → meaning); the headings are kept as written,
 * JSON text too, so that the register says which table a mapping is for.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_column_mappings')
    .addColumn('header_key', 'text', (c) => c.primaryKey())
    .addColumn('headings', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('chosen_by', 'text', (c) => c.notNull())
    .addColumn('chosen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_column_mappings').execute();
}
