import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { GroupCommitSqliteDialect, type GroupCommitOptions } from './group-commit.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** where the data lives, with any password removed, for logs and messages */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL only: the schema to use (created if missing); tests give each file its own. */
  schema?: string;
  /** PostgreSQL only: pool size (default 10) */
  poolSize?: number;
  /** SQLite only: how transactions are grouped under one COMMIT (src/db/group-commit.ts) */
  groupCommit?: GroupCommitOptions;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** `location` is a file path (or `:memory:`) for SQLite, or a `postgres://` URL. */
export function connectDatabase(location: string, options: ConnectOptions = {}): DatabaseHandle {
  return isPostgresUrl(location) ? connectPostgres(location, options) : connectSqlite(location, options.groupCommit);
}

/**
 * better-sqlite3 12 is the last release that runs on Node 20, but from Node 24.19 its statements abort the process
 * when the garbage collector frees them off the main context (node::ObjectWrap gained a cleanup hook); release 13
 * is built on Node-API, ships prebuilt binaries, and needs Node 22. So Node 20 loads 12, and Node 22 and 24 load 13,
 * which npm installs as an optional dependency only where its engine fits.
 */
const SQLITE_DRIVER = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-node-api' : 'better-sqlite3';
let sqliteConstructor: typeof BetterSqlite3 | undefined;

function loadSqliteDriver(): typeof BetterSqlite3 {
  if (sqliteConstructor) return sqliteConstructor;
  try {
    sqliteConstructor = createRequire(import.meta.url)(SQLITE_DRIVER) as typeof BetterSqlite3;
  } catch (error) {
    throw new Error(
      `无法加载 SQLite 驱动 ${SQLITE_DRIVER}（Node ${process.versions.node}）：请在这个 Node 版本下重新运行 npm install。` +
        `Cannot load the SQLite driver ${SQLITE_DRIVER} on Node ${process.versions.node}: run npm install again with this Node version.`,
      { cause: error },
    );
  }
  return sqliteConstructor;
}

function connectSqlite(path: string, groupCommit: GroupCommitOptions = {}): DatabaseHandle {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const SQLite = loadSqliteDriver();
  const writer = new SQLite(file);
  // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged commit survive power loss.
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  // reads outside transactions see only what has been committed, never a group's members still waiting for COMMIT
  const reader = file === ':memory:' ? undefined : new SQLite(file);
  reader?.pragma('busy_timeout = 5000');
  reader?.pragma('query_only = ON');
  const db = new Kysely<Database>({ dialect: new GroupCommitSqliteDialect({ ...groupCommit, writer, reader }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

// int8 (count(*), sum) as a JS number: our counts are far below 2^53
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

function connectPostgres(url: string, options: ConnectOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${quoteIdentifier(options.schema)}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy() };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return name;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(invalid url)';
  }
}

/** Brings the schema to the latest migration; safe to run on every start and from several processes in turn. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, ...(await migrationTableSchemaOf(db)) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * On PostgreSQL the migrator looks for its tables in every schema unless told which one: with another luoshi
 * database in a second schema of the same server (tests, a staging copy) it would see that one's lock table, skip
 * creating its own and then fail. Naming the connection's own schema keeps each database to itself.
 */
async function migrationTableSchemaOf(db: Kysely<Database>): Promise<{ migrationTableSchema?: string }> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return {};
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  return schema ? { migrationTableSchema: schema } : {};
}

/** True for the error both drivers raise when an insert collides with a unique key (a concurrent writer won). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
