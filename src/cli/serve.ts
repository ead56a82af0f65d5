import type { Command } from 'commander';
import { authConfig } from '../config.js';
import { configWithDb, DB_OPTION } from './shared.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('启动网页服务')
    .option('--host <host>', '监听地址（默认 LUOSHI_HOST，否则 127.0.0.1）')
    .option('--port <port>', '端口（默认 LUOSHI_PORT，否则 3000）')
    .option('--demo', '数据库为空时载入演示计划（苏州市生态环境局 2022 年度汇总表）')
    .option(...DB_OPTION)
    .action(async (options: { host?: string; port?: string; demo?: boolean; db?: string }) => {
      const config = configWithDb(options.db);
      // the web server loads here, not at the top, where every other command would pay for it; it loads while the
      // database opens
      const serverModules = Promise.all([import('../server/app.js'), import('../services/accounts.js'), import('../services/demo.js')]);
      // awaited below; when opening the database fails first, that error is the one to report
      serverModules.catch(() => undefined);
      const { openRuntime } = await import('../runtime.js');
      // exports are written in a pool of worker threads, so that one never holds up the other requests
      const runtime = await openRuntime(config, { exportPool: true });
      try {
        const [{ buildApp }, { ensureFirstAdmin }, { loadDemoPlanIfEmpty }] = await serverModules;
        if (options.demo) {
          const loaded = await loadDemoPlanIfEmpty(runtime.ctx);
          if (loaded) process.stdout.write(`已载入演示计划：${loaded.title}（${loaded.counts.items} 个事项）\n`);
        }
        const firstAdmin = await ensureFirstAdmin(runtime.ctx, authConfig(config));
        if (firstAdmin) {
          process.stdout.write(
            `\n首次启动：已创建系统管理员账户 ${firstAdmin.username}，初始密码：${firstAdmin.password}\n` +
              '（此密码只显示这一次，首次登录后须修改。忘记时可运行 luoshi user reset-password admin。）\n\n',
          );
        }
        const app = await buildApp({ db: runtime.db, config, ctx: runtime.ctx });
        let jobs: { stop(): Promise<void> } | undefined;
        const host = options.host ?? config.host;
        const port = options.port === undefined ? config.port : Number(options.port);
        let closing = false;
        const shutdown = async (signal: string) => {
          if (closing) return;
          closing = true;
          app.log.info({ signal }, 'shutting down');
          // requests in flight and the jobs under way finish first; then the runtime closes its pools and the database
          await Promise.allSettled([app.close(), jobs?.stop()]);
          await runtime.close();
          process.exit(0);
        };
        process.on('SIGINT', () => void shutdown('SIGINT'));
        process.on('SIGTERM', () => void shutdown('SIGTERM'));
        const address = await app.listen({ host, port });
        process.stdout.write(`落实 luoshi 已启动：${address}  （数据库：${runtime.database.location}）\n`);
        // the jobs (LUOSHI_JOBS=off leaves them to `luoshi worker`) start once the server answers
        if (config.jobs === 'on' && !closing) {
          const { startJobs } = await import('../jobs/start.js');
          try {
            jobs = await startJobs(runtime, app.log);
          } catch (error) {
            // a server that cannot run its jobs says so and stops, rather than serving on without them
            await app.close();
            throw error;
          }
          if (closing) await jobs.stop();
        }
      } catch (error) {
        await runtime.close();
        throw error;
      }
    });
}
