import { textTooLong } from '../contract/limits.js';
import type { AttachmentView, ReportDiff, ReportKey, ReportView, ReportWritten, VersionView } from '../contract/reports.js';
import { isUniqueViolation } from '../db/connect.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import {
  findLatestExtensionRequest,
  findReport,
  findReportById,
  findReportSubjectRows,
  insertVersion,
  insertWorkingCopy,
  listItemLinks,
  listVersions,
  setReportDueOn,
  updateReportAtRevision,
  type ReportVersionInput,
  decideExtensionRequest,
  findExtensionRequest,
  findPendingExtensionRequest,
  insertExtensionRequest,
} from '../db/repositories/reports.js';
import { listAttachmentsOfReport } from '../db/repositories/attachments.js';
import type { ReportSubjectRows } from '../db/repositories/reports.js';
import type { Executor, ItemRow, PeriodRow, PlanRow, ReportRow, ReportVersionRow, TaskRow } from '../db/schema.js';
import { addDays, daysBetween, isIsoDate } from '../domain/calendar.js';
import { type AppError, badInput, conflict } from '../domain/errors.js';
import {
  contentProblems,
  DELIVERED_EVENTS,
  diffTexts,
  isEditable,
  mayActOnReport,
  nextState,
  needsComment,
  REPORT_EVENT_LABELS,
  REPORT_EVENTS,
  REPORT_STATE_LABELS,
  reportStateLabelOf,
  type ReportContent,
  type ReportEvent,
  type ReportFigure,
  type ReportState,
  type ReportStatus,
  type ReportSubject,
} from '../domain/reporting.js';
import type { Principal } from './accounts.js';
import { lookUpActors, type ActorNames } from './actors.js';
import { attachedAt, attachmentView } from './attachment-views.js';
import type { Actor, ServiceContext } from './context.js';
import { forbidden, notFoundOf, readScopeOf, reportingActorOf } from './policy.js';

/**
 * Reports of an item by a unit for a period, through their workflow. The unit works on one current copy (drafts
 * autosave into it); every step of the workflow records an immutable version; a write based on an older revision
 * is refused with the current report and the writer's own text, so that nothing typed is lost.
 */

export type ReportAction = ReportEvent | 'edit' | 'request_extension';

/** Everything a report is about, loaded once. */
export interface Subject {
  item: ItemRow;
  task: TaskRow;
  plan: PlanRow;
  period: PeriodRow;
  chapter: { numeral: string; title: string };
  links: { organisation_id: number; role: string; state: string }[];
  organisation: { id: number; name: string };
  report: ReportRow | undefined;
}

const EMPTY_CONTENT: ReportContent = { progress: '', problems: '', nextSteps: '', status: null, figures: [] };

/** A report row's or version's content as the API gives it; its figures are stored as JSON. */
export function contentOf(row: Pick<ReportRow, 'text' | 'problems' | 'next_steps' | 'status' | 'figures'>): ReportContent {
  return {
    progress: row.text,
    problems: row.problems,
    nextSteps: row.next_steps,
    status: (row.status as ReportStatus | null) ?? null,
    figures: JSON.parse(row.figures) as ReportFigure[],
  };
}

function versionInput(content: ReportContent, state: string, actor: Actor, at: string, event?: string, comment?: string | null) {
  return {
    state,
    text: content.progress,
    problems: content.problems,
    nextSteps: content.nextSteps,
    status: content.status,
    figures: JSON.stringify(content.figures),
    source: actor.source,
    event,
    comment,
    createdBy: actor.id,
    at,
  };
}

/** Today in Asia/Shanghai, where due dates are kept. */
export function shanghaiDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function loadSubject(db: Executor, key: ReportKey): Promise<Subject> {
  const rows = await findReportSubjectRows(db, {
    itemId: key.itemId,
    organisationId: key.organisationId,
    period: { code: key.periodCode },
  });
  if (!rows) throw notFoundOf('report');
  return completeSubject(db, rows, await findReport(db, rows.item.id, rows.organisation.id, rows.period.id));
}

/** The subject read by its rows and its report (if written): the item's links decide whether the unit has one. */
async function completeSubject(db: Executor, rows: ReportSubjectRows, report: ReportRow | undefined): Promise<Subject> {
  const links = await listItemLinks(db, rows.item.id);
  if (!report && !links.some((link) => link.organisation_id === rows.organisation.id)) throw notFoundOf('report');
  const { item, task, plan, period, chapter, organisation } = rows;
  return { item, task, plan, period, chapter: { numeral: chapter.numeral, title: chapter.title }, links, organisation, report };
}

/**
 * Everything a report is about, found by the report's id; report_not_found when there is no such report. Reads without
 * checking the principal: callers apply visibility or requireAction.
 */
export async function subjectOfReport(db: Executor, reportId: number): Promise<Subject> {
  const report = await findReportById(db, reportId);
  if (!report) throw notFoundOf('report');
  const rows = await findReportSubjectRows(db, {
    itemId: report.item_id,
    organisationId: report.organisation_id,
    period: { id: report.period_id },
  });
  if (!rows) throw notFoundOf('report');
  return completeSubject(db, rows, report);
}

function ruleSubject(subject: Subject): ReportSubject {
  return {
    organisationId: subject.organisation.id,
    leadOrganisationIds: subject.links.filter((link) => link.role === 'lead').map((link) => link.organisation_id),
  };
}

/**
 * How much of a report this principal sees: its own unit's working copy; as lead unit, or city-wide, what has
 * left the unit; nothing (404, as for a report that does not exist) otherwise.
 */
export function visibility(principal: Principal, subject: Subject): 'working' | 'delivered' {
  const scope = readScopeOf(principal);
  const actor = reportingActorOf(principal);
  if (!actor || (principal.kind === 'user' && principal.role === 'auditor')) throw forbidden();
  if (scope && scope.organisationId === subject.organisation.id) return 'working';
  if (!scope) return 'delivered';
  if (ruleSubject(subject).leadOrganisationIds.includes(scope.organisationId)) return 'delivered';
  throw notFoundOf('report');
}

function allowedActions(principal: Principal, subject: Subject, state: ReportState): ReportAction[] {
  const actor = reportingActorOf(principal);
  if (!actor || (principal.kind === 'token' && principal.scope === 'read')) return [];
  const rules = ruleSubject(subject);
  const assignment = subject.links.find((link) => link.organisation_id === subject.organisation.id);
  const actions: ReportAction[] = [];
  const writable = assignment?.state !== 'returned';
  if (writable && isEditable(state) && mayActOnReport(actor, rules, 'edit')) actions.push('edit');
  for (const event of REPORT_EVENTS) {
    if (nextState(state, event) && mayActOnReport(actor, rules, event) && (event !== 'submit' || writable)) actions.push(event);
  }
  // more time is asked for while the unit still writes; once sent on, the unit's part of the deadline is met
  if (isEditable(state) && mayActOnReport(actor, rules, 'request_extension')) actions.push('request_extension');
  return actions;
}

/**
 * The report as this principal sees it. Its due date is an extension's, else the period's; daysLeft counts from today
 * in Asia/Shanghai and turns negative when overdue. Outside the unit the content is the last version that left it
 * (contentRevision names it), null before any did; lastReview is the latest comment of a leader or reviewer.
 */
async function buildView(db: Executor, principal: Principal, subject: Subject, now: Date): Promise<ReportView> {
  const seen = visibility(principal, subject);
  const report = subject.report;
  const versions = report ? await listVersions(db, report.id) : [];
  const extension = report ? await findLatestExtensionRequest(db, report.id) : undefined;
  const reviewed = [...versions].reverse().find((version) => ['reject', 'return', 'accept'].includes(version.event ?? ''));
  const files = report ? await listAttachmentsOfReport(db, report.id) : [];
  const names = await lookUpActors(db, [...(report?.updated_by ? [report.updated_by] : []), ...(reviewed ? [reviewed.created_by] : [])]);

  let content: ReportContent | null = report ? contentOf(report) : { ...EMPTY_CONTENT };
  let contentRevision: number | null = null;
  if (seen === 'delivered') {
    const delivered = [...versions].reverse().find((version) => DELIVERED_EVENTS.has(version.event ?? ''));
    content = delivered ? contentOf(delivered) : null;
    contentRevision = delivered?.revision ?? null;
  }
  const state = (report?.state ?? 'draft') as ReportState;
  const dueOn = report?.due_on ?? subject.period.due_on;
  const relation = subject.links.some((link) => link.organisation_id === subject.organisation.id && link.role === 'lead')
    ? 'lead'
    : 'cooperating';
  return {
    id: report?.id ?? null,
    key: { itemId: subject.item.id, organisationId: subject.organisation.id, periodCode: subject.period.code },
    item: {
      id: subject.item.id,
      work: subject.item.work,
      leadText: subject.item.lead_text,
      cooperatingText: subject.item.cooperating_text,
      task: { id: subject.task.id, number: subject.task.number, name: subject.task.name },
      chapter: subject.chapter,
    },
    plan: { id: subject.plan.id, year: subject.plan.year, title: subject.plan.title },
    organisation: subject.organisation,
    relation,
    period: {
      code: subject.period.code,
      label: subject.period.label,
      startsOn: subject.period.starts_on,
      endsOn: subject.period.ends_on,
      dueOn: subject.period.due_on,
      expectedProgress: subject.period.expected_progress,
    },
    dueOn,
    daysLeft: dueOn ? daysBetween(shanghaiDate(now), dueOn) : null,
    state,
    stateLabel: reportStateLabelOf(state, report !== undefined),
    revision: report?.revision ?? 0,
    content,
    contentRevision,
    updatedAt: seen === 'working' ? (report?.updated_at ?? null) : null,
    updatedBy: seen === 'working' && report?.updated_by ? names.short(report.updated_by) : null,
    lastReview: reviewed
      ? {
          event: reviewed.event!,
          eventLabel: REPORT_EVENT_LABELS[reviewed.event as ReportEvent] ?? reviewed.event!,
          comment: reviewed.comment,
          by: names.short(reviewed.created_by),
          at: reviewed.created_at,
        }
      : null,
    extension: extension
      ? {
          id: extension.id,
          requestedDueOn: extension.requested_due_on,
          reason: extension.reason,
          state: extension.state,
          decisionComment: extension.decision_comment,
          createdAt: extension.created_at,
        }
      : null,
    attachments: (seen === 'working'
      ? attachedAt(files, 'current')
      : contentRevision === null
        ? []
        : attachedAt(files, contentRevision)
    ).map(attachmentView),
    actions: allowedActions(principal, subject, state),
  };
}

/**
 * The report of an item by a unit for a period as the principal sees it, also before anything was written (revision 0,
 * empty); report_not_found when the unit has no part in the item or the reader may not see it, 403 for an auditor.
 */
export async function getReport(ctx: ServiceContext, principal: Principal, key: ReportKey): Promise<ReportView> {
  return buildView(ctx.db, principal, await loadSubject(ctx.db, key), ctx.now());
}

/** As getReport, for a report found by its id; one that has not been written yet has no id to find it by. */
export async function getReportById(ctx: ServiceContext, principal: Principal, reportId: number): Promise<ReportView> {
  return buildView(ctx.db, principal, await subjectOfReport(ctx.db, reportId), ctx.now());
}

/**
 * Refuses an action the principal may not take on the report now: 404 if it may not see it, 409 assignment_returned,
 * report_locked (accepted) or report_wrong_state when the rules allow it in another state, else 403.
 */
export function requireAction(principal: Principal, subject: Subject, action: ReportAction): void {
  visibility(principal, subject);
  const state = (subject.report?.state ?? 'draft') as ReportState;
  if (allowedActions(principal, subject, state).includes(action)) return;
  const assignment = subject.links.find((link) => link.organisation_id === subject.organisation.id);
  if ((action === 'edit' || action === 'submit') && assignment?.state === 'returned') {
    throw conflict('assignment_returned', '本单位已退回该事项的分工，等待督查室重新分配，暂不能填报。');
  }
  if (state === 'accepted') throw conflict('report_locked', '报告已采纳，不能再修改。');
  const actor = reportingActorOf(principal);
  if (actor && mayActOnReport(actor, ruleSubject(subject), action === 'edit' ? 'edit' : action)) {
    throw conflict(
      'report_wrong_state',
      `报告当前状态为“${REPORT_STATE_LABELS[state]}”，不能${action === 'edit' ? '修改' : (REPORT_EVENT_LABELS[action as ReportEvent] ?? action)}。`,
    );
  }
  throw forbidden();
}

function normaliseContent(content: ReportContent): ReportContent {
  return {
    progress: content.progress.replace(/\r\n?/g, '\n'),
    problems: content.problems.replace(/\r\n?/g, '\n'),
    nextSteps: content.nextSteps.replace(/\r\n?/g, '\n'),
    status: content.status,
    figures: content.figures.map((figure) => ({ name: figure.name.trim(), value: figure.value, unit: figure.unit.trim() })),
  };
}

/** The answer to a write based on an old revision: the report as it is now, and what the writer sent. */
async function staleWrite(ctx: ServiceContext, principal: Principal, key: ReportKey, yours: ReportContent | undefined): Promise<AppError> {
  const current = await getReport(ctx, principal, key);
  return conflict(
    'report_changed',
    `报告已被${current.updatedBy ?? '他人'}修改（当前第 ${current.revision} 版），您的内容未保存，请对照后再提交。`,
    { current, yours: yours ?? null },
  );
}

/** `view`: the report as the writer now sees it (what the web shows); `written`: only id, revision and state. */
export type WriteAnswer = 'view' | 'written';

/** The report row as a write left it, built from what was written rather than read back. */
function reportAsWritten(
  previous: ReportRow | undefined,
  keys: { id: number; itemId: number; organisationId: number; periodId: number },
  version: ReportVersionInput,
): ReportRow {
  return {
    id: keys.id,
    item_id: keys.itemId,
    organisation_id: keys.organisationId,
    period_id: keys.periodId,
    state: version.state,
    text: version.text,
    problems: version.problems ?? '',
    next_steps: version.nextSteps ?? '',
    figures: version.figures ?? '[]',
    status: version.status,
    revision: (previous?.revision ?? 0) + 1,
    due_on: previous?.due_on ?? null,
    updated_by: version.createdBy,
    created_at: previous?.created_at ?? version.at,
    updated_at: version.at,
  };
}

async function answerWrite(
  ctx: ServiceContext,
  principal: Principal,
  subject: Subject,
  report: ReportRow,
  answer: WriteAnswer,
): Promise<ReportView | ReportWritten> {
  if (answer === 'written') return { id: report.id, revision: report.revision, state: report.state as ReportState };
  // the subject was read inside the write's transaction and the row is what it wrote: no need to read them again
  return buildView(ctx.db, principal, { ...subject, report }, ctx.now());
}

/**
 * Saves the unit's working copy. `baseRevision` is the revision the writer started from (0 for a report not yet
 * written); a save based on anything else is refused with 409, the current report and the writer's text.
 * Answers the report as the writer now sees it, or with `answer: 'written'` only its id, revision and state.
 */
export async function saveReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  key: ReportKey,
  input: { content: ReportContent; baseRevision: number },
): Promise<ReportView>;
/** With `answer`: `'view'` answers the report as the writer now sees it, `'written'` only its id, revision and state. */
export async function saveReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  key: ReportKey,
  input: { content: ReportContent; baseRevision: number },
  answer: WriteAnswer,
): Promise<ReportView | ReportWritten>;
/**
 * Validates the content before the transaction; inside it checks the action and the base revision, writes the working
 * copy (no version: only the workflow's steps record them) and the audit event. A concurrent first insert counts as stale.
 */
export async function saveReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  key: ReportKey,
  input: { content: ReportContent; baseRevision: number },
  answer: WriteAnswer = 'view',
): Promise<ReportView | ReportWritten> {
  const content = normaliseContent(input.content);
  const problems = contentProblems(content, false);
  if (problems.length > 0) throw badInput('invalid_report', problems.join(''), { problems });
  const at = ctx.now().toISOString();
  const saved = await ctx.db
    .transaction()
    .execute(async (trx) => {
      const subject = await loadSubject(trx, key);
      requireAction(principal, subject, 'edit');
      const report = subject.report;
      if ((report?.revision ?? 0) !== input.baseRevision) return undefined;
      const before = report ? contentOf(report) : null;
      let reportId: number;
      const version = versionInput(content, report?.state ?? 'draft', actor, at);
      if (!report) {
        reportId = await insertWorkingCopy(
          trx,
          { itemId: key.itemId, organisationId: key.organisationId, periodId: subject.period.id },
          version,
        );
      } else {
        reportId = report.id;
        if (!(await updateReportAtRevision(trx, { id: report.id, baseRevision: input.baseRevision }, { state: report.state, version })))
          return undefined;
      }
      await appendAuditEvent(
        trx,
        {
          actor: actor.id,
          organisationId: key.organisationId,
          source: actor.source,
          action: 'report.save',
          objectType: 'report',
          objectId: reportId,
          before,
          after: content,
        },
        at,
      );
      return {
        subject,
        report: reportAsWritten(
          report,
          { id: reportId, itemId: key.itemId, organisationId: key.organisationId, periodId: subject.period.id },
          version,
        ),
      };
    })
    .catch((error: unknown) => {
      // a report inserted concurrently by someone else makes the unique key fail: the same answer as a stale revision
      if (isUniqueViolation(error)) return undefined;
      throw error;
    });
  if (!saved) throw await staleWrite(ctx, principal, key, content);
  return answerWrite(ctx, principal, saved.subject, saved.report, answer);
}

/**
 * A step of the workflow: submit, withdraw, approve, reject (by the unit leader), accept, return (by the reviewer).
 * Answers the report as the actor now sees it, or with `answer: 'written'` only its id, revision and state.
 */
export async function actOnReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  reportId: number,
  input: { event: ReportEvent; comment?: string; baseRevision: number },
): Promise<ReportView>;
/** With `answer`: `'view'` answers the report as the actor now sees it, `'written'` only its id, revision and state. */
export async function actOnReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  reportId: number,
  input: { event: ReportEvent; comment?: string; baseRevision: number },
  answer: WriteAnswer,
): Promise<ReportView | ReportWritten>;
/**
 * Checks the comment before the transaction (required to reject or return); inside it the action, the base revision and,
 * for a submit, that the content is complete; moves the state, records the version and the audit event.
 */
export async function actOnReport(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  reportId: number,
  input: { event: ReportEvent; comment?: string; baseRevision: number },
  answer: WriteAnswer = 'view',
): Promise<ReportView | ReportWritten> {
  const comment = input.comment?.trim() || null;
  if (needsComment(input.event) && !comment) throw badInput('comment_required', '退回时请写明原因，供填报单位修改。');
  const commentTooLong = comment && textTooLong('comment', comment);
  if (commentTooLong) throw badInput('comment_too_long', commentTooLong);
  const at = ctx.now().toISOString();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const subject = await subjectOfReport(trx, reportId);
    requireAction(principal, subject, input.event);
    const report = subject.report!;
    if (report.revision !== input.baseRevision) return undefined;
    const content = contentOf(report);
    if (input.event === 'submit') {
      const problems = contentProblems(content, true);
      if (problems.length > 0) throw badInput('report_incomplete', problems.join(''), { problems });
    }
    const state = nextState(report.state as ReportState, input.event)!;
    const version = versionInput(content, state, actor, at, input.event, comment);
    if (!(await updateReportAtRevision(trx, { id: report.id, baseRevision: report.revision }, { state, version }))) return undefined;
    await insertVersion(trx, report.id, report.revision + 1, version);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: report.organisation_id,
        source: actor.source,
        action: `report.${input.event}`,
        objectType: 'report',
        objectId: report.id,
        before: { state: report.state, revision: report.revision },
        after: { state, revision: report.revision + 1, ...(comment ? { comment } : {}) },
      },
      at,
    );
    return {
      subject,
      report: reportAsWritten(
        report,
        { id: report.id, itemId: report.item_id, organisationId: report.organisation_id, periodId: report.period_id },
        version,
      ),
    };
  });
  if (!done) {
    const subject = await subjectOfReport(ctx.db, reportId);
    throw await staleWrite(
      ctx,
      principal,
      { itemId: subject.item.id, organisationId: subject.organisation.id, periodCode: subject.period.code },
      undefined,
    );
  }
  return answerWrite(ctx, principal, done.subject, done.report, answer);
}

/** Every recorded version the reader may see, oldest first: the unit sees all, others what left the unit. */
export async function listReportVersions(ctx: ServiceContext, principal: Principal, reportId: number): Promise<VersionView[]> {
  const subject = await subjectOfReport(ctx.db, reportId);
  const seen = visibility(principal, subject);
  const versions = (await listVersions(ctx.db, reportId)).filter(
    (version) => seen === 'working' || DELIVERED_EVENTS.has(version.event ?? ''),
  );
  const names = await lookUpActors(
    ctx.db,
    versions.map((version) => version.created_by),
  );
  const files = await listAttachmentsOfReport(ctx.db, reportId);
  return versions.map((version) => versionView(version, names, attachedAt(files, version.revision).map(attachmentView)));
}

function versionView(version: ReportVersionRow, names: ActorNames, attachments: AttachmentView[]): VersionView {
  const event = version.event ?? 'import';
  return {
    revision: version.revision,
    event,
    eventLabel: REPORT_EVENT_LABELS[event as ReportEvent] ?? event,
    state: version.state,
    stateLabel: REPORT_STATE_LABELS[version.state as ReportState] ?? version.state,
    comment: version.comment,
    by: names.short(version.created_by),
    at: version.created_at,
    content: contentOf(version),
    attachments,
  };
}

/** What changed between two versions, field by field. */
export async function diffReportVersions(
  ctx: ServiceContext,
  principal: Principal,
  reportId: number,
  fromRevision: number,
  toRevision: number,
): Promise<ReportDiff> {
  const versions = await listReportVersions(ctx, principal, reportId);
  const find = (revision: number) => {
    const version = versions.find((candidate) => candidate.revision === revision);
    if (!version) throw notFoundOf('version');
    return version;
  };
  const from = find(fromRevision);
  const to = find(toRevision);
  const figureText = (figure: ReportFigure | undefined) => (figure ? `${figure.value}${figure.unit}` : null);
  const names = [...new Set([...from.content.figures, ...to.content.figures].map((figure) => figure.name))];
  return {
    from,
    to,
    progress: diffTexts(from.content.progress, to.content.progress),
    problems: diffTexts(from.content.problems, to.content.problems),
    nextSteps: diffTexts(from.content.nextSteps, to.content.nextSteps),
    status: from.content.status === to.content.status ? null : { from: from.content.status, to: to.content.status },
    figures: names
      .map((name) => ({
        name,
        from: figureText(from.content.figures.find((figure) => figure.name === name)),
        to: figureText(to.content.figures.find((figure) => figure.name === name)),
      }))
      .filter((figure) => figure.from !== figure.to),
    attachments: {
      added: to.attachments.filter((file) => !from.attachments.some((old) => old.id === file.id)).map((file) => file.fileName),
      removed: from.attachments.filter((file) => !to.attachments.some((kept) => kept.id === file.id)).map((file) => file.fileName),
    },
  };
}

/** A unit asks for more time; the supervision office decides. One open request per report. */
export async function requestExtension(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  key: ReportKey,
  input: { dueOn: string; reason: string },
): Promise<ReportView> {
  const reason = input.reason.trim();
  if (!reason) throw badInput('reason_required', '请写明延期理由。');
  const reasonTooLong = textTooLong('extensionReason', reason);
  if (reasonTooLong) throw badInput('reason_too_long', reasonTooLong);
  if (!isIsoDate(input.dueOn)) throw badInput('invalid_date', `“${input.dueOn}”不是有效日期。`);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const subject = await loadSubject(trx, key);
    requireAction(principal, subject, 'request_extension');
    const currentDue = subject.report?.due_on ?? subject.period.due_on;
    if (currentDue && input.dueOn <= currentDue) throw badInput('extension_not_later', `新的截止日期须晚于现在的 ${currentDue}。`);
    if (input.dueOn > addDays(subject.period.ends_on, 366)) throw badInput('extension_too_far', '延期不能超过周期结束后一年。');
    let reportId = subject.report?.id;
    if (reportId === undefined) {
      reportId = await insertWorkingCopy(
        trx,
        { itemId: key.itemId, organisationId: key.organisationId, periodId: subject.period.id },
        versionInput(EMPTY_CONTENT, 'draft', actor, at),
      );
    }
    if (await findPendingExtensionRequest(trx, reportId)) throw conflict('extension_pending', '该报告已有待审批的延期申请。');
    const id = await insertExtensionRequest(trx, { reportId, dueOn: input.dueOn, reason, createdBy: actor.id, at });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: key.organisationId,
        source: actor.source,
        action: 'report.extension_request',
        objectType: 'extension_request',
        objectId: id,
        after: { reportId, dueOn: input.dueOn, reason },
      },
      at,
    );
  });
  return getReport(ctx, principal, key);
}

/**
 * The supervision office approves or rejects a pending extension request (a rejection needs a reason); an approval
 * becomes the report's due date. Checks no permission itself: the route requires plans.manage. Answers the report.
 */
export async function decideExtension(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  requestId: number,
  input: { approve: boolean; comment?: string },
): Promise<ReportView> {
  const comment = input.comment?.trim() || null;
  if (!input.approve && !comment) throw badInput('comment_required', '不同意延期时请写明理由。');
  const commentTooLong = comment && textTooLong('decisionComment', comment);
  if (commentTooLong) throw badInput('comment_too_long', commentTooLong);
  const at = ctx.now().toISOString();
  const reportId = await ctx.db.transaction().execute(async (trx) => {
    const request = await findExtensionRequest(trx, requestId);
    if (!request) throw notFoundOf('extension');
    if (request.state !== 'pending') throw conflict('extension_decided', '该延期申请已处理。');
    const state = input.approve ? 'approved' : 'rejected';
    if (!(await decideExtensionRequest(trx, requestId, { state, comment, decidedBy: actor.id, at }))) {
      throw conflict('extension_decided', '该延期申请已处理。');
    }
    if (input.approve) await setReportDueOn(trx, request.report_id, request.requested_due_on);
    const report = (await findReportById(trx, request.report_id))!;
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: report.organisation_id,
        source: actor.source,
        action: 'report.extension_decide',
        objectType: 'extension_request',
        objectId: requestId,
        before: { state: 'pending' },
        after: { state, comment, ...(input.approve ? { dueOn: request.requested_due_on } : {}) },
      },
      at,
    );
    return request.report_id;
  });
  return getReportById(ctx, principal, reportId);
}
