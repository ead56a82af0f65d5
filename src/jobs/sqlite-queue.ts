import {
  deleteFinishedQueuedJobs,
  findDueQueuedJob,
  findExpiredQueuedJobs,
  finishQueuedJobAttempt,
  insertQueuedJob,
  markQueuedJobActive,
  type QueuedJob,
} from '../db/repositories/jobs.js';
import type { Db } from '../db/schema.js';
import { SEND_DEFAULTS, type JobHandler, type JobLogger, type JobQueue, type SendOptions } from './queue.js';

export interface SqliteJobQueueOptions {
  db: Db;
  /** luoshi's clock: start times, leases and retries are reckoned in it, so a test's fake clock moves them */
  now: () => Date;
  /** how often the queue looks for due and expired jobs, in wall-clock milliseconds */
  pollMs: number;
  log: JobLogger;
  /** longest stop() waits for running handlers (default 25 s, within the runner's 30) */
  stopTimeoutMs?: number;
  /** how long completed and failed jobs are kept (default 7 days) */
  keepFinishedMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The queue on SQLite: one luoshi process per database file by design, so the runner is in that process and the
 * `jobs` table makes the queue durable. Each poll first puts back the running jobs whose lease ran out (a killed
 * process's, or a hung handler's: retried at once, or failed after its retries), then claims and runs the due jobs of each
 * name one at a time. A claim is a transaction of its own (find the next due job, mark it active until now + its
 * expiry); SQLite's single writer makes it atomic.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Set<Promise<void>>();
  /** the names whose job is running in this process */ private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private started = false;
  private stopping = false;
  private lastCleanup = 0;

  constructor(private readonly options: SqliteJobQueueOptions) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.poll(), this.options.pollMs);
    this.poll();
  }

  /** Called again, it waits again for what is still running. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const settled = (async () => {
      // a poll under way may still start an attempt; then the attempts end
      await this.polling;
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
    })();
    const timeoutMs = this.options.stopTimeoutMs ?? 25_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      settled.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) this.options.log.warn({ running: this.running.size }, 'job queue stopped with handlers still running');
  }

  async send(name: string, data: unknown, options: SendOptions = {}): Promise<string | undefined> {
    const now = this.options.now().getTime();
    const id = await insertQueuedJob(this.options.db, {
      name,
      singletonKey: options.singletonKey ?? null,
      data: JSON.stringify(data ?? null),
      startAfter: iso(now + (options.startAfterSeconds ?? 0) * 1000),
      retryLimit: options.retryLimit ?? SEND_DEFAULTS.retryLimit,
      retryDelaySeconds: options.retryDelaySeconds ?? SEND_DEFAULTS.retryDelaySeconds,
      retryBackoff: options.retryBackoff ?? SEND_DEFAULTS.retryBackoff,
      expireSeconds: options.expireInSeconds ?? SEND_DEFAULTS.expireInSeconds,
      createdAt: iso(now),
    });
    // a job due now need not wait for the next poll, a tick away
    if (id !== undefined && this.started && !this.stopping) setImmediate(() => this.poll());
    return id === undefined ? undefined : String(id);
  }

  async work(name: string, handler: JobHandler): Promise<void> {
    if (this.handlers.has(name)) throw new Error(`jobs named ${name} already have a handler`);
    this.handlers.set(name, handler);
  }

  /** One poll at a time: a poll still running when the next is due lets it pass. */
  private poll(): void {
    if (this.polling || this.stopping) return;
    this.polling = this.pollOnce()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'job queue poll failed'))
      .finally(() => {
        this.polling = undefined;
      });
  }

  private async pollOnce(): Promise<void> {
    await this.expireLeases();
    await this.cleanUp();
    for (const [name, handler] of this.handlers) {
      // one job of a name at a time: its handler runs in the background while the next names are claimed
      if (this.stopping) return;
      if (this.busy.has(name)) continue;
      const job = await this.claim(name);
      if (!job) continue;
      this.busy.add(name);
      const attempt = this.runAttempt(job, handler).finally(() => {
        this.busy.delete(name);
        this.running.delete(attempt);
        // the next job of this name need not wait for the next tick
        if (!this.stopping) this.poll();
      });
      this.running.add(attempt);
    }
  }

  private readonly busy = new Set<string>();

  private async claim(name: string): Promise<QueuedJob | undefined> {
    return this.options.db.transaction().execute(async (trx) => {
      const now = this.options.now().getTime();
      const job = await findDueQueuedJob(trx, name, iso(now));
      if (!job) return undefined;
      if (!(await markQueuedJobActive(trx, job.id, iso(now + job.expire_seconds * 1000)))) return undefined;
      return { ...job, state: 'active' as const, attempts: job.attempts + 1 };
    });
  }

  private async runAttempt(job: QueuedJob, handler: JobHandler): Promise<void> {
    try {
      await handler({ id: String(job.id), name: job.name, data: JSON.parse(job.data) as unknown });
    } catch (error) {
      await this.retryOrFail(job, job.attempts, error);
      return;
    }
    try {
      await finishQueuedJobAttempt(this.options.db, job.id, job.attempts, { state: 'completed', at: this.options.now().toISOString() });
    } catch (error) {
      this.options.log.error({ err: error, job: job.name, id: job.id }, 'could not mark a job completed');
    }
  }

  /**
   * A failed attempt: retried after its delay (doubled with each retry under backoff), or failed after the last. An
   * attempt whose lease ran out has waited its expiry already: it is retried at once.
   */
  private async retryOrFail(job: QueuedJob, attempt: number, error: unknown, options: { expired?: boolean } = {}): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const now = this.options.now().getTime();
    const finished =
      attempt > job.retry_limit
        ? await finishQueuedJobAttempt(this.options.db, job.id, attempt, { state: 'failed', at: iso(now), error: message })
        : await finishQueuedJobAttempt(this.options.db, job.id, attempt, {
            state: 'created',
            startAfter: iso(options.expired ? now : now + retryDelayMs(job, attempt)),
            error: message,
          });
    if (finished) {
      const failed = attempt > job.retry_limit;
      this.options.log[failed ? 'error' : 'warn'](
        { job: job.name, id: job.id, attempt, err: error },
        failed ? 'job failed after its last retry' : 'job attempt failed, will retry',
      );
    }
  }

  private async expireLeases(): Promise<void> {
    const now = this.options.now().toISOString();
    for (const job of await findExpiredQueuedJobs(this.options.db, now)) {
      await this.retryOrFail(job, job.attempts, new Error(`lease expired after ${job.expire_seconds} s`), { expired: true });
    }
  }

  private async cleanUp(): Promise<void> {
    const now = this.options.now().getTime();
    if (Math.abs(now - this.lastCleanup) < 3_600_000) return;
    this.lastCleanup = now;
    await deleteFinishedQueuedJobs(this.options.db, iso(now - (this.options.keepFinishedMs ?? 7 * 86_400_000)));
  }
}

/** The wait before retry number `attempt` (1 after the first attempt): the delay, doubled each time with backoff. */
export function retryDelayMs(job: Pick<QueuedJob, 'retry_delay_seconds' | 'retry_backoff'>, attempt: number): number {
  const base = job.retry_delay_seconds * 1000;
  if (!job.retry_backoff) return base;
  return Math.max(base, 1000) * 2 ** Math.min(attempt - 1, 20);
}
