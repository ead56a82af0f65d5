import { PostgresAdapter, type ExpressionBuilder, type Insertable, type Selectable } from 'kysely';
import type { Database, DeliveryTable, Executor, NotificationTable, WebhookTable } from '../schema.js';

/** The in-app inbox, the outbox of e-mails and webhook calls, the webhooks and the notification preferences. */

export type NotificationRow = Selectable<NotificationTable>;
export type DeliveryRow = Selectable<DeliveryTable>;
export type WebhookRow = Selectable<WebhookTable>;

/** The people a unit's notifications go to: its active members of the unit roles. */
export async function listUnitRecipients(db: Executor, organisationId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role'])
    .where('organisation_id', '=', organisationId)
    .where('active', '=', 1)
    .where('role', 'in', ['unit_leader', 'unit_reporter'])
    .orderBy('id')
    .execute();
}

/** The supervision office's active members (role supervisor), who hear of replies and closure requests. */
export async function listSupervisors(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role'])
    .where('active', '=', 1)
    .where('role', '=', 'supervisor')
    .orderBy('id')
    .execute();
}

/** Inserts a notification unless the person has one of that cause; its id when inserted. */
export async function insertNotificationOnce(db: Executor, notification: Insertable<NotificationTable>): Promise<number | undefined> {
  const row = await db
    .insertInto('notifications')
    .values(notification)
    .onConflict((oc) => oc.columns(['user_id', 'cause']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Inserts a delivery unless one of that cause exists; its id when inserted. */
export async function insertDeliveryOnce(db: Executor, delivery: Insertable<DeliveryTable>): Promise<number | undefined> {
  const row = await db
    .insertInto('deliveries')
    .values(delivery)
    .onConflict((oc) => oc.column('cause').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export interface InboxFilter {
  userId: number;
  unread?: boolean;
  kind?: string;
}

function inboxQuery(db: Executor, filter: InboxFilter) {
  let query = db.selectFrom('notifications').where('user_id', '=', filter.userId);
  if (filter.unread) query = query.where('read_at', 'is', null);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query;
}

/** A page of a person's notifications, newest first. */
export async function listNotifications(db: Executor, filter: InboxFilter, page: { limit: number; offset: number }) {
  return inboxQuery(db, filter).selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function countNotifications(db: Executor, filter: InboxFilter): Promise<number> {
  const row = await inboxQuery(db, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A person's unread notifications by kind. */
export async function countUnreadByKind(db: Executor, userId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('notifications')
    .select((eb) => ['kind', eb.fn.countAll().as('n')])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
}

/** Marks a person's notifications read: these ids (only theirs), or all of them. */
export async function markNotificationsRead(db: Executor, userId: number, ids: number[] | 'all', at: string): Promise<void> {
  let query = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return;
    query = query.where('id', 'in', ids);
  }
  await query.execute();
}

/** Stored preferences of these subjects (`user:17`, `organisation:5`). */
export async function listPreferences(db: Executor, subjects: string[]) {
  if (subjects.length === 0) return [];
  return db.selectFrom('notification_preferences').selectAll().where('subject', 'in', subjects).execute();
}

export async function savePreference(db: Executor, subject: string, kind: string, email: boolean, webhook: boolean): Promise<void> {
  const values = { email: email ? 1 : 0, webhook: webhook ? 1 : 0 };
  await db
    .insertInto('notification_preferences')
    .values({ subject, kind, ...values })
    .onConflict((oc) => oc.columns(['subject', 'kind']).doUpdateSet(values))
    .execute();
}

/** The active webhooks that hear of a unit's events: the unit's own and the office's (no unit). */
export async function listWebhooksFor(db: Executor, organisationId: number | null): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('active', '=', 1)
    .where((eb) =>
      organisationId === null
        ? eb('organisation_id', 'is', null)
        : eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)]),
    )
    .orderBy('id')
    .execute();
}

export async function listWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('id').execute();
}

export async function findWebhook(db: Executor, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Executor, webhook: Insertable<WebhookTable>): Promise<number> {
  const { id } = await db.insertInto('webhooks').values(webhook).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateWebhook(db: Executor, id: number, values: Partial<Omit<WebhookRow, 'id' | 'created_at' | 'created_by'>>) {
  await db.updateTable('webhooks').set(values).where('id', '=', id).execute();
}

export async function deleteWebhook(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

/**
 * Takes up to `limit` deliveries due at `now` (pending and due, or sending under a lease that ran out: its process
 * died) under a lease for `owner` until `leaseUntil`, counting the attempt. Servers never take the same delivery: on
 * PostgreSQL the rows another is taking are skipped, and SQLite has one writer at a time.
 */
export async function claimDueDeliveries(
  db: Executor,
  claim: { owner: string; now: string; leaseUntil: string; limit: number },
): Promise<DeliveryRow[]> {
  const due = (eb: ExpressionBuilder<Database, 'deliveries'>) =>
    eb.or([
      eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', claim.now)]),
      eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', claim.now)]),
    ]);
  let candidates = db.selectFrom('deliveries').select('id').where(due).orderBy('id').limit(claim.limit);
  // the one difference between the dialects: PostgreSQL servers skip the rows another is taking
  if (db.getExecutor().adapter instanceof PostgresAdapter) candidates = candidates.forUpdate().skipLocked();
  return db
    .updateTable('deliveries')
    .set((eb) => ({
      state: 'sending',
      lease_owner: claim.owner,
      lease_until: claim.leaseUntil,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', candidates)
    .returningAll()
    .execute();
}

/** Ends a delivery this owner holds: sent, due again later, or dead. False when the lease was lost meanwhile. */
export async function finishDelivery(
  db: Executor,
  id: number,
  owner: string,
  values: Pick<DeliveryRow, 'state'> & Partial<Pick<DeliveryRow, 'next_attempt_at' | 'last_error' | 'sent_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ ...values, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listDeliveries(db: Executor, filter: { state?: string }, page: { limit: number; offset: number }) {
  let query = db.selectFrom('deliveries').selectAll();
  if (filter.state !== undefined) query = query.where('state', '=', filter.state as DeliveryRow['state']);
  return query.orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
}

export async function countDeliveries(db: Executor, filter: { state?: string }): Promise<number> {
  let query = db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n'));
  if (filter.state !== undefined) query = query.where('state', '=', filter.state as DeliveryRow['state']);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function findDelivery(db: Executor, id: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Puts a dead delivery back in the queue, due now, with its attempts counted afresh; false when it was not dead. */
export async function resendDeadDelivery(db: Executor, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many deliveries are in each state: what `luoshi jobs run` and the health of the outbox print. */
export async function countDeliveriesByState(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select((eb) => ['state', eb.fn.countAll().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
}

/** Extends the leases this owner holds on deliveries it is still sending: a live server keeps what it took. */
export async function renewDeliveryLeases(db: Executor, ids: number[], owner: string, leaseUntil: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({ lease_until: leaseUntil })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'sending')
    .execute();
}
