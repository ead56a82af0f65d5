import type { DueResponse, MyWorkResponse, ReportTodo } from '../contract/reports.js';
import {
  countOverdueByOrganisation,
  countOwedReports,
  listAssignmentsToAcknowledge,
  listCooperatorReportsToReview,
  listLeadReportsToReview,
  listOwedReports,
  listOwnReportsInState,
  listPendingExtensions,
  listReturnedAssignments,
  type ReportTodoRow,
} from '../db/repositories/my-work.js';
import type { Executor } from '../db/schema.js';
import { addDays, daysBetween } from '../domain/calendar.js';
import { reportStateLabelOf } from '../domain/reporting.js';
import type { Principal } from './accounts.js';
import type { ServiceContext } from './context.js';
import { lookUpActors } from './actors.js';
import { forbidden, notFoundOf, reportingActorOf } from './policy.js';
import { shanghaiDate } from './reporting.js';

/**
 * 我的待办: what is waiting for this person, by role. A unit: parts of items to sign for, reports owed (every one
 * overdue, however old, then those coming due), reports returned to it, for its leader the reports to approve, and
 * as lead unit the cooperating units' reports to take in. The supervision office: the units with overdue reports
 * and how many, lead reports to review, extension requests, assignments returned.
 */

/** A period ending this many days from now is due soon enough to show; an overdue one shows however old it is. */
const AHEAD_WINDOW_DAYS = 45;
export const DUE_PAGE_SIZE = 20;

/** Reports waiting, with when they last changed state or text and who did it: for a queue, when and by whom it was sent. */
async function todosOf(db: Executor, today: string, rows: ReportTodoRow[]): Promise<ReportTodo[]> {
  const names = await lookUpActors(
    db,
    rows.flatMap((row) => (row.updatedBy ? [row.updatedBy] : [])),
  );
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
      stateLabel: reportStateLabelOf(row.state, row.reportId !== null),
      comment: row.comment ?? null,
      updatedAt: row.updatedAt ?? null,
      updatedBy: row.updatedBy ? names.short(row.updatedBy) : null,
    };
  });
}

const withOrganisation = <T extends { organisationId: number; organisationName: string }>({
  organisationId,
  organisationName,
  ...row
}: T) => ({
  ...row,
  organisation: { id: organisationId, name: organisationName },
});

/** The principal's 我的待办: parts to sign for, reports owed, returned, to approve or review, and extensions to decide. */
export async function getMyWork(ctx: ServiceContext, principal: Principal): Promise<MyWorkResponse> {
  const work: MyWorkResponse = {
    toAcknowledge: [],
    due: [],
    dueTotal: 0,
    overdueTotal: 0,
    overdueUnits: [],
    returned: [],
    toApprove: [],
    toReview: [],
    extensions: [],
    returnedAssignments: [],
    total: 0,
  };
  const actor = reportingActorOf(principal);
  if (!actor || principal.kind !== 'user') return work;
  const today = shanghaiDate(ctx.now());
  const endsBy = addDays(today, AHEAD_WINDOW_DAYS);
  const db = ctx.db;
  const todos = (rows: ReportTodoRow[]) => todosOf(db, today, rows);

  if (actor.role === 'unit_leader' || actor.role === 'unit_reporter') {
    const own = actor.organisationId;
    work.toAcknowledge = (await listAssignmentsToAcknowledge(db, own)).map((row) => ({ ...withOrganisation(row), role: row.role }));
    const owed = await countOwedReports(db, { today, endsBy, organisationId: own });
    work.dueTotal = owed.total;
    work.overdueTotal = owed.overdue;
    work.due = await todos(await listOwedReports(db, { today, endsBy, organisationId: own }, { offset: 0, limit: DUE_PAGE_SIZE }));
    work.returned = await todos(await listOwnReportsInState(db, own, 'returned'));
    if (actor.role === 'unit_leader') work.toApprove = await todos(await listOwnReportsInState(db, own, 'submitted'));
    work.toReview = await todos(await listCooperatorReportsToReview(db, own));
    work.total = work.toAcknowledge.length + work.dueTotal + work.returned.length + work.toApprove.length + work.toReview.length;
  }

  if (actor.role === 'supervisor') {
    work.overdueUnits = (await countOverdueByOrganisation(db, { today, endsBy })).map((row) => ({
      organisation: { id: row.organisationId, name: row.organisationName },
      overdue: row.overdue,
      oldestDueOn: row.oldestDueOn,
      daysOverdue: daysBetween(row.oldestDueOn, today),
    }));
    work.overdueTotal = work.overdueUnits.reduce((sum, unit) => sum + unit.overdue, 0);
    work.toReview = await todos(await listLeadReportsToReview(db));
    const extensions = await listPendingExtensions(db);
    work.extensions = (await todos(extensions)).map((todo, index) => ({
      ...todo,
      extensionId: extensions[index]!.extensionId,
      requestedDueOn: extensions[index]!.requestedDueOn,
      reason: extensions[index]!.reason,
    }));
    work.returnedAssignments = (await listReturnedAssignments(db)).map((row) => ({
      ...withOrganisation(row),
      role: row.role,
      reason: row.reason,
    }));
    work.total = work.overdueUnits.length + work.toReview.length + work.extensions.length + work.returnedAssignments.length;
  }
  return work;
}

/**
 * One page of the reports a unit owes, the most overdue first. A unit reads its own; the office reads any unit's
 * (the per-unit list under 逾期未报) or every unit's. Another unit's list answers 404, as a unit that does not exist.
 */
export async function listDueReports(
  ctx: ServiceContext,
  principal: Principal,
  query: { organisationId?: number; overdueOnly?: boolean; page?: number; pageSize?: number },
): Promise<DueResponse> {
  const actor = reportingActorOf(principal);
  if (!actor || principal.kind !== 'user') throw forbidden();
  const unit = actor.role === 'unit_leader' || actor.role === 'unit_reporter';
  if (!unit && actor.role !== 'supervisor') throw forbidden();
  if (unit && query.organisationId !== undefined && query.organisationId !== actor.organisationId) {
    throw notFoundOf('organisation');
  }
  const today = shanghaiDate(ctx.now());
  const filter = {
    today,
    endsBy: addDays(today, AHEAD_WINDOW_DAYS),
    organisationId: unit ? actor.organisationId : query.organisationId,
    overdueOnly: query.overdueOnly ?? false,
  };
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DUE_PAGE_SIZE;
  const { total } = await countOwedReports(ctx.db, filter);
  const rows = await listOwedReports(ctx.db, filter, { offset: (page - 1) * pageSize, limit: pageSize });
  return { rows: await todosOf(ctx.db, today, rows), total, page, pageSize };
}
