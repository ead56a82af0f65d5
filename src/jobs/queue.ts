import type { Config } from '../config.js';
import type { DialectName } from '../db/connect.js';
import type { Db } from '../db/schema.js';

/**
 * A durable queue of jobs: pg-boss on PostgreSQL (src/jobs/pg-queue.ts), an in-process runner over the `jobs` table
 * on SQLite (src/jobs/sqlite-queue.ts). Both hand each job to one worker at a time, retry a job whose handler threw
 * or whose lease (`expireInSeconds`) ran out, and refuse a second job with the same singleton key while one is
 * waiting. A handler may still run twice for one job (a lease that ran out while the handler was slow, a process
 * killed after the work committed): what must happen once is made so by the handler, as the periodic jobs' ledger
 * does (src/jobs/slot.ts).
 */
export interface JobQueue {
  start(): Promise<void>;
  /** Stops taking jobs and waits (up to a timeout) for the handlers running; afterwards nothing of the queue runs. */
  stop(): Promise<void>;
  /** Queues a job: its id, or undefined when the singleton key refused it. */
  send(name: string, data: unknown, options?: SendOptions): Promise<string | undefined>;
  /** Handles the jobs of a name, one at a time in this process; a handler that throws fails the attempt. */
  work(name: string, handler: JobHandler): Promise<void>;
}

export interface SendOptions {
  /** while a job with this key (and name) waits, another is refused */
  singletonKey?: string;
  startAfterSeconds?: number;
  /** attempts after the first (default 2) */
  retryLimit?: number;
  /** before the first retry (default 0, with backoff 1) */
  retryDelaySeconds?: number;
  /** double the delay with each retry */
  retryBackoff?: boolean;
  /** longest an attempt may run before it is counted as failed and retried (default 900) */
  expireInSeconds?: number;
}

export interface QueuedJobView {
  id: string;
  name: string;
  data: unknown;
}

export type JobHandler = (job: QueuedJobView) => Promise<void>;

/** pino's shape, as far as the jobs use it */
export interface JobLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** The queue's name for periodic jobs' slots; a job's data is `{ job, slot }`. */
export const PERIODIC_QUEUE = 'periodic';

export const SEND_DEFAULTS = { retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 900 } as const;

export interface OpenQueueOptions {
  db: Db;
  dialect: DialectName;
  config: Pick<Config, 'databaseUrl' | 'jobsSchema' | 'jobsTickMs'>;
  now: () => Date;
  log: JobLogger;
  /** SQLite: how often the queue looks for due jobs (default: the configured tick); PostgreSQL: pg-boss polls at this, within 0.5–2 s */
  pollMs?: number;
  /** PostgreSQL: pg-boss's schema, instead of the configured one (tests give each database its own) */
  bossSchema?: string;
}

/** The queue of a database's dialect; pg-boss loads only on PostgreSQL. */
export async function openJobQueue(options: OpenQueueOptions): Promise<JobQueue> {
  const pollMs = options.pollMs ?? options.config.jobsTickMs;
  if (options.dialect === 'postgres') {
    const { PgJobQueue } = await import('./pg-queue.js');
    return new PgJobQueue({
      connectionString: options.config.databaseUrl,
      bossSchema: options.bossSchema ?? options.config.jobsSchema,
      // pg-boss has each worker ask for a job every so often, whatever the tick: a slot sent by any server is taken
      // within two seconds
      pollingIntervalSeconds: Math.min(2, Math.max(0.5, pollMs / 1000)),
      log: options.log,
      // A slot's job waits once per key but may be taken while another of its key still counts as running: when a
      // process dies mid-slot, pg-boss holds its job active until it expires (expireInSeconds, then maintenance),
      // while the next tick of any other server sends the slot again and runs it at once. The ledger, not the
      // queue, makes it run once (src/jobs/slot.ts).
      policies: { [PERIODIC_QUEUE]: 'short' },
    });
  }
  const { SqliteJobQueue } = await import('./sqlite-queue.js');
  return new SqliteJobQueue({ db: options.db, now: options.now, pollMs, log: options.log });
}
