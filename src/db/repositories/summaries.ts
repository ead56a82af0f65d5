import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import { preparedQuery } from '../prepared.js';
import type { Database, Executor } from '../schema.js';

/**
 * The reads of the summary tables, each filtered in SQL to what the table shows: one unit's reports of one period,
 * the lead units' reports of a period, and of a version only the columns printed.
 */

/** The current revision of every plan's structure (bumped by triggers, see migration 0006). */
export async function readStructureRevision(db: Executor): Promise<number> {
  const row = await db.selectFrom('structure_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}

export interface ReadRevisions {
  structure: number;
  /** the sum of the chosen units' report counters over the chosen periods; it grows with every write to them */
  reports: number;
}

/**
 * The revisions an answer about a plan's reports depends on, in one statement: the structure's, and the sum of the
 * report counters of the plan's periods (all of them, those of the period with the given code, or those of one unit).
 * A server keeps an answer under these numbers and serves it again while they stay the same (migrations 0006, 0007).
 */
export async function readRevisions(
  db: Executor,
  of: { planId: number; periodCode?: string; organisationId?: number },
): Promise<ReadRevisions> {
  if (of.periodCode !== undefined && of.organisationId !== undefined) throw new Error('readRevisions: a period or a unit, not both');
  const { planId, periodCode, organisationId } = of;
  const { rows } =
    periodCode !== undefined
      ? await revisionsOfPeriod(db, { planId, periodCode })
      : organisationId !== undefined
        ? await revisionsOfUnit(db, { planId, organisationId })
        : await revisionsOfPlan(db, { planId });
  const row = rows[0]!;
  return { structure: Number(row.structure), reports: Number(row.reports ?? 0) };
}

/** The statement of readRevisions: the structure's revision and the sum of the report counters chosen by `where`. */
const revisionsQuery = <V extends { planId: number }>(
  where: (
    query: SelectQueryBuilder<Database, 'report_revisions' | 'periods', object>,
    values: V,
  ) => SelectQueryBuilder<Database, 'report_revisions' | 'periods', object>,
) =>
  preparedQuery((db, v: V) =>
    db
      .selectFrom('structure_revision')
      .select('structure_revision.revision as structure')
      .select((eb) =>
        where(
          eb
            .selectFrom('report_revisions')
            .innerJoin('periods', 'periods.id', 'report_revisions.period_id')
            .where('periods.plan_id', '=', v.planId),
          v,
        )
          .select((sum) => sum.fn.coalesce(sum.fn.sum<number>('report_revisions.revision'), sum.lit(0)).as('sum'))
          .as('reports'),
      )
      .where('structure_revision.id', '=', 1),
  );
const revisionsOfPlan = revisionsQuery<{ planId: number }>((query) => query);
const revisionsOfPeriod = revisionsQuery<{ planId: number; periodCode: string }>((query, v) =>
  query.where('periods.code', '=', v.periodCode),
);
const revisionsOfUnit = revisionsQuery<{ planId: number; organisationId: number }>((query, v) =>
  query.where('report_revisions.organisation_id', '=', v.organisationId),
);

export interface UnitReportRow {
  id: number;
  item_id: number;
  text: string;
  problems: string;
  next_steps: string;
  /** the newest version made by one of the events asked for, if any */
  version_id: number | null;
}

/**
 * One unit's reports of one period with their current (working) texts and the id of each one's newest version made
 * by one of `events` (what left the unit), chosen in the same query from the (report, revision) index.
 */
export async function listUnitReportsOfPeriod(
  db: Executor,
  organisationId: number,
  periodId: number,
  events: Iterable<string>,
): Promise<UnitReportRow[]> {
  return db
    .selectFrom('reports')
    .select(['reports.id', 'reports.item_id', 'reports.text', 'reports.problems', 'reports.next_steps'])
    .select((eb) => newestVersionId(eb, events))
    .where('reports.organisation_id', '=', organisationId)
    .where('reports.period_id', '=', periodId)
    .execute();
}

/** Whether a unit has a report in one of a plan's periods. */
export async function organisationReportedInPlan(db: Executor, organisationId: number, planId: number): Promise<boolean> {
  // probed period by period on the (unit, period) index, so that a unit with years of reports elsewhere costs no more
  const reported = await db
    .selectFrom('reports')
    .select('reports.id')
    .where('reports.organisation_id', '=', organisationId)
    .where('reports.period_id', 'in', (eb) => eb.selectFrom('periods').select('periods.id').where('periods.plan_id', '=', planId))
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

export interface LeadReportRow {
  report_id: number;
  item_id: number;
  organisation_id: number;
  due_on: string | null;
  /** the unit's current copy's state: returned means sent back and not resubmitted */
  state: string;
  /** the newest version made by one of the events asked for, if any */
  version_id: number | null;
}

/**
 * The reports of a period written by the lead units of their items (those the city-wide table shows), each with the
 * id of its newest version made by one of `events`.
 */
export async function listLeadReportsOfPeriod(db: Executor, periodId: number, events: Iterable<string>): Promise<LeadReportRow[]> {
  return db
    .selectFrom('reports')
    .innerJoin('item_organisations', (join) =>
      join
        .onRef('item_organisations.item_id', '=', 'reports.item_id')
        .onRef('item_organisations.organisation_id', '=', 'reports.organisation_id')
        .on('item_organisations.role', '=', 'lead'),
    )
    .select(['reports.id as report_id', 'reports.item_id', 'reports.organisation_id', 'reports.due_on', 'reports.state'])
    .select((eb) => newestVersionId(eb, events))
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

/** The id of a report's newest version made by one of `events`, as a column of a query over reports. */
function newestVersionId(eb: ExpressionBuilder<Database, 'reports'>, events: Iterable<string>) {
  return eb
    .selectFrom('report_versions')
    .select('report_versions.id')
    .whereRef('report_versions.report_id', '=', 'reports.id')
    .where('report_versions.event', 'in', [...events])
    .orderBy('report_versions.revision', 'desc')
    .limit(1)
    .as('version_id');
}
