import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_POSTGRES_URL } from '../../test/helpers/database.js';
import { memoryLogger } from '../../test/helpers/jobs.js';
import { PgJobQueue } from './pg-queue.js';

describe.skipIf(!TEST_POSTGRES_URL)('the PostgreSQL job queue (pg-boss)', () => {
  // pg-boss's own schema, one for this file, dropped afterwards
  const schema = `t_jobs_${randomBytes(6).toString('hex')}`;
  const queues: PgJobQueue[] = [];
  const queue = () => {
    const created = new PgJobQueue({
      connectionString: TEST_POSTGRES_URL!,
      bossSchema: schema,
      pollingIntervalSeconds: 0.5,
      log: memoryLogger(),
      stopTimeoutMs: 2000,
    });
    queues.push(created);
    return created;
  };

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((created) => created.stop()));
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('hands each of many jobs to exactly one of two servers’ workers', async () => {
    const [a, b] = [queue(), queue()];
    await Promise.all([a.start(), b.start()]);
    const handled: { n: number; by: string }[] = [];
    const worker = (by: string) => async (job: { data: unknown }) => {
      handled.push({ n: (job.data as { n: number }).n, by });
    };
    await a.work('many', worker('a'));
    await b.work('many', worker('b'));
    const sent = Array.from({ length: 20 }, (_, n) => n);
    for (const n of sent) await (n % 2 === 0 ? a : b).send('many', { n });
    await vi.waitFor(() => expect(handled).toHaveLength(20), { timeout: 20_000, interval: 100 });
    expect(handled.map((job) => job.n).sort((x, y) => x - y)).toEqual(sent);
    // completed, none left waiting or running
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    const { rows } = await admin.query(`select state, count(*)::int as n from ${schema}.job where name = 'many' group by state`);
    await admin.end();
    expect(rows).toEqual([{ state: 'completed', n: 20 }]);
  });

  it('refuses a second job with the same singleton key while one waits, whichever server sends it', async () => {
    const [a, b] = [queue(), queue()];
    await Promise.all([a.start(), b.start()]);
    const first = await a.send('slots', { job: 'reminders', slot: '2026-06-27' }, { singletonKey: 'reminders:2026-06-27' });
    expect(first).toEqual(expect.any(String));
    expect(await b.send('slots', { job: 'reminders', slot: '2026-06-27' }, { singletonKey: 'reminders:2026-06-27' })).toBeUndefined();
    expect(await b.send('slots', { job: 'reminders', slot: '2026-06-28' }, { singletonKey: 'reminders:2026-06-28' })).toEqual(
      expect.any(String),
    );
    const handled: unknown[] = [];
    await a.work('slots', async (job) => void handled.push(job.data));
    await vi.waitFor(() => expect(handled).toHaveLength(2), { timeout: 20_000, interval: 100 });
    expect(handled).toEqual(
      expect.arrayContaining([
        { job: 'reminders', slot: '2026-06-27' },
        { job: 'reminders', slot: '2026-06-28' },
      ]),
    );
  });

  it('retries a job whose handler threw, on another server', async () => {
    const [a, b] = [queue(), queue()];
    await Promise.all([a.start(), b.start()]);
    const attempts: string[] = [];
    await a.work('retried', async () => {
      attempts.push('a');
      throw new Error('a fails');
    });
    await a.send('retried', {}, { retryLimit: 3, retryDelaySeconds: 0 });
    await vi.waitFor(() => expect(attempts).toContain('a'), { timeout: 20_000, interval: 100 });
    await a.stop();
    await b.work('retried', async () => void attempts.push('b'));
    await vi.waitFor(() => expect(attempts).toContain('b'), { timeout: 20_000, interval: 100 });
    expect(attempts.filter((by) => by === 'b')).toEqual(['b']);
  });

  it('stops: every connection of its pool closed', async () => {
    const a = queue();
    await a.start();
    await a.work('idle', async () => {});
    await a.stop();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await vi.waitFor(async () => {
      const { rows } = await admin.query(
        `select count(*)::int as n from pg_stat_activity where application_name = 'luoshi-jobs' and pid <> pg_backend_pid() and query like '%${schema}%'`,
      );
      expect(rows[0].n).toBe(0);
    });
    await admin.end();
  });
});
