import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ServiceContext } from '../services/context.js';

/**
 * A job that runs once per slot (a day, an hour) across every server of one database. Its run writes all its
 * effects in the transaction it is given, the same one in which the runner records the slot in `job_slots`: either
 * both are committed, once, or neither is and the slot runs again.
 */
export interface PeriodicJob {
  /** stable name, e.g. `reminders`; with the slot, the key of a run */
  name: string;
  /** what an operator reads in `luoshi jobs run`: 提醒催报 */
  label: string;
  /** The slot a moment falls in, e.g. `2026-12-01` for a job due daily at 08:00 Asia/Shanghai; undefined: not due yet. */
  slotOf(now: Date): string | undefined;
  /** Does the slot's work in the transaction, and says what it did in a line of Chinese and a few counts. */
  run(ctx: ServiceContext, trx: Transaction<Database>, slot: string, now: Date): Promise<JobOutcome>;
}

export interface JobOutcome {
  /** one line for operators, e.g. 生成提醒 12 条，通知 30 人 */
  summary: string;
  counts: Record<string, number>;
}

/**
 * Work that is not tied to a slot and may run any time, as often as asked (draining the outbox): it must be safe to
 * run concurrently on several servers, claiming what it works on with leases.
 */
export interface ContinuousJob {
  name: string;
  label: string;
  /** Does one round of work; `owner` names this process in leases. */
  run(ctx: ServiceContext, owner: string, now: Date): Promise<JobOutcome>;
}
