import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, expect, it, vi } from 'vitest';
import { findSlot } from '../../src/db/repositories/jobs.js';
import { describeEachDatabase, TEST_POSTGRES_URL } from '../helpers/database.js';
import { runsOf } from '../helpers/jobs.js';
import { HOLDING_MARK } from '../helpers/jobs-preload.js';

const run = promisify(execFile);
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const PRELOAD = pathToFileURL(new URL('../helpers/jobs-preload.ts', import.meta.url).pathname).href;
/** Each command is a real process, which costs seconds to start on a busy machine (see cli.test.ts). */
const PROCESS_TESTS_TIMEOUT_MS = 240_000;
const processTest = (name: string, test: () => Promise<void>) => it(name, test, PROCESS_TESTS_TIMEOUT_MS);
const NODE_ARGS = ['--import', 'tsx', '--import', PRELOAD, CLI];
// pg-boss's schema for the workers of this file
const JOBS_SCHEMA = `t_jobs_${randomBytes(6).toString('hex')}`;

afterAll(async () => {
  if (!TEST_POSTGRES_URL) return;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${JOBS_SCHEMA} cascade`);
  await admin.end();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWorker(db: string, env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, [...NODE_ARGS, 'worker', '--db', db], {
    env: { ...process.env, LUOSHI_JOBS_TICK_MS: '50', LUOSHI_JOBS_SCHEMA: JOBS_SCHEMA, LUOSHI_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describeEachDatabase('the jobs commands', (database) => {
  processTest('jobs run runs what is due once and says so, then skips it; jobs list shows the run', async () => {
    const db = database();
    const first = await cli(['jobs', 'run', '--now', '2026-06-27T01:00:00Z', '--db', db.cliLocation]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('测试任务  2026-06-27  已运行：记下 1 条\n');
    const second = await cli(['jobs', 'run', '--now', '2026-06-27T01:00:00Z', '--db', db.cliLocation]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('测试任务  2026-06-27  已运行过，跳过\n');
    expect(second.stdout).not.toContain('已运行：记下');
    expect(await runsOf(db.db, '2026-06-27')).toBe(1);

    const list = await cli(['jobs', 'list', '--db', db.cliLocation]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^test_tally  2026-06-27  2026-06-27T01:00:00.000Z  ${hostname()}:\\d+  记下 1 条$`, 'm'));
  });

  processTest('jobs run refuses a --now that is not an ISO-8601 instant, with exit code 2', async () => {
    const db = database();
    for (const now of ['tomorrow', '2026-06-27', '2026-06-27T01:00:00', '2026-13-01T00:00:00Z']) {
      const bad = await cli(['jobs', 'run', '--now', now, '--db', db.cliLocation]);
      expect(bad.code, now).toBe(2);
      expect(bad.stderr, now).toContain(`错误：--now 应为带时区的 ISO-8601 时刻`);
      expect(bad.stderr, now).toContain(JSON.stringify(now));
    }
  });

  processTest('a worker killed mid-slot commits nothing; the next worker runs the slot, once, and stops on SIGTERM', async () => {
    const db = database();
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-clock-'));
    const clock = join(dir, 'now');
    writeFileSync(clock, '2026-08-03T01:00:00Z\n');
    const dying = startWorker(db.cliLocation, { LUOSHI_CLOCK_FILE: clock, LUOSHI_TEST_JOB_HOLD: '1' });
    try {
      await vi.waitFor(() => expect(dying.output()).toContain(`${HOLDING_MARK} 2026-08-03`), { timeout: 120_000, interval: 100 });
    } finally {
      dying.child.kill('SIGKILL');
    }
    await dying.exited;
    expect(await findSlot(db.db, 'test_tally', '2026-08-03')).toBeUndefined();
    expect(await runsOf(db.db, '2026-08-03')).toBe(0);

    // on SQLite the dead worker's job keeps its lease for five minutes of luoshi's clock: move the clock past it
    writeFileSync(clock, '2026-08-03T01:05:01Z\n');
    const next = startWorker(db.cliLocation, { LUOSHI_CLOCK_FILE: clock });
    try {
      await vi.waitFor(async () => expect(await findSlot(db.db, 'test_tally', '2026-08-03'), next.output()).toBeDefined(), {
        timeout: 120_000,
        interval: 100,
      });
      expect((await findSlot(db.db, 'test_tally', '2026-08-03'))?.ran_by).toBe(`${hostname()}:${next.child.pid}`);
      expect(await runsOf(db.db, '2026-08-03')).toBe(1);
    } finally {
      next.child.kill('SIGTERM');
    }
    expect(await next.exited, next.output()).toBe(0);
    expect(next.output()).toContain('任务进程已停止');
    expect(await runsOf(db.db, '2026-08-03')).toBe(1);
  });
});
