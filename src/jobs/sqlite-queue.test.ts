import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { memoryLogger } from '../../test/helpers/jobs.js';
import { findQueuedJob, listQueuedJobs } from '../db/repositories/jobs.js';
import { retryDelayMs, SqliteJobQueue } from './sqlite-queue.js';

describe('the SQLite job queue', () => {
  let database: TestDatabase;
  let now: Date;
  const queues: SqliteJobQueue[] = [];
  const queue = (options: { stopTimeoutMs?: number } = {}) => {
    const created = new SqliteJobQueue({ db: database.db, now: () => now, pollMs: 50, log: memoryLogger(), ...options });
    queues.push(created);
    return created;
  };
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  /** Returns once the queue has polled since the call: a probe job sent now has been handled. */
  const polled = async (jobs: SqliteJobQueue) => {
    const id = Number(await jobs.send('probe', {}));
    await vi.waitFor(async () => expect((await findQueuedJob(database.db, id))?.state).toBe('completed'));
  };
  const withProbe = async (jobs: SqliteJobQueue) => {
    await jobs.work('probe', async () => {});
    return jobs;
  };

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    now = new Date('2026-06-27T01:00:00Z');
  });
  afterEach(async () => {
    for (const created of queues.splice(0)) await created.stop();
    await database.destroy();
  });

  it('hands each sent job to its worker once, with its data, and marks it completed', async () => {
    const jobs = queue();
    const seen: unknown[] = [];
    await jobs.work('echo', async (job) => {
      seen.push(job.data);
    });
    await jobs.start();
    for (const n of [1, 2, 3]) await jobs.send('echo', { n });
    await vi.waitFor(async () =>
      expect((await listQueuedJobs(database.db, 'echo')).map((job) => job.state)).toEqual(['completed', 'completed', 'completed']),
    );
    expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('starts a job no sooner than its start time, on the queue’s clock', async () => {
    const jobs = queue();
    const seen: string[] = [];
    await jobs.work('later', async (job) => void seen.push(job.id));
    await withProbe(jobs);
    await jobs.start();
    const id = await jobs.send('later', {}, { startAfterSeconds: 60 });
    advance(59);
    await polled(jobs);
    expect(seen).toEqual([]);
    advance(1);
    await vi.waitFor(() => expect(seen).toEqual([id]));
  });

  it('refuses a second job with the same singleton key while the first waits or runs, and takes one after', async () => {
    const jobs = queue();
    const first = await jobs.send('slot', { a: 1 }, { singletonKey: 'reminders:2026-06-27' });
    expect(first).toBeDefined();
    expect(await jobs.send('slot', { a: 2 }, { singletonKey: 'reminders:2026-06-27' })).toBeUndefined();
    // another key, or another name, is another job
    expect(await jobs.send('slot', { a: 3 }, { singletonKey: 'reminders:2026-06-28' })).toBeDefined();
    expect(await jobs.send('other', { a: 4 }, { singletonKey: 'reminders:2026-06-27' })).toBeDefined();
    await jobs.work('slot', async () => {});
    await jobs.start();
    await vi.waitFor(async () => expect((await findQueuedJob(database.db, Number(first)))?.state).toBe('completed'));
    expect(await jobs.send('slot', { a: 5 }, { singletonKey: 'reminders:2026-06-27' })).toBeDefined();
  });

  it('retries a failing job after a delay that doubles, then marks it failed after its last retry', async () => {
    const jobs = queue();
    let attempts = 0;
    await jobs.work('flaky', async () => {
      attempts += 1;
      throw new Error(`attempt ${attempts}`);
    });
    await withProbe(jobs);
    const id = Number(await jobs.send('flaky', {}, { retryLimit: 2, retryDelaySeconds: 10, retryBackoff: true }));
    await jobs.start();
    const row = () => findQueuedJob(database.db, id);
    await vi.waitFor(async () => expect(await row()).toMatchObject({ state: 'created', attempts: 1, last_error: 'attempt 1' }));
    expect((await row())?.start_after).toBe(new Date(now.getTime() + 10_000).toISOString());
    advance(9);
    // not yet due: the clock decides, not the polls
    await polled(jobs);
    expect(attempts).toBe(1);
    advance(1);
    await vi.waitFor(async () => expect(await row()).toMatchObject({ state: 'created', attempts: 2, last_error: 'attempt 2' }));
    expect((await row())?.start_after).toBe(new Date(now.getTime() + 20_000).toISOString());
    advance(20);
    await vi.waitFor(async () => expect(await row()).toMatchObject({ state: 'failed', attempts: 3, last_error: 'attempt 3' }));
    advance(3600);
    await polled(jobs);
    expect(attempts).toBe(3);
  });

  it('retries a job whose lease ran out (its process died), and ignores the late end of the expired attempt', async () => {
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const dying = queue({ stopTimeoutMs: 50 });
    await dying.work('lease', () => hung);
    const id = Number(await dying.send('lease', { x: 1 }, { expireInSeconds: 60 }));
    await dying.start();
    await vi.waitFor(async () => expect(await findQueuedJob(database.db, id)).toMatchObject({ state: 'active', attempts: 1 }));
    // the process is gone: its queue polls no more, the job stays active until its lease runs out
    await dying.stop();
    const restarted = queue();
    const seen: unknown[] = [];
    await restarted.work('lease', async (job) => void seen.push(job.data));
    await withProbe(restarted);
    await restarted.start();
    advance(59);
    await polled(restarted);
    expect(seen).toEqual([]);
    advance(2);
    await vi.waitFor(async () => expect(await findQueuedJob(database.db, id)).toMatchObject({ state: 'completed', attempts: 2 }));
    expect(seen).toEqual([{ x: 1 }]);
    release();
    await hung;
    await dying.stop();
    expect(await findQueuedJob(database.db, id)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('waits, with backoff, at least a second between retries, doubling each time', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs({ retry_delay_seconds: 0, retry_backoff: 1 }, attempt))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect([1, 2, 3].map((attempt) => retryDelayMs({ retry_delay_seconds: 5, retry_backoff: 0 }, attempt))).toEqual([5000, 5000, 5000]);
  });
});
