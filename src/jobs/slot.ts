import { hostname } from 'node:os';
import { isUniqueViolation } from '../db/connect.js';
import { claimSlot, listRecentSlots, recordSlotResult } from '../db/repositories/jobs.js';
import type { ServiceContext } from '../services/context.js';
import type { JobOutcome, PeriodicJob } from './types.js';

/** The name of this process in the ledger and in leases: `host:pid`. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

export type SlotRun = { skipped: true } | { skipped: false; outcome: JobOutcome };

/**
 * Runs a periodic job's slot unless it has run, anywhere: one transaction records the slot in `job_slots` (insert,
 * doing nothing if the key is there), does the job's work and writes what it did into the row. A second runner of
 * the same slot waits on the key until the first commits, then inserts nothing and skips; a run that throws, or a
 * process that dies before the commit, leaves no row, so the slot runs again.
 *
 * On SQLite the transaction is a member of a group commit (src/db/group-commit.ts): members run one after another on
 * the one write connection, so a second runner sees the first one's row even before their group's COMMIT, and a
 * member that throws is undone alone. The job must therefore do all its writes through `trx`: a write through
 * `ctx.db` inside run() would wait for the write connection this transaction holds.
 */
export async function runSlot(ctx: ServiceContext, job: PeriodicJob, slot: string, now: Date, owner: string): Promise<SlotRun> {
  let claiming = false;
  try {
    return await ctx.db.transaction().execute(async (trx): Promise<SlotRun> => {
      claiming = true;
      const claimed = await claimSlot(trx, { job: job.name, slot, ranAt: now.toISOString(), ranBy: owner });
      claiming = false;
      if (!claimed) return { skipped: true };
      const outcome = await job.run(ctx, trx, slot, now);
      await recordSlotResult(trx, job.name, slot, JSON.stringify({ summary: outcome.summary, counts: outcome.counts }));
      return { skipped: false, outcome };
    });
  } catch (error) {
    // ON CONFLICT DO NOTHING waits and does nothing; should a concurrent claim still collide, the slot is taken
    if (claiming && isUniqueViolation(error)) return { skipped: true };
    throw error;
  }
}

/** What `job_slots.result` holds, read back; an unreadable one as an empty outcome. */
export function parseSlotResult(result: string): JobOutcome {
  try {
    const parsed = JSON.parse(result) as Partial<JobOutcome>;
    return { summary: typeof parsed.summary === 'string' ? parsed.summary : '', counts: parsed.counts ?? {} };
  } catch {
    return { summary: '', counts: {} };
  }
}

export interface SlotRecord {
  job: string;
  slot: string;
  ranAt: string;
  ranBy: string;
  outcome: JobOutcome;
}

/** The ledger's most recent runs, newest first: `luoshi jobs list`. */
export async function recentSlotRuns(ctx: ServiceContext, limit: number): Promise<SlotRecord[]> {
  const rows = await listRecentSlots(ctx.db, limit);
  return rows.map((row) => ({ job: row.job, slot: row.slot, ranAt: row.ran_at, ranBy: row.ran_by, outcome: parseSlotResult(row.result) }));
}
