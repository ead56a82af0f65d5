import { deliverDue } from '../services/notifications.js';
import { dailySlot, raiseRuleNotices, recordLights, sendDigest, sendReminders } from '../services/supervision-jobs.js';
import type { ContinuousJob, PeriodicJob } from './types.js';

/** A job that runs once a day from `hour` o'clock Asia/Shanghai, its slot the day. */
function daily(name: string, label: string, hour: number, run: PeriodicJob['run']): PeriodicJob {
  return { name, label, slotOf: (now) => dailySlot(now, hour), run };
}

/**
 * The jobs luoshi runs, in the order a slot's jobs run when several fall due at once: the lights first (the notices
 * and the digest read them), the reminders before the working day begins.
 */
export const PERIODIC_JOBS: readonly PeriodicJob[] = [
  daily('lights', '预警灯色', 0, (ctx, trx, _slot, now) => recordLights(ctx, trx, now)),
  daily('notices', '自动督办单', 7, (ctx, trx, _slot, now) => raiseRuleNotices(ctx, trx, now)),
  daily('reminders', '报送提醒', 8, (ctx, trx, slot, now) => sendReminders(ctx, trx, slot, now)),
  daily('digest', '督查摘要', 8, (ctx, trx, slot, now) => sendDigest(ctx, trx, slot, now)),
];

/** The jobs every runner does a round of on each tick and after each slot's run. */
export const CONTINUOUS_JOBS: readonly ContinuousJob[] = [
  { name: 'deliveries', label: '发送邮件和推送', run: (ctx, owner) => deliverDue(ctx, owner) },
];
