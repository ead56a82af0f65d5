/**
 * Supervision through the services and the HTTP API on both databases: reminders before, on and after a due date
 * (each once, however often the day's job runs), 催办 and the three-colour 督办单 with answers, closing and
 * escalation, 办结销号 closing an item everywhere, and the outbox: e-mails and webhook calls made once per cause,
 * retried with growing waits, dead after the last attempt and sent again from the dead-letter list.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signInAs, TEST_CONFIG, type Session } from '../helpers/app.js';
import { authConfig } from '../../src/config.js';
import { describeEachDatabase } from '../helpers/database.js';
import type { CitySummaryResponse, PlanTreeResponse } from '../../src/contract/plans.js';
import { DeliveryFailed } from '../../src/delivery/http.js';
import type { MailMessage } from '../../src/delivery/mail.js';
import type { WebhookMessage } from '../../src/delivery/webhooks.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../../src/services/catalogue.js';
import { createServiceContext, NO_OUTBOUND, type Outbound, type ServiceContext } from '../../src/services/context.js';
import { loadDemoPlanIfEmpty } from '../../src/services/demo.js';
import { createUser } from '../../src/services/accounts.js';
import { deliverDue, retryDelaySeconds } from '../../src/services/notifications.js';
import { dailySlot, raiseRuleNotices, recordLights, reminderKindOn, sendReminders } from '../../src/services/supervision-jobs.js';
import { createWebhook, listDeliveryViews, resendDelivery } from '../../src/services/notifications.js';
import { setSchedule } from '../../src/services/schedule.js';

const ACTOR = { id: 'test', source: 'test' };

/** An outbound that records what it is asked to send and fails webhooks while told to. */
function recordingOutbound() {
  const mails: MailMessage[] = [];
  const webhooks: WebhookMessage[] = [];
  const state = { failWebhooks: false as false | 'retryable' | 'permanent' };
  const outbound: Outbound = {
    ...NO_OUTBOUND,
    mail: { send: async (message) => void mails.push(message) },
    webhook: async (_kind, _target, message) => {
      if (state.failWebhooks) throw new DeliveryFailed('接收方返回 500', { retryable: state.failWebhooks === 'retryable' });
      webhooks.push(message);
    },
    checkUrl: async () => undefined,
    retryBaseSeconds: 0,
    maxAttempts: 3,
  };
  return { outbound, mails, webhooks, state };
}

describe('reminder days', () => {
  const settings = { remindDaysBefore: 3, remindOnDueDay: true, remindEveryDaysAfter: 3 };
  it.each([
    ['2022-04-17', '2022-04-20', 'before'],
    ['2022-04-18', '2022-04-20', undefined],
    ['2022-04-20', '2022-04-20', 'due'],
    ['2022-04-21', '2022-04-20', undefined],
    ['2022-04-23', '2022-04-20', 'after'],
    ['2022-04-26', '2022-04-20', 'after'],
    ['2022-04-25', '2022-04-20', undefined],
  ])('on %s for a report due %s: %s', (today, dueOn, kind) => {
    expect(reminderKindOn(today, dueOn, settings)).toBe(kind);
  });
  it('follows the settings: no reminder before, none on the day, none after', () => {
    const off = { remindDaysBefore: 0, remindOnDueDay: false, remindEveryDaysAfter: 0 };
    for (const today of ['2022-04-17', '2022-04-20', '2022-04-23']) expect(reminderKindOn(today, '2022-04-20', off)).toBeUndefined();
  });
  it('counts the day from 08:00 Asia/Shanghai for the morning jobs', () => {
    expect(dailySlot(new Date('2022-04-17T00:30:00Z'), 8)).toBe('2022-04-17'); // 08:30 on the 17th
    expect(dailySlot(new Date('2022-04-16T23:59:00Z'), 8)).toBe('2022-04-16'); // 07:59 on the 17th
    expect(dailySlot(new Date('2022-04-17T00:00:00Z'), 8)).toBe('2022-04-17'); // 08:00 on the 17th
    expect(dailySlot(new Date('2022-04-17T00:00:00Z'), 0)).toBe('2022-04-17');
  });
  it('waits longer before each further attempt, at most six hours', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelaySeconds(30, attempts))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(30, 40)).toBe(6 * 3600);
  });
});

describeEachDatabase('supervision', (database) => {
  let app: FastifyInstance;
  let office: Session;
  let reporter: Session;
  let ctx: ServiceContext;
  const now = new Date('2022-04-17T01:00:00Z');
  const recorder = recordingOutbound();
  let planId = 0;
  let ecologyId = 0;
  let itemId = 0;

  beforeAll(async () => {
    const db = database().db;
    ctx = createServiceContext(db, () => now, { outbound: recorder.outbound });
    await loadDemoPlanIfEmpty(ctx);
    app = await buildTestApp(db, { now: () => now });
    office = await signInAs(app, db, 'supervisor');
    reporter = await signInAs(app, db, 'unit_reporter', '市生态环境局');
    ecologyId = (await findOrganisationByName(ctx, '市生态环境局')).id;
    await createUser(ctx, ACTOR, authConfig(TEST_CONFIG), {
      username: 'leader.ecology',
      displayName: '生态环境局负责人',
      role: 'unit_leader',
      organisationId: ecologyId,
      password: 'Test-Passw0rd!',
      email: 'leader@ecology.example.gov.cn',
    });
    const [plan] = await listPlanSummaries(ctx);
    planId = plan!.id;
    const tree = await getPlanTree(ctx, planId);
    itemId = tree.chapters
      .flatMap((c) => c.tasks.flatMap((t) => t.items))
      .find((item) => item.lead.some((org) => org.id === ecologyId))!.id;
    await setSchedule(ctx, ACTOR, planId, [{ kind: 'quarter' }]);
    await createWebhook(ctx, ACTOR, {
      name: '督查室钉钉群',
      kind: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
      secret: 'SEC1',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('reminds every unit owing a report three days before its due date, once however often the day runs', async () => {
    const day = '2022-04-17';
    const first = await database()
      .db.transaction()
      .execute((trx) => sendReminders(ctx, trx, day, now));
    expect(first.counts.reminders).toBeGreaterThan(0);
    const again = await database()
      .db.transaction()
      .execute((trx) => sendReminders(ctx, trx, day, now));
    expect(again.counts).toEqual({ reminders: 0, units: 0, people: 0 });

    const inbox = (await reporter.inject({ method: 'GET', url: '/api/inbox' })).json();
    const reminder = inbox.notifications.find((n: { kind: string }) => n.kind === 'reminder');
    expect(reminder.title).toMatch(/将于 2022-04-20 截止报送/);
    expect(reminder.body).toContain('截止 2022-04-20');
    expect(inbox.unreadByKind.reminder).toBe(1);
    // one e-mail for the leader (the only one with an address), one call to the office's group
    const deliveries = await database()
      .db.selectFrom('deliveries')
      .select(['channel', 'target', 'cause'])
      .where('cause', 'like', `reminders:${ecologyId}:before:${day}%`)
      .execute();
    expect(deliveries.map((d) => d.channel).sort()).toEqual(['email', 'webhook']);
    expect(deliveries.find((d) => d.channel === 'email')!.target).toBe('leader@ecology.example.gov.cn');
  });

  it('sends the outbox once: a second round finds nothing to send', async () => {
    const sent = await deliverDue(ctx, 'test-owner');
    expect(sent.counts.sent).toBeGreaterThan(0);
    expect(recorder.mails.some((mail) => mail.to === 'leader@ecology.example.gov.cn' && mail.subject.includes('报送提醒'))).toBe(true);
    const ids = [...recorder.mails.map((m) => m.id), ...recorder.webhooks.map((w) => w.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect((await deliverDue(ctx, 'test-owner')).counts.sent).toBe(0);
  });

  it('keeps the office’s warning rules and settings of a plan: only what it changed, every bad field named', async () => {
    const bad = await office.inject({
      method: 'PUT',
      url: `/api/plans/${planId}/warning-rules`,
      payload: { yellowBehind: 40, redBehind: 20 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'bad_warning_rules' });
    const rules = await office.inject({ method: 'PUT', url: `/api/plans/${planId}/warning-rules`, payload: { dueSoonDays: 3 } });
    expect(rules.json().rules).toMatchObject({ dueSoonDays: 3, yellowBehind: 10, redBehind: 30 });
    expect(rules.json().description.length).toBeGreaterThan(3);
    const settings = await office.inject({
      method: 'PUT',
      url: `/api/plans/${planId}/supervision-settings`,
      payload: { remindEveryDaysAfter: 3, autoNotices: { red: false } },
    });
    expect(settings.json()).toMatchObject({
      remindDaysBefore: 3,
      remindEveryDaysAfter: 3,
      autoNotices: { blue: false, yellow: false, red: false },
    });
    expect(
      (await reporter.inject({ method: 'PUT', url: `/api/plans/${planId}/supervision-settings`, payload: { replyDays: 9 } })).statusCode,
    ).toBe(403);
    expect((await reporter.inject({ method: 'GET', url: `/api/plans/${planId}/supervision-settings` })).json().replyDays).toBe(5);
  });

  it('reminds on the due day and every third day after it, not in between', async () => {
    const run = (day: string) =>
      database()
        .db.transaction()
        .execute((trx) => sendReminders(ctx, trx, day, now));
    expect((await run('2022-04-20')).counts.reminders).toBeGreaterThan(0);
    expect((await run('2022-04-21')).counts.reminders).toBe(0);
    expect((await run('2022-04-23')).counts.reminders).toBeGreaterThan(0);
  });

  it('the office urges a unit and raises a yellow notice; the unit answers; the office closes it', async () => {
    const urge = await office.inject({
      method: 'POST',
      url: `/api/items/${itemId}/urges`,
      payload: { organisationId: ecologyId, message: '请抓紧报送一季度进展' },
    });
    expect(urge.statusCode, urge.body).toBe(200);
    expect(urge.json().notified).toBeGreaterThanOrEqual(2);

    const raised = await office.inject({
      method: 'POST',
      url: `/api/items/${itemId}/notices`,
      payload: { organisationId: ecologyId, colour: 'yellow', reason: '一季度进度滞后', replyDueOn: '2022-04-22' },
    });
    expect(raised.statusCode, raised.body).toBe(200);
    const notice = raised.json();
    expect(notice).toMatchObject({
      numberText: '〔2022〕第1号',
      colour: 'yellow',
      colourLabel: '黄色',
      state: 'open',
      actions: ['close', 'escalate'],
    });

    const inbox = (await reporter.inject({ method: 'GET', url: '/api/inbox?unread=true' })).json();
    expect(inbox.notifications.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['urge', 'notice']));
    const seen = (await reporter.inject({ method: 'GET', url: `/api/notices/${notice.id}` })).json();
    expect(seen.actions).toEqual(['reply']);

    const answered = await reporter.inject({
      method: 'POST',
      url: `/api/notices/${notice.id}/replies`,
      payload: { text: '已制定整改方案，月底前完成。' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ state: 'answered', replies: [{ text: '已制定整改方案，月底前完成。' }] });

    const closed = await office.inject({ method: 'POST', url: `/api/notices/${notice.id}/close`, payload: { comment: '整改到位' } });
    expect(closed.json()).toMatchObject({ state: 'closed', stateLabel: '已办结', closeComment: '整改到位', actions: [] });
    const late = await reporter.inject({ method: 'POST', url: `/api/notices/${notice.id}/replies`, payload: { text: '补充' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('notice_not_open');

    const timeline = (await office.inject({ method: 'GET', url: `/api/items/${itemId}/timeline` })).json();
    const kinds = timeline.events.map((event: { kind: string }) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(['reminder', 'urge', 'notice', 'notice_reply', 'notice_closed']));
  });

  it('escalates blue to yellow to red and no further, each numbered in turn', async () => {
    const blue = (
      await office.inject({
        method: 'POST',
        url: `/api/items/${itemId}/notices`,
        payload: { organisationId: ecologyId, colour: 'blue', reason: '临近截止', replyDueOn: '2022-04-20' },
      })
    ).json();
    expect(blue.numberText).toBe('〔2022〕第2号');
    const yellow = (
      await office.inject({
        method: 'POST',
        url: `/api/notices/${blue.id}/escalate`,
        payload: { reason: '仍未报送', replyDueOn: '2022-04-21' },
      })
    ).json();
    expect(yellow).toMatchObject({ colour: 'yellow', numberText: '〔2022〕第3号', escalatedFrom: { id: blue.id } });
    const red = (
      await office.inject({
        method: 'POST',
        url: `/api/notices/${yellow.id}/escalate`,
        payload: { reason: '逾期未报送', replyDueOn: '2022-04-22' },
      })
    ).json();
    expect(red).toMatchObject({ colour: 'red', actions: ['close'] });
    expect((await office.inject({ method: 'GET', url: `/api/notices/${blue.id}` })).json()).toMatchObject({
      state: 'escalated',
      escalatedTo: { id: yellow.id },
    });
    const again = await office.inject({
      method: 'POST',
      url: `/api/notices/${red.id}/escalate`,
      payload: { reason: 'x', replyDueOn: '2022-04-22' },
    });
    expect(again.json().error.code).toBe('notice_last_colour');
    const past = await office.inject({
      method: 'POST',
      url: `/api/items/${itemId}/notices`,
      payload: { organisationId: ecologyId, colour: 'red', reason: 'x', replyDueOn: '2022-04-01' },
    });
    expect(past.json().error.code).toBe('bad_reply_due');
  });

  it('writes a notice as Word and PDF', async () => {
    const list = (await office.inject({ method: 'GET', url: '/api/notices' })).json();
    const id = list.notices[0].id;
    const docx = await office.inject({ method: 'GET', url: `/api/notices/${id}/document?format=docx` });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(decodeURIComponent(String(docx.headers['content-disposition']))).toContain('红色督办单〔2022〕第4号');
    const other = await signInAs(app, database().db, 'unit_reporter', '市工信局');
    expect((await other.inject({ method: 'GET', url: `/api/notices/${id}/document` })).statusCode).toBe(404);
  });

  it('closes an item on the lead unit’s request once the office approves: no more reminders, closed in the tables', async () => {
    const asked = await reporter.inject({
      method: 'POST',
      url: `/api/items/${itemId}/closure`,
      payload: { evidence: '项目已竣工验收，见验收报告。' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    const twice = await reporter.inject({ method: 'POST', url: `/api/items/${itemId}/closure`, payload: { evidence: '再次申请' } });
    expect(twice.json().error.code).toBe('closure_pending');
    const approved = await office.inject({
      method: 'POST',
      url: `/api/closures/${asked.json().id}/decision`,
      payload: { decision: 'approve', comment: '同意销号' },
    });
    expect(approved.json()).toMatchObject({ state: 'approved', stateLabel: '已销号' });

    const summary: CitySummaryResponse = (
      await office.inject({ method: 'GET', url: `/api/plans/${planId}/summary?period=2022-Q1` })
    ).json();
    const row = summary.table.chapters.flatMap((c) => c.tasks.flatMap((t) => t.items)).find((item) => item.id === itemId);
    expect(row).toMatchObject({ closed: true, light: 'green', lightReason: '已办结销号', lightRule: 'closed' });
    const tree: PlanTreeResponse = (await office.inject({ method: 'GET', url: `/api/plans/${planId}` })).json();
    expect(tree.chapters.flatMap((c) => c.tasks.flatMap((t) => t.items)).find((item) => item.id === itemId)?.closed).toBe(true);

    const owed = (await reporter.inject({ method: 'GET', url: '/api/my-work/due?pageSize=100' })).json();
    expect(JSON.stringify(owed)).toContain('"itemId"');
    expect(JSON.stringify(owed)).not.toContain(`"itemId":${itemId},`);
    const csv = await office.inject({ method: 'GET', url: `/api/plans/${planId}/summary/export?period=2022-Q1&format=csv` });
    expect(csv.body).toContain('已销号');

    await database()
      .db.transaction()
      .execute((trx) => sendReminders(ctx, trx, '2022-04-26', now));
    const reminded = await database()
      .db.selectFrom('reminders')
      .select('item_id')
      .where('day', '=', '2022-04-26')
      .where('item_id', '=', itemId)
      .execute();
    expect(reminded).toEqual([]);
  });

  it('retries a failing webhook with growing waits, then lists it as dead, and sends it again on request', async () => {
    // what the reminders of the earlier days left in the outbox goes first
    while (((await deliverDue(ctx, 'test-owner')).counts.sent ?? 0) > 0);
    recorder.state.failWebhooks = 'retryable';
    await office.inject({ method: 'POST', url: `/api/items/${itemId}/urges`, payload: { organisationId: ecologyId, message: '再次催办' } });
    for (let round = 0; round < 3; round++) await deliverDue(ctx, 'test-owner');
    const dead = await listDeliveryViews(ctx, { state: 'dead' });
    expect(dead.deliveries).toHaveLength(1);
    expect(dead.deliveries[0]).toMatchObject({ channel: 'webhook', attempts: 3, lastError: '接收方返回 500', stateLabel: '发送失败' });
    expect(dead.deliveries[0]?.target).not.toContain('abc');

    recorder.state.failWebhooks = false;
    await resendDelivery(ctx, ACTOR, dead.deliveries[0]!.id);
    await deliverDue(ctx, 'test-owner');
    expect((await listDeliveryViews(ctx, { state: 'dead' })).total).toBe(0);
    expect(recorder.webhooks.filter((message) => message.text.includes('再次催办'))).toHaveLength(1);
  });

  it('a permanent refusal goes to the dead-letter list at once', async () => {
    recorder.state.failWebhooks = 'permanent';
    await office.inject({
      method: 'POST',
      url: `/api/items/${itemId}/urges`,
      payload: { organisationId: ecologyId, message: '第三次催办' },
    });
    await deliverDue(ctx, 'test-owner');
    const dead = await listDeliveryViews(ctx, { state: 'dead' });
    expect(dead.deliveries.map((d) => d.attempts)).toEqual([1]);
    recorder.state.failWebhooks = false;
  });

  it('raises the notices the office switched on from the day’s lights, once, and none for a closed item', async () => {
    const switched = await office.inject({
      method: 'PUT',
      url: `/api/plans/${planId}/supervision-settings`,
      payload: { autoNotices: { blue: true } },
    });
    expect(switched.json().autoNotices).toEqual({ blue: true, yellow: false, red: false });
    const db = database().db;
    // three days before the Q1 due date, every report not delivered is due soon: a blue light
    await db.transaction().execute((trx) => recordLights(ctx, trx, now));
    const first = await db.transaction().execute((trx) => raiseRuleNotices(ctx, trx, now));
    expect(first.counts.raised).toBeGreaterThan(0);
    const raised = await db.selectFrom('notices').selectAll().where('source', '=', 'rule').execute();
    expect(raised).toHaveLength(first.counts.raised!);
    expect(new Set(raised.map((notice) => notice.colour))).toEqual(new Set(['blue']));
    expect(raised.some((notice) => notice.item_id === itemId)).toBe(false);
    expect(raised.every((notice) => notice.reason.includes('即将到期'))).toBe(true);
    const again = await db.transaction().execute((trx) => raiseRuleNotices(ctx, trx, now));
    expect(again.counts.raised).toBe(0);
  });
});
