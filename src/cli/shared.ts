import { ConfigError, loadConfig, type Config } from '../config.js';
import { connectDatabase, migrateToLatest, type DatabaseHandle } from '../db/connect.js';
import { AppError } from '../domain/errors.js';

export const DB_OPTION = ['--db <path|url>', 'SQLite 文件路径或 postgres:// 地址（默认取 LUOSHI_DATABASE_URL，否则 ./data/luoshi.db）'] as const;

export function configWithDb(db: string | undefined): Config {
  return loadConfig(db ? { ...process.env, LUOSHI_DATABASE_URL: db } : process.env);
}

/** Opens the database named by --db (or the environment) and brings its schema up to date. */
export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = connectDatabase(config.databaseUrl);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export async function withDatabase<T>(config: Config, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/** Exit codes: 1 unexpected failure, 2 bad input or configuration, 3 not found. */
export async function runCommand(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`错误：${error.message}\n`);
      process.exitCode = error.status === 404 ? 3 : error.status < 500 ? 2 : 1;
    } else if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`意外错误：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

