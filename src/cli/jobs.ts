import type { Command } from 'commander';
import { parseInstant } from '../config.js';
import { badInput } from '../domain/errors.js';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

const STATUS_WORDS = { ran: '已运行', skipped: '已运行过，跳过', failed: '失败', not_due: '未到时间' } as const;

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('定时任务（亮灯、提醒催报、逾期升级、摘要、投递）');

  jobs
    .command('run')
    .description('运行此刻到期的每个任务一次后退出，逐行说明做了什么；已运行过的时段跳过')
    .option('--now <ISO-8601>', '把此刻当作这个时刻，如 2026-06-27T01:00:00Z（默认当前时间，或 LUOSHI_CLOCK_FILE 的时刻）')
    .option(...DB_OPTION)
    .action(async (options: { now?: string; db?: string }) => {
      const at = options.now === undefined ? undefined : parseInstant(options.now);
      if (options.now !== undefined && !at) {
        throw badInput(
          'invalid_date',
          `--now 应为带时区的 ISO-8601 时刻，如 2026-06-27T01:00:00Z 或 2026-06-27T09:00:00+08:00，收到 ${JSON.stringify(options.now)}`,
        );
      }
      const lines = await withRuntime(configWithDb(options.db), async ({ ctx }) => {
        const [{ runDueOnce }, { processOwner }, { CONTINUOUS_JOBS, PERIODIC_JOBS }] = await Promise.all([
          import('../jobs/once.js'),
          import('../jobs/slot.js'),
          import('../jobs/catalogue.js'),
        ]);
        return runDueOnce(ctx, { jobs: PERIODIC_JOBS, continuous: CONTINUOUS_JOBS, now: at ?? ctx.now(), owner: processOwner() });
      });
      if (lines.length === 0) process.stdout.write('（没有任务）\n');
      for (const line of lines) {
        const words = STATUS_WORDS[line.status];
        const said = line.summary ? `${words}：${line.summary}` : words;
        process.stdout.write(`${line.label}  ${line.slot ?? '—'}  ${said}\n`);
      }
      if (lines.some((line) => line.status === 'failed')) process.exitCode = 1;
    });

  jobs
    .command('list')
    .description('列出最近运行过的定时任务时段（任务、时段、运行时间、运行者、结果）')
    .option('--limit <n>', '最多列出几条（默认 20）', '20')
    .option(...DB_OPTION)
    .action(async (options: { limit: string; db?: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw badInput('bad_request', `--limit 应为 1–10000 之间的整数，收到 ${JSON.stringify(options.limit)}`);
      const runs = await withRuntime(configWithDb(options.db), async ({ ctx }) => {
        const { recentSlotRuns } = await import('../jobs/slot.js');
        return recentSlotRuns(ctx, limit);
      });
      if (runs.length === 0) process.stdout.write('（还没有运行记录）\n');
      for (const run of runs) process.stdout.write(`${run.job}  ${run.slot}  ${run.ranAt}  ${run.ranBy}  ${run.outcome.summary}\n`);
    });
}
