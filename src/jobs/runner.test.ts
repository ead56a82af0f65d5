import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it, vi } from 'vitest';
import { describeEachDatabase, TEST_POSTGRES_URL } from '../../test/helpers/database.js';
import { countingJob, memoryLogger, runsOf, tallyJob } from '../../test/helpers/jobs.js';
import { connectDatabase } from '../db/connect.js';
import { findSlot } from '../db/repositories/jobs.js';
import { createServiceContext } from '../services/context.js';
import { openJobQueue } from './queue.js';
import { startJobRunner, type JobRunner } from './runner.js';

// pg-boss's schema for this file's runners; each test database of the file shares it, one job name per test
const JOBS_SCHEMA = `t_jobs_${randomBytes(6).toString('hex')}`;

afterAll(async () => {
  if (!TEST_POSTGRES_URL) return;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${JOBS_SCHEMA} cascade`);
  await admin.end();
});

const WAIT = { timeout: 20_000, interval: 50 };

describeEachDatabase('the job runner', (database, dialect) => {
  /** A runner on its own connection to the test database, as a server process would have, on the given clock. */
  async function runner(now: () => Date, options: { name: string; rounds?: ReturnType<typeof countingJob>; owner: string }) {
    const handle = dialect === 'postgres' ? connectDatabase(database().cliLocation, { poolSize: 3 }) : undefined;
    const db = handle?.db ?? database().db;
    const ctx = createServiceContext(db, now);
    const log = memoryLogger();
    const queue = await openJobQueue({
      db,
      dialect,
      config: { databaseUrl: database().cliLocation, jobsSchema: JOBS_SCHEMA, jobsTickMs: 50 },
      now,
      log,
      pollMs: 50,
    });
    const started: JobRunner = await startJobRunner(ctx, {
      queue,
      jobs: [tallyJob({ name: options.name })],
      continuous: options.rounds ? [options.rounds] : [],
      tickMs: 50,
      owner: options.owner,
      log,
      stopTimeoutMs: 5000,
    });
    return {
      log,
      stop: async () => {
        await started.stop();
        await handle?.close();
      },
    };
  }

  it('runs the current slot at start, and each new slot as the clock crosses into it, once', async () => {
    let now = new Date('2026-06-27T01:00:00Z');
    const rounds = countingJob();
    const running = await runner(() => now, { name: 'ticking', rounds, owner: 'test:1' });
    try {
      const { db } = database();
      await vi.waitFor(async () => expect(await findSlot(db, 'ticking', '2026-06-27')).toMatchObject({ ran_by: 'test:1' }), WAIT);
      expect(await findSlot(db, 'ticking', '2026-06-28')).toBeUndefined();
      now = new Date('2026-06-27T23:59:59Z');
      const roundsBefore = rounds.rounds;
      // ticks go on (the continuous job's rounds show them) without a new slot
      await vi.waitFor(() => expect(rounds.rounds).toBeGreaterThan(roundsBefore + 2), WAIT);
      expect(await findSlot(db, 'ticking', '2026-06-28')).toBeUndefined();
      now = new Date('2026-06-28T00:00:00Z');
      await vi.waitFor(async () => expect(await findSlot(db, 'ticking', '2026-06-28')).toBeDefined(), WAIT);
      expect(await runsOf(db, '2026-06-27', 'ticking')).toBe(1);
      expect(await runsOf(db, '2026-06-28', 'ticking')).toBe(1);
      expect(running.log.lines.filter((line) => line.level === 'error')).toEqual([]);
      expect(running.log.lines.map((line) => line.message)).toContain('测试任务：2026-06-28 已运行：记下 1 条');
    } finally {
      await running.stop();
    }
  });

  it('runs a slot missed while down at start, once, when two servers start on one database', async () => {
    const { db } = database();
    const now = () => new Date('2026-07-01T08:00:00Z');
    const [roundsA, roundsB] = [countingJob(), countingJob()];
    const [a, b] = await Promise.all([
      runner(now, { name: 'two_servers', rounds: roundsA, owner: 'a:1' }),
      runner(now, { name: 'two_servers', rounds: roundsB, owner: 'b:2' }),
    ]);
    try {
      await vi.waitFor(async () => expect(await findSlot(db, 'two_servers', '2026-07-01')).toBeDefined(), WAIT);
      // both go on ticking, and neither runs the slot again
      const before = [roundsA.rounds, roundsB.rounds];
      await vi.waitFor(() => expect([roundsA.rounds - before[0]!, roundsB.rounds - before[1]!].every((n) => n > 3)).toBe(true), WAIT);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await runsOf(db, '2026-07-01', 'two_servers')).toBe(1);
    const ran = [...a.log.lines, ...b.log.lines].filter((line) => line.message?.includes('已运行：'));
    expect(ran).toHaveLength(1);
  });
});
