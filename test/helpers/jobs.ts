import { appendAuditEvent } from '../../src/db/repositories/audit.js';
import type { Executor } from '../../src/db/schema.js';
import type { JobLogger } from '../../src/jobs/queue.js';
import type { ContinuousJob, PeriodicJob } from '../../src/jobs/types.js';

/** The audit action the test jobs write: one event per run, its object the slot. */
export const TALLY_ACTION = 'test.job_ran';

/**
 * A periodic job for tests: daily slots (the UTC date of the moment), each run writing one audit event in the run's
 * transaction, so that counting the events of a slot counts its committed runs. `before` runs inside the
 * transaction after the event is written (make it wait, or throw).
 */
export function tallyJob(options: { name?: string; before?: (slot: string) => Promise<void> | void } = {}): PeriodicJob {
  const name = options.name ?? 'test_tally';
  return {
    name,
    label: '测试任务',
    slotOf: (now) => now.toISOString().slice(0, 10),
    run: async (_ctx, trx, slot, now) => {
      await appendAuditEvent(
        trx,
        { actor: 'system', source: 'test', action: TALLY_ACTION, objectType: name, objectId: slot },
        now.toISOString(),
      );
      await options.before?.(slot);
      return { summary: '记下 1 条', counts: { events: 1 } };
    },
  };
}

/** How many committed runs a slot of a tally job had. */
export async function runsOf(db: Executor, slot: string, name = 'test_tally'): Promise<number> {
  const rows = await db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', TALLY_ACTION)
    .where('object_type', '=', name)
    .where('object_id', '=', slot)
    .execute();
  return rows.length;
}

/** A continuous job for tests that counts its rounds. */
export function countingJob(): ContinuousJob & { rounds: number } {
  const job = {
    name: 'test_rounds',
    label: '测试轮次',
    rounds: 0,
    run: async () => {
      job.rounds += 1;
      return { summary: `第 ${job.rounds} 轮`, counts: { rounds: 1 } };
    },
  };
  return job;
}

/** A logger that keeps what it is told, for assertions; errors are kept apart. */
export function memoryLogger(): JobLogger & { lines: { level: string; object: object; message?: string }[] } {
  const lines: { level: string; object: object; message?: string }[] = [];
  const at = (level: string) => (object: object, message?: string) => void lines.push({ level, object, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
