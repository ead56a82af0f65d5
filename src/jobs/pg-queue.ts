import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { SEND_DEFAULTS, type JobHandler, type JobLogger, type JobQueue, type SendOptions } from './queue.js';

export interface PgJobQueueOptions {
  connectionString: string;
  /** pg-boss's own schema (created on start), beside luoshi's tables */
  bossSchema: string;
  /** how often each worker asks for a job, in seconds (pg-boss's minimum: 0.5) */
  pollingIntervalSeconds: number;
  log: JobLogger;
  /** connections of pg-boss's own pool (default 2) */
  poolSize?: number;
  /** longest stop() waits for running handlers before pg-boss fails them back to retry (default 25 s, within the runner's 30) */
  stopTimeoutMs?: number;
  /**
   * pg-boss's policy for each queue it creates, by name; `stately` for the others: per singleton key, at most one job
   * waiting and one running, so a second send while one waits is refused and a key's jobs never run side by side.
   */
  policies?: Readonly<Record<string, PgQueuePolicy>>;
}

/** short: per key one job waiting, any running; stately: one waiting and one running; singleton: one running, any waiting */
export type PgQueuePolicy = 'short' | 'stately' | 'singleton';

const UNKEYED_PREFIX = 'unkeyed:';

/**
 * The queue on PostgreSQL: pg-boss 10, so that several luoshi processes on one database share it. pg-boss hands a job
 * to one worker at a time (SKIP LOCKED), retries a job whose handler threw, and counts a job whose attempt ran past
 * `expireInSeconds` as failed — retried like one that threw — on its maintenance, every two minutes, in whichever
 * process runs it then: so a killed process's jobs are picked up by the others. Its cron (`schedule`) is off: the job
 * runner sends periodic jobs itself, on luoshi's clock (see src/jobs/runner.ts).
 */
export class PgJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly queues = new Map<string, Promise<void>>();
  private started: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: PgJobQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.bossSchema,
      max: options.poolSize ?? 2,
      application_name: 'luoshi-jobs',
      schedule: false,
      supervise: true,
      migrate: true,
    });
    // pg-boss reports failed maintenance and polling as events; unheard, an error event would end the process
    this.boss.on('error', (error) => options.log.error({ err: error }, 'job queue (pg-boss) error'));
  }

  start(): Promise<void> {
    this.started ??= this.boss.start().then(() => undefined);
    return this.started;
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      if (!this.started) return;
      await this.started.catch(() => undefined);
      await this.boss.stop({ graceful: true, wait: true, close: true, timeout: this.options.stopTimeoutMs ?? 25_000 });
    })();
    return this.stopped;
  }

  async send(name: string, data: unknown, options: SendOptions = {}): Promise<string | undefined> {
    await this.queue(name);
    const id = await this.boss.send(name, (data ?? {}) as object, {
      // under pg-boss's short, stately and singleton policies, jobs without a key share the empty one: one at a time in the
      // whole queue. A key of its own for each keyless job keeps the meaning of the SQLite queue (and of
      // SendOptions): only jobs given the same key exclude each other.
      singletonKey: options.singletonKey ?? `${UNKEYED_PREFIX}${randomUUID()}`,
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      retryLimit: options.retryLimit ?? SEND_DEFAULTS.retryLimit,
      retryDelay: options.retryDelaySeconds ?? SEND_DEFAULTS.retryDelaySeconds,
      retryBackoff: options.retryBackoff ?? SEND_DEFAULTS.retryBackoff,
      expireInSeconds: options.expireInSeconds ?? SEND_DEFAULTS.expireInSeconds,
    });
    return id ?? undefined;
  }

  async work(name: string, handler: JobHandler): Promise<void> {
    await this.queue(name);
    await this.boss.work(name, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds }, async (jobs) => {
      for (const job of jobs) await handler({ id: job.id, name: job.name, data: job.data });
    });
  }

  /** pg-boss 10 wants a queue created before its first send or worker; creating one that exists changes nothing. */
  private queue(name: string): Promise<void> {
    let created = this.queues.get(name);
    if (!created) {
      created = this.start().then(() => this.boss.createQueue(name, { name, policy: this.options.policies?.[name] ?? 'stately' }));
      created.catch(() => this.queues.delete(name));
      this.queues.set(name, created);
    }
    return created;
  }
}
