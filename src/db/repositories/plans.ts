import type { ChapterRow, Executor, ItemRow, PeriodRow, PlanRow, TaskRow } from '../schema.js';

/** Every plan, newest year first and within a year the latest created first: the "newest plan" lookups take the first match. */
export async function listPlans(db: Executor): Promise<PlanRow[]> {
  return db.selectFrom('plans').selectAll().orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

/** One plan by id, or undefined; no read scope is applied here (services check it: requirePlan). */
export async function findPlanById(db: Executor, id: number): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The plan of a year with this exact title (unique together), or undefined: how an import finds the plan it adds to. */
export async function findPlanByYearTitle(db: Executor, year: number, title: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('year', '=', year).where('title', '=', title).executeTakeFirst();
}

/** A new, empty plan; returns its id. A year and title that already exist fail on the unique key. */
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

/**
 * How many chapters, tasks and items each of the plans asked for has, counted in SQL (three grouped queries); a plan
 * with none, or an id that does not exist, counts zero. City-wide counts: a unit's own part is counted from its tree.
 */
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

/** A plan's chapters in their printed order (position), ties by id. */
export async function listChapters(db: Executor, planId: number): Promise<ChapterRow[]> {
  return db.selectFrom('chapters').selectAll().where('plan_id', '=', planId).orderBy('position').orderBy('id').execute();
}

/** A plan's tasks in their printed order: by sort key (from the task number), then number. */
export async function listTasks(db: Executor, planId: number): Promise<TaskRow[]> {
  return db.selectFrom('tasks').selectAll().where('plan_id', '=', planId).orderBy('sort_key').orderBy('number').execute();
}

/**
 * Every item of a plan, grouped by task id (not by the tasks' printed order) and in position order within a task;
 * callers group them under listTasks.
 */
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

/**
 * The unit links of every item of a plan, by item, then role (`cooperating` sorts before `lead`), then position;
 * without their 签收 state (listItemLinks in the reports repository has it).
 */
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

/** One item by id, or undefined; no read scope is applied here. */
export async function findItemById(db: Executor, id: number): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One task by id, or undefined; no read scope is applied here. */
export async function findTaskById(db: Executor, id: number): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One chapter by id, or undefined; no read scope is applied here. */
export async function findChapterById(db: Executor, id: number): Promise<ChapterRow | undefined> {
  return db.selectFrom('chapters').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The units of one item with their role and position, `cooperating` before `lead` and by position within a role;
 * without their 签收 state.
 */
export async function listItemOrganisations(db: Executor, itemId: number) {
  return db
    .selectFrom('item_organisations')
    .select(['organisation_id', 'role', 'position'])
    .where('item_id', '=', itemId)
    .orderBy('role')
    .orderBy('position')
    .execute();
}

/**
 * A plan's reporting periods by end date; of those ending the same day the later-starting (shorter) one first, so the
 * year period comes after its last quarter and month, and the last entry is the one that ends last.
 */
export async function listPeriods(db: Executor, planId: number): Promise<PeriodRow[]> {
  return db.selectFrom('periods').selectAll().where('plan_id', '=', planId).orderBy('ends_on').orderBy('starts_on', 'desc').execute();
}

/** A plan's period by its code (unique within the plan), or undefined. */
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

export async function findPeriodById(db: Executor, id: number): Promise<PeriodRow | undefined> {
  return db.selectFrom('periods').selectAll().where('id', '=', id).executeTakeFirst();
}
