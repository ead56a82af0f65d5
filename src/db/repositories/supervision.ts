import { sql, type Insertable, type Selectable } from 'kysely';
import type { BulletinTable, ClosureRequestTable, Executor, LightChangeTable, NoticeTable, ReminderTable, UrgeTable } from '../schema.js';
import { inChunks } from './chunks.js';
import { openPartsByPeriod } from './my-work.js';

/**
 * The supervision office's records: warning rules and settings of a plan, each item's current light and its
 * changes, reminders, urges (催办), the three-colour notices (督办单) with their replies, closure requests (办结销号)
 * and bulletins (通报).
 */

export type NoticeRow = Selectable<NoticeTable>;
export type ClosureRequestRow = Selectable<ClosureRequestTable>;
export type BulletinRow = Selectable<BulletinTable>;

/** The plan's stored rules and settings (JSON of what the office changed), if it changed any. */
export async function findWarningRules(db: Executor, planId: number): Promise<string | undefined> {
  const row = await db.selectFrom('warning_rules').select('rules').where('plan_id', '=', planId).executeTakeFirst();
  return row?.rules;
}

/** Stores the plan's rules and settings whole, replacing what was there. */
export async function saveWarningRules(db: Executor, planId: number, rules: string, by: string, at: string): Promise<void> {
  await db
    .insertInto('warning_rules')
    .values({ plan_id: planId, rules, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('plan_id').doUpdateSet({ rules, updated_by: by, updated_at: at }))
    .execute();
}

/** Every item's current light in a period, by item id. */
export async function listItemLights(db: Executor, periodId: number) {
  return db.selectFrom('item_lights').selectAll().where('period_id', '=', periodId).execute();
}

/** Records an item's light in a period and, when it differs from the one before, the change. */
export async function setItemLight(
  db: Executor,
  change: Omit<Insertable<LightChangeTable>, 'id'>,
  previous: { light: string } | undefined,
): Promise<void> {
  if (previous) {
    await db
      .updateTable('item_lights')
      .set({ light: change.to_light, reason: change.reason, rule: change.rule, since: change.at })
      .where('period_id', '=', change.period_id)
      .where('item_id', '=', change.item_id)
      .execute();
  } else {
    await db
      .insertInto('item_lights')
      .values({
        period_id: change.period_id,
        item_id: change.item_id,
        light: change.to_light,
        reason: change.reason,
        rule: change.rule,
        since: change.at,
      })
      .execute();
  }
  await db.insertInto('light_changes').values(change).execute();
}

/** Periods whose lights are worth keeping today: begun, and due (or ended) no more than `since` ago. */
export async function listActivePeriods(db: Executor, today: string, since: string) {
  return db
    .selectFrom('periods')
    .innerJoin('plans', 'plans.id', 'periods.plan_id')
    .select([
      'periods.id',
      'periods.plan_id',
      'periods.code',
      'periods.label',
      'periods.due_on',
      'periods.ends_on',
      'plans.title as plan_title',
    ])
    .where('periods.starts_on', '<=', today)
    .where((eb) => eb(eb.fn.coalesce('periods.due_on', 'periods.ends_on'), '>=', since))
    .orderBy('periods.plan_id')
    .orderBy('periods.id')
    .execute();
}

/** A unit's part of an item in a period that has not left the unit, with the date it is due. */
export interface OwedReportRow {
  itemId: number;
  work: string;
  taskNumber: string;
  planId: number;
  planTitle: string;
  organisationId: number;
  organisationName: string;
  periodId: number;
  periodCode: string;
  periodLabel: string;
  dueOn: string;
  /** null: nothing written yet */
  state: string | null;
}

/**
 * Every unit's part of an open item (not closed, not returned as wrongly assigned) in a period with a due date, whose
 * report has not left the unit (none, a draft, submitted to the unit's leader, or returned), due between `from` and
 * `to` inclusive: what reminders are about.
 */
export async function listOwedReportsDueBetween(db: Executor, from: string, to: string): Promise<OwedReportRow[]> {
  const due = sql<string>`coalesce(${sql.ref('reports.due_on')}, ${sql.ref('periods.due_on')})`;
  const rows = await openPartsByPeriod(db)
    .select([
      'items.id as itemId',
      'items.work',
      'tasks.number as taskNumber',
      'plans.id as planId',
      'plans.title as planTitle',
      'link.organisation_id as organisationId',
      'organisations.name as organisationName',
      'periods.id as periodId',
      'periods.code as periodCode',
      'periods.label as periodLabel',
      due.as('dueOn'),
      'reports.state',
    ])
    .where((eb) => eb.or([eb('reports.id', 'is', null), eb('reports.state', 'in', ['draft', 'submitted', 'returned'])]))
    .where(due, '>=', from)
    .where(due, '<=', to)
    .orderBy('plans.id')
    .orderBy('tasks.sort_key')
    .orderBy('items.position')
    .orderBy('link.organisation_id')
    .orderBy('periods.id')
    .execute();
  return rows.map((row) => ({ ...row, state: row.state ?? null }));
}

/** Inserts a reminder unless that one (item, unit, period, kind, day) exists; its id when inserted. */
export async function insertReminderOnce(db: Executor, reminder: Insertable<ReminderTable>): Promise<number | undefined> {
  const row = await db
    .insertInto('reminders')
    .values(reminder)
    .onConflict((oc) => oc.columns(['item_id', 'organisation_id', 'period_id', 'kind', 'day']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertUrge(db: Executor, urge: Insertable<UrgeTable>): Promise<number> {
  const { id } = await db.insertInto('urges').values(urge).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * The next number of a year's notices or bulletins, taken under the counter's row lock, so that two offices issuing
 * at the same moment never share one.
 */
export async function takeDocumentNumber(db: Executor, series: 'notice' | 'bulletin', year: number): Promise<number> {
  const row = await db
    .insertInto('document_counters')
    .values({ series, year, last: 1 })
    .onConflict((oc) => oc.columns(['series', 'year']).doUpdateSet({ last: sql`document_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

export async function insertNotice(db: Executor, notice: Insertable<NoticeTable>): Promise<number> {
  const { id } = await db.insertInto('notices').values(notice).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Whether a rule already raised this notice (rule keys are unique). */
export async function noticeRuleKeyTaken(db: Executor, ruleKey: string): Promise<boolean> {
  const row = await db.selectFrom('notices').select('id').where('rule_key', '=', ruleKey).executeTakeFirst();
  return row !== undefined;
}

export async function findNotice(db: Executor, id: number): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The notice raised from this one, if it was escalated. */
export async function findEscalationOf(db: Executor, id: number): Promise<NoticeRow | undefined> {
  return db.selectFrom('notices').selectAll().where('escalated_from_id', '=', id).executeTakeFirst();
}

export interface NoticeFilter {
  planId?: number;
  state?: string;
  colour?: string;
  organisationId?: number;
  itemId?: number;
  /** notices raised from this instant on */
  createdFrom?: string;
  createdTo?: string;
}

/** Notices, newest first. */
export async function listNotices(db: Executor, filter: NoticeFilter, limit = 500): Promise<NoticeRow[]> {
  let query = db.selectFrom('notices').selectAll();
  if (filter.planId !== undefined) query = query.where('plan_id', '=', filter.planId);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state as NoticeRow['state']);
  if (filter.colour !== undefined) query = query.where('colour', '=', filter.colour as NoticeRow['colour']);
  if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
  if (filter.itemId !== undefined) query = query.where('item_id', '=', filter.itemId);
  if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** Moves a notice from one of `from` states to another; false when it was no longer in one of them. */
export async function updateNoticeState(
  db: Executor,
  id: number,
  from: NoticeRow['state'][],
  values: Partial<Pick<NoticeRow, 'state' | 'closed_by' | 'closed_at' | 'close_comment'>>,
): Promise<boolean> {
  const result = await db.updateTable('notices').set(values).where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertNoticeReply(db: Executor, reply: { notice_id: number; text: string; created_by: string; created_at: string }) {
  await db.insertInto('notice_replies').values(reply).execute();
}

export async function listNoticeReplies(db: Executor, noticeIds: number[]) {
  return inChunks(noticeIds, (chunk) =>
    db.selectFrom('notice_replies').selectAll().where('notice_id', 'in', chunk).orderBy('id').execute(),
  );
}

export async function insertClosureRequest(db: Executor, request: Insertable<ClosureRequestTable>): Promise<number> {
  const { id } = await db.insertInto('closure_requests').values(request).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findClosureRequest(db: Executor, id: number): Promise<ClosureRequestRow | undefined> {
  return db.selectFrom('closure_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPendingClosure(db: Executor, itemId: number): Promise<ClosureRequestRow | undefined> {
  return db.selectFrom('closure_requests').selectAll().where('item_id', '=', itemId).where('state', '=', 'pending').executeTakeFirst();
}

export async function listClosureRequests(
  db: Executor,
  filter: { state?: string; planId?: number; organisationId?: number; itemId?: number },
): Promise<ClosureRequestRow[]> {
  let query = db.selectFrom('closure_requests').selectAll('closure_requests');
  if (filter.state !== undefined) query = query.where('closure_requests.state', '=', filter.state as ClosureRequestRow['state']);
  if (filter.organisationId !== undefined) query = query.where('closure_requests.organisation_id', '=', filter.organisationId);
  if (filter.itemId !== undefined) query = query.where('closure_requests.item_id', '=', filter.itemId);
  if (filter.planId !== undefined) {
    const planId = filter.planId;
    query = query.where('closure_requests.item_id', 'in', (eb) =>
      eb.selectFrom('items').innerJoin('tasks', 'tasks.id', 'items.task_id').select('items.id').where('tasks.plan_id', '=', planId),
    );
  }
  return query.orderBy('closure_requests.id', 'desc').limit(500).execute();
}

/** Decides a pending closure request; false when it was decided already. */
export async function decideClosureRequest(
  db: Executor,
  id: number,
  values: { state: 'approved' | 'returned'; decided_by: string; decided_at: string; decision_comment: string },
): Promise<boolean> {
  const result = await db
    .updateTable('closure_requests')
    .set(values)
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function closeItem(db: Executor, itemId: number, by: string, at: string): Promise<void> {
  await db.updateTable('items').set({ closed_at: at, closed_by: by }).where('id', '=', itemId).where('closed_at', 'is', null).execute();
}

export async function findItemClosure(db: Executor, itemId: number) {
  return db.selectFrom('items').select(['closed_at', 'closed_by']).where('id', '=', itemId).executeTakeFirst();
}

/** The closed items among these. */
export async function listClosedItemIds(db: Executor, itemIds: number[]): Promise<Set<number>> {
  const rows = await inChunks(itemIds, (chunk) =>
    db.selectFrom('items').select('id').where('id', 'in', chunk).where('closed_at', 'is not', null).execute(),
  );
  return new Set(rows.map((row) => row.id));
}

/** An item with where it sits: what notices, urges and timelines print. */
export async function findItemContext(db: Executor, itemId: number) {
  return db
    .selectFrom('items')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .innerJoin('chapters', 'chapters.id', 'tasks.chapter_id')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .select([
      'items.id',
      'items.work',
      'items.lead_text',
      'items.cooperating_text',
      'items.closed_at',
      'items.closed_by',
      'tasks.number as task_number',
      'tasks.name as task_name',
      'chapters.numeral as chapter_numeral',
      'chapters.title as chapter_title',
      'plans.id as plan_id',
      'plans.year as plan_year',
      'plans.title as plan_title',
      'plans.issuer as plan_issuer',
    ])
    .where('items.id', '=', itemId)
    .executeTakeFirst();
}

/** Items with their task numbers, by id, for lists of notices and closures. */
export async function listItemHeadlines(db: Executor, itemIds: number[]) {
  return inChunks(itemIds, (chunk) =>
    db
      .selectFrom('items')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .select(['items.id', 'items.work', 'tasks.number as task_number', 'tasks.plan_id'])
      .where('items.id', 'in', chunk)
      .execute(),
  );
}

/** What an item's timeline is made of, every source in one read each. */
export async function readItemHistory(db: Executor, itemId: number) {
  const [links, versions, reminders, urges, notices, lights, closures] = await Promise.all([
    db
      .selectFrom('item_organisations')
      .select(['organisation_id', 'role', 'state', 'state_reason', 'state_at', 'state_by'])
      .where('item_id', '=', itemId)
      .execute(),
    db
      .selectFrom('report_versions')
      .innerJoin('reports', 'reports.id', 'report_versions.report_id')
      .innerJoin('periods', 'periods.id', 'reports.period_id')
      .select([
        'report_versions.id',
        'report_versions.event',
        'report_versions.comment',
        'report_versions.status',
        'report_versions.created_by',
        'report_versions.created_at',
        'reports.organisation_id',
        'periods.label as period_label',
      ])
      .where('reports.item_id', '=', itemId)
      .where('report_versions.event', 'is not', null)
      .execute(),
    db
      .selectFrom('reminders')
      .innerJoin('periods', 'periods.id', 'reminders.period_id')
      .select(['reminders.organisation_id', 'reminders.kind', 'reminders.due_on', 'reminders.created_at', 'periods.label as period_label'])
      .where('reminders.item_id', '=', itemId)
      .execute(),
    db.selectFrom('urges').selectAll().where('item_id', '=', itemId).execute(),
    db.selectFrom('notices').selectAll().where('item_id', '=', itemId).execute(),
    db
      .selectFrom('light_changes')
      .innerJoin('periods', 'periods.id', 'light_changes.period_id')
      .select(['light_changes.to_light', 'light_changes.reason', 'light_changes.at', 'periods.label as period_label'])
      .where('light_changes.item_id', '=', itemId)
      .execute(),
    db.selectFrom('closure_requests').selectAll().where('item_id', '=', itemId).execute(),
  ]);
  const replies = await listNoticeReplies(
    db,
    notices.map((notice) => notice.id),
  );
  return { links, versions, reminders, urges, notices, replies, lights, closures };
}

export async function insertBulletin(db: Executor, bulletin: Insertable<BulletinTable>): Promise<number> {
  const { id } = await db.insertInto('bulletins').values(bulletin).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findBulletin(db: Executor, id: number): Promise<BulletinRow | undefined> {
  return db.selectFrom('bulletins').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBulletins(db: Executor, planId: number): Promise<BulletinRow[]> {
  return db.selectFrom('bulletins').selectAll().where('plan_id', '=', planId).orderBy('id', 'desc').execute();
}

/** Changes a draft's wording, or issues it; false when it was issued already. */
export async function updateDraftBulletin(
  db: Executor,
  id: number,
  values: Partial<
    Pick<BulletinRow, 'title' | 'intro' | 'closing' | 'state' | 'number' | 'content' | 'issued_by' | 'issued_at' | 'updated_at'>
  >,
): Promise<boolean> {
  const result = await db.updateTable('bulletins').set(values).where('id', '=', id).where('state', '=', 'draft').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The notices the rules raised in a period that are still waiting: what a new rule notice escalates. */
export async function listOpenNoticesOfRules(db: Executor, periodId: number): Promise<NoticeRow[]> {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('period_id', '=', periodId)
    .where('source', '=', 'rule')
    .where('state', 'in', ['open', 'answered'])
    .execute();
}

/** The lead units of these items. */
export async function listLeadLinks(db: Executor, itemIds: number[]) {
  return inChunks(itemIds, (chunk) =>
    db
      .selectFrom('item_organisations')
      .select(['item_id', 'organisation_id'])
      .where('item_id', 'in', chunk)
      .where('role', '=', 'lead')
      .where('state', '!=', 'returned')
      .orderBy('item_id')
      .orderBy('position')
      .execute(),
  );
}

/** Items red and yellow now (in any active period's record), and the changes of light since an instant. */
export async function countLightsSince(db: Executor, since: string): Promise<{ red: number; yellow: number; changed: number }> {
  const byLight = await db
    .selectFrom('item_lights')
    .select((eb) => ['light', eb.fn.count<number | string>('item_id').distinct().as('n')])
    .where('light', 'in', ['red', 'yellow'])
    .groupBy('light')
    .execute();
  const changed = await db
    .selectFrom('light_changes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('at', '>=', since)
    .where('from_light', 'is not', null)
    .executeTakeFirstOrThrow();
  const of = (light: string) => Number(byLight.find((row) => row.light === light)?.n ?? 0);
  return { red: of('red'), yellow: of('yellow'), changed: Number(changed.n) };
}

/** Notices still waiting for the unit's answer after their reply date. */
export async function countOverdueNotices(db: Executor, today: string): Promise<number> {
  const row = await db
    .selectFrom('notices')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('state', '=', 'open')
    .where('reply_due_on', '<', today)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Each lead report of a period with when it first left its unit (by one of `events`), for on-time rates. */
export async function listFirstDeliveries(db: Executor, periodId: number, events: readonly string[]) {
  return db
    .selectFrom('reports')
    .innerJoin('report_versions', 'report_versions.report_id', 'reports.id')
    .select((eb) => [
      'reports.item_id',
      'reports.organisation_id',
      'reports.due_on',
      eb.fn.min('report_versions.created_at').as('first_at'),
    ])
    .where('reports.period_id', '=', periodId)
    .where('report_versions.event', 'in', [...events])
    .groupBy(['reports.item_id', 'reports.organisation_id', 'reports.due_on'])
    .execute();
}
