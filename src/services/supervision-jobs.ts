import type { Transaction } from 'kysely';
import { listPlans } from '../db/repositories/plans.js';
import {
  countLightsSince,
  countOverdueNotices,
  insertReminderOnce,
  listLeadLinks,
  listOpenNoticesOfRules,
  type NoticeRow,
  listActivePeriods,
  listItemLights,
  listOwedReportsDueBetween,
  noticeRuleKeyTaken,
  setItemLight,
  updateNoticeState,
  type OwedReportRow,
} from '../db/repositories/supervision.js';
import type { Database } from '../db/schema.js';
import { addDays, daysBetween } from '../domain/calendar.js';
import { NOTICE_COLOURS, type NoticeColour } from '../domain/supervision.js';
import type { JobOutcome } from '../jobs/types.js';
import { buildCitySummary } from './city-summary.js';
import { loadPlanStructure } from './plan-structure.js';
import type { ServiceContext } from './context.js';
import { notifyOffice, notifyUnit } from './notifications.js';
import { shanghaiDate } from './reporting.js';
import { DEFAULT_REQUIREMENT, raiseNoticeIn, replyDueFrom, supervisionSettingsOf } from './supervision.js';
import { lightRulesOfPlan } from './warning-rules.js';

/**
 * The supervision office's daily work, done by jobs: each item's light recorded with its changes, notices raised by
 * the rules the office switched on, reminders before, on and after due dates, and the office's digest. Each runs in
 * the transaction its slot is recorded in (src/jobs), and every record it makes has a unique key, so that a slot
 * run twice, or two runs racing, write it once.
 */

/** A daily slot that begins at `hour` o'clock Asia/Shanghai: the day a moment falls in, counted from that hour. */
export function dailySlot(now: Date, hour: number): string {
  return shanghaiDate(new Date(now.getTime() - hour * 3_600_000));
}

/** Periods whose lights are kept: begun, and due or ended within the last 60 days. */
const LIGHT_WINDOW_DAYS = 60;

/** Records every open item's light in every active period, and its change when it differs from the last. */
export async function recordLights(ctx: ServiceContext, trx: Transaction<Database>, now: Date): Promise<JobOutcome> {
  const today = shanghaiDate(now);
  const inTrx: ServiceContext = { ...ctx, db: trx, now: () => now };
  const counts = { periods: 0, items: 0, changed: 0 };
  for (const period of await listActivePeriods(trx, today, addDays(today, -LIGHT_WINDOW_DAYS))) {
    counts.periods++;
    const summary = await buildCitySummary(inTrx, {
      planId: period.plan_id,
      periodCode: period.code,
      rules: await lightRulesOfPlan(trx, period.plan_id),
    });
    const previous = new Map((await listItemLights(trx, period.id)).map((row) => [row.item_id, row]));
    for (const item of summary.table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))) {
      counts.items++;
      const before = previous.get(item.id);
      if (before && before.light === item.light && before.reason === item.lightReason) continue;
      if (before?.light === item.light) {
        // the same light for another reason (12 points behind, then 15): the reason follows without a change of light
        await setItemLight(
          trx,
          {
            period_id: period.id,
            item_id: item.id,
            from_light: before.light,
            to_light: item.light,
            reason: item.lightReason,
            rule: item.lightRule,
            at: now.toISOString(),
          },
          before,
        );
        continue;
      }
      await setItemLight(
        trx,
        {
          period_id: period.id,
          item_id: item.id,
          from_light: before?.light ?? null,
          to_light: item.light,
          reason: item.lightReason,
          rule: item.lightRule,
          at: now.toISOString(),
        },
        before,
      );
      counts.changed++;
    }
  }
  return { summary: `${counts.periods} 个周期 ${counts.items} 个事项，灯色变化 ${counts.changed} 个`, counts };
}

/** The colour of notice a light calls for: blue when the deadline is near, yellow when behind, red when overdue. */
export function noticeColourOfLight(light: string, rule: string): NoticeColour | undefined {
  if (rule === 'due_soon') return 'blue';
  if (light === 'red') return 'red';
  if (light === 'yellow') return 'yellow';
  return undefined;
}

const rank = (colour: NoticeColour) => NOTICE_COLOURS.indexOf(colour);

/**
 * Raises the notices the office's rules call for (its plan settings switch each colour on): one per colour, item,
 * lead unit and period, ever; a rule notice of a lower colour still open is escalated into the new one.
 */
export async function raiseRuleNotices(ctx: ServiceContext, trx: Transaction<Database>, now: Date): Promise<JobOutcome> {
  const today = shanghaiDate(now);
  const counts = { raised: 0, escalated: 0 };
  const inTrx: ServiceContext = { ...ctx, db: trx, now: () => now };
  for (const period of await listActivePeriods(trx, today, addDays(today, -LIGHT_WINDOW_DAYS))) {
    const settings = await supervisionSettingsOf(trx, period.plan_id);
    if (!settings.autoNotices.blue && !settings.autoNotices.yellow && !settings.autoNotices.red) continue;
    const lights = await listItemLights(trx, period.id);
    if (lights.length === 0) continue;
    // the lights are recorded already; the notices need only each item's words and whether it is closed
    const structure = await loadPlanStructure(trx, period.plan_id);
    const taskNumbers = new Map(structure.tasks.map((task) => [task.id, task.number]));
    const items = new Map(
      structure.items.map((item) => [item.id, { item, task: { number: taskNumbers.get(item.taskId) ?? '' } }] as const),
    );
    const leads = await leadUnitsOf(trx, [...items.keys()]);
    const open = await listOpenNoticesOfRules(trx, period.id);
    for (const light of lights) {
      const colour = noticeColourOfLight(light.light, light.rule);
      if (!colour || !settings.autoNotices[colour]) continue;
      const entry = items.get(light.item_id);
      if (!entry || entry.item.closed) continue;
      for (const organisationId of leads.get(light.item_id) ?? []) {
        const ruleKey = `${colour}:${period.id}:${light.item_id}:${organisationId}`;
        if (await noticeRuleKeyTaken(trx, ruleKey)) continue;
        const lower = open.filter(
          (notice: NoticeRow) =>
            notice.item_id === light.item_id && notice.organisation_id === organisationId && rank(notice.colour) < rank(colour),
        );
        // a rule notice of the same or a higher colour still open says it already
        if (
          open.some(
            (notice) =>
              notice.item_id === light.item_id && notice.organisation_id === organisationId && rank(notice.colour) >= rank(colour),
          )
        )
          continue;
        for (const notice of lower) {
          if (await updateNoticeState(trx, notice.id, ['open', 'answered'], { state: 'escalated' })) counts.escalated++;
        }
        await raiseNoticeIn(inTrx, trx, {
          planId: period.plan_id,
          itemId: light.item_id,
          organisationId,
          colour,
          periodId: period.id,
          reason: `${period.label}：${light.reason}`,
          requirement: DEFAULT_REQUIREMENT,
          replyDueOn: replyDueFrom(now, settings.replyDays),
          source: 'rule',
          ruleKey,
          escalatedFromId: lower[0]?.id,
          createdBy: 'system:rules',
          work: entry.item.work,
          taskNumber: entry.task.number,
        });
        counts.raised++;
      }
    }
  }
  return { summary: `自动督办单 ${counts.raised} 份${counts.escalated ? `，升级 ${counts.escalated} 份` : ''}`, counts };
}

async function leadUnitsOf(trx: Transaction<Database>, itemIds: number[]): Promise<Map<number, number[]>> {
  const leads = new Map<number, number[]>();
  for (const link of await listLeadLinks(trx, itemIds)) leads.set(link.item_id, [...(leads.get(link.item_id) ?? []), link.organisation_id]);
  return leads;
}

type ReminderKind = 'before' | 'due' | 'after';

/** Which reminder, if any, a report due on `dueOn` gets on `today` under the plan's settings. */
export function reminderKindOn(
  today: string,
  dueOn: string,
  settings: { remindDaysBefore: number; remindOnDueDay: boolean; remindEveryDaysAfter: number },
): ReminderKind | undefined {
  const days = daysBetween(today, dueOn);
  if (days === 0) return settings.remindOnDueDay ? 'due' : undefined;
  if (days > 0) return settings.remindDaysBefore > 0 && days === settings.remindDaysBefore ? 'before' : undefined;
  return settings.remindEveryDaysAfter > 0 && -days % settings.remindEveryDaysAfter === 0 ? 'after' : undefined;
}

const REMINDER_TITLES: Record<ReminderKind, (count: number, dueOn: string) => string> = {
  before: (count, dueOn) => `报送提醒：${count} 项工作将于 ${dueOn} 截止报送`,
  due: (count) => `报送提醒：${count} 项工作今天截止报送`,
  after: (count) => `逾期提醒：${count} 项工作已逾期未报送`,
};

/**
 * Reminds units of the reports they owe on `day`: N days before the due date, on it, and every M days after it (the
 * plan's settings), one reminder per item and unit, and one notification per person and kind listing the items,
 * rather than one message per item, which a unit with thirty items would stop reading.
 */
export async function sendReminders(ctx: ServiceContext, trx: Transaction<Database>, day: string, now: Date): Promise<JobOutcome> {
  const plans = await listPlans(trx);
  const settingsOf = new Map<number, Awaited<ReturnType<typeof supervisionSettingsOf>>>();
  for (const plan of plans) settingsOf.set(plan.id, await supervisionSettingsOf(trx, plan.id));
  const furthest = Math.max(0, ...[...settingsOf.values()].map((settings) => settings.remindDaysBefore));
  const owed = await listOwedReportsDueBetween(trx, addDays(day, -366), addDays(day, furthest));
  const groups = new Map<string, { organisationId: number; kind: ReminderKind; rows: OwedReportRow[] }>();
  let reminders = 0;
  for (const row of owed) {
    const settings = settingsOf.get(row.planId);
    if (!settings) continue;
    const kind = reminderKindOn(day, row.dueOn, settings);
    if (!kind) continue;
    const id = await insertReminderOnce(trx, {
      item_id: row.itemId,
      organisation_id: row.organisationId,
      period_id: row.periodId,
      kind,
      day,
      due_on: row.dueOn,
      created_at: now.toISOString(),
    });
    if (id === undefined) continue;
    reminders++;
    const key = `${row.organisationId}:${kind}`;
    const group = groups.get(key) ?? { organisationId: row.organisationId, kind, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  let people = 0;
  for (const group of groups.values()) {
    const lines = group.rows.slice(0, 10).map((row) => {
      const state = row.state === 'returned' ? '（被退回，待修改后重新报送）' : row.state === 'submitted' ? '（待单位负责人审核）' : '';
      return `· ${row.taskNumber ? `第${row.taskNumber}项 ` : ''}${row.work.length > 40 ? `${row.work.slice(0, 40)}…` : row.work}（${row.periodLabel}，截止 ${row.dueOn}）${state}`;
    });
    if (group.rows.length > 10) lines.push(`……等共 ${group.rows.length} 项`);
    const first = group.rows[0]!;
    const fanout = await notifyUnit(ctx, trx, group.organisationId, {
      kind: 'reminder',
      title: REMINDER_TITLES[group.kind](group.rows.length, first.dueOn),
      body: `${first.organisationName}：\n${lines.join('\n')}\n请及时在落实系统中填报并提交。`,
      cause: `reminders:${group.organisationId}:${group.kind}:${day}`,
      itemId: group.rows.length === 1 ? first.itemId : null,
      link: '/my-work',
    });
    people += fanout.people;
  }
  return { summary: `提醒 ${reminders} 项，${groups.size} 个单位 ${people} 人`, counts: { reminders, units: groups.size, people } };
}

/** The office's daily digest: red and yellow items, changes of light since yesterday, overdue answers to notices. */
export async function sendDigest(ctx: ServiceContext, trx: Transaction<Database>, day: string, now: Date): Promise<JobOutcome> {
  const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
  const lights = await countLightsSince(trx, since);
  const overdueNotices = await countOverdueNotices(trx, shanghaiDate(now));
  if (lights.red + lights.yellow + lights.changed + overdueNotices === 0) return { summary: '无需摘要', counts: { people: 0 } };
  const fanout = await notifyOffice(ctx, trx, {
    kind: 'digest',
    title: `每日督查摘要（${day}）`,
    body: [
      `红灯事项 ${lights.red} 项，黄灯事项 ${lights.yellow} 项。`,
      `近 24 小时灯色变化 ${lights.changed} 项。`,
      `逾期未反馈的督办单 ${overdueNotices} 份。`,
    ].join('\n'),
    cause: `digest:${day}`,
    link: '/notices',
  });
  return { summary: `摘要发送 ${fanout.people} 人`, counts: { people: fanout.people } };
}
