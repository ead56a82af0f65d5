import type { ServiceContext } from '../services/context.js';
import { runSlot } from './slot.js';
import type { ContinuousJob, PeriodicJob } from './types.js';

export interface DueRun {
  job: string;
  label: string;
  /** the periodic job's slot at that moment; undefined for a continuous job, and for a periodic one not yet due */
  slot?: string;
  /** not_due: the periodic job has no slot at that moment */
  status: 'ran' | 'skipped' | 'failed' | 'not_due';
  summary: string;
}

export interface RunDueOptions {
  jobs: readonly PeriodicJob[];
  continuous: readonly ContinuousJob[];
  now: Date;
  owner: string;
}

/**
 * Runs once whatever is due at `now` and returns what happened, for `luoshi jobs run`: each periodic job's slot at
 * that moment, through the ledger (so it runs once, whoever else runs it), then one round of each continuous job.
 * No queue: it works the same on SQLite and PostgreSQL, beside running servers. A job that fails does not stop the
 * others.
 */
export async function runDueOnce(ctx: ServiceContext, options: RunDueOptions): Promise<DueRun[]> {
  const lines: DueRun[] = [];
  for (const job of options.jobs) {
    const slot = job.slotOf(options.now);
    if (slot === undefined) {
      lines.push({ job: job.name, label: job.label, status: 'not_due', summary: '' });
      continue;
    }
    try {
      const run = await runSlot(ctx, job, slot, options.now, options.owner);
      lines.push(
        run.skipped
          ? { job: job.name, label: job.label, slot, status: 'skipped', summary: '' }
          : { job: job.name, label: job.label, slot, status: 'ran', summary: run.outcome.summary },
      );
    } catch (error) {
      lines.push({ job: job.name, label: job.label, slot, status: 'failed', summary: messageOf(error) });
    }
  }
  for (const job of options.continuous) {
    try {
      const outcome = await job.run(ctx, options.owner, options.now);
      lines.push({ job: job.name, label: job.label, status: 'ran', summary: outcome.summary });
    } catch (error) {
      lines.push({ job: job.name, label: job.label, status: 'failed', summary: messageOf(error) });
    }
  }
  return lines;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
