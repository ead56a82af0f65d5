import {
  CLOSURE_STATE_LABELS,
  NOTICE_STATE_LABELS,
  type ClosureRequest,
  type Notice,
  type NoticeBody,
  type NoticeListQuery,
  type NoticeSummary,
  type SupervisionSettings,
  type SupervisionSettingsUpdate,
  type Timeline,
  type TimelineEvent,
  type Urge,
  type UrgeBody,
} from '../contract/supervision.js';
import type { WarningRulesResponse, WarningRulesUpdate } from '../contract/warning-rules.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { findOrganisationById } from '../db/repositories/organisations.js';
import { findPlanById, listPeriods } from '../db/repositories/plans.js';
import { listItemLinks } from '../db/repositories/reports.js';
import {
  closeItem,
  decideClosureRequest,
  findClosureRequest,
  findEscalationOf,
  findItemContext,
  findNotice,
  findPendingClosure,
  insertClosureRequest,
  insertNotice,
  insertNoticeReply,
  insertUrge,
  listClosureRequests,
  listItemHeadlines,
  listNoticeReplies,
  listNotices,
  readItemHistory,
  saveWarningRules,
  takeDocumentNumber,
  updateNoticeState,
  type ClosureRequestRow,
  type NoticeRow,
} from '../db/repositories/supervision.js';
import type { Executor } from '../db/schema.js';
import { addDays } from '../domain/calendar.js';
import { AppError, badInput, conflict } from '../domain/errors.js';
import { describeLightRules, LIGHT_LABELS, mergeLightRules, validateLightRules, type Light } from '../domain/lights.js';
import { NOTICE_COLOUR_LABELS, nextColour, noticeNumberText, type NoticeColour, type NoticeDocument } from '../domain/supervision.js';
import type { Principal } from './accounts.js';
import { lookUpActors } from './actors.js';
import type { Actor, ServiceContext } from './context.js';
import { notifyOffice, notifyUnit } from './notifications.js';
import { can, forbidden, notFoundOf, readScopeOf, type ReadScope } from './policy.js';
import { shanghaiDate } from './reporting.js';
import { lightRulesOfPlan, storedRules, type StoredRules } from './warning-rules.js';
import { requirePlan } from './catalogue.js';

/**
 * Supervision (督查督办) as people do it: the office urges a unit (催办) and raises three-colour notices (督办单), the
 * unit answers, the office closes the notice or raises it to the next colour; the lead unit asks to close a finished
 * item (办结销号) and the office approves or returns it. Every step is audited and notifies whom it concerns, in the
 * step's own transaction.
 */

export const DEFAULT_SUPERVISION_SETTINGS: Omit<SupervisionSettings, 'issuer'> = {
  remindDaysBefore: 3,
  remindOnDueDay: true,
  remindEveryDaysAfter: 3,
  autoNotices: { blue: false, yellow: false, red: false },
  replyDays: 5,
};

/** What a notice asks when the office writes no requirement of its own (the closing line asks for the answer). */
export const DEFAULT_REQUIREMENT = '请高度重视，认真分析原因，采取有力措施抓紧推进，确保按期完成。';

/** The office that issues a plan's notices by default: the plan issuer's 督查室. */
function defaultIssuer(planIssuer: string): string {
  const issuer = planIssuer.trim();
  if (!issuer) return '市人民政府督查室';
  return issuer.endsWith('督查室') ? issuer : `${issuer}督查室`;
}

async function requirePlanRow(db: Executor, planId: number) {
  const plan = await findPlanById(db, planId);
  if (!plan) throw notFoundOf('plan');
  return plan;
}

/** A plan's reminder and notice settings as they apply. */
export async function supervisionSettingsOf(db: Executor, planId: number): Promise<SupervisionSettings> {
  const plan = await requirePlanRow(db, planId);
  const stored = (await storedRules(db, planId)).supervision ?? {};
  return {
    ...DEFAULT_SUPERVISION_SETTINGS,
    issuer: defaultIssuer(plan.issuer),
    ...stored,
    autoNotices: { ...DEFAULT_SUPERVISION_SETTINGS.autoNotices, ...stored.autoNotices },
  };
}

/**
 * Changes one part of a plan's stored rules (the lights or the settings) in a transaction, with its audit entry:
 * `change` gets what is stored and gives the part's new value, or throws to refuse it.
 */
async function updateStoredRules<Part extends keyof StoredRules>(
  ctx: ServiceContext,
  actor: Actor,
  planId: number,
  { part, action }: { part: Part; action: 'warning_rules.update' | 'supervision_settings.update' },
  change: (stored: StoredRules) => NonNullable<StoredRules[Part]>,
): Promise<void> {
  await requirePlanRow(ctx.db, planId);
  await ctx.db.transaction().execute(async (trx) => {
    const stored = await storedRules(trx, planId);
    const value = change(stored);
    const at = ctx.now().toISOString();
    await saveWarningRules(trx, planId, JSON.stringify({ ...stored, [part]: value }), actor.id, at);
    await appendAuditEvent(
      trx,
      { actor: actor.id, source: actor.source, action, objectType: 'plan', objectId: planId, before: stored[part] ?? {}, after: value },
      at,
    );
  });
}

/** A plan's warning rules with the defaults and their description; a unit reads those of the plans it is in. */
export async function getWarningRules(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<WarningRulesResponse> {
  await requirePlan(ctx, planId, scope);
  const rules = await lightRulesOfPlan(ctx.db, planId);
  return { rules, defaults: mergeLightRules({}), description: describeLightRules(rules) };
}

/** Changes a plan's warning rules (only the fields sent); every inconsistency is named together. */
export async function setWarningRules(
  ctx: ServiceContext,
  actor: Actor,
  planId: number,
  patch: WarningRulesUpdate,
): Promise<WarningRulesResponse> {
  await updateStoredRules(ctx, actor, planId, { part: 'lights', action: 'warning_rules.update' }, (stored) => {
    const lights = { ...stored.lights, ...patch, statusLights: { ...stored.lights?.statusLights, ...patch.statusLights } };
    const checked = validateLightRules(lights);
    if ('errors' in checked) throw badInput('bad_warning_rules', `预警规则有误：${checked.errors.join('；')}`, { errors: checked.errors });
    return lights;
  });
  return getWarningRules(ctx, planId);
}

/** A plan's reminder and notice settings; a unit reads those of the plans it is in. */
export async function getSupervisionSettings(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<SupervisionSettings> {
  await requirePlan(ctx, planId, scope);
  return supervisionSettingsOf(ctx.db, planId);
}

export async function setSupervisionSettings(
  ctx: ServiceContext,
  actor: Actor,
  planId: number,
  patch: SupervisionSettingsUpdate,
): Promise<SupervisionSettings> {
  await updateStoredRules(ctx, actor, planId, { part: 'supervision', action: 'supervision_settings.update' }, (stored) => ({
    ...stored.supervision,
    ...patch,
    // only the colours named change; supervisionSettingsOf fills in the others
    autoNotices: { ...stored.supervision?.autoNotices, ...patch.autoNotices } as SupervisionSettings['autoNotices'],
  }));
  return supervisionSettingsOf(ctx.db, planId);
}

/** The item, refused as missing when a unit's scope has no part in it. */
async function requireItem(db: Executor, itemId: number, scope: ReadScope) {
  const item = await findItemContext(db, itemId);
  if (!item) throw notFoundOf('item');
  const links = await listItemLinks(db, itemId);
  if (scope && !links.some((link) => link.organisation_id === scope.organisationId)) throw notFoundOf('item');
  return { item, links };
}

/** A unit the item is assigned to: urges and notices go only to units with a part in the item. */
function requireUnitOfItem(links: { organisation_id: number }[], organisationId: number): void {
  if (!links.some((link) => link.organisation_id === organisationId))
    throw badInput('bad_request', '该单位不是此事项的牵头或配合单位，不能对其催办或督办。');
}

async function periodIdOf(db: Executor, planId: number, code: string | undefined) {
  if (code === undefined) return null;
  const period = (await listPeriods(db, planId)).find((candidate) => candidate.code === code);
  if (!period) throw badInput('bad_period', `该工作计划没有“${code}”这一报送周期。`);
  return period;
}

const itemLink = (itemId: number) => `/items/${itemId}`;
const noticeLink = (noticeId: number) => `/notices/${noticeId}`;

/** 催办: the office urges a unit on an item with a message; the unit's members are notified. */
export async function urgeUnit(ctx: ServiceContext, actor: Actor, itemId: number, body: UrgeBody): Promise<Urge> {
  const { item, links } = await requireItem(ctx.db, itemId, null);
  requireUnitOfItem(links, body.organisationId);
  const organisation = await findOrganisationById(ctx.db, body.organisationId);
  if (!organisation) throw notFoundOf('organisation');
  const period = await periodIdOf(ctx.db, item.plan_id, body.periodCode);
  const at = ctx.now().toISOString();
  const message = body.message.trim();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertUrge(trx, {
      item_id: itemId,
      organisation_id: body.organisationId,
      period_id: period?.id ?? null,
      message,
      created_by: actor.id,
      created_at: at,
    });
    const fanout = await notifyUnit(ctx, trx, body.organisationId, {
      kind: 'urge',
      title: `催办：${item.task_number ? `第${item.task_number}项 ` : ''}${truncate(item.work, 40)}`,
      body: `督查室催办${period ? `（${period.label}）` : ''}：${message}\n事项：${item.work}`,
      cause: `urge:${id}`,
      itemId,
      link: itemLink(itemId),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'item.urge',
        objectType: 'item',
        objectId: itemId,
        organisationId: body.organisationId,
        after: { message, period: period?.code ?? null },
      },
      at,
    );
    return {
      id,
      itemId,
      organisation: { id: organisation.id, name: organisation.name },
      period: period ? { code: period.code, label: period.label } : null,
      message,
      createdBy: actor.id,
      createdAt: at,
      notified: fanout.people,
    };
  });
}

const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);

export interface RaiseNoticeInput {
  planId: number;
  itemId: number;
  organisationId: number;
  colour: NoticeColour;
  periodId: number | null;
  reason: string;
  requirement: string;
  replyDueOn: string;
  source: 'rule' | 'office';
  ruleKey?: string;
  escalatedFromId?: number;
  createdBy: string;
  work: string;
  taskNumber: string;
}

/** Writes a numbered notice and notifies the unit, in the caller's transaction; the rules' job uses it too. */
export async function raiseNoticeIn(ctx: ServiceContext, db: Executor, input: RaiseNoticeInput): Promise<number> {
  const at = ctx.now().toISOString();
  const year = Number(shanghaiDate(ctx.now()).slice(0, 4));
  const number = await takeDocumentNumber(db, 'notice', year);
  const id = await insertNotice(db, {
    plan_id: input.planId,
    year,
    number,
    colour: input.colour,
    item_id: input.itemId,
    organisation_id: input.organisationId,
    period_id: input.periodId,
    reason: input.reason,
    requirement: input.requirement,
    reply_due_on: input.replyDueOn,
    state: 'open',
    source: input.source,
    rule_key: input.ruleKey ?? null,
    escalated_from_id: input.escalatedFromId ?? null,
    created_by: input.createdBy,
    created_at: at,
  });
  const label = `${NOTICE_COLOUR_LABELS[input.colour]}督办单`;
  await notifyUnit(ctx, db, input.organisationId, {
    kind: 'notice',
    title: `${label} ${noticeNumberText(year, number)}`,
    body: `事项：${input.work}\n督办事由：${input.reason}\n请于 ${input.replyDueOn} 前反馈办理情况。`,
    cause: `notice:${id}`,
    itemId: input.itemId,
    noticeId: id,
    link: noticeLink(id),
  });
  await appendAuditEvent(
    db,
    {
      actor: input.createdBy,
      source: input.source === 'rule' ? 'job' : 'web',
      action: 'notice.raise',
      objectType: 'notice',
      objectId: id,
      organisationId: input.organisationId,
      after: {
        number: noticeNumberText(year, number),
        colour: input.colour,
        item: input.itemId,
        reason: input.reason,
        replyDueOn: input.replyDueOn,
      },
    },
    at,
  );
  return id;
}

function requireReplyDue(ctx: ServiceContext, replyDueOn: string): void {
  if (replyDueOn < shanghaiDate(ctx.now())) throw badInput('bad_reply_due', '反馈时限不能早于今天。');
}

/** The office raises a notice of a colour to a unit of an item. */
export async function raiseNotice(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  itemId: number,
  body: NoticeBody,
): Promise<Notice> {
  const { item, links } = await requireItem(ctx.db, itemId, null);
  requireUnitOfItem(links, body.organisationId);
  requireReplyDue(ctx, body.replyDueOn);
  const period = await periodIdOf(ctx.db, item.plan_id, body.periodCode);
  const id = await ctx.db.transaction().execute((trx) =>
    raiseNoticeIn(ctx, trx, {
      planId: item.plan_id,
      itemId,
      organisationId: body.organisationId,
      colour: body.colour,
      periodId: period?.id ?? null,
      reason: body.reason.trim(),
      requirement: body.requirement?.trim() || DEFAULT_REQUIREMENT,
      replyDueOn: body.replyDueOn,
      source: 'office',
      createdBy: actor.id,
      work: item.work,
      taskNumber: item.task_number,
    }),
  );
  return getNotice(ctx, principal, id);
}

async function requireNotice(db: Executor, noticeId: number, scope: ReadScope): Promise<NoticeRow> {
  const notice = await findNotice(db, noticeId);
  if (!notice || (scope && notice.organisation_id !== scope.organisationId)) throw notFoundOf('notice');
  return notice;
}

async function summariesOf(ctx: ServiceContext, rows: NoticeRow[]): Promise<NoticeSummary[]> {
  const items = new Map((await listItemHeadlines(ctx.db, [...new Set(rows.map((row) => row.item_id))])).map((item) => [item.id, item]));
  const organisations = new Map<number, string>();
  const plans = new Map<number, string>();
  const periods = new Map<number, { code: string; label: string }>();
  for (const row of rows) {
    if (!organisations.has(row.organisation_id))
      organisations.set(row.organisation_id, (await findOrganisationById(ctx.db, row.organisation_id))?.name ?? '');
    if (!plans.has(row.plan_id)) {
      plans.set(row.plan_id, (await findPlanById(ctx.db, row.plan_id))?.title ?? '');
      for (const period of await listPeriods(ctx.db, row.plan_id)) periods.set(period.id, { code: period.code, label: period.label });
    }
  }
  const today = shanghaiDate(ctx.now());
  return rows.map((row) => {
    const item = items.get(row.item_id);
    return {
      id: row.id,
      numberText: noticeNumberText(row.year, row.number),
      year: row.year,
      number: row.number,
      colour: row.colour,
      colourLabel: NOTICE_COLOUR_LABELS[row.colour],
      state: row.state,
      stateLabel: NOTICE_STATE_LABELS[row.state],
      source: row.source,
      plan: { id: row.plan_id, title: plans.get(row.plan_id) ?? '' },
      item: { id: row.item_id, work: item?.work ?? '', taskNumber: item?.task_number ?? '' },
      organisation: { id: row.organisation_id, name: organisations.get(row.organisation_id) ?? '' },
      period: row.period_id === null ? null : (periods.get(row.period_id) ?? null),
      reason: row.reason,
      replyDueOn: row.reply_due_on,
      overdue: row.state === 'open' && row.reply_due_on < today,
      createdAt: row.created_at,
    };
  });
}

/** Notices, newest first; a unit sees its own only. */
export async function listNoticesFor(
  ctx: ServiceContext,
  principal: Principal,
  query: NoticeListQuery,
): Promise<{ notices: NoticeSummary[] }> {
  const scope = readScopeOf(principal);
  const rows = await listNotices(ctx.db, { ...query, organisationId: scope ? scope.organisationId : query.organisationId });
  return { notices: await summariesOf(ctx, rows) };
}

function noticeActions(principal: Principal, notice: NoticeRow): Notice['actions'] {
  const actions: Notice['actions'] = [];
  const unitMember = principal.kind === 'user' && principal.organisationId === notice.organisation_id && can(principal, 'reports.act');
  const office = can(principal, 'plans.manage');
  if (unitMember && !office && (notice.state === 'open' || notice.state === 'answered')) actions.push('reply');
  if (office && (notice.state === 'open' || notice.state === 'answered')) {
    actions.push('close');
    if (nextColour(notice.colour)) actions.push('escalate');
  }
  return actions;
}

/** One notice with its replies, what escalated from or to it, and what the reader may do with it. */
export async function getNotice(ctx: ServiceContext, principal: Principal, noticeId: number): Promise<Notice> {
  const notice = await requireNotice(ctx.db, noticeId, readScopeOf(principal));
  const [summary] = await summariesOf(ctx, [notice]);
  const replies = await listNoticeReplies(ctx.db, [notice.id]);
  const from = notice.escalated_from_id === null ? undefined : await findNotice(ctx.db, notice.escalated_from_id);
  const to = await findEscalationOf(ctx.db, notice.id);
  const names = await lookUpActors(ctx.db, [notice.created_by, notice.closed_by ?? '', ...replies.map((reply) => reply.created_by)]);
  return {
    ...summary!,
    requirement: notice.requirement,
    createdBy: names.short(notice.created_by),
    closedBy: notice.closed_by ? names.short(notice.closed_by) : null,
    closedAt: notice.closed_at,
    closeComment: notice.close_comment,
    escalatedFrom: from ? { id: from.id, numberText: noticeNumberText(from.year, from.number) } : null,
    escalatedTo: to ? { id: to.id, numberText: noticeNumberText(to.year, to.number) } : null,
    replies: replies.map((reply) => ({
      id: reply.id,
      text: reply.text,
      createdBy: names.short(reply.created_by),
      createdAt: reply.created_at,
    })),
    actions: noticeActions(principal, notice),
  };
}

/** The unit answers (反馈) a notice; the office is notified. A closed or escalated notice takes no more answers. */
export async function replyToNotice(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  noticeId: number,
  text: string,
): Promise<Notice> {
  const notice = await requireNotice(ctx.db, noticeId, readScopeOf(principal));
  if (!noticeActions(principal, notice).includes('reply')) {
    if (notice.state === 'closed' || notice.state === 'escalated')
      throw conflict('notice_not_open', '该督办单已办结或已升级，不能再反馈。');
    throw forbidden();
  }
  const at = ctx.now().toISOString();
  const body = text.trim();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await updateNoticeState(trx, noticeId, ['open', 'answered'], { state: 'answered' });
    if (!moved) throw conflict('notice_not_open', '该督办单已办结或已升级，不能再反馈。');
    await insertNoticeReply(trx, { notice_id: noticeId, text: body, created_by: actor.id, created_at: at });
    const unit = await findOrganisationById(trx, notice.organisation_id);
    await notifyOffice(ctx, trx, {
      kind: 'notice_reply',
      title: `${unit?.name ?? ''}反馈了${NOTICE_COLOUR_LABELS[notice.colour]}督办单 ${noticeNumberText(notice.year, notice.number)}`,
      body: truncate(body, 500),
      cause: `notice_reply:${noticeId}:${at}`,
      itemId: notice.item_id,
      noticeId,
      organisationId: notice.organisation_id,
      link: noticeLink(noticeId),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'notice.reply',
        objectType: 'notice',
        objectId: noticeId,
        organisationId: notice.organisation_id,
        after: { text: body },
      },
      at,
    );
  });
  return getNotice(ctx, principal, noticeId);
}

/** The office closes (办结) a notice; the unit is notified. */
export async function closeNotice(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  noticeId: number,
  comment: string,
): Promise<Notice> {
  const notice = await requireNotice(ctx.db, noticeId, null);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await updateNoticeState(trx, noticeId, ['open', 'answered'], {
      state: 'closed',
      closed_by: actor.id,
      closed_at: at,
      close_comment: comment.trim() || null,
    });
    if (!moved) throw conflict('notice_not_open', '该督办单已办结或已升级。');
    await notifyUnit(ctx, trx, notice.organisation_id, {
      kind: 'notice_closed',
      title: `${NOTICE_COLOUR_LABELS[notice.colour]}督办单 ${noticeNumberText(notice.year, notice.number)} 已办结`,
      body: comment.trim() ? `办结意见：${comment.trim()}` : '督查室已确认办结。',
      cause: `notice_closed:${noticeId}`,
      itemId: notice.item_id,
      noticeId,
      link: noticeLink(noticeId),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'notice.close',
        objectType: 'notice',
        objectId: noticeId,
        organisationId: notice.organisation_id,
        after: { comment },
      },
      at,
    );
  });
  return getNotice(ctx, principal, noticeId);
}

/** The office raises a notice to the next colour: the old one ends as escalated and a new one is numbered. */
export async function escalateNotice(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  noticeId: number,
  body: { reason: string; replyDueOn: string; requirement?: string },
): Promise<Notice> {
  const notice = await requireNotice(ctx.db, noticeId, null);
  const colour = nextColour(notice.colour);
  if (!colour) throw conflict('notice_last_colour', '红色督办单已是最高一级，不能再升级。');
  requireReplyDue(ctx, body.replyDueOn);
  const item = await findItemContext(ctx.db, notice.item_id);
  if (!item) throw notFoundOf('item');
  const id = await ctx.db.transaction().execute(async (trx) => {
    const moved = await updateNoticeState(trx, noticeId, ['open', 'answered'], { state: 'escalated' });
    if (!moved) throw conflict('notice_not_open', '该督办单已办结或已升级。');
    return raiseNoticeIn(ctx, trx, {
      planId: notice.plan_id,
      itemId: notice.item_id,
      organisationId: notice.organisation_id,
      colour,
      periodId: notice.period_id,
      reason: body.reason.trim(),
      requirement: body.requirement?.trim() || notice.requirement,
      replyDueOn: body.replyDueOn,
      source: 'office',
      escalatedFromId: noticeId,
      createdBy: actor.id,
      work: item.work,
      taskNumber: item.task_number,
    });
  });
  return getNotice(ctx, principal, id);
}

/** What a notice prints, for its DOCX and PDF. */
export async function noticeDocumentOf(ctx: ServiceContext, principal: Principal, noticeId: number): Promise<NoticeDocument> {
  const notice = await requireNotice(ctx.db, noticeId, readScopeOf(principal));
  const item = await findItemContext(ctx.db, notice.item_id);
  if (!item) throw notFoundOf('item');
  const unit = await findOrganisationById(ctx.db, notice.organisation_id);
  const settings = await supervisionSettingsOf(ctx.db, notice.plan_id);
  return {
    issuer: settings.issuer,
    year: notice.year,
    number: notice.number,
    colour: notice.colour,
    unit: unit?.name ?? '',
    plan: item.plan_title,
    item: {
      chapter: `${item.chapter_numeral}、${item.chapter_title}`,
      taskNumber: item.task_number,
      task: item.task_name,
      work: item.work,
      lead: item.lead_text,
      cooperating: item.cooperating_text,
    },
    reason: notice.reason,
    requirement: notice.requirement,
    replyDueOn: notice.reply_due_on,
    issuedOn: shanghaiDate(new Date(notice.created_at)),
  };
}

async function presentClosures(ctx: ServiceContext, rows: ClosureRequestRow[]): Promise<ClosureRequest[]> {
  const items = new Map((await listItemHeadlines(ctx.db, [...new Set(rows.map((row) => row.item_id))])).map((item) => [item.id, item]));
  const names = await lookUpActors(
    ctx.db,
    rows.flatMap((row) => [row.created_by, row.decided_by ?? '']),
  );
  const units = new Map<number, string>();
  for (const row of rows)
    if (!units.has(row.organisation_id))
      units.set(row.organisation_id, (await findOrganisationById(ctx.db, row.organisation_id))?.name ?? '');
  return rows.map((row) => {
    const item = items.get(row.item_id);
    return {
      id: row.id,
      item: { id: row.item_id, work: item?.work ?? '', taskNumber: item?.task_number ?? '', planId: item?.plan_id ?? 0 },
      organisation: { id: row.organisation_id, name: units.get(row.organisation_id) ?? '' },
      evidence: row.evidence,
      state: row.state,
      stateLabel: CLOSURE_STATE_LABELS[row.state],
      createdBy: names.short(row.created_by),
      createdAt: row.created_at,
      decidedBy: row.decided_by ? names.short(row.decided_by) : null,
      decidedAt: row.decided_at,
      decisionComment: row.decision_comment,
    };
  });
}

/**
 * 办结销号: the lead unit asks to close a finished item, with its evidence. One request waits at a time; a closed
 * item takes none.
 */
export async function requestClosure(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  itemId: number,
  body: { organisationId?: number; evidence: string },
): Promise<ClosureRequest> {
  const scope = readScopeOf(principal);
  const { item, links } = await requireItem(ctx.db, itemId, scope);
  const organisationId = scope?.organisationId ?? body.organisationId;
  if (organisationId === undefined) throw badInput('bad_request', '请指明申请办结销号的牵头单位（organisationId）。');
  if (!links.some((link) => link.organisation_id === organisationId && link.role === 'lead'))
    throw new AppError(403, 'not_lead_unit', '只有牵头单位可以申请办结销号。');
  if (item.closed_at) throw conflict('item_closed', '该事项已办结销号。');
  const at = ctx.now().toISOString();
  const evidence = body.evidence.trim();
  const id = await ctx.db.transaction().execute(async (trx) => {
    if (await findPendingClosure(trx, itemId)) throw conflict('closure_pending', '该事项已有待审核的办结销号申请。');
    const id = await insertClosureRequest(trx, {
      item_id: itemId,
      organisation_id: organisationId,
      evidence,
      state: 'pending',
      created_by: actor.id,
      created_at: at,
    });
    const unit = await findOrganisationById(trx, organisationId);
    await notifyOffice(ctx, trx, {
      kind: 'closure_requested',
      title: `${unit?.name ?? ''}申请办结销号：${truncate(item.work, 40)}`,
      body: truncate(evidence, 500),
      cause: `closure_requested:${id}`,
      itemId,
      organisationId,
      link: itemLink(itemId),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'item.closure_request',
        objectType: 'item',
        objectId: itemId,
        organisationId,
        after: { evidence },
      },
      at,
    );
    return id;
  });
  const [request] = await presentClosures(ctx, [(await findClosureRequest(ctx.db, id))!]);
  return request!;
}

/** The office approves (the item is closed: no further reports, shown closed everywhere) or returns a request. */
export async function decideClosure(
  ctx: ServiceContext,
  actor: Actor,
  closureId: number,
  body: { decision: 'approve' | 'return'; comment: string },
): Promise<ClosureRequest> {
  const request = await findClosureRequest(ctx.db, closureId);
  if (!request) throw notFoundOf('closure');
  if (body.decision === 'return' && !body.comment.trim()) throw badInput('comment_required', '退回办结销号申请须写明理由。');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const state = body.decision === 'approve' ? 'approved' : 'returned';
    const decided = await decideClosureRequest(trx, closureId, {
      state,
      decided_by: actor.id,
      decided_at: at,
      decision_comment: body.comment.trim(),
    });
    if (!decided) throw conflict('closure_decided', '该申请已审核过。');
    if (state === 'approved') await closeItem(trx, request.item_id, actor.id, at);
    await notifyUnit(ctx, trx, request.organisation_id, {
      kind: 'closure_decided',
      title: state === 'approved' ? '办结销号申请已批准' : '办结销号申请被退回',
      body: body.comment.trim() || (state === 'approved' ? '该事项已办结销号，不再需要报送。' : ''),
      cause: `closure_decided:${closureId}`,
      itemId: request.item_id,
      link: itemLink(request.item_id),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        ...(state === 'approved' ? { action: 'item.close' } : { action: 'item.closure_return' }),
        objectType: 'item',
        objectId: request.item_id,
        organisationId: request.organisation_id,
        after: { comment: body.comment },
      },
      at,
    );
  });
  const [decided] = await presentClosures(ctx, [(await findClosureRequest(ctx.db, closureId))!]);
  return decided!;
}

/** Closure requests; a unit sees its own. */
export async function listClosures(ctx: ServiceContext, principal: Principal, query: { state?: string; planId?: number }) {
  const scope = readScopeOf(principal);
  const rows = await listClosureRequests(ctx.db, { ...query, ...(scope ? { organisationId: scope.organisationId } : {}) });
  return { closures: await presentClosures(ctx, rows) };
}

const REMINDER_LABELS = { before: '截止前提醒', due: '截止当天提醒', after: '逾期提醒' } as const;
const EVENT_LABELS: Record<string, string> = {
  submit: '提交单位负责人审核',
  withdraw: '撤回',
  approve: '单位负责人审核通过并报送',
  reject: '单位负责人退回修改',
  accept: '审核通过',
  return: '审核退回',
  import: '导入',
};

/**
 * An item's activity, newest first: assignment and signing, report steps and reviews, reminders, urges, notices and
 * their answers, changes of light, closure requests and decisions. A unit's scope sees the item's whole story only
 * of its own part: other units' reports, urges and notices are left out.
 */
export async function itemTimeline(ctx: ServiceContext, principal: Principal, itemId: number): Promise<Timeline> {
  const scope = readScopeOf(principal);
  const { item } = await requireItem(ctx.db, itemId, scope);
  const history = await readItemHistory(ctx.db, itemId);
  const own = (organisationId: number | null) => !scope || organisationId === null || organisationId === scope.organisationId;
  const organisationIds = new Set<number>();
  const actors = new Set<string>();
  const events: (TimelineEvent & { organisationId: number | null; actorId: string | null })[] = [];
  const push = (event: Omit<TimelineEvent, 'organisation' | 'actor'> & { organisationId: number | null; actorId: string | null }) => {
    if (!own(event.organisationId)) return;
    if (event.organisationId !== null) organisationIds.add(event.organisationId);
    if (event.actorId) actors.add(event.actorId);
    events.push({ ...event, organisation: null, actor: null });
  };
  for (const link of history.links) {
    if (!link.state_at) continue;
    const kind = link.state === 'returned' ? 'assignment_returned' : link.state === 'acknowledged' ? 'acknowledged' : 'assigned';
    push({
      at: link.state_at,
      kind,
      label: kind === 'assignment_returned' ? '退回交办' : kind === 'acknowledged' ? '签收' : '交办',
      organisationId: link.organisation_id,
      actorId: link.state_by,
      text: `${link.role === 'lead' ? '牵头' : '配合'}${link.state_reason ? `：${link.state_reason}` : ''}`,
    });
  }
  for (const version of history.versions) {
    const review = version.event === 'accept' || version.event === 'return';
    push({
      at: version.created_at,
      kind: review ? 'review' : 'report',
      label: EVENT_LABELS[version.event ?? ''] ?? version.event ?? '',
      organisationId: version.organisation_id,
      actorId: version.created_by,
      text: [version.period_label, version.status, version.comment].filter(Boolean).join(' · '),
    });
  }
  for (const reminder of history.reminders) {
    push({
      at: reminder.created_at,
      kind: 'reminder',
      label: REMINDER_LABELS[reminder.kind as keyof typeof REMINDER_LABELS] ?? '提醒',
      organisationId: reminder.organisation_id,
      actorId: null,
      text: `${reminder.period_label}，截止 ${reminder.due_on}`,
    });
  }
  for (const urge of history.urges) {
    push({
      at: urge.created_at,
      kind: 'urge',
      label: '催办',
      organisationId: urge.organisation_id,
      actorId: urge.created_by,
      text: urge.message,
    });
  }
  const noticeOf = new Map(history.notices.map((notice) => [notice.id, notice]));
  for (const notice of history.notices) {
    const label = `${NOTICE_COLOUR_LABELS[notice.colour]}督办单 ${noticeNumberText(notice.year, notice.number)}`;
    push({
      at: notice.created_at,
      kind: 'notice',
      label,
      organisationId: notice.organisation_id,
      actorId: notice.source === 'rule' ? null : notice.created_by,
      text: notice.reason,
      noticeId: notice.id,
    });
    if (notice.state === 'closed' && notice.closed_at)
      push({
        at: notice.closed_at,
        kind: 'notice_closed',
        label: `${label} 办结`,
        organisationId: notice.organisation_id,
        actorId: notice.closed_by,
        text: notice.close_comment ?? '',
        noticeId: notice.id,
      });
  }
  for (const reply of history.replies) {
    const notice = noticeOf.get(reply.notice_id);
    if (!notice) continue;
    push({
      at: reply.created_at,
      kind: 'notice_reply',
      label: `反馈 ${noticeNumberText(notice.year, notice.number)}`,
      organisationId: notice.organisation_id,
      actorId: reply.created_by,
      text: reply.text,
      noticeId: notice.id,
    });
  }
  for (const change of history.lights) {
    push({
      at: change.at,
      kind: 'light',
      label: `${LIGHT_LABELS[change.to_light as Light] ?? change.to_light}`,
      organisationId: null,
      actorId: null,
      text: `${change.period_label}：${change.reason}`,
      light: change.to_light as Light,
    });
  }
  for (const closure of history.closures) {
    push({
      at: closure.created_at,
      kind: 'closure_requested',
      label: '申请办结销号',
      organisationId: closure.organisation_id,
      actorId: closure.created_by,
      text: closure.evidence,
    });
    if (closure.decided_at)
      push({
        at: closure.decided_at,
        kind: 'closure_decided',
        label: closure.state === 'approved' ? '批准办结销号' : '退回办结销号申请',
        organisationId: closure.organisation_id,
        actorId: closure.decided_by,
        text: closure.decision_comment ?? '',
      });
  }
  const names = await lookUpActors(ctx.db, actors);
  const units = new Map<number, string>();
  for (const id of organisationIds) units.set(id, (await findOrganisationById(ctx.db, id))?.name ?? '');
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    item: { id: item.id, work: item.work, closed: item.closed_at !== null, closedAt: item.closed_at },
    events: events.map(({ organisationId, actorId, ...event }) => ({
      ...event,
      organisation: organisationId === null ? null : { id: organisationId, name: units.get(organisationId) ?? '' },
      actor: actorId ? names.short(actorId) : null,
    })),
  };
}

/** The day `days` after today (Asia/Shanghai): the default reply deadline of the rules' notices. */
export function replyDueFrom(now: Date, days: number): string {
  return addDays(shanghaiDate(now), days);
}
