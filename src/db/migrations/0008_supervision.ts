import { sql, type Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './portable.js';

/**
 * Supervision (督查督办): what runs outside requests and what it leaves behind.
 *
 * - `job_slots`: the ledger of periodic jobs. A job's run for one slot (a day, an hour) inserts its row in the same
 *   transaction as everything the run writes, so on one server or many each slot's effects are committed once: a
 *   second runner's insert waits on the first's key and then finds it taken, and a runner killed mid-way leaves
 *   nothing, not even the row, so the slot runs again.
 * - `jobs`: the queue of the in-process runner on SQLite (one process by design); on PostgreSQL pg-boss keeps its own.
 * - `warning_rules` per plan, `item_lights` (each item's current light and reason per period) and `light_changes`.
 * - `reminders` (one per item, unit, period, kind and day, so that a reminder is raised once), `urges` (催办 by the
 *   office), `notices` (the three-colour 督办单, numbered per year by `document_counters`) with `notice_replies`,
 *   `closure_requests` (办结销号) and the items' closed mark, `bulletins` (通报).
 * - `notifications` (the in-app inbox, one per person and cause), `deliveries` (the outbox of e-mails and webhook
 *   calls, each with its attempts, next attempt and lease, and `dead` as the dead-letter list), `webhooks` and
 *   `notification_preferences`; users get an e-mail address.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const serial = idType(db);

  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema.alterTable('items').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('items').addColumn('closed_by', 'text').execute();

  await db.schema
    .createTable('job_slots')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('ran_by', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_slots_pk', ['job', 'slot'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', serial, id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('singleton_key', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('created', 'active', 'completed', 'failed')`))
    .addColumn('start_after', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('retry_delay_seconds', 'integer', (c) => c.notNull())
    .addColumn('retry_backoff', 'integer', (c) => c.notNull())
    .addColumn('expire_seconds', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'start_after']).execute();
  // one waiting or running job per key, as pg-boss's singleton keys give
  await sql`create unique index jobs_singleton_idx on jobs (name, singleton_key) where singleton_key is not null and state in ('created', 'active')`.execute(
    db,
  );

  await db.schema
    .createTable('warning_rules')
    .addColumn('plan_id', 'integer', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('item_lights')
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('light', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_lights_pk', ['period_id', 'item_id'])
    .execute();
  await db.schema
    .createTable('light_changes')
    .addColumn('id', serial, id)
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('from_light', 'text')
    .addColumn('to_light', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('light_changes_item_idx').on('light_changes').columns(['item_id', 'id']).execute();

  await db.schema
    .createTable('reminders')
    .addColumn('id', serial, id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('before', 'due', 'after')`))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reminders_once_idx')
    .on('reminders')
    .columns(['item_id', 'organisation_id', 'period_id', 'kind', 'day'])
    .unique()
    .execute();

  await db.schema
    .createTable('urges')
    .addColumn('id', serial, id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_id', 'integer', (c) => c.references('periods.id').onDelete('set null'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('urges_item_idx').on('urges').columns(['item_id', 'id']).execute();

  await db.schema
    .createTable('document_counters')
    // notice or bulletin: each series is numbered from 1 every year
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_counters_pk', ['series', 'year'])
    .execute();
  await db.schema
    .createTable('notices')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull().check(sql`colour in ('blue', 'yellow', 'red')`))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_id', 'integer', (c) => c.references('periods.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requirement', 'text', (c) => c.notNull())
    .addColumn('reply_due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'answered', 'closed', 'escalated')`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('rule', 'office')`))
    // a rule raises a colour of an item for a unit and period once
    .addColumn('rule_key', 'text', (c) => c.unique())
    .addColumn('escalated_from_id', 'integer', (c) => c.references('notices.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('close_comment', 'text')
    .addUniqueConstraint('notices_number_unique', ['year', 'number'])
    .execute();
  await db.schema.createIndex('notices_unit_idx').on('notices').columns(['organisation_id', 'state']).execute();
  await db.schema.createIndex('notices_item_idx').on('notices').columns(['item_id']).execute();
  await db.schema
    .createTable('notice_replies')
    .addColumn('id', serial, id)
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_replies_notice_idx').on('notice_replies').columns(['notice_id', 'id']).execute();

  await db.schema
    .createTable('closure_requests')
    .addColumn('id', serial, id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'approved', 'returned')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_comment', 'text')
    .execute();
  await db.schema.createIndex('closure_requests_item_idx').on('closure_requests').columns(['item_id', 'state']).execute();

  await db.schema
    .createTable('bulletins')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull())
    .addColumn('closing', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'issued')`))
    // the tables as issued, JSON: an issued bulletin prints what it said that day
    .addColumn('content', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text')
    .addColumn('issued_at', 'text')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', serial, id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.references('items.id').onDelete('set null'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('notice_id', 'integer', (c) => c.references('notices.id').onDelete('set null'))
    .addColumn('link', 'text')
    // one notification per person and cause, however often its cause is processed
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addUniqueConstraint('notifications_cause_unique', ['user_id', 'cause'])
    .execute();
  await db.schema.createIndex('notifications_inbox_idx').on('notifications').columns(['user_id', 'read_at', 'id']).execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', serial, id)
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('generic', 'dingtalk', 'wecom')`))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    // JSON list of notification kinds; empty: every kind
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_preferences')
    // user:17 or organisation:5
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'integer', (c) => c.notNull())
    .addColumn('webhook', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['subject', 'kind'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', serial, id)
    .addColumn('notification_id', 'integer', (c) => c.references('notifications.id').onDelete('set null'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'webhook')`))
    .addColumn('webhook_id', 'integer', (c) => c.references('webhooks.id').onDelete('set null'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('cause', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'sending', 'sent', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deliveries_due_idx').on('deliveries').columns(['state', 'next_attempt_at']).execute();

  // an item's closure and a plan's warning rules change every table that shows them: the structure revision (0006)
  // covers them too, so that kept answers and cached structures follow
  if (isPostgres(db)) {
    await sql`create trigger items_closure_structure_revision after update of closed_at on items for each statement execute function structure_revision_bump()`.execute(
      db,
    );
    await sql`create trigger warning_rules_structure_revision after insert or update or delete on warning_rules for each statement execute function structure_revision_bump()`.execute(
      db,
    );
  } else {
    await sql`create trigger items_closure_structure_revision after update of closed_at on items begin update structure_revision set revision = revision + 1 where id = 1; end`.execute(
      db,
    );
    for (const event of ['insert', 'update', 'delete']) {
      await sql
        .raw(
          `create trigger warning_rules_structure_revision_${event} after ${event} on warning_rules begin update structure_revision set revision = revision + 1 where id = 1; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger items_closure_structure_revision on items`.execute(db);
    await sql`drop trigger warning_rules_structure_revision on warning_rules`.execute(db);
  } else {
    await sql`drop trigger items_closure_structure_revision`.execute(db);
    for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger warning_rules_structure_revision_${event}`).execute(db);
  }
  for (const table of [
    'deliveries',
    'notification_preferences',
    'webhooks',
    'notifications',
    'bulletins',
    'closure_requests',
    'notice_replies',
    'notices',
    'document_counters',
    'urges',
    'reminders',
    'light_changes',
    'item_lights',
    'warning_rules',
    'jobs',
    'job_slots',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ['closed_by', 'closed_at']) await db.schema.alterTable('items').dropColumn(column).execute();
  await db.schema.alterTable('users').dropColumn('email').execute();
}
