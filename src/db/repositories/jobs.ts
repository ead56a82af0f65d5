import type { Selectable } from 'kysely';
import type { Executor, JobSlotTable, JobTable } from '../schema.js';

// ---- job_slots: the ledger of periodic jobs, one row per job and slot that ran ----

export interface SlotClaim {
  job: string;
  slot: string;
  ranAt: string;
  ranBy: string;
}

/**
 * Records a slot as run, unless it already is: true when this call inserted the row. Inside the transaction of the
 * slot's work, a concurrent claim of the same slot waits on the key until this one commits or rolls back, then
 * inserts nothing (committed) or its own row (rolled back).
 */
export async function claimSlot(db: Executor, claim: SlotClaim): Promise<boolean> {
  const result = await db
    .insertInto('job_slots')
    .values({ job: claim.job, slot: claim.slot, ran_at: claim.ranAt, ran_by: claim.ranBy, result: '{}' })
    .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** What a claimed slot's run did, JSON, written in the same transaction as the claim. */
export async function recordSlotResult(db: Executor, job: string, slot: string, result: string): Promise<void> {
  await db.updateTable('job_slots').set({ result }).where('job', '=', job).where('slot', '=', slot).execute();
}

export async function findSlot(db: Executor, job: string, slot: string): Promise<Selectable<JobSlotTable> | undefined> {
  return db.selectFrom('job_slots').selectAll().where('job', '=', job).where('slot', '=', slot).executeTakeFirst();
}

/** The most recent runs, newest first. */
export async function listRecentSlots(db: Executor, limit: number): Promise<Selectable<JobSlotTable>[]> {
  return db.selectFrom('job_slots').selectAll().orderBy('ran_at', 'desc').orderBy('job').limit(limit).execute();
}

// ---- jobs: the queue of the in-process runner on SQLite ----

export type QueuedJob = Selectable<JobTable>;

export interface NewQueuedJob {
  name: string;
  singletonKey: string | null;
  data: string;
  startAfter: string;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireSeconds: number;
  createdAt: string;
}

/**
 * Queues a job: its id, or undefined when a job of the same name and singleton key is already waiting or running
 * (the partial unique index jobs_singleton_idx).
 */
export async function insertQueuedJob(db: Executor, job: NewQueuedJob): Promise<number | undefined> {
  const row = await db
    .insertInto('jobs')
    .values({
      name: job.name,
      singleton_key: job.singletonKey,
      data: job.data,
      state: 'created',
      start_after: job.startAfter,
      retry_limit: job.retryLimit,
      retry_delay_seconds: job.retryDelaySeconds,
      retry_backoff: job.retryBackoff ? 1 : 0,
      expire_seconds: job.expireSeconds,
      created_at: job.createdAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The next job of a name that may start at `now`: the earliest due first. */
export async function findDueQueuedJob(db: Executor, name: string, now: string): Promise<QueuedJob | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('name', '=', name)
    .where('state', '=', 'created')
    .where('start_after', '<=', now)
    .orderBy('start_after')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Marks a waiting job as running until `lockedUntil`, counting the attempt: false if it was no longer waiting. */
export async function markQueuedJobActive(db: Executor, id: number, lockedUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({ state: 'active', locked_until: lockedUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', 'created')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Running jobs whose lease ran out before `now`: their runner died or hangs. */
export async function findExpiredQueuedJobs(db: Executor, now: string): Promise<QueuedJob[]> {
  return db.selectFrom('jobs').selectAll().where('state', '=', 'active').where('locked_until', '<', now).orderBy('id').execute();
}

/**
 * Ends an attempt: `completed`, or back to `created` to start after `startAfter`, or `failed`. Only the attempt that
 * holds the job (`attempts` as it claimed it, still active) can end it: a late end of an expired attempt changes
 * nothing.
 */
export async function finishQueuedJobAttempt(
  db: Executor,
  id: number,
  attempt: number,
  outcome:
    | { state: 'completed'; at: string }
    | { state: 'created'; startAfter: string; error: string }
    | { state: 'failed'; at: string; error: string },
): Promise<boolean> {
  const set =
    outcome.state === 'completed'
      ? { state: 'completed' as const, locked_until: null, completed_at: outcome.at }
      : outcome.state === 'created'
        ? { state: 'created' as const, locked_until: null, start_after: outcome.startAfter, last_error: outcome.error }
        : { state: 'failed' as const, locked_until: null, completed_at: outcome.at, last_error: outcome.error };
  const result = await db
    .updateTable('jobs')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', 'active')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findQueuedJob(db: Executor, id: number): Promise<QueuedJob | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listQueuedJobs(db: Executor, name: string): Promise<QueuedJob[]> {
  return db.selectFrom('jobs').selectAll().where('name', '=', name).orderBy('id').execute();
}

/** Forgets completed and failed jobs that ended before `before`: the queue keeps a week of history, not all of it. */
export async function deleteFinishedQueuedJobs(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('state', 'in', ['completed', 'failed'])
    .where('completed_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
