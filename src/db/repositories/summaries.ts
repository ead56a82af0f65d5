import type { Executor } from '../schema.js';

/**
 * The reads of the summary tables, each filtered in SQL to what the table shows: one unit's reports of one period,
 * the lead units' reports of a period, and of a version only the columns printed.
 */

/** The current revision of every plan's structure (bumped by triggers, see migration 0006). */
export async function readStructureRevision(db: Executor): Promise<number> {
  const row = await db.selectFrom('structure_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export interface UnitReportRow {
  id: number;
  item_id: number;
  text: string;
  problems: string;
  next_steps: string;
}

/** One unit's reports of one period with their current (working) texts. */
export async function listUnitReportsOfPeriod(db: Executor, organisationId: number, periodId: number): Promise<UnitReportRow[]> {
  return db
    .selectFrom('reports')
    .select(['id', 'item_id', 'text', 'problems', 'next_steps'])
    .where('organisation_id', '=', organisationId)
    .where('period_id', '=', periodId)
    .execute();
}

export interface UnitTableRow {
  chapter_id: number;
  numeral: string;
  chapter_title: string;
  task_id: number;
  number: string;
  task_name: string;
  item_id: number;
  work: string;
  lead_text: string;
  cooperating_text: string;
}

/**
 * The items of a plan that a unit leads or cooperates on, or that are among `alsoItemIds` (those it reported on),
 * with their task and chapter, in the order of the city-wide table: chapters by position, tasks by 序号, items by
 * position. Driven by the unit's links, so it costs the unit's share of the plan, not the plan.
 */
export async function listUnitTableRows(db: Executor, planId: number, organisationId: number, alsoItemIds: number[]): Promise<UnitTableRow[]> {
  return db
    .selectFrom('items')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('chapters', 'chapters.id', 'tasks.chapter_id')
    .select([
      'chapters.id as chapter_id',
      'chapters.numeral',
      'chapters.title as chapter_title',
      'tasks.id as task_id',
      'tasks.number',
      'tasks.name as task_name',
      'items.id as item_id',
      'items.work',
      'items.lead_text',
      'items.cooperating_text',
    ])
    .where('tasks.plan_id', '=', planId)
    .where((eb) =>
      eb.or([
        eb('items.id', 'in', eb.selectFrom('item_organisations').select('item_organisations.item_id').where('item_organisations.organisation_id', '=', organisationId)),
        ...(alsoItemIds.length > 0 ? [eb('items.id', 'in', alsoItemIds)] : []),
      ]),
    )
    .orderBy('chapters.position')
    .orderBy('chapters.id')
    .orderBy('tasks.sort_key')
    .orderBy('tasks.number')
    .orderBy('items.position')
    .execute();
}

/** Whether a unit takes part in a plan: an item it leads or cooperates on, or a report of one of the plan's periods. */
export async function organisationTakesPartInPlan(db: Executor, organisationId: number, planId: number): Promise<boolean> {
  const linked = await db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select('item_organisations.item_id')
    .where('item_organisations.organisation_id', '=', organisationId)
    .where('tasks.plan_id', '=', planId)
    .limit(1)
    .executeTakeFirst();
  if (linked) return true;
  const reported = await db
    .selectFrom('reports')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select('reports.id')
    .where('reports.organisation_id', '=', organisationId)
    .where('periods.plan_id', '=', planId)
    .limit(1)
    .executeTakeFirst();
  return reported !== undefined;
}

/** The items of a plan a unit has a report on, in any period. */
export async function listReportedItemIdsOfPlan(db: Executor, organisationId: number, planId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('reports')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .select('reports.item_id')
    .distinct()
    .where('reports.organisation_id', '=', organisationId)
    .where('periods.plan_id', '=', planId)
    .execute();
  return rows.map((row) => row.item_id);
}

/**
 * For each report, the id of its newest version made by one of `events` (e.g. what left the unit). Only ids: the
 * versions themselves are immutable, so their texts can come from a cache.
 */
export async function latestVersionIdsByEvent(db: Executor, reportIds: number[], events: Iterable<string>): Promise<Map<number, number>> {
  const latest = new Map<number, number>();
  for (let start = 0; start < reportIds.length; start += 1000) {
    const chunk = reportIds.slice(start, start + 1000);
    const rows = await db
      .selectFrom('report_versions as version')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('report_versions')
            .select(['report_id', (inner) => inner.fn.max('revision').as('revision')])
            .where('report_id', 'in', chunk)
            .where('event', 'in', [...events])
            .groupBy('report_id')
            .as('newest'),
        (join) => join.onRef('newest.report_id', '=', 'version.report_id').onRef('newest.revision', '=', 'version.revision'),
      )
      .select(['version.report_id', 'version.id'])
      .execute();
    for (const row of rows) latest.set(row.report_id, row.id);
  }
  return latest;
}

export interface LeadReportRow {
  report_id: number;
  item_id: number;
  organisation_id: number;
  due_on: string | null;
}

/** The reports of a period written by the lead units of their items: those the city-wide table shows. */
export async function listLeadReportsOfPeriod(db: Executor, periodId: number): Promise<LeadReportRow[]> {
  return db
    .selectFrom('reports')
    .innerJoin('item_organisations', (join) =>
      join
        .onRef('item_organisations.item_id', '=', 'reports.item_id')
        .onRef('item_organisations.organisation_id', '=', 'reports.organisation_id')
        .on('item_organisations.role', '=', 'lead'),
    )
    .select(['reports.id as report_id', 'reports.item_id', 'reports.organisation_id', 'reports.due_on'])
    .where('reports.period_id', '=', periodId)
    .execute();
}

export interface VersionContentRow {
  id: number;
  text: string;
  problems: string;
  next_steps: string;
  status: string | null;
  figures: string;
}

/** The printed parts of report versions by id. */
export async function listVersionContents(db: Executor, versionIds: number[]): Promise<VersionContentRow[]> {
  const rows: VersionContentRow[] = [];
  for (let start = 0; start < versionIds.length; start += 1000) {
    rows.push(
      ...(await db
        .selectFrom('report_versions')
        .select(['id', 'text', 'problems', 'next_steps', 'status', 'figures'])
        .where('id', 'in', versionIds.slice(start, start + 1000))
        .execute()),
    );
  }
  return rows;
}
