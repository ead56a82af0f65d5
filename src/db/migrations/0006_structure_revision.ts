import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';

/**
 * A revision number of the plans' structure (chapters, tasks, items, their units and the units' names), bumped by
 * the database itself on every write that changes what a plan tree or a summary table shows, so that a server may
 * keep a plan's structure in memory and know, with one read of one row, whether it is still the current one.
 * Triggers rather than calls in the services: no write path, present or future, can forget to bump it.
 *
 * Only the columns the structure shows bump it: acknowledging an assignment (item_organisations.state) or
 * touching an organisation's updated_at changes no tree.
 */
const WATCHED: { table: string; columns: string[] | null }[] = [
  { table: 'plans', columns: ['year', 'title', 'issuer'] },
  { table: 'chapters', columns: null },
  { table: 'tasks', columns: null },
  { table: 'items', columns: ['task_id', 'position', 'work', 'lead_text', 'cooperating_text'] },
  { table: 'item_organisations', columns: ['item_id', 'organisation_id', 'role', 'position'] },
  { table: 'organisations', columns: ['name', 'kind', 'merged_into_id'] },
];

export async function up(db: Kysely<any>): Promise<void> {
  // the summary tables' reads answered from indexes alone: a period's reports with whose they are, and each
  // report's newest version of a kind, without reading the rows and their texts
  await db.schema
    .createIndex('reports_period_unit_idx')
    .on('reports')
    .columns(['period_id', 'item_id', 'organisation_id', 'due_on'])
    .execute();
  await db.schema
    .createIndex('report_versions_event_idx')
    .on('report_versions')
    .columns(['report_id', 'revision', 'event', 'id'])
    .execute();

  await db.schema
    .createTable('structure_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into structure_revision (id, revision) values (1, 1)`.execute(db);

  if (isPostgres(db)) {
    // a single-row counter bumped under its row lock: revisions are taken in commit order, so a reader that sees
    // revision r also sees every structural write numbered r or below
    await sql`
      create function structure_revision_bump() returns trigger language plpgsql as $$
      begin
        update structure_revision set revision = revision + 1 where id = 1;
        return null;
      end
      $$`.execute(db);
    for (const { table, columns } of WATCHED) {
      const update = columns ? `update of ${columns.join(', ')}` : 'update';
      await sql
        .raw(
          `create trigger ${table}_structure_revision after insert or delete or ${update} on ${table} for each statement execute function structure_revision_bump()`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${table}_structure_revision_truncate after truncate on ${table} for each statement execute function structure_revision_bump()`,
        )
        .execute(db);
    }
  } else {
    // SQLite has row triggers only; its one writer at a time makes the counter's order the commit order
    for (const { table, columns } of WATCHED) {
      for (const event of ['insert', 'delete', columns ? `update of ${columns.join(', ')}` : 'update']) {
        const name = `${table}_structure_revision_${event.split(' ')[0]}`;
        await sql
          .raw(
            `create trigger ${name} after ${event} on ${table} begin update structure_revision set revision = revision + 1 where id = 1; end`,
          )
          .execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const { table } of WATCHED) {
      await sql.raw(`drop trigger ${table}_structure_revision_truncate on ${table}`).execute(db);
      await sql.raw(`drop trigger ${table}_structure_revision on ${table}`).execute(db);
    }
    await sql`drop function structure_revision_bump()`.execute(db);
  } else {
    for (const { table } of WATCHED) {
      for (const event of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${table}_structure_revision_${event}`).execute(db);
    }
  }
  await db.schema.dropTable('structure_revision').execute();
  await db.schema.dropIndex('report_versions_event_idx').execute();
  await db.schema.dropIndex('reports_period_unit_idx').execute();
}
