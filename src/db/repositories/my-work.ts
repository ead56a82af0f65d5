import { sql } from 'kysely';
import type { Executor } from '../schema.js';

/**
 * The queries of 我的待办: reports waiting at each step, parts of items to sign for, and the reports a unit owes.
 * What a unit owes is computed, not stored: every item it has a part in × every period of the item's plan that has
 * begun and has a due date, without a report that has left the unit. Nothing bounds how old a debt may be, so
 * lists come a page at a time and the office reads counts per unit.
 */

/** One report row of a list, with its item, period and unit; `state` is null when nothing is written yet. */
export interface ReportTodoRow {
  itemId: number;
  work: string;
  taskNumber: string;
  taskName: string;
  planId: number;
  planTitle: string;
  reportId: number | null;
  organisationId: number;
  organisationName: string;
  role: string | null;
  periodCode: string;
  periodLabel: string;
  periodDueOn: string | null;
  reportDueOn: string | null;
  state: string | null;
  comment?: string | null;
  updatedAt?: string | null;
  updatedBy?: string | null;
}

function itemColumns() {
  return [
    'items.id as itemId',
    'items.work',
    'tasks.number as taskNumber',
    'tasks.name as taskName',
    'plans.id as planId',
    'plans.title as planTitle',
  ] as const;
}

/** The report, unit and period of a to-do row; the unit comes from the report or from the assignment it is owed by. */
function reportColumns<Organisation extends 'reports.organisation_id as organisationId' | 'link.organisation_id as organisationId'>(
  organisation: Organisation,
) {
  return [
    'reports.id as reportId',
    organisation,
    'organisations.name as organisationName',
    'link.role as role',
    'periods.code as periodCode',
    'periods.label as periodLabel',
    'periods.due_on as periodDueOn',
    'reports.due_on as reportDueOn',
    'reports.state as state',
    'reports.updated_at as updatedAt',
    'reports.updated_by as updatedBy',
  ] as const;
}

/** Reports with their item, period and unit and, for returned ones, the latest comment; in period and plan order. */
function reportsQuery(db: Executor) {
  return db
    .selectFrom('reports')
    .innerJoin('items', 'items.id', 'reports.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
    .leftJoin('item_organisations as link', (join) =>
      join.onRef('link.item_id', '=', 'reports.item_id').onRef('link.organisation_id', '=', 'reports.organisation_id'),
    )
    .select(itemColumns())
    .select(reportColumns('reports.organisation_id as organisationId'))
    .select((eb) =>
      eb
        .selectFrom('report_versions')
        .select('report_versions.comment')
        .whereRef('report_versions.report_id', '=', 'reports.id')
        .where('report_versions.event', 'in', ['reject', 'return'])
        .orderBy('report_versions.revision', 'desc')
        .limit(1)
        .as('comment'),
    )
    .orderBy('periods.ends_on')
    .orderBy('tasks.sort_key')
    .orderBy('items.position');
}

/** A unit's own reports in one state: returned ones for it to redo, submitted ones for its leader to approve. */
export async function listOwnReportsInState(
  db: Executor,
  organisationId: number,
  state: 'returned' | 'submitted',
): Promise<ReportTodoRow[]> {
  return reportsQuery(db).where('reports.organisation_id', '=', organisationId).where('reports.state', '=', state).execute();
}

/** Cooperating units' approved reports on items this unit leads, for it to take in. */
export async function listCooperatorReportsToReview(db: Executor, leadOrganisationId: number): Promise<ReportTodoRow[]> {
  return reportsQuery(db)
    .where('reports.state', '=', 'approved')
    .where('reports.organisation_id', '!=', leadOrganisationId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('item_organisations as lead')
          .select('lead.item_id')
          .whereRef('lead.item_id', '=', 'reports.item_id')
          .where('lead.organisation_id', '=', leadOrganisationId)
          .where('lead.role', '=', 'lead'),
      ),
    )
    .where((eb) => eb.or([eb('link.role', 'is', null), eb('link.role', '=', 'cooperating')]))
    .execute();
}

/** Lead units' approved reports, for the supervision office to accept or return. */
export async function listLeadReportsToReview(db: Executor): Promise<ReportTodoRow[]> {
  return reportsQuery(db).where('reports.state', '=', 'approved').where('link.role', '=', 'lead').execute();
}

/** Pending extension requests with their reports. */
export async function listPendingExtensions(
  db: Executor,
): Promise<(ReportTodoRow & { extensionId: number; requestedDueOn: string; reason: string })[]> {
  return reportsQuery(db)
    .innerJoin('extension_requests', 'extension_requests.report_id', 'reports.id')
    .select(['extension_requests.id as extensionId', 'extension_requests.requested_due_on as requestedDueOn', 'extension_requests.reason'])
    .where('extension_requests.state', '=', 'pending')
    .execute();
}

function assignmentsQuery(db: Executor) {
  return db
    .selectFrom('item_organisations as link')
    .innerJoin('items', 'items.id', 'link.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .innerJoin('organisations', 'organisations.id', 'link.organisation_id')
    .select(itemColumns())
    .select(['link.role', 'organisations.id as organisationId', 'organisations.name as organisationName']);
}

/** Parts of items assigned to the unit and not signed for yet, newest plan first. */
export async function listAssignmentsToAcknowledge(db: Executor, organisationId: number) {
  return assignmentsQuery(db)
    .where('link.organisation_id', '=', organisationId)
    .where('link.state', '=', 'assigned')
    .orderBy('plans.year', 'desc')
    .orderBy('tasks.sort_key')
    .orderBy('items.position')
    .execute();
}

/** Parts units returned as wrongly assigned, oldest first, for the office to reassign. */
export async function listReturnedAssignments(db: Executor) {
  return assignmentsQuery(db).select('link.state_reason as reason').where('link.state', '=', 'returned').orderBy('link.state_at').execute();
}

export interface DueFilter {
  /** today in Asia/Shanghai: a report whose due date is before it is overdue */
  today: string;
  /** periods ending after this day are not due yet and are left out */
  endsBy: string;
  /** one unit's reports, or every unit's */
  organisationId?: number;
  /** only the reports already overdue */
  overdueOnly?: boolean;
}

/** The due date that applies: an extension's, else the period's. */
const effectiveDue = () => sql<string>`coalesce(${sql.ref('reports.due_on')}, ${sql.ref('periods.due_on')})`;

/**
 * Every unit's part of an open item (not closed by 办结销号, not returned as wrongly assigned) × every period of the
 * item's plan that has a due date, with the unit's report of it if there is one: what reports are owed from, here
 * and in the reminders (the supervision repository).
 */
export function openPartsByPeriod(db: Executor) {
  return db
    .selectFrom('item_organisations as link')
    .innerJoin('items', 'items.id', 'link.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .innerJoin('periods', 'periods.plan_id', 'plans.id')
    .innerJoin('organisations', 'organisations.id', 'link.organisation_id')
    .leftJoin('reports', (join) =>
      join
        .onRef('reports.item_id', '=', 'link.item_id')
        .onRef('reports.organisation_id', '=', 'link.organisation_id')
        .onRef('reports.period_id', '=', 'periods.id'),
    )
    .where('link.state', '!=', 'returned')
    .where('items.closed_at', 'is', null)
    .where('periods.due_on', 'is not', null);
}

/**
 * Reports owed: an open part × a period that has begun and ends by `endsBy`, with no report or only the unit's
 * draft. A returned report is listed on its own, with the reviewer's comment.
 */
function owedQuery(db: Executor, filter: DueFilter) {
  let query = openPartsByPeriod(db)
    .where('periods.starts_on', '<=', filter.today)
    .where('periods.ends_on', '<=', filter.endsBy)
    .where((eb) => eb.or([eb('reports.id', 'is', null), eb('reports.state', '=', 'draft')]));
  if (filter.organisationId !== undefined) query = query.where('link.organisation_id', '=', filter.organisationId);
  if (filter.overdueOnly) query = query.where(effectiveDue(), '<', filter.today);
  return query;
}

/** A page of the reports owed, the most overdue first. */
export async function listOwedReports(db: Executor, filter: DueFilter, page: { offset: number; limit: number }): Promise<ReportTodoRow[]> {
  return owedQuery(db, filter)
    .select(itemColumns())
    .select(reportColumns('link.organisation_id as organisationId'))
    .orderBy(effectiveDue())
    .orderBy('tasks.sort_key')
    .orderBy('items.position')
    .orderBy('organisations.name')
    .orderBy('periods.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** How many reports are owed, and how many of them are overdue. */
export async function countOwedReports(db: Executor, filter: DueFilter): Promise<{ total: number; overdue: number }> {
  const row = await owedQuery(db, filter)
    .select((eb) => [
      eb.fn.countAll().as('total'),
      eb.fn.sum<number | string | null>(eb.case().when(effectiveDue(), '<', filter.today).then(1).else(0).end()).as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), overdue: Number(row.overdue ?? 0) };
}

export interface OverdueByOrganisation {
  organisationId: number;
  organisationName: string;
  overdue: number;
  /** the earliest due date missed */
  oldestDueOn: string;
}

/** Per unit, the overdue reports not filed, the units owing most first: what the office chases. */
export async function countOverdueByOrganisation(
  db: Executor,
  filter: Omit<DueFilter, 'organisationId' | 'overdueOnly'>,
): Promise<OverdueByOrganisation[]> {
  const rows = await owedQuery(db, { ...filter, overdueOnly: true })
    .select((eb) => [
      'link.organisation_id as organisationId',
      'organisations.name as organisationName',
      eb.fn.countAll().as('overdue'),
      eb.fn.min(effectiveDue()).as('oldestDueOn'),
    ])
    .groupBy(['link.organisation_id', 'organisations.name'])
    .execute();
  return rows
    .map((row) => ({
      organisationId: row.organisationId,
      organisationName: row.organisationName,
      overdue: Number(row.overdue),
      oldestDueOn: String(row.oldestDueOn),
    }))
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        a.oldestDueOn.localeCompare(b.oldestDueOn) ||
        a.organisationName.localeCompare(b.organisationName, 'zh-CN'),
    );
}
