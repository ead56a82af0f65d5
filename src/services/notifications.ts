import {
  DELIVERY_STATE_LABELS,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  WEBHOOK_KIND_LABELS,
  type Delivery,
  type Inbox,
  type Notification,
  type NotificationKind,
  type Preferences,
  type UnitPreferences,
  type Webhook,
  type WebhookBody,
} from '../contract/notifications.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { findOrganisationById } from '../db/repositories/organisations.js';
import { badInput, conflict } from '../domain/errors.js';
import { SsrfRefused } from '../delivery/ssrf.js';
import { forbidden, notFoundOf } from './policy.js';
import {
  claimDueDeliveries,
  countDeliveries,
  countNotifications,
  deleteWebhook,
  findDelivery,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  resendDeadDelivery,
  updateWebhook,
  type WebhookRow,
  countUnreadByKind,
  finishDelivery,
  findWebhook,
  insertDeliveryOnce,
  insertNotificationOnce,
  listNotifications,
  listPreferences,
  listSupervisors,
  listUnitRecipients,
  listWebhooksFor,
  markNotificationsRead,
  savePreference,
  renewDeliveryLeases,
  type DeliveryRow,
  type NotificationRow,
} from '../db/repositories/notifications.js';
import { findUserById } from '../db/repositories/accounts.js';
import type { Executor } from '../db/schema.js';
import { DeliveryFailed, isRetryable } from '../delivery/http.js';
import type { WebhookKind } from '../delivery/webhooks.js';
import type { JobOutcome } from '../jobs/types.js';
import type { Principal } from './accounts.js';
import type { Actor, ServiceContext } from './context.js';

/**
 * Notifications: one in-app notification per person and cause, and from it the e-mails and webhook calls of the
 * outbox, made in the transaction of what caused them. A cause (`reminder:12`, `notice:3`) is unique per person and
 * per delivery, so a cause processed twice (a job's slot retried after a crash, a request repeated) notifies once.
 */

export interface NotificationInput {
  kind: NotificationKind;
  title: string;
  body: string;
  /** what caused it, unique per person: reminder:12, urge:4, notice:7, notice_reply:9 */
  cause: string;
  itemId?: number | null;
  organisationId?: number | null;
  noticeId?: number | null;
  /** the page in luoshi, e.g. /items/12 */
  link?: string | null;
}

export interface Fanout {
  /** people notified in the inbox */
  people: number;
  emails: number;
  webhooks: number;
}

interface Recipient {
  id: number;
  email: string | null;
}

const subjectOfUser = (id: number) => `user:${id}`;
const subjectOfUnit = (id: number) => `organisation:${id}`;

/**
 * Whether a person wants a kind by e-mail, and a unit by webhook: the person's own choice, else the unit's, else yes.
 * Reading the preferences of a batch in one query keeps a reminder run of hundreds of people to a few statements.
 */
async function preferencesOf(db: Executor, people: Recipient[], organisationId: number | null, kind: string) {
  const subjects = [
    ...people.map((person) => subjectOfUser(person.id)),
    ...(organisationId === null ? [] : [subjectOfUnit(organisationId)]),
  ];
  const stored = new Map((await listPreferences(db, subjects)).filter((row) => row.kind === kind).map((row) => [row.subject, row]));
  const unit = organisationId === null ? undefined : stored.get(subjectOfUnit(organisationId));
  return {
    email: (person: Recipient) => (stored.get(subjectOfUser(person.id))?.email ?? unit?.email ?? 1) === 1,
    webhook: (unit?.webhook ?? 1) === 1,
  };
}

/** Notifies these people of one cause, with their e-mails, and the webhooks that hear of the unit (or the office's). */
async function notifyPeople(ctx: ServiceContext, db: Executor, people: Recipient[], input: NotificationInput): Promise<Fanout> {
  const at = ctx.now().toISOString();
  const organisationId = input.organisationId ?? null;
  const wants = await preferencesOf(db, people, organisationId, input.kind);
  const fanout: Fanout = { people: 0, emails: 0, webhooks: 0 };
  const link = input.link ?? null;
  for (const person of people) {
    const id = await insertNotificationOnce(db, {
      user_id: person.id,
      kind: input.kind,
      title: input.title,
      body: input.body,
      item_id: input.itemId ?? null,
      organisation_id: organisationId,
      notice_id: input.noticeId ?? null,
      link,
      cause: input.cause,
      created_at: at,
    });
    if (id === undefined) continue;
    fanout.people++;
    if (ctx.outbound.mail && person.email && wants.email(person)) {
      const made = await insertDeliveryOnce(db, {
        notification_id: id,
        channel: 'email',
        webhook_id: null,
        target: person.email,
        kind: input.kind,
        subject: input.title,
        body: input.body,
        link,
        cause: `${input.cause}:email:${person.id}`,
        state: 'pending',
        next_attempt_at: new Date().toISOString(),
        created_at: at,
      });
      if (made !== undefined) fanout.emails++;
    }
  }
  if (wants.webhook) {
    for (const webhook of await listWebhooksFor(db, organisationId)) {
      const events = JSON.parse(webhook.events) as string[];
      if (events.length > 0 && !events.includes(input.kind)) continue;
      const made = await insertDeliveryOnce(db, {
        notification_id: null,
        channel: 'webhook',
        webhook_id: webhook.id,
        target: webhook.url,
        kind: input.kind,
        subject: input.title,
        body: input.body,
        link,
        cause: `${input.cause}:webhook:${webhook.id}`,
        state: 'pending',
        next_attempt_at: new Date().toISOString(),
        created_at: at,
      });
      if (made !== undefined) fanout.webhooks++;
    }
  }
  return fanout;
}

/** Notifies every active member of a unit (its reporters and its leader), in the caller's transaction. */
export async function notifyUnit(ctx: ServiceContext, db: Executor, organisationId: number, input: NotificationInput): Promise<Fanout> {
  const people = await listUnitRecipients(db, organisationId);
  return notifyPeople(ctx, db, people, { ...input, organisationId });
}

/** Notifies the supervision office's members (and the office's own webhooks), in the caller's transaction. */
export async function notifyOffice(ctx: ServiceContext, db: Executor, input: NotificationInput): Promise<Fanout> {
  const people = await listSupervisors(db);
  return notifyPeople(ctx, db, people, { ...input, organisationId: input.organisationId ?? null });
}

function presentNotification(row: NotificationRow): Notification {
  const kind = row.kind as NotificationKind;
  return {
    id: row.id,
    kind,
    kindLabel: NOTIFICATION_KIND_LABELS[kind] ?? row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    itemId: row.item_id,
    noticeId: row.notice_id,
    createdAt: row.created_at,
    read: row.read_at !== null,
  };
}

function userOf(principal: Principal): number {
  // the inbox is a person's: an integration's token has none
  if (principal.kind !== 'user') throw forbidden();
  return principal.userId;
}

/** A page of the signed-in person's notifications, newest first, with the unread counts. */
export async function readInbox(
  ctx: ServiceContext,
  principal: Principal,
  query: { unread?: boolean; kind?: NotificationKind; limit?: number; offset?: number },
): Promise<Inbox> {
  const userId = userOf(principal);
  const filter = { userId, unread: query.unread, kind: query.kind };
  const [rows, total, unreadByKind] = await Promise.all([
    listNotifications(ctx.db, filter, { limit: query.limit ?? 50, offset: query.offset ?? 0 }),
    countNotifications(ctx.db, filter),
    countUnreadByKind(ctx.db, userId),
  ]);
  return {
    notifications: rows.map(presentNotification),
    total,
    unread: Object.values(unreadByKind).reduce((sum, n) => sum + n, 0),
    unreadByKind,
  };
}

/** How many of the signed-in person's notifications are unread: what the menu's badge shows. */
export async function countUnread(ctx: ServiceContext, principal: Principal): Promise<{ unread: number }> {
  return { unread: await countNotifications(ctx.db, { userId: userOf(principal), unread: true }) };
}

/** Marks the person's notifications read (these, or all); others' ids are ignored, not refused. */
export async function markRead(
  ctx: ServiceContext,
  principal: Principal,
  body: { ids?: number[]; all?: true },
): Promise<{ unread: number }> {
  const userId = userOf(principal);
  await ctx.db
    .transaction()
    .execute((trx) => markNotificationsRead(trx, userId, body.all ? 'all' : (body.ids ?? []), ctx.now().toISOString()));
  return countUnread(ctx, principal);
}

/** The person's preferences: for each kind, e-mail and (for their unit) webhook, with the defaults filled in. */
export async function getPreferences(ctx: ServiceContext, principal: Principal): Promise<Preferences> {
  const userId = userOf(principal);
  const user = await findUserById(ctx.db, userId);
  const organisationId = user?.organisation_id ?? null;
  const rows = await listPreferences(ctx.db, [subjectOfUser(userId), ...(organisationId === null ? [] : [subjectOfUnit(organisationId)])]);
  const own = new Map(rows.filter((row) => row.subject === subjectOfUser(userId)).map((row) => [row.kind, row]));
  const unit = new Map(rows.filter((row) => row.subject !== subjectOfUser(userId)).map((row) => [row.kind, row]));
  return {
    preferences: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      label: NOTIFICATION_KIND_LABELS[kind],
      email: (own.get(kind)?.email ?? unit.get(kind)?.email ?? 1) === 1,
      webhook: (own.get(kind)?.webhook ?? unit.get(kind)?.webhook ?? 1) === 1,
    })),
    email: user?.email ?? null,
    mailConfigured: ctx.outbound.mail !== undefined,
  };
}

/** Saves the person's own choices; a unit's webhook choice is the unit's, kept by setUnitPreferences. */
export async function setPreferences(
  ctx: ServiceContext,
  principal: Principal,
  preferences: { kind: NotificationKind; email: boolean; webhook: boolean }[],
): Promise<Preferences> {
  const userId = userOf(principal);
  await ctx.db.transaction().execute(async (trx) => {
    for (const preference of preferences)
      await savePreference(trx, subjectOfUser(userId), preference.kind, preference.email, preference.webhook);
  });
  return getPreferences(ctx, principal);
}

/** A unit's choices for each kind, the defaults (yes) filled in. */
export async function getUnitPreferences(ctx: ServiceContext, organisationId: number): Promise<UnitPreferences> {
  const organisation = await findOrganisationById(ctx.db, organisationId);
  if (!organisation) throw notFoundOf('organisation');
  const stored = new Map((await listPreferences(ctx.db, [subjectOfUnit(organisationId)])).map((row) => [row.kind, row]));
  return {
    organisation: { id: organisation.id, name: organisation.name },
    preferences: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      label: NOTIFICATION_KIND_LABELS[kind],
      email: (stored.get(kind)?.email ?? 1) === 1,
      webhook: (stored.get(kind)?.webhook ?? 1) === 1,
    })),
  };
}

/** Saves a unit's choices: whether its members get a kind by e-mail unless they chose, and its webhooks get it. */
export async function setUnitPreferences(
  ctx: ServiceContext,
  actor: Actor,
  organisationId: number,
  preferences: { kind: NotificationKind; email: boolean; webhook: boolean }[],
): Promise<UnitPreferences> {
  const before = await getUnitPreferences(ctx, organisationId);
  await ctx.db.transaction().execute(async (trx) => {
    for (const preference of preferences)
      await savePreference(trx, subjectOfUnit(organisationId), preference.kind, preference.email, preference.webhook);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'organisation.notification_preferences',
        objectType: 'organisation',
        objectId: organisationId,
        organisationId,
        before: before.preferences.map(({ label: _label, ...preference }) => preference),
        after: preferences,
      },
      ctx.now().toISOString(),
    );
  });
  return getUnitPreferences(ctx, organisationId);
}

/** The message of a delivery, with the link made absolute when luoshi knows its public address. */
function linkOf(ctx: ServiceContext, delivery: DeliveryRow): string | undefined {
  if (!delivery.link) return undefined;
  return ctx.outbound.publicUrl ? new URL(delivery.link, ctx.outbound.publicUrl).toString() : undefined;
}

/** The wait before the next attempt: the base, doubled for each attempt made, at most six hours. */
export function retryDelaySeconds(base: number, attemptsMade: number): number {
  return Math.min(6 * 3600, base * 2 ** Math.max(0, attemptsMade - 1));
}

async function sendDelivery(ctx: ServiceContext, delivery: DeliveryRow): Promise<void> {
  const link = linkOf(ctx, delivery);
  const id = `d${delivery.id}`;
  if (delivery.channel === 'email') {
    if (!ctx.outbound.mail) throw new DeliveryFailed('未配置邮件服务器（LUOSHI_SMTP_URL），无法发送邮件。', { retryable: false });
    await ctx.outbound.mail.send({
      id,
      to: delivery.target,
      subject: `【落实】${delivery.subject}`,
      text: `${delivery.body}${link ? `\n\n查看详情：${link}` : ''}\n\n—— 落实 luoshi 督查督办系统（此邮件由系统自动发送）`,
    });
    return;
  }
  const webhook = delivery.webhook_id === null ? undefined : await findWebhook(ctx.db, delivery.webhook_id);
  if (!webhook) throw new DeliveryFailed('推送地址已被删除。', { retryable: false });
  if (webhook.active !== 1) throw new DeliveryFailed('推送地址已停用。', { retryable: false });
  await ctx.outbound.webhook(
    webhook.kind as WebhookKind,
    { url: webhook.url, secret: webhook.secret },
    {
      id,
      event: delivery.kind,
      title: delivery.subject,
      text: delivery.body,
      ...(link ? { link } : {}),
    },
  );
}

/**
 * One round of the outbox: takes the deliveries that are due under a lease for this process, sends each, and marks
 * it sent, due again after a growing wait, or dead (the dead-letter list) after the last attempt or a permanent
 * refusal. Leases and waits run on the wall clock, not on luoshi's clock, which tests move by days: a lease must
 * not run out because the business date changed. A live process renews the leases of what it is still sending; a
 * process killed mid-round leaves its deliveries leased, and when the lease runs out another process takes them.
 */
export async function deliverDue(
  ctx: ServiceContext,
  owner: string,
  options: { wallClock?: () => Date; batch?: number; rounds?: number } = {},
): Promise<JobOutcome> {
  const wall = options.wallClock ?? (() => new Date());
  const counts = { sent: 0, retried: 0, dead: 0 };
  for (let round = 0; round < (options.rounds ?? 10); round++) {
    const now = wall();
    const claimed = await ctx.db.transaction().execute((trx) =>
      claimDueDeliveries(trx, {
        owner,
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + ctx.outbound.leaseSeconds * 1000).toISOString(),
        limit: options.batch ?? 20,
      }),
    );
    if (claimed.length === 0) break;
    // a send slower than the lease (a mail server taking its time) must not let another server take it as abandoned
    const inFlight = new Set(claimed.map((delivery) => delivery.id));
    const leaseMs = ctx.outbound.leaseSeconds * 1000;
    const renewal = setInterval(
      () => {
        const until = new Date(wall().getTime() + leaseMs).toISOString();
        void renewDeliveryLeases(ctx.db, [...inFlight], owner, until).catch(() => undefined);
      },
      Math.max(200, leaseMs / 3),
    );
    await Promise.all(
      claimed.map(async (delivery) => {
        try {
          await sendDelivery(ctx, delivery);
          await ctx.db
            .transaction()
            .execute((trx) => finishDelivery(trx, delivery.id, owner, { state: 'sent', sent_at: wall().toISOString(), last_error: null }));
          counts.sent++;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const retry = isRetryable(error) && delivery.attempts < ctx.outbound.maxAttempts;
          const next = new Date(wall().getTime() + retryDelaySeconds(ctx.outbound.retryBaseSeconds, delivery.attempts) * 1000);
          await ctx.db
            .transaction()
            .execute((trx) =>
              finishDelivery(
                trx,
                delivery.id,
                owner,
                retry
                  ? { state: 'pending', next_attempt_at: next.toISOString(), last_error: message }
                  : { state: 'dead', last_error: message },
              ),
            );
          if (retry) counts.retried++;
          else counts.dead++;
        } finally {
          inFlight.delete(delivery.id);
        }
      }),
    ).finally(() => clearInterval(renewal));
  }
  const parts = [
    `送达 ${counts.sent} 条`,
    ...(counts.retried ? [`待重试 ${counts.retried} 条`] : []),
    ...(counts.dead ? [`失败 ${counts.dead} 条`] : []),
  ];
  return { summary: parts.join('，'), counts };
}

/** A webhook's address as people see it: the keys in its query (access_token, key, ...) hidden. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) {
      if (/token|key|secret|sign|password/i.test(name)) parsed.searchParams.set(name, '***');
    }
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

async function presentWebhook(ctx: ServiceContext, row: WebhookRow): Promise<Webhook> {
  const organisation = row.organisation_id === null ? undefined : await findOrganisationById(ctx.db, row.organisation_id);
  const kind = row.kind as Webhook['kind'];
  return {
    id: row.id,
    name: row.name,
    kind,
    kindLabel: WEBHOOK_KIND_LABELS[kind],
    url: maskedUrl(row.url),
    hasSecret: Boolean(row.secret),
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    events: JSON.parse(row.events) as Webhook['events'],
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

/**
 * Refuses a webhook address the SSRF guard refuses for what it is (a scheme, credentials, a private or metadata
 * address); a name that does not resolve from here is accepted, since it is checked again at every delivery.
 */
async function requireAcceptableUrl(ctx: ServiceContext, kind: string, url: string): Promise<void> {
  try {
    await ctx.outbound.checkUrl(url);
  } catch (error) {
    if (error instanceof SsrfRefused) {
      if (error.reason === 'unresolvable' || error.reason === 'no_address') return;
      throw badInput('webhook_refused', `不能向该地址推送：${error.message}`);
    }
    throw error;
  }
  if (kind === 'wecom' && !new URL(url).searchParams.get('key')) throw badInput('webhook_refused', '企业微信群机器人的地址须带 key 参数。');
}

export async function listWebhookViews(ctx: ServiceContext): Promise<{ webhooks: Webhook[] }> {
  const rows = await listWebhooks(ctx.db);
  return { webhooks: await Promise.all(rows.map((row) => presentWebhook(ctx, row))) };
}

/** Adds a webhook after the SSRF guard has seen its address; the secret is kept but never shown again. */
export async function createWebhook(ctx: ServiceContext, actor: Actor, body: WebhookBody): Promise<Webhook> {
  await requireAcceptableUrl(ctx, body.kind, body.url);
  if (body.organisationId != null && !(await findOrganisationById(ctx.db, body.organisationId))) throw notFoundOf('organisation');
  const at = ctx.now().toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await insertWebhook(trx, {
      organisation_id: body.organisationId ?? null,
      name: body.name.trim(),
      kind: body.kind,
      url: body.url.trim(),
      secret: body.secret?.trim() || null,
      events: JSON.stringify(body.events ?? []),
      active: body.active === false ? 0 : 1,
      created_by: actor.id,
      created_at: at,
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'webhook.create',
        objectType: 'webhook',
        objectId: id,
        after: { name: body.name, kind: body.kind, url: maskedUrl(body.url) },
      },
      at,
    );
    return id;
  });
  return presentWebhook(ctx, (await findWebhook(ctx.db, id))!);
}

export async function changeWebhook(ctx: ServiceContext, actor: Actor, id: number, patch: Partial<WebhookBody>): Promise<Webhook> {
  const before = await findWebhook(ctx.db, id);
  if (!before) throw notFoundOf('webhook');
  if (patch.url !== undefined) await requireAcceptableUrl(ctx, patch.kind ?? before.kind, patch.url);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateWebhook(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.url !== undefined ? { url: patch.url.trim() } : {}),
      ...(patch.secret !== undefined ? { secret: patch.secret?.trim() || null } : {}),
      ...(patch.organisationId !== undefined ? { organisation_id: patch.organisationId } : {}),
      ...(patch.events !== undefined ? { events: JSON.stringify(patch.events) } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'webhook.update',
        objectType: 'webhook',
        objectId: id,
        after: { ...patch, ...(patch.url ? { url: maskedUrl(patch.url) } : {}), ...(patch.secret !== undefined ? { secret: '***' } : {}) },
      },
      at,
    );
  });
  return presentWebhook(ctx, (await findWebhook(ctx.db, id))!);
}

export async function removeWebhook(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  const before = await findWebhook(ctx.db, id);
  if (!before) throw notFoundOf('webhook');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await deleteWebhook(trx, id);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'webhook.delete',
        objectType: 'webhook',
        objectId: id,
        before: { name: before.name, url: maskedUrl(before.url) },
      },
      at,
    );
  });
}

function presentDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    channel: row.channel,
    target: row.channel === 'webhook' ? maskedUrl(row.target) : row.target,
    kind: row.kind,
    subject: row.subject,
    state: row.state,
    stateLabel: DELIVERY_STATE_LABELS[row.state],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
    createdAt: row.created_at,
  };
}

/** Sends a test message to a webhook now and says how it went (the delivery as it ended this round). */
export async function testWebhook(ctx: ServiceContext, actor: Actor, id: number, owner: string): Promise<Delivery> {
  const webhook = await findWebhook(ctx.db, id);
  if (!webhook) throw notFoundOf('webhook');
  const at = ctx.now().toISOString();
  const cause = `test:${id}:${new Date().toISOString()}`;
  const deliveryId = await ctx.db.transaction().execute((trx) =>
    insertDeliveryOnce(trx, {
      notification_id: null,
      channel: 'webhook',
      webhook_id: id,
      target: webhook.url,
      kind: 'test',
      subject: '落实系统测试消息',
      body: `这是一条测试消息，由 ${actor.id} 于 ${at} 发送。收到即表示推送配置正确。`,
      link: '/',
      cause,
      state: 'pending',
      next_attempt_at: new Date().toISOString(),
      created_at: at,
    }),
  );
  await deliverDue(ctx, owner, { rounds: 1 });
  // the cause is new to the millisecond, so the insert took place
  return presentDelivery((await findDelivery(ctx.db, deliveryId!))!);
}

/** The outbox, newest first: by default every delivery, or those of one state (dead: the dead-letter list). */
export async function listDeliveryViews(
  ctx: ServiceContext,
  query: { state?: Delivery['state']; limit?: number; offset?: number },
): Promise<{ deliveries: Delivery[]; total: number }> {
  const filter = { state: query.state };
  const [rows, total] = await Promise.all([
    listDeliveries(ctx.db, filter, { limit: query.limit ?? 50, offset: query.offset ?? 0 }),
    countDeliveries(ctx.db, filter),
  ]);
  return { deliveries: rows.map(presentDelivery), total };
}

/** Puts a dead delivery back in the outbox, due now; the next round sends it. */
export async function resendDelivery(ctx: ServiceContext, actor: Actor, id: number): Promise<Delivery> {
  const row = await findDelivery(ctx.db, id);
  if (!row) throw notFoundOf('delivery');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await resendDeadDelivery(trx, id, new Date().toISOString())))
      throw conflict('delivery_not_dead', '只有发送失败的消息可以重新发送。');
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        source: actor.source,
        action: 'delivery.resend',
        objectType: 'delivery',
        objectId: id,
        before: { lastError: row.last_error },
      },
      at,
    );
  });
  return presentDelivery((await findDelivery(ctx.db, id))!);
}
