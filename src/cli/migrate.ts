import type { Command } from 'commander';
import { migrateToLatest } from '../db/connect.js';
import { configWithDb, DB_OPTION } from './shared.js';
import { connectDatabase } from '../db/connect.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('把数据库结构升级到最新版本')
    .option(...DB_OPTION)
    .action(async (options: { db?: string }) => {
      const config = configWithDb(options.db);
      const handle = connectDatabase(config.databaseUrl);
      try {
        const applied = await migrateToLatest(handle.db);
        process.stdout.write(applied.length > 0 ? `已执行迁移：${applied.join('、')}（${handle.location}）\n` : `数据库已是最新版本（${handle.location}）\n`);
      } finally {
        await handle.close();
      }
    });
}
