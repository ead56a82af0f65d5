import type { Executor, PeriodRow } from '../schema.js';

/** The working calendar's exceptions (holidays, worked weekend days), as the office keeps them. */
export interface CalendarDayRow {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** Every exception of the calendar, or those of one year, by date. */
export async function listCalendarDays(db: Executor, year?: number): Promise<CalendarDayRow[]> {
  let query = db.selectFrom('calendar_days').selectAll();
  if (year !== undefined) query = query.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return (await query.orderBy('day').execute()) as CalendarDayRow[];
}

/** A year's exceptions replaced by the given ones. */
export async function replaceCalendarYear(db: Executor, year: number, days: readonly CalendarDayRow[]): Promise<void> {
  await db.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
  if (days.length > 0)
    await db
      .insertInto('calendar_days')
      .values(days.map((day) => ({ day: day.day, kind: day.kind, name: day.name })))
      .execute();
}

/** Plans of the given years: those whose due dates a change of the calendar can move. */
export async function listPlanIdsOfYears(db: Executor, years: readonly number[]): Promise<number[]> {
  return (
    await db
      .selectFrom('plans')
      .select('id')
      .where('year', 'in', [...years])
      .execute()
  ).map((plan) => plan.id);
}

/** The kinds of period a plan reports in and their due rules, as stored (the rule as JSON text). */
export async function listScheduleRules(db: Executor, planId: number): Promise<{ kind: string; due_rule: string }[]> {
  return db.selectFrom('plan_schedules').select(['kind', 'due_rule']).where('plan_id', '=', planId).execute();
}

/** A plan's kinds and rules replaced by the given ones. */
export async function replaceScheduleRules(
  db: Executor,
  planId: number,
  rules: readonly { kind: string; dueRule: string }[],
): Promise<void> {
  await db.deleteFrom('plan_schedules').where('plan_id', '=', planId).execute();
  if (rules.length > 0) {
    await db
      .insertInto('plan_schedules')
      .values(rules.map(({ kind, dueRule }) => ({ plan_id: planId, kind, due_rule: dueRule })))
      .execute();
  }
}

/** Reports per period of a plan, for the periods that have any. */
export async function countReportsByPeriod(db: Executor, planId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('reports')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select('reports.period_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('periods.plan_id', '=', planId)
    .groupBy('reports.period_id')
    .execute();
  return new Map(rows.map((row) => [row.period_id, Number(row.n)]));
}

/** Deletes those of the periods that nothing refers to yet (no report, no import); the others stay. */
export async function deleteUnusedPeriods(db: Executor, periodIds: readonly number[]): Promise<void> {
  if (periodIds.length === 0) return;
  await db
    .deleteFrom('periods')
    .where('id', 'in', [...periodIds])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('reports').select('reports.id').whereRef('reports.period_id', '=', 'periods.id'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('imports').select('imports.id').whereRef('imports.period_id', '=', 'periods.id'))))
    .execute();
}

/** A period's due date, whether set by hand, and its expected progress. */
export async function updatePeriodSchedule(
  db: Executor,
  periodId: number,
  values: Partial<Pick<PeriodRow, 'due_on' | 'due_set_by_hand' | 'expected_progress'>>,
): Promise<void> {
  await db.updateTable('periods').set(values).where('id', '=', periodId).execute();
}
