import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseSmtpUrl } from './delivery/smtp-url.js';
import { parseAllowList, type AllowList } from './delivery/ssrf.js';

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
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  passwordMinLength: number;
  passwordMinClasses: number;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  /** Secure cookies: always, never, or when the request came over HTTPS */
  cookieSecure: 'auto' | 'always' | 'never';
  /** a command that reads a file on standard input and exits 0 when clean, 1 when infected; none: not scanned */
  virusScanCommand: string[] | null;
  /** PostgreSQL: connections in the pool */
  databasePoolSize: number;
  /** SQLite: most transactions one COMMIT (one fsync) covers */
  sqliteGroupMaxMembers: number;
  /** SQLite: longest a group of transactions stays open for new members, in milliseconds */
  sqliteGroupMaxOpenMs: number;
  // Exports: written in a pool of worker threads, off the event loop
  /** threads writing DOCX/XLSX/PDF exports */
  exportWorkers: number;
  /** exports waiting for a thread beyond those being written; more are refused with 503 */
  exportMaxQueue: number;
  exportTimeoutMs: number;
  /** heap of each export thread */
  exportMaxMemoryMb: number;
  /** the font PDF exports use before the system's and the bundled Noto CJK; `family` names the face in a .ttc */
  pdfFont: { path: string; family?: string } | null;
  // Notifications leaving luoshi
  /** smtp:// or smtps:// URL of the mail server; null: no e-mail is sent, notifications stay in the inbox */
  smtpUrl: string | null;
  mailFrom: string | null;
  /** webhook targets that pass the SSRF guard although they are private or local, e.g. an intranet robot */
  webhookAllow: AllowList;
  /** the address people open luoshi at, for links in e-mails and group messages */
  publicUrl: string | null;
  deliveryMaxAttempts: number;
  deliveryRetrySeconds: number;
  deliveryLeaseSeconds: number;
  // Jobs: periodic (once per slot) and continuous work, src/jobs/
  /** a file holding an ISO-8601 instant that luoshi's clock reads instead of the system's (tests and drills) */
  clockFile: string | null;
  /** whether `luoshi serve` runs the jobs too (`luoshi worker` runs them whatever this says) */
  jobs: 'on' | 'off';
  /** how often the job runner looks for due slots and does a round of the continuous jobs, in milliseconds */
  jobsTickMs: number;
  /** PostgreSQL: the schema of pg-boss's tables */
  jobsSchema: string;
}

/** One thread per core, but at least one and at most four: each holds a table and a document in memory. */
export const DEFAULT_EXPORT_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

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
  LUOSHI_SESSION_IDLE_MINUTES: 'a session ends after this long without a request (default 30)',
  LUOSHI_SESSION_MAX_HOURS: 'a session ends this long after sign-in whatever happens (default 12)',
  LUOSHI_LOCKOUT_ATTEMPTS: 'failed sign-ins in a row that lock an account (default 5)',
  LUOSHI_LOCKOUT_MINUTES: 'how long a locked account stays locked (default 15)',
  LUOSHI_PASSWORD_MIN_LENGTH: 'shortest password accepted (default 8)',
  LUOSHI_PASSWORD_MIN_CLASSES: 'character classes (upper, lower, digit, symbol) a password must use (default 3)',
  LUOSHI_RATE_LIMIT_PER_MINUTE: 'API requests per minute from one address (default 600)',
  LUOSHI_LOGIN_RATE_LIMIT_PER_MINUTE: 'sign-in attempts per minute from one address (default 20)',
  LUOSHI_COOKIE_SECURE: 'auto (Secure when the request came over HTTPS), always or never (default auto)',
  LUOSHI_DATABASE_POOL_SIZE: 'PostgreSQL: connections in the pool (default 10)',
  LUOSHI_SQLITE_GROUP_MAX: 'SQLite: most transactions committed together with one fsync (default 64; 1 = each on its own)',
  LUOSHI_SQLITE_GROUP_MAX_MS: 'SQLite: longest a group of transactions stays open for new ones, in ms (default 10)',
  LUOSHI_VIRUS_SCAN_COMMAND:
    'scanner for evidence files, given each file on standard input; exit 0 = clean, 1 = infected (e.g. "clamdscan --no-summary -"); default: none, files are marked not scanned',
  LUOSHI_EXPORT_WORKERS: 'threads that write DOCX/XLSX/PDF exports off the event loop (default: the cores, at most 4)',
  LUOSHI_EXPORT_MAX_QUEUE: 'exports that may wait for a free thread; more are refused with 503 (default 8)',
  LUOSHI_EXPORT_TIMEOUT_MS: 'longest time writing one export may take (default 60000)',
  LUOSHI_EXPORT_MAX_MEMORY_MB: 'heap of each export thread (default 256)',
  LUOSHI_PDF_FONT: 'Chinese font file for PDF exports, tried before the system Noto CJK and the font bundled by npm',
  LUOSHI_PDF_FONT_FAMILY: 'the face to use inside LUOSHI_PDF_FONT when it is a collection (.ttc/.otc), e.g. SimSun',
  LUOSHI_SMTP_URL: 'mail server for notification e-mails, smtp://user:password@host:587 or smtps://…:465 (default: none, no e-mail)',
  LUOSHI_MAIL_FROM: 'sender of notification e-mails, e.g. "督查室 <duchashi@example.gov.cn>" (required with LUOSHI_SMTP_URL)',
  LUOSHI_WEBHOOK_ALLOW:
    'private or local webhook targets allowed despite the SSRF guard: hosts, *.domains, addresses, CIDR ranges, comma-separated (default: none)',
  LUOSHI_PUBLIC_URL: 'the address people open luoshi at, for links in e-mails and group messages, e.g. https://luoshi.example.gov.cn',
  LUOSHI_DELIVERY_MAX_ATTEMPTS: 'attempts of one e-mail or webhook call before it goes to the dead-letter list (default 6)',
  LUOSHI_DELIVERY_RETRY_SECONDS: 'wait before the second attempt, doubled before each further one (default 30)',
  LUOSHI_DELIVERY_LEASE_SECONDS: 'how long a server holds a delivery it is sending before another server may take it (default 120)',
  LUOSHI_CLOCK_FILE:
    'a file holding an ISO-8601 instant (e.g. 2026-06-27T01:00:00Z) that luoshi reads as the time instead of the system clock, re-read at most every 100 ms: for tests and drills, several processes sharing one clock; default: the system clock',
  LUOSHI_JOBS:
    'on: `luoshi serve` also runs the jobs (reminders, lights, escalation, digests, deliveries); off: only `luoshi worker` does (default on)',
  LUOSHI_JOBS_TICK_MS: 'how often the job runner looks for due jobs, in ms (default 60000, at least 50)',
  LUOSHI_JOBS_SCHEMA: 'PostgreSQL: the schema holding the job queue (pg-boss) tables (default luoshi_jobs)',
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
  if (!logLevels.includes(logLevel))
    problems.push(`LUOSHI_LOG_LEVEL=${JSON.stringify(env.LUOSHI_LOG_LEVEL)}: 应为 ${logLevels.join('|')} 之一`);
  const cookieSecure = (env.LUOSHI_COOKIE_SECURE || 'auto') as Config['cookieSecure'];
  if (!['auto', 'always', 'never'].includes(cookieSecure))
    problems.push(`LUOSHI_COOKIE_SECURE=${JSON.stringify(env.LUOSHI_COOKIE_SECURE)}: 应为 auto、always 或 never`);
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
    sessionIdleMinutes: integer('LUOSHI_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: integer('LUOSHI_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    lockoutAttempts: integer('LUOSHI_LOCKOUT_ATTEMPTS', 5, 1, 100),
    lockoutMinutes: integer('LUOSHI_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    passwordMinLength: integer('LUOSHI_PASSWORD_MIN_LENGTH', 8, 6, 128),
    passwordMinClasses: integer('LUOSHI_PASSWORD_MIN_CLASSES', 3, 1, 4),
    rateLimitPerMinute: integer('LUOSHI_RATE_LIMIT_PER_MINUTE', 600, 10, 1_000_000),
    loginRateLimitPerMinute: integer('LUOSHI_LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 100_000),
    cookieSecure,
    virusScanCommand: env.LUOSHI_VIRUS_SCAN_COMMAND?.trim() ? env.LUOSHI_VIRUS_SCAN_COMMAND.trim().split(/\s+/) : null,
    // the database's write path: pool on PostgreSQL, group commit on SQLite
    databasePoolSize: integer('LUOSHI_DATABASE_POOL_SIZE', 10, 1, 1000),
    sqliteGroupMaxMembers: integer('LUOSHI_SQLITE_GROUP_MAX', 64, 1, 10_000),
    sqliteGroupMaxOpenMs: integer('LUOSHI_SQLITE_GROUP_MAX_MS', 10, 0, 1000),
    exportWorkers: integer('LUOSHI_EXPORT_WORKERS', DEFAULT_EXPORT_WORKERS, 1, 64),
    exportMaxQueue: integer('LUOSHI_EXPORT_MAX_QUEUE', 8, 0, 10_000),
    exportTimeoutMs: integer('LUOSHI_EXPORT_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    exportMaxMemoryMb: integer('LUOSHI_EXPORT_MAX_MEMORY_MB', 256, 64, 16_384),
    pdfFont: pdfFont(env, problems),
    ...mailSettings(env, problems),
    webhookAllow: webhookAllow(env, problems),
    publicUrl: publicUrl(env, problems),
    deliveryMaxAttempts: integer('LUOSHI_DELIVERY_MAX_ATTEMPTS', 6, 1, 100),
    deliveryRetrySeconds: integer('LUOSHI_DELIVERY_RETRY_SECONDS', 30, 0, 86_400),
    deliveryLeaseSeconds: integer('LUOSHI_DELIVERY_LEASE_SECONDS', 120, 1, 86_400),
    clockFile: clockFile(env, problems),
    jobs: jobsSwitch(env, problems),
    jobsTickMs: integer('LUOSHI_JOBS_TICK_MS', 60_000, 50, 24 * 3_600_000),
    jobsSchema: jobsSchema(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** What connectDatabase needs from the configuration: the pool on PostgreSQL, group commit on SQLite. */
export function databaseOptions(config: Config): { poolSize: number; groupCommit: { maxMembers: number; maxOpenMs: number } } {
  return {
    poolSize: config.databasePoolSize,
    groupCommit: { maxMembers: config.sqliteGroupMaxMembers, maxOpenMs: config.sqliteGroupMaxOpenMs },
  };
}

/** LUOSHI_PDF_FONT and its face: a file that is not there, or a collection without a face, is a mistake to say at start. */
function pdfFont(env: NodeJS.ProcessEnv, problems: string[]): Config['pdfFont'] {
  const path = env.LUOSHI_PDF_FONT?.trim();
  const family = env.LUOSHI_PDF_FONT_FAMILY?.trim();
  if (!path) {
    if (family) problems.push(`LUOSHI_PDF_FONT_FAMILY=${JSON.stringify(family)}: 只在设置了 LUOSHI_PDF_FONT 时有效`);
    return null;
  }
  if (!existsSync(path)) {
    problems.push(`LUOSHI_PDF_FONT=${JSON.stringify(path)}: 字体文件不存在 (${CONFIG_VARIABLES.LUOSHI_PDF_FONT})`);
    return null;
  }
  const collection = /\.(ttc|otc|dfont)$/i.test(path);
  if (collection && !family) {
    problems.push(
      `LUOSHI_PDF_FONT=${JSON.stringify(path)}: 是字体集合，须同时用 LUOSHI_PDF_FONT_FAMILY 指定其中的字体名，如 NotoSansCJKsc-Regular`,
    );
    return null;
  }
  if (!collection && family) {
    problems.push(`LUOSHI_PDF_FONT_FAMILY=${JSON.stringify(family)}: ${path} 是单个字体文件，不能指定字体名`);
    return null;
  }
  return family ? { path, family } : { path };
}

/** LUOSHI_SMTP_URL and LUOSHI_MAIL_FROM: both or neither, each well-formed. */
function mailSettings(env: NodeJS.ProcessEnv, problems: string[]): Pick<Config, 'smtpUrl' | 'mailFrom'> {
  const url = env.LUOSHI_SMTP_URL?.trim() || null;
  const from = env.LUOSHI_MAIL_FROM?.trim() || null;
  if (url) {
    try {
      parseSmtpUrl(url);
    } catch (error) {
      problems.push(`LUOSHI_SMTP_URL: ${(error as Error).message}`);
    }
    if (!from) problems.push('LUOSHI_MAIL_FROM: 设置了 LUOSHI_SMTP_URL 时必须指定发件人，如 "督查室 <duchashi@example.gov.cn>"');
  } else if (from) {
    problems.push('LUOSHI_MAIL_FROM: 只在设置了 LUOSHI_SMTP_URL 时有效');
  }
  if (from && /[\r\n]/.test(from)) problems.push('LUOSHI_MAIL_FROM: 不能包含换行');
  return { smtpUrl: url, mailFrom: from };
}

function webhookAllow(env: NodeJS.ProcessEnv, problems: string[]): AllowList {
  try {
    return parseAllowList(env.LUOSHI_WEBHOOK_ALLOW ?? '');
  } catch (error) {
    problems.push(`LUOSHI_WEBHOOK_ALLOW: ${(error as Error).message}`);
    return parseAllowList('');
  }
}

function publicUrl(env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const value = env.LUOSHI_PUBLIC_URL?.trim();
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.toString();
  } catch {
    problems.push(`LUOSHI_PUBLIC_URL=${JSON.stringify(value)}: 应为 http:// 或 https:// 开头的网址`);
    return null;
  }
}

/** LUOSHI_CLOCK_FILE: a file that is not there or does not hold an instant is a mistake to say at start. */
function clockFile(env: NodeJS.ProcessEnv, problems: string[]): string | null {
  const path = env.LUOSHI_CLOCK_FILE?.trim();
  if (!path) return null;
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(
      `LUOSHI_CLOCK_FILE=${JSON.stringify(path)}: 无法读取时钟文件（${(error as NodeJS.ErrnoException).code ?? String(error)}）`,
    );
    return null;
  }
  if (parseInstant(text) === undefined) {
    problems.push(
      `LUOSHI_CLOCK_FILE=${JSON.stringify(path)}: 文件内容应为 ISO-8601 时刻，如 2026-06-27T01:00:00Z，收到 ${JSON.stringify(text.trim().slice(0, 40))}`,
    );
    return null;
  }
  return file;
}

/**
 * An ISO-8601 instant with its date, time and offset (Z or ±hh:mm), as `--now` and the clock file take it; a date
 * alone or a time without an offset is refused, since its instant would depend on the machine's time zone.
 */
export function parseInstant(text: string): Date | undefined {
  const trimmed = text.trim();
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.exec(trimmed);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 7].map((index) => Number(parts[index] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // a day or time that does not exist (30 February, 24:00) is refused rather than rolled over
  const written = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    written.getUTCMonth() !== month - 1 ||
    written.getUTCDate() !== day ||
    written.getUTCHours() !== hour ||
    written.getUTCMinutes() !== minute
  )
    return undefined;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function jobsSwitch(env: NodeJS.ProcessEnv, problems: string[]): Config['jobs'] {
  const value = env.LUOSHI_JOBS?.trim() || 'on';
  if (value === 'on' || value === 'off') return value;
  problems.push(`LUOSHI_JOBS=${JSON.stringify(env.LUOSHI_JOBS)}: 应为 on 或 off (${CONFIG_VARIABLES.LUOSHI_JOBS})`);
  return 'on';
}

function jobsSchema(env: NodeJS.ProcessEnv, problems: string[]): string {
  const value = env.LUOSHI_JOBS_SCHEMA?.trim() || 'luoshi_jobs';
  if (/^[a-z_][a-z0-9_]{0,62}$/.test(value)) return value;
  problems.push(`LUOSHI_JOBS_SCHEMA=${JSON.stringify(env.LUOSHI_JOBS_SCHEMA)}: 应为小写字母、数字和下划线组成的模式名，不以数字开头`);
  return 'luoshi_jobs';
}

export function authConfig(config: Config) {
  return {
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    lockoutAttempts: config.lockoutAttempts,
    lockoutMinutes: config.lockoutMinutes,
    passwordPolicy: { minLength: config.passwordMinLength, minClasses: config.passwordMinClasses },
  };
}
