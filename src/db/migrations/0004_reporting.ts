import { sql, type Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './portable.js';

/**
 * Periodic reporting: the parts of a report (progress, problems, next steps, figures), the events and comments of
 * its versions, assignments a unit signs for or returns, each plan's due-date rules and the working calendar,
 * extension requests, a unit's own sub-steps of an item, and evidence files kept in the database so that several
 * servers share them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const serial = idType(db);

  for (const table of ['reports', 'report_versions']) {
    await db.schema
      .alterTable(table)
      .addColumn('problems', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .alterTable(table)
      .addColumn('next_steps', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema
      .alterTable(table)
      .addColumn('figures', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  }
  await db.schema.alterTable('reports').addColumn('due_on', 'text').execute();
  await db.schema.alterTable('reports').addColumn('updated_by', 'text').execute();
  await db.schema.alterTable('report_versions').addColumn('event', 'text').execute();
  await db.schema.alterTable('report_versions').addColumn('comment', 'text').execute();
  await db.schema.createIndex('reports_period_state_idx').on('reports').columns(['period_id', 'state']).execute();

  await db.schema
    .alterTable('periods')
    .addColumn('due_set_by_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable('item_organisations')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('assigned'))
    .execute();
  await db.schema.alterTable('item_organisations').addColumn('state_reason', 'text').execute();
  await db.schema.alterTable('item_organisations').addColumn('state_at', 'text').execute();
  await db.schema.alterTable('item_organisations').addColumn('state_by', 'text').execute();
  // what was assigned before units could sign for it stands as accepted
  await sql`update item_organisations set state = 'acknowledged'`.execute(db);

  await db.schema
    .createTable('plan_schedules')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('year', 'half', 'quarter', 'month')`))
    .addColumn('due_rule', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_schedules_pk', ['plan_id', 'kind'])
    .execute();

  await db.schema
    .createTable('calendar_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'workday')`))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('extension_requests')
    .addColumn('id', serial, id)
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('requested_due_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'approved', 'rejected')`))
    .addColumn('decision_comment', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('extension_requests_report_idx').on('extension_requests').columns(['report_id', 'state']).execute();

  await db.schema
    .createTable('item_steps')
    .addColumn('id', serial, id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('item_steps_item_idx').on('item_steps').columns(['item_id', 'organisation_id', 'position']).execute();

  await db.schema
    .createTable('attachment_blobs')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('bytes', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', serial, id)
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_blobs.sha256'))
    .addColumn('scan_state', 'text', (c) => c.notNull())
    .addColumn('added_revision', 'integer', (c) => c.notNull())
    .addColumn('removed_revision', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_report_idx').on('attachments').column('report_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['attachments', 'attachment_blobs', 'item_steps', 'extension_requests', 'calendar_days', 'plan_schedules']) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ['state_by', 'state_at', 'state_reason', 'state'])
    await db.schema.alterTable('item_organisations').dropColumn(column).execute();
  await db.schema.alterTable('periods').dropColumn('due_set_by_hand').execute();
  await db.schema.dropIndex('reports_period_state_idx').execute();
  for (const column of ['comment', 'event']) await db.schema.alterTable('report_versions').dropColumn(column).execute();
  for (const column of ['updated_by', 'due_on']) await db.schema.alterTable('reports').dropColumn(column).execute();
  for (const table of ['report_versions', 'reports']) {
    for (const column of ['figures', 'next_steps', 'problems']) await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
