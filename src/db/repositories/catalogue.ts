import type { ChapterRow, Executor, ItemRow, PeriodRow, TaskRow } from '../schema.js';

/** A plan's chapter by its numeral (e.g. 九), the key an import matches chapters on; undefined when the plan has none. */
export async function findChapter(db: Executor, planId: number, numeral: string): Promise<ChapterRow | undefined> {
  return db.selectFrom('chapters').selectAll().where('plan_id', '=', planId).where('numeral', '=', numeral).executeTakeFirst();
}

/**
 * A new chapter of a plan; returns its id. A numeral the plan already has fails on the (plan, numeral) unique key, so
 * callers look it up with findChapter first. Bumps the structure revision (trigger), like every write in this file.
 */
export async function insertChapter(
  db: Executor,
  values: { planId: number; numeral: string; title: string; position: number },
): Promise<number> {
  const row = await db
    .insertInto('chapters')
    .values({ plan_id: values.planId, numeral: values.numeral, title: values.title, position: values.position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A plan's task by its number (序号), unique within the plan; undefined when there is none. */
export async function findTask(db: Executor, planId: number, number: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
}

/**
 * A new task in a chapter; returns its id. `sortKey` orders the plan's tasks (listTasks); a number the plan already has
 * fails on the (plan, number) unique key.
 */
export async function insertTask(
  db: Executor,
  values: { planId: number; chapterId: number; number: string; sortKey: number; name: string },
): Promise<number> {
  const row = await db
    .insertInto('tasks')
    .values({ plan_id: values.planId, chapter_id: values.chapterId, number: values.number, sort_key: values.sortKey, name: values.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A task's items in their order within it (position), which an import matches a table's items against. */
export async function listItemsOfTask(db: Executor, taskId: number): Promise<ItemRow[]> {
  return db.selectFrom('items').selectAll().where('task_id', '=', taskId).orderBy('position').execute();
}

/**
 * A new item of a task; returns its id. `position` must be free within the task (unique key); `extra` is the item's
 * further columns as JSON, `{}` by default. Links no units: see insertItemOrganisation.
 */
export async function insertItem(
  db: Executor,
  values: { taskId: number; position: number; work: string; leadText: string; cooperatingText: string; extra?: string },
): Promise<number> {
  const row = await db
    .insertInto('items')
    .values({
      task_id: values.taskId,
      position: values.position,
      work: values.work,
      lead_text: values.leadText,
      cooperating_text: values.cooperatingText,
      extra: values.extra ?? '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Assigns a unit to an item as lead or cooperating unit, at `position` among that role's units, either still to be
 * signed for (签收, `assigned`) or `acknowledged`. The same unit twice in one role fails on the primary key.
 */
export async function insertItemOrganisation(
  db: Executor,
  values: { itemId: number; organisationId: number; role: 'lead' | 'cooperating'; position: number; state: 'assigned' | 'acknowledged' },
): Promise<void> {
  await db
    .insertInto('item_organisations')
    .values({
      item_id: values.itemId,
      organisation_id: values.organisationId,
      role: values.role,
      position: values.position,
      state: values.state,
    })
    .execute();
}

/**
 * A new reporting period (报送周期) of a plan; returns its id. Its due date is not marked as set by hand, so the
 * schedule's rules may move it; a code the plan already has fails on the (plan, code) unique key.
 */
export async function insertPeriod(db: Executor, values: Omit<PeriodRow, 'id' | 'due_set_by_hand'>): Promise<number> {
  const row = await db.insertInto('periods').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
