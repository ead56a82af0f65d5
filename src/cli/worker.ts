import type { Command } from 'commander';
import { configWithDb, DB_OPTION } from './shared.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('只运行定时任务（不提供网页服务），直到收到 SIGINT 或 SIGTERM')
    .option(...DB_OPTION)
    .action(async (options: { db?: string }) => {
      const config = configWithDb(options.db);
      const [{ openRuntime }, { startJobs }, { lineLogger }] = await Promise.all([
        import('../runtime.js'),
        import('../jobs/start.js'),
        import('../jobs/log.js'),
      ]);
      const runtime = await openRuntime(config);
      const log = lineLogger(config.logLevel);
      let runner: Awaited<ReturnType<typeof startJobs>>;
      try {
        runner = await startJobs(runtime, log);
      } catch (error) {
        await runtime.close();
        throw error;
      }
      process.stdout.write(`落实 luoshi 任务进程已启动（数据库：${runtime.database.location}，进程 ${process.pid}）\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      log.info({ signal }, 'shutting down');
      // the slots and rounds under way finish (or are handed back to the queue), then the database closes; a job
      // that hangs past the runner's timeout holds neither the exit nor its slot, which it never committed
      try {
        await runner.stop();
      } finally {
        await Promise.race([runtime.close(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      }
      process.stdout.write('任务进程已停止\n');
      process.exit(process.exitCode ?? 0);
    });
}
