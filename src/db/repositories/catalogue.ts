import type { ChapterRow, Executor, ItemRow, PeriodRow, TaskRow } from '../schema.js';

export async function findChapter(db: Executor, planId: number, numeral: string): Promise<ChapterRow | undefined> {
  return db.selectFrom('chapters').selectAll().where('plan_id', '=', planId).where('numeral', '=', numeral).executeTakeFirst();
}

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

export async function findTask(db: Executor, planId: number, number: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('plan_id', '=', planId).where('number', '=', number).executeTakeFirst();
}

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

export async function listItemsOfTask(db: Executor, taskId: number): Promise<ItemRow[]> {
  return db.selectFrom('items').selectAll().where('task_id', '=', taskId).orderBy('position').execute();
}

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

export async function insertPeriod(db: Executor, values: Omit<PeriodRow, 'id' | 'due_set_by_hand'>): Promise<number> {
  const row = await db.insertInto('periods').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
