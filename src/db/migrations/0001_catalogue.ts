import { sql, type Kysely } from 'kysely';
import { idColumn, idType } from './portable.js';

/** The work-task catalogue: organisations, plans with chapters, tasks and items, periods, reports, imports, audit. */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const serial = idType(db);

  await db.schema
    .createTable('organisations')
    .addColumn('id', serial, id)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organisation_aliases')
    .addColumn('id', serial, id)
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('alias', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', serial, id)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('plans_year_title_unique', ['year', 'title'])
    .execute();

  await db.schema
    .createTable('chapters')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('numeral', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('chapters_plan_numeral_unique', ['plan_id', 'numeral'])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('chapter_id', 'integer', (c) => c.notNull().references('chapters.id').onDelete('cascade'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('sort_key', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addUniqueConstraint('tasks_plan_number_unique', ['plan_id', 'number'])
    .execute();
  await db.schema.createIndex('tasks_chapter_idx').on('tasks').columns(['chapter_id', 'sort_key']).execute();

  await db.schema
    .createTable('items')
    .addColumn('id', serial, id)
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('work', 'text', (c) => c.notNull())
    .addColumn('lead_text', 'text', (c) => c.notNull())
    .addColumn('cooperating_text', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addUniqueConstraint('items_task_position_unique', ['task_id', 'position'])
    .execute();

  await db.schema
    .createTable('item_organisations')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'cooperating')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_organisations_pk', ['item_id', 'role', 'organisation_id'])
    .execute();
  await db.schema.createIndex('item_organisations_org_idx').on('item_organisations').columns(['organisation_id', 'role']).execute();

  await db.schema
    .createTable('periods')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('expected_progress', 'real', (c) => c.notNull())
    .addUniqueConstraint('periods_plan_code_unique', ['plan_id', 'code'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', serial, id)
    .addColumn('item_id', 'integer', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_id', 'integer', (c) => c.notNull().references('periods.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reports_item_org_period_unique', ['item_id', 'organisation_id', 'period_id'])
    .execute();
  await db.schema.createIndex('reports_org_period_idx').on('reports').columns(['organisation_id', 'period_id']).execute();

  await db.schema
    .createTable('report_versions')
    .addColumn('id', serial, id)
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_versions_report_revision_unique', ['report_id', 'revision'])
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', serial, id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('period_id', 'integer', (c) => c.references('periods.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', serial, id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'integer')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_events',
    'imports',
    'report_versions',
    'reports',
    'periods',
    'item_organisations',
    'items',
    'tasks',
    'chapters',
    'plans',
    'organisation_aliases',
    'organisations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
