import { addDays, daysBetween } from '../domain/calendar.js';
import { REPORT_STATE_LABELS, type ReportState } from '../domain/reporting.js';
import type { Principal } from './accounts.js';
import type { ServiceContext } from './context.js';
import { lookUpActors } from './actors.js';
import { reportingActorOf } from './policy.js';
import { shanghaiDate } from './reporting.js';

/**
 * 我的待办: what is waiting for this person, by role. A unit: parts of items to sign for, reports due (with days
 * left), reports returned to it, for its leader the reports to approve, and as lead unit the cooperating units'
 * reports to take in. The supervision office: lead reports to review, extension requests, assignments returned.
 */

export interface WorkItemRef {
  itemId: number;
  work: string;
  taskNumber: string;
  taskName: string;
  planId: number;
  planTitle: string;
}

export interface ReportTodo extends WorkItemRef {
  reportId: number | null;
  organisation: { id: number; name: string };
  role: 'lead' | 'cooperating';
  period: { code: string; label: string };
  dueOn: string | null;
  daysLeft: number | null;
  state: string;
  stateLabel: string;
  comment: string | null;
  /** when the report last changed state or text, and who did it: for a queue, when and by whom it was sent */
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface MyWork {
  toAcknowledge: (WorkItemRef & { role: 'lead' | 'cooperating'; organisation: { id: number; name: string } })[];
  due: ReportTodo[];
  returned: ReportTodo[];
  toApprove: ReportTodo[];
  toReview: ReportTodo[];
  extensions: (ReportTodo & { extensionId: number; requestedDueOn: string; reason: string })[];
  returnedAssignments: (WorkItemRef & { organisation: { id: number; name: string }; role: 'lead' | 'cooperating'; reason: string | null })[];
}

/** How far back an overdue period still shows as due, and how far ahead one starts to. */
const OVERDUE_WINDOW_DAYS = 120;
const AHEAD_WINDOW_DAYS = 45;

function itemColumns() {
  return ['items.id as itemId', 'items.work', 'tasks.number as taskNumber', 'tasks.name as taskName', 'plans.id as planId', 'plans.title as planTitle'] as const;
}

export async function getMyWork(ctx: ServiceContext, principal: Principal): Promise<MyWork> {
  const work: MyWork = { toAcknowledge: [], due: [], returned: [], toApprove: [], toReview: [], extensions: [], returnedAssignments: [] };
  const actor = reportingActorOf(principal);
  if (!actor || principal.kind !== 'user') return work;
  const today = shanghaiDate(ctx.now());
  const db = ctx.db;
  const unit = actor.role === 'unit_leader' || actor.role === 'unit_reporter';

  const reportRows = async (rows: ReportRowLike[]): Promise<ReportTodo[]> => {
    const names = await lookUpActors(db, rows.flatMap((row) => (row.updatedBy ? [row.updatedBy] : [])));
    return rows.map((row) => {
      const dueOn = row.reportDueOn ?? row.periodDueOn;
      return {
        itemId: row.itemId,
        work: row.work,
        taskNumber: row.taskNumber,
        taskName: row.taskName,
        planId: row.planId,
        planTitle: row.planTitle,
        reportId: row.reportId,
        organisation: { id: row.organisationId, name: row.organisationName },
        role: row.role === 'lead' ? 'lead' : 'cooperating',
        period: { code: row.periodCode, label: row.periodLabel },
        dueOn,
        daysLeft: dueOn ? daysBetween(today, dueOn) : null,
        state: row.state ?? 'draft',
        stateLabel: REPORT_STATE_LABELS[(row.state ?? 'draft') as ReportState] ?? row.state ?? '',
        comment: row.comment ?? null,
        updatedAt: row.updatedAt ?? null,
        updatedBy: row.updatedBy ? names.short(row.updatedBy) : null,
      };
    });
  };

  // reports with their item, period, unit and (for returned ones) the latest comment
  const reports = () =>
    db
      .selectFrom('reports')
      .innerJoin('items', 'items.id', 'reports.item_id')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .innerJoin('plans', 'plans.id', 'tasks.plan_id')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .innerJoin('organisations', 'organisations.id', 'reports.organisation_id')
      .leftJoin('item_organisations as link', (join) => join.onRef('link.item_id', '=', 'reports.item_id').onRef('link.organisation_id', '=', 'reports.organisation_id'))
      .select(itemColumns())
      .select([
        'reports.id as reportId',
        'reports.organisation_id as organisationId',
        'organisations.name as organisationName',
        'link.role as role',
        'periods.code as periodCode',
        'periods.label as periodLabel',
        'periods.due_on as periodDueOn',
        'reports.due_on as reportDueOn',
        'reports.state as state',
        'reports.updated_at as updatedAt',
        'reports.updated_by as updatedBy',
      ])
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

  // parts of items assigned to units, with the item and the unit
  const assignmentRows = () =>
    db
      .selectFrom('item_organisations as link')
      .innerJoin('items', 'items.id', 'link.item_id')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .innerJoin('plans', 'plans.id', 'tasks.plan_id')
      .innerJoin('organisations', 'organisations.id', 'link.organisation_id')
      .select(itemColumns())
      .select(['link.role', 'organisations.id as organisationId', 'organisations.name as organisationName']);

  if (unit) {
    const own = actor.organisationId;
    work.toAcknowledge = (
      await assignmentRows()
        .where('link.organisation_id', '=', own)
        .where('link.state', '=', 'assigned')
        .orderBy('plans.year', 'desc')
        .orderBy('tasks.sort_key')
        .orderBy('items.position')
        .execute()
    ).map(({ organisationId, organisationName, ...row }) => ({ ...row, organisation: { id: organisationId, name: organisationName } }));

    // every item the unit has a part in, for every period open now, without a report that has left the unit
    const openPeriods = await db
      .selectFrom('periods')
      .select(['id', 'plan_id', 'code', 'label', 'due_on'])
      .where('starts_on', '<=', today)
      .where('due_on', 'is not', null)
      .where('due_on', '>=', addDays(today, -OVERDUE_WINDOW_DAYS))
      .where('ends_on', '<=', addDays(today, AHEAD_WINDOW_DAYS))
      .execute();
    if (openPeriods.length > 0) {
      const rows = await db
        .selectFrom('item_organisations as link')
        .innerJoin('items', 'items.id', 'link.item_id')
        .innerJoin('tasks', 'tasks.id', 'items.task_id')
        .innerJoin('plans', 'plans.id', 'tasks.plan_id')
        .innerJoin('periods', 'periods.plan_id', 'plans.id')
        .innerJoin('organisations', 'organisations.id', 'link.organisation_id')
        .leftJoin('reports', (join) =>
          join.onRef('reports.item_id', '=', 'link.item_id').onRef('reports.organisation_id', '=', 'link.organisation_id').onRef('reports.period_id', '=', 'periods.id'),
        )
        .select(itemColumns())
        .select([
          'reports.id as reportId',
          'link.organisation_id as organisationId',
          'organisations.name as organisationName',
          'link.role as role',
          'periods.code as periodCode',
          'periods.label as periodLabel',
          'periods.due_on as periodDueOn',
          'reports.due_on as reportDueOn',
          'reports.state as state',
        ])
        .where('link.organisation_id', '=', own)
        .where('link.state', '!=', 'returned')
        .where('periods.id', 'in', openPeriods.map((period) => period.id))
        .where((eb) => eb.or([eb('reports.id', 'is', null), eb('reports.state', '=', 'draft')]))
        .orderBy('periods.ends_on')
        .orderBy('tasks.sort_key')
        .orderBy('items.position')
        .execute();
      work.due = (await reportRows(rows.map((row) => ({ ...row, comment: null })))).sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0));
    }
    work.returned = await reportRows(await reports().where('reports.organisation_id', '=', own).where('reports.state', '=', 'returned').execute());
    if (actor.role === 'unit_leader') {
      work.toApprove = await reportRows(await reports().where('reports.organisation_id', '=', own).where('reports.state', '=', 'submitted').execute());
    }
    // cooperating units' approved reports on items this unit leads, for it to take in
    work.toReview = await reportRows(
      await reports()
        .where('reports.state', '=', 'approved')
        .where('reports.organisation_id', '!=', own)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('item_organisations as lead')
              .select('lead.item_id')
              .whereRef('lead.item_id', '=', 'reports.item_id')
              .where('lead.organisation_id', '=', own)
              .where('lead.role', '=', 'lead'),
          ),
        )
        .where((eb) => eb.or([eb('link.role', 'is', null), eb('link.role', '=', 'cooperating')]))
        .execute(),
    );
  }

  if (actor.role === 'supervisor') {
    work.toReview = await reportRows(await reports().where('reports.state', '=', 'approved').where('link.role', '=', 'lead').execute());
    const extensions = await reports()
      .innerJoin('extension_requests', 'extension_requests.report_id', 'reports.id')
      .select(['extension_requests.id as extensionId', 'extension_requests.requested_due_on as requestedDueOn', 'extension_requests.reason'])
      .where('extension_requests.state', '=', 'pending')
      .execute();
    work.extensions = (await reportRows(extensions)).map((todo, index) => ({
      ...todo,
      extensionId: extensions[index]!.extensionId,
      requestedDueOn: extensions[index]!.requestedDueOn,
      reason: extensions[index]!.reason,
    }));
    work.returnedAssignments = (
      await assignmentRows()
        .select('link.state_reason as reason')
        .where('link.state', '=', 'returned')
        .orderBy('link.state_at')
        .execute()
    ).map(({ organisationId, organisationName, ...row }) => ({ ...row, organisation: { id: organisationId, name: organisationName } }));
  }
  return work;
}

interface ReportRowLike {
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
