import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileClock } from './clock.js';
import { type ConfigError, loadConfig, parseInstant } from './config.js';

describe('the clock file', () => {
  const dirs: string[] = [];
  const file = (content?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-clock-'));
    dirs.push(dir);
    const path = join(dir, 'now');
    if (content !== undefined) writeFileSync(path, content);
    return path;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the instant in the file, and a new one once the file changes', async () => {
    const path = file('2026-06-27T01:00:00Z\n');
    const now = fileClock(path, { rereadMs: 0 });
    expect(now().toISOString()).toBe('2026-06-27T01:00:00.000Z');
    writeFileSync(path, '2026-06-27T09:30:00+08:00');
    await vi.waitFor(() => expect(now().toISOString()).toBe('2026-06-27T01:30:00.000Z'));
  });

  it('reads the file at most every rereadMs', () => {
    const path = file('2026-06-27T01:00:00Z');
    const now = fileClock(path, { rereadMs: 60_000 });
    writeFileSync(path, '2026-06-28T01:00:00Z');
    expect(now().toISOString()).toBe('2026-06-27T01:00:00.000Z');
  });

  it('keeps the last good instant when the file goes bad, and says so once', async () => {
    const path = file('2026-06-27T01:00:00Z');
    const problems: string[] = [];
    const now = fileClock(path, { rereadMs: 0, onProblem: (problem) => problems.push(problem) });
    writeFileSync(path, 'soon');
    await vi.waitFor(() => {
      now();
      expect(problems).toHaveLength(1);
    });
    expect(now().toISOString()).toBe('2026-06-27T01:00:00.000Z');
    now();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('不是 ISO-8601 时刻');
    rmSync(path);
    await vi.waitFor(() => {
      now();
      expect(problems).toHaveLength(2);
    });
    expect(problems[1]).toContain('无法读取');
    expect(now().toISOString()).toBe('2026-06-27T01:00:00.000Z');
  });

  it('is an error at creation when the file is missing or holds no instant', () => {
    expect(() => fileClock(file())).toThrow(/无法读取/);
    expect(() => fileClock(file('2026-06-27'))).toThrow(/不是 ISO-8601 时刻/);
  });

  it('is checked with the configuration, every problem reported together', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ LUOSHI_CLOCK_FILE: file(), LUOSHI_JOBS: 'maybe', LUOSHI_JOBS_TICK_MS: '10', LUOSHI_JOBS_SCHEMA: 'Jobs-1' })).toEqual([
      expect.stringMatching(/^LUOSHI_CLOCK_FILE=.*无法读取时钟文件/),
      expect.stringMatching(/^LUOSHI_JOBS="maybe": 应为 on 或 off/),
      expect.stringMatching(/^LUOSHI_JOBS_TICK_MS="10": 应为 50–/),
      expect.stringMatching(/^LUOSHI_JOBS_SCHEMA="Jobs-1": /),
    ]);
    expect(problems({ LUOSHI_CLOCK_FILE: file('next week') })).toEqual([expect.stringContaining('文件内容应为 ISO-8601 时刻')]);
    const path = file('2026-06-27T01:00:00Z');
    expect(
      loadConfig({ LUOSHI_CLOCK_FILE: path, LUOSHI_JOBS: 'off', LUOSHI_JOBS_TICK_MS: '50', LUOSHI_JOBS_SCHEMA: 'city_jobs' }),
    ).toMatchObject({
      clockFile: path,
      jobs: 'off',
      jobsTickMs: 50,
      jobsSchema: 'city_jobs',
    });
    expect(loadConfig({})).toMatchObject({ clockFile: null, jobs: 'on', jobsTickMs: 60_000, jobsSchema: 'luoshi_jobs' });
  });

  it('takes instants with a date, a time and an offset, nothing else', () => {
    expect(parseInstant('2026-06-27T01:00:00Z')?.toISOString()).toBe('2026-06-27T01:00:00.000Z');
    expect(parseInstant(' 2026-06-27T09:00+08:00\n')?.toISOString()).toBe('2026-06-27T01:00:00.000Z');
    expect(parseInstant('2026-06-27T01:00:00.123Z')?.toISOString()).toBe('2026-06-27T01:00:00.123Z');
    for (const bad of ['2026-06-27', '2026-06-27T01:00:00', '2026-02-30T01:00:00Z', '2026-13-01T00:00:00Z', 'now', ''])
      expect(parseInstant(bad), bad).toBeUndefined();
  });
});
