import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import type { Runtime, RuntimeOptions } from '../runtime.js';

export const DB_OPTION = [
  '--db <path|url>',
  'SQLite 文件路径或 postgres:// 地址（默认取 LUOSHI_DATABASE_URL，否则 ./data/luoshi.db）',
] as const;

export function configWithDb(db: string | undefined): Config {
  return loadConfig(db ? { ...process.env, LUOSHI_DATABASE_URL: db } : process.env);
}

/**
 * Opens the runtime (database, migrated unless told otherwise, and the services over it) for one command's work and
 * closes it afterwards, whatever happens. The runtime loads here rather than at the top: `luoshi --help` and a
 * mistyped option answer without loading the database drivers and the services.
 */
export async function withRuntime<T>(config: Config, work: (runtime: Runtime) => Promise<T>, options: RuntimeOptions = {}): Promise<T> {
  const { openRuntime } = await import('../runtime.js');
  const runtime = await openRuntime(config, options);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
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
