import pg from 'pg';
import { expect, it, vi } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { findSlot } from '../../src/db/repositories/jobs.js';
import { runDueOnce } from '../../src/jobs/once.js';
import { recentSlotRuns, runSlot } from '../../src/jobs/slot.js';
import { createServiceContext } from '../../src/services/context.js';
import { describeEachDatabase, TEST_POSTGRES_URL } from '../helpers/database.js';
import { countingJob, runsOf, tallyJob } from '../helpers/jobs.js';

const NOW = new Date('2026-06-27T01:00:00Z');

describeEachDatabase('periodic jobs run once per slot, through the ledger', (database, dialect) => {
  it('runs a slot once however often it is asked, and records who ran it and what it did', async () => {
    const ctx = createServiceContext(database().db, () => NOW);
    const job = tallyJob({ name: 'twice' });
    expect(await runSlot(ctx, job, '2026-06-27', NOW, 'host:1')).toEqual({
      skipped: false,
      outcome: { summary: '记下 1 条', counts: { events: 1 } },
    });
    expect(await runSlot(ctx, job, '2026-06-27', NOW, 'host:2')).toEqual({ skipped: true });
    expect(await runsOf(ctx.db, '2026-06-27', 'twice')).toBe(1);
    expect(await findSlot(ctx.db, 'twice', '2026-06-27')).toEqual({
      job: 'twice',
      slot: '2026-06-27',
      ran_at: NOW.toISOString(),
      ran_by: 'host:1',
      result: JSON.stringify({ summary: '记下 1 条', counts: { events: 1 } }),
    });
    // another slot is another run
    expect((await runSlot(ctx, job, '2026-06-28', NOW, 'host:2')).skipped).toBe(false);
    expect(await runsOf(ctx.db, '2026-06-28', 'twice')).toBe(1);
    const recent = await recentSlotRuns(ctx, 10);
    expect(recent.filter((run) => run.job === 'twice').map((run) => run.slot)).toEqual(['2026-06-27', '2026-06-28']);
  });

  it('runs a slot once when two runners ask for it at the same moment', async () => {
    const db = database();
    // on PostgreSQL the second runner is another pool, as another server would be; SQLite has one writer per file
    const other = dialect === 'postgres' ? connectDatabase(db.cliLocation, { poolSize: 2 }) : undefined;
    try {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let entered = 0;
      // the first runner to get in holds its transaction open until the other is waiting for the slot's key
      const job = tallyJob({
        name: 'racing',
        before: async () => {
          entered += 1;
          if (entered === 1) await held;
        },
      });
      const first = createServiceContext(db.db, () => NOW);
      const second = createServiceContext(other?.db ?? db.db, () => NOW);
      const runs = Promise.all([runSlot(first, job, '2026-06-27', NOW, 'a:1'), runSlot(second, job, '2026-06-27', NOW, 'b:2')]);
      await vi.waitFor(() => expect(entered).toBe(1));
      if (dialect === 'postgres') await vi.waitFor(async () => expect(await blockedSlotInserts()).toBeGreaterThan(0), { timeout: 10_000 });
      release();
      const results = await runs;
      expect(results.map((result) => result.skipped).sort()).toEqual([false, true]);
      expect(entered).toBe(1);
      expect(await runsOf(db.db, '2026-06-27', 'racing')).toBe(1);
    } finally {
      await other?.close();
    }
  });

  it('commits nothing of a run that throws, so the slot runs again later', async () => {
    const ctx = createServiceContext(database().db, () => NOW);
    let fail = true;
    const job = tallyJob({
      name: 'flaky',
      before: () => {
        if (fail) throw new Error('boom');
      },
    });
    await expect(runSlot(ctx, job, '2026-06-27', NOW, 'host:1')).rejects.toThrow('boom');
    expect(await runsOf(ctx.db, '2026-06-27', 'flaky')).toBe(0);
    expect(await findSlot(ctx.db, 'flaky', '2026-06-27')).toBeUndefined();
    fail = false;
    expect((await runSlot(ctx, job, '2026-06-27', NOW, 'host:1')).skipped).toBe(false);
    expect(await runsOf(ctx.db, '2026-06-27', 'flaky')).toBe(1);
  });

  it('runDueOnce runs what is due, skips it the second time, and reports a failure without stopping the rest', async () => {
    const ctx = createServiceContext(database().db, () => NOW);
    const rounds = countingJob();
    const notYet = { ...tallyJob({ name: 'not_yet' }), label: '未到', slotOf: () => undefined };
    const broken = tallyJob({
      name: 'broken',
      before: () => {
        throw new Error('不行');
      },
    });
    const options = { jobs: [tallyJob({ name: 'once' }), notYet, broken], continuous: [rounds], now: NOW, owner: 'cli:1' };
    expect(await runDueOnce(ctx, options)).toEqual([
      { job: 'once', label: '测试任务', slot: '2026-06-27', status: 'ran', summary: '记下 1 条' },
      { job: 'not_yet', label: '未到', status: 'not_due', summary: '' },
      { job: 'broken', label: '测试任务', slot: '2026-06-27', status: 'failed', summary: '不行' },
      { job: 'test_rounds', label: '测试轮次', status: 'ran', summary: '第 1 轮' },
    ]);
    const again = await runDueOnce(ctx, options);
    expect(again.map((line) => line.status)).toEqual(['skipped', 'not_due', 'failed', 'ran']);
    expect(await runsOf(ctx.db, '2026-06-27', 'once')).toBe(1);
    expect(await runsOf(ctx.db, '2026-06-27', 'broken')).toBe(0);
  });
});

/** Connections of the test server waiting for a lock while inserting into job_slots. */
async function blockedSlotInserts(): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%insert into "job_slots"%'`,
    );
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}
