import type { ChapterRow, Executor, ItemRow, PeriodRow, PlanRow, TaskRow } from '../schema.js';

export async function listPlans(db: Executor): Promise<PlanRow[]> {
  return db.selectFrom('plans').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

export async function findPlanById(db: Executor, id: number): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPlanByYearTitle(db: Executor, year: number, title: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('year', '=', year).where('title', '=', title).executeTakeFirst();
}

export async function insertPlan(
  db: Executor,
  values: { year: number; title: string; issuer: string; createdAt: string },
): Promise<number> {
  const row = await db
    .insertInto('plans')
    .values({ year: values.year, title: values.title, issuer: values.issuer, created_at: values.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function planCounts(
  db: Executor,
  planIds: number[],
): Promise<Map<number, { chapters: number; tasks: number; items: number }>> {
  const counts = new Map(planIds.map((id) => [id, { chapters: 0, tasks: 0, items: 0 }]));
  if (planIds.length === 0) return counts;
  const chapters = await db
    .selectFrom('chapters')
    .select('plan_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('plan_id', 'in', planIds)
    .groupBy('plan_id')
    .execute();
  const tasks = await db
    .selectFrom('tasks')
    .select('plan_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('plan_id', 'in', planIds)
    .groupBy('plan_id')
    .execute();
  const items = await db
    .selectFrom('items')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select('tasks.plan_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tasks.plan_id', 'in', planIds)
    .groupBy('tasks.plan_id')
    .execute();
  for (const row of chapters) counts.get(row.plan_id)!.chapters = Number(row.count);
  for (const row of tasks) counts.get(row.plan_id)!.tasks = Number(row.count);
  for (const row of items) counts.get(row.plan_id)!.items = Number(row.count);
  return counts;
}

export async function listChapters(db: Executor, planId: number): Promise<ChapterRow[]> {
  return db.selectFrom('chapters').selectAll().where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
}

export async function listTasks(db: Executor, planId: number): Promise<TaskRow[]> {
  return db.selectFrom('tasks').selectAll().where('plan_id', '=', planId).orderBy('sort_key').orderBy('number').execute();
}

export async function listItemsOfPlan(db: Executor, planId: number): Promise<ItemRow[]> {
  return db
    .selectFrom('items')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .selectAll('items')
    .where('tasks.plan_id', '=', planId)
    .orderBy('items.task_id')
    .orderBy('items.position')
    .execute();
}

export async function listItemOrganisationsOfPlan(
  db: Executor,
  planId: number,
): Promise<{ item_id: number; organisation_id: number; role: 'lead' | 'cooperating'; position: number }[]> {
  return db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select(['item_organisations.item_id', 'item_organisations.organisation_id', 'item_organisations.role', 'item_organisations.position'])
    .where('tasks.plan_id', '=', planId)
    .orderBy('item_organisations.item_id')
    .orderBy('item_organisations.role')
    .orderBy('item_organisations.position')
    .execute();
}

export async function findItemById(db: Executor, id: number): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTaskById(db: Executor, id: number): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findChapterById(db: Executor, id: number): Promise<ChapterRow | undefined> {
  return db.selectFrom('chapters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listItemOrganisations(db: Executor, itemId: number) {
  return db
    .selectFrom('item_organisations')
    .select(['organisation_id', 'role', 'position'])
    .where('item_id', '=', itemId)
    .orderBy('role')
    .orderBy('position')
    .execute();
}

export async function listPeriods(db: Executor, planId: number): Promise<PeriodRow[]> {
  return db.selectFrom('periods').selectAll().where('plan_id', '=', planId).orderBy('ends_on').orderBy('starts_on', 'desc').execute();
}

export async function findPeriodByCode(db: Executor, planId: number, code: string): Promise<PeriodRow | undefined> {
  return db.selectFrom('periods').selectAll().where('plan_id', '=', planId).where('code', '=', code).executeTakeFirst();
}

/** Plans in which the organisation has an item (as lead or cooperating unit) or a report. */
export async function listPlanIdsOfOrganisation(db: Executor, organisationId: number): Promise<number[]> {
  const viaItems = await db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select('tasks.plan_id')
    .distinct()
    .where('item_organisations.organisation_id', '=', organisationId)
    .execute();
  // period by period on the (unit, period) index: the plans' periods are few, the unit's reports of all years many
  const viaReports = await db
    .selectFrom('periods')
    .select('periods.plan_id')
    .distinct()
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reports')
          .select('reports.id')
          .where('reports.organisation_id', '=', organisationId)
          .whereRef('reports.period_id', '=', 'periods.id'),
      ),
    )
    .execute();
  return [...new Set([...viaItems, ...viaReports].map((row) => row.plan_id))];
}
