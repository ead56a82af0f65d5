import { resolve } from 'node:path';

/** Settings read once at start-up from the environment; every bad variable is reported together. */
export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  maxUploadBytes: number;
  requestTimeoutMs: number;
  importMaxDecompressedBytes: number;
  importMaxRows: number;
  importMaxCellChars: number;
  importTimeoutMs: number;
  importMaxMemoryMb: number;
}

export const CONFIG_VARIABLES = {
  LUOSHI_DATABASE_URL: 'SQLite file path or postgres:// URL (default ./data/luoshi.db)',
  LUOSHI_HOST: 'address to listen on (default 127.0.0.1)',
  LUOSHI_PORT: 'port to listen on (default 3000)',
  LUOSHI_LOG_LEVEL: 'fatal|error|warn|info|debug|trace|silent (default info)',
  LUOSHI_MAX_UPLOAD_BYTES: 'largest accepted upload in bytes (default 20971520 = 20 MiB)',
  LUOSHI_REQUEST_TIMEOUT_MS: 'longest time a request may take (default 60000)',
  LUOSHI_IMPORT_MAX_DECOMPRESSED_BYTES: 'largest size a .docx/.xlsx may inflate to (default 209715200 = 200 MiB)',
  LUOSHI_IMPORT_MAX_ROWS: 'most table rows or text lines in one imported file (default 20000)',
  LUOSHI_IMPORT_MAX_CELL_CHARS: 'most characters in one cell or paragraph (default 100000)',
  LUOSHI_IMPORT_TIMEOUT_MS: 'longest time parsing one file may take (default 60000)',
  LUOSHI_IMPORT_MAX_MEMORY_MB: 'heap of the thread that parses one file (default 512)',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE = './data/luoshi.db';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const integer = (name: keyof typeof CONFIG_VARIABLES, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: 应为 ${min}–${max} 之间的整数 (${CONFIG_VARIABLES[name]})`);
      return fallback;
    }
    return value;
  };
  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = (env.LUOSHI_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) problems.push(`LUOSHI_LOG_LEVEL=${JSON.stringify(env.LUOSHI_LOG_LEVEL)}: 应为 ${logLevels.join('|')} 之一`);
  const databaseUrl = env.LUOSHI_DATABASE_URL || DEFAULT_DATABASE;
  if (/^[a-z]+:\/\//i.test(databaseUrl) && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`LUOSHI_DATABASE_URL: 只支持 SQLite 文件路径或 postgres:// 地址，收到 ${databaseUrl.split(':')[0]}://…`);
  }
  const config: Config = {
    databaseUrl: /^postgres(ql)?:\/\//.test(databaseUrl) ? databaseUrl : resolve(databaseUrl),
    host: env.LUOSHI_HOST || '127.0.0.1',
    port: integer('LUOSHI_PORT', 3000, 0, 65535),
    logLevel,
    maxUploadBytes: integer('LUOSHI_MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    requestTimeoutMs: integer('LUOSHI_REQUEST_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    importMaxDecompressedBytes: integer('LUOSHI_IMPORT_MAX_DECOMPRESSED_BYTES', 200 * 1024 * 1024, 1024 * 1024, 4 * 1024 * 1024 * 1024),
    importMaxRows: integer('LUOSHI_IMPORT_MAX_ROWS', 20_000, 10, 10_000_000),
    importMaxCellChars: integer('LUOSHI_IMPORT_MAX_CELL_CHARS', 100_000, 100, 100_000_000),
    importTimeoutMs: integer('LUOSHI_IMPORT_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    importMaxMemoryMb: integer('LUOSHI_IMPORT_MAX_MEMORY_MB', 512, 64, 16_384),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
