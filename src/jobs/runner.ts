import { findSlot } from '../db/repositories/jobs.js';
import type { ServiceContext } from '../services/context.js';
import { PERIODIC_QUEUE, type JobLogger, type JobQueue } from './queue.js';
import { runSlot } from './slot.js';
import type { ContinuousJob, PeriodicJob } from './types.js';

export { PERIODIC_QUEUE };

export interface JobRunnerOptions {
  /** the runner starts it, works its periodic jobs and stops it with itself */
  queue: JobQueue;
  jobs: readonly PeriodicJob[];
  continuous: readonly ContinuousJob[];
  /** how often it looks for due slots and does a round of the continuous jobs, in wall-clock milliseconds */
  tickMs: number;
  /** this process's name in the ledger and leases (processOwner()) */
  owner: string;
  log: JobLogger;
  /** longest stop() waits for the work in progress (default 30 s) */
  stopTimeoutMs?: number;
}

export interface JobRunner {
  /** Stops ticking and taking jobs, and waits (up to a timeout) for the work in progress; the queue stops too. */
  stop(): Promise<void>;
  /** Looks for due slots and does a round of the continuous jobs now, as a tick does (tests, drills). */
  tick(): Promise<void>;
}

/** The options of a periodic slot's job: once per key, retried with backoff, and counted as failed after 5 minutes. */
export const SLOT_SEND_OPTIONS = { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true, expireInSeconds: 300 } as const;

/**
 * Runs the jobs in this process. Every tick (the first at start) it reads luoshi's clock, and for each periodic job
 * whose slot at that moment is not in the ledger yet, it queues `{ job, slot }` under the singleton key `job:slot`:
 * each server does so, the key and the ledger make the slot run once. A slot missed while every server was down is
 * the current slot at start, not in the ledger, so it runs then. (pg-boss's cron is not used: it runs on the
 * database's time, and luoshi's clock may be a test's or a drill's — LUOSHI_CLOCK_FILE.) The queue's worker runs the
 * slot through runSlot. After each slot's run and on every tick, each continuous job does a round, at most one
 * round of a job at a time in this process. Runs are logged with their summary; errors are logged, never thrown.
 */
export async function startJobRunner(ctx: ServiceContext, options: JobRunnerOptions): Promise<JobRunner> {
  const { queue, log, owner } = options;
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  const inFlight = new Set<Promise<unknown>>();
  const roundsRunning = new Set<string>();
  let stopping = false;
  let ticking: Promise<void> | undefined;

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  const rounds = (): void => {
    for (const job of options.continuous) {
      if (stopping || roundsRunning.has(job.name)) continue;
      roundsRunning.add(job.name);
      void track(
        (async () => {
          try {
            const outcome = await job.run(ctx, owner, ctx.now());
            // a round that found nothing to do is not worth a line every minute
            if (Object.values(outcome.counts).some((count) => count > 0))
              log.info({ job: job.name, counts: outcome.counts, summary: outcome.summary }, `${job.label}：${outcome.summary}`);
          } catch (error) {
            log.error({ job: job.name, err: error }, `${job.label}：运行失败`);
          } finally {
            roundsRunning.delete(job.name);
          }
        })(),
      );
    }
  };

  const sendDueSlots = async (): Promise<void> => {
    const now = ctx.now();
    for (const job of options.jobs) {
      if (stopping) return;
      try {
        const slot = job.slotOf(now);
        if (slot === undefined || (await findSlot(ctx.db, job.name, slot))) continue;
        const id = await queue.send(PERIODIC_QUEUE, { job: job.name, slot }, { singletonKey: `${job.name}:${slot}`, ...SLOT_SEND_OPTIONS });
        if (id !== undefined) log.info({ job: job.name, slot, id }, `${job.label}：${slot} 已排队`);
      } catch (error) {
        log.error({ job: job.name, err: error }, `${job.label}：排队失败`);
      }
    }
  };

  const tick = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    ticking ??= track(
      (async () => {
        try {
          await sendDueSlots();
          rounds();
        } finally {
          ticking = undefined;
        }
      })(),
    );
    return ticking;
  };

  await queue.start();
  try {
    await queue.work(PERIODIC_QUEUE, (queued) =>
      track(
        (async () => {
          const { job: name, slot } = (queued.data ?? {}) as { job?: unknown; slot?: unknown };
          const job = typeof name === 'string' ? byName.get(name) : undefined;
          if (!job || typeof slot !== 'string') {
            // a job of another version of luoshi, or not in this one's catalogue: nothing to retry
            log.warn({ data: queued.data, id: queued.id }, 'periodic job unknown here, dropped');
            return;
          }
          try {
            const run = await runSlot(ctx, job, slot, ctx.now(), owner);
            if (run.skipped) log.info({ job: job.name, slot }, `${job.label}：${slot} 已运行过，跳过`);
            else
              log.info(
                { job: job.name, slot, counts: run.outcome.counts, summary: run.outcome.summary },
                `${job.label}：${slot} 已运行：${run.outcome.summary}`,
              );
          } catch (error) {
            log.error({ job: job.name, slot, err: error }, `${job.label}：${slot} 运行失败，稍后重试`);
            // the queue retries it
            throw error;
          }
          rounds();
        })(),
      ),
    );
  } catch (error) {
    await queue.stop();
    throw error;
  }

  const timer = setInterval(() => void tick(), options.tickMs);
  void tick();

  let stopped: Promise<void> | undefined;
  return {
    tick,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearInterval(timer);
        // the queue waits for the slots being run and takes no more; then the rounds and ticks under way end, all
        // within one timeout
        const timeoutMs = options.stopTimeoutMs ?? 30_000;
        let timeout: NodeJS.Timeout | undefined;
        const drained = (async () => {
          await queue.stop();
          while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        })();
        const late = await Promise.race([
          drained.then(() => false),
          new Promise<boolean>((resolve) => {
            timeout = setTimeout(() => resolve(true), timeoutMs);
          }),
        ]);
        clearTimeout(timeout);
        if (late) log.warn({ running: inFlight.size }, 'job runner stopped with work still running');
      })()),
  };
}
