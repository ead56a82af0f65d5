import type { Command } from 'commander';
import { configWithDb, DB_OPTION, withRuntime } from './shared.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('把数据库结构升级到最新版本')
    .option(...DB_OPTION)
    .action(async (options: { db?: string }) => {
      // the runtime opens the database as it is, so that this command can say which migrations it ran
      const { applied, location } = await withRuntime(
        configWithDb(options.db),
        async ({ db, database }) => {
          const { migrateToLatest } = await import('../db/connect.js');
          return { applied: await migrateToLatest(db), location: database.location };
        },
        { migrate: false },
      );
      process.stdout.write(
        applied.length > 0 ? `已执行迁移：${applied.join('、')}（${location}）\n` : `数据库已是最新版本（${location}）\n`,
      );
    });
}
