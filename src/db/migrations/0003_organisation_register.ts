import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.js';

/**
 * The organisation register kept by people: when a record was last changed, and which record a merged duplicate
 * now lives on. The audit trail becomes append-only in the database itself, so that not even a mistaken query of
 * our own can rewrite it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('merged_into_id', 'integer', (c) => c.references('organisations.id'))
    .execute();
  await db.schema.alterTable('organisations').addColumn('updated_at', 'text').execute();
  await sql`update organisations set updated_at = created_at`.execute(db);

  if (isPostgres(db)) {
    await sql`
      create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only';
      end
      $$`.execute(db);
    await sql`
      create trigger audit_events_append_only before update or delete on audit_events
      for each statement execute function audit_events_append_only()`.execute(db);
    await sql`
      create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()`.execute(db);
  } else {
    await sql`
      create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    await sql`
      create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger audit_events_no_truncate on audit_events`.execute(db);
    await sql`drop trigger audit_events_append_only on audit_events`.execute(db);
    await sql`drop function audit_events_append_only()`.execute(db);
  } else {
    await sql`drop trigger audit_events_no_delete`.execute(db);
    await sql`drop trigger audit_events_no_update`.execute(db);
  }
  await db.schema.alterTable('organisations').dropColumn('updated_at').execute();
  await db.schema.alterTable('organisations').dropColumn('merged_into_id').execute();
}
