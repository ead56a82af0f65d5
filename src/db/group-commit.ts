import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Group commit for SQLite: many requests' transactions share one BEGIN IMMEDIATE … COMMIT, so one fsync covers all
 * of them instead of one fsync each.
 *
 * - The services keep writing `db.transaction().execute(…)`; this driver turns each such transaction into a member
 *   of the open group, run in its own SAVEPOINT. Members run one after another on the one write connection (SQLite
 *   has a single writer anyway); a member that throws is rolled back to its savepoint and undoes no other member.
 * - A member's commit promise resolves only after the COMMIT that covers it has returned: with synchronous=FULL
 *   the WAL is on disk by then, so nothing acknowledged is lost in a crash. A failed COMMIT rejects every member.
 * - A group closes when no member is waiting at the end of the current turn of the event loop, or when it reaches
 *   `maxMembers` or has been open `maxOpenMs`; transactions arriving after that join the next group.
 * - Reads outside any transaction run on a second, read-only connection: in WAL mode it sees the last COMMIT and
 *   never a group's not-yet-committed members, so no request can read a write that has not been acknowledged.
 *   (An in-memory database has no second connection: there plain reads wait for the write connection between
 *   members and may see members of the open group. Only tests use `:memory:`.)
 * - Reads inside a transaction run on the write connection and see the earlier members of the same group. That is
 *   safe: those members commit or fail together with the reader, in the same COMMIT.
 * - Writes outside any transaction (the migrator runs its DDL that way) become one-statement members.
 */
export interface GroupCommitOptions {
  /** most transactions one COMMIT covers (1 commits each transaction on its own) */
  maxMembers?: number;
  /** longest a group stays open for new members, in milliseconds */
  maxOpenMs?: number;
  /** sees every transaction-control statement as it runs (BEGIN, SAVEPOINT, RELEASE, ROLLBACK, COMMIT): tests and diagnostics */
  trace?: (statement: string) => void;
}

export const DEFAULT_GROUP_MAX_MEMBERS = 64;
const MEMBER_SAVEPOINT = 'luoshi_member';
export const DEFAULT_GROUP_MAX_OPEN_MS = 10;

export interface GroupCommitDialectConfig extends GroupCommitOptions {
  writer: BetterSqlite3.Database;
  /** a second connection to the same file for reads outside transactions; none for `:memory:` */
  reader?: BetterSqlite3.Database;
}

export class GroupCommitSqliteDialect implements Dialect {
  constructor(private readonly config: GroupCommitDialectConfig) {}

  createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // the dialect interface is written for any schema
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect interface types its argument as Kysely<any>
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Group {
  members: number;
  openedAt: number;
  /** members whose savepoint was released, waiting for the COMMIT */
  released: Waiter[];
}

/** Statements prepared once per SQL text: building a statement costs about as much as running a small one. */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly limit = 500,
  ) {}

  get(sqlText: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sqlText);
    if (statement) {
      // most recently used last, so the oldest is dropped first
      this.statements.delete(sqlText);
    } else {
      statement = this.database.prepare(sqlText);
      if (this.statements.size >= this.limit) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sqlText, statement);
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}

function run<R>(statement: BetterSqlite3.Statement, parameters: readonly unknown[]): QueryResult<R> {
  // one array of anonymous parameters, as Kysely's own SQLite driver binds them (no spread: no argument-count limit)
  const bound = parameters as unknown[];
  if (statement.reader) return { rows: statement.all(bound) as R[] };
  const { changes, lastInsertRowid } = statement.run(bound);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

class GroupCommitSqliteDriver implements Driver {
  private readonly writer: BetterSqlite3.Database;
  private readonly reader: BetterSqlite3.Database | undefined;
  private readonly writes: StatementCache;
  private readonly reads: StatementCache | undefined;
  private readonly maxMembers: number;
  private readonly maxOpenMs: number;
  private readonly trace: (statement: string) => void;

  /** whether a member (or a plain read on `:memory:`) is using the write connection */
  private slotHeld = false;
  private readonly waiting: Waiter[] = [];
  private group: Group | undefined;
  private commitScheduled = false;
  /** set when the scheduled commit found the write connection busy: the member that holds it commits on leaving */
  private commitOnRelease = false;
  private destroyed = false;

  constructor(config: GroupCommitDialectConfig) {
    this.writer = config.writer;
    this.reader = config.reader;
    this.writes = new StatementCache(config.writer);
    this.reads = config.reader ? new StatementCache(config.reader) : undefined;
    this.maxMembers = Math.max(1, config.maxMembers ?? DEFAULT_GROUP_MAX_MEMBERS);
    this.maxOpenMs = Math.max(0, config.maxOpenMs ?? DEFAULT_GROUP_MAX_OPEN_MS);
    this.trace = config.trace ?? (() => {});
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.destroyed) throw new Error('database closed');
    return new GroupConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as GroupConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as GroupConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    (connection as GroupConnection).control(`savepoint ${quoteName(savepointName)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    (connection as GroupConnection).control(`rollback to ${quoteName(savepointName)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    (connection as GroupConnection).control(`release ${quoteName(savepointName)}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as GroupConnection).abandon();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    // let running members finish and the open group commit before the connections close
    await this.acquireSlot();
    if (this.group) this.commitGroup();
    this.destroyed = true;
    this.writes.clear();
    this.reads?.clear();
    this.reader?.close();
    this.writer.close();
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('database closed'));
  }

  // ---- the write connection, one user at a time ----

  acquireSlot(): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('database closed'));
    if (!this.slotHeld) {
      this.slotHeld = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Hands the write connection to the next waiter, committing first if the group is full, old, or due. */
  releaseSlot(): void {
    const group = this.group;
    if (group && (this.commitOnRelease || group.members >= this.maxMembers || performance.now() - group.openedAt >= this.maxOpenMs)) {
      this.commitGroup();
    } else if (group && !this.commitScheduled) {
      this.commitScheduled = true;
      // after this turn of the event loop: the transactions of requests that arrived in the same turn join first
      setImmediate(() => this.commitWhenFree());
    }
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.slotHeld = false;
  }

  private commitWhenFree(): void {
    this.commitScheduled = false;
    if (!this.group) return;
    if (this.slotHeld) this.commitOnRelease = true;
    else this.commitGroup();
  }

  /** Opens a group if none is open and starts a member in it; the caller holds the slot. */
  enterGroup(): { savepoint: string; group: Group } {
    if (!this.group) {
      this.control('begin immediate');
      this.group = { members: 0, openedAt: performance.now(), released: [] };
    }
    // one name for every member: members never overlap on the connection, and one SQL text is prepared once,
    // where a name per member made three new statements a transaction and pushed the hot ones out of the cache
    const savepoint = MEMBER_SAVEPOINT;
    this.control(`savepoint ${savepoint}`);
    this.group.members += 1;
    return { savepoint, group: this.group };
  }

  /** Keeps a member's work in the group; the returned promise settles with the group's COMMIT. */
  leaveGroup(savepoint: string, group: Group): Promise<void> {
    const committed = new Promise<void>((resolve, reject) => group.released.push({ resolve, reject }));
    try {
      this.control(`release ${savepoint}`);
    } catch (error) {
      group.released.pop();
      this.undoMember(savepoint, group, error);
      throw error;
    }
    return committed;
  }

  /** Undoes one member's work; if SQLite rolled back the whole transaction instead, the group has failed. */
  undoMember(savepoint: string, group: Group, cause?: unknown): void {
    if (this.writer.inTransaction) {
      try {
        this.control(`rollback to ${savepoint}`);
        this.control(`release ${savepoint}`);
        return;
      } catch (error) {
        cause ??= error;
      }
    }
    this.failGroup(group, cause ?? new Error('the transaction was rolled back'));
  }

  private failGroup(group: Group, cause: unknown): void {
    if (this.group === group) this.group = undefined;
    this.commitOnRelease = false;
    this.rollbackQuietly();
    for (const member of group.released.splice(0)) member.reject(cause);
  }

  /** After a failure the members learn the first cause; a rollback that fails too (nothing open) adds nothing. */
  private rollbackQuietly(): void {
    if (!this.writer.inTransaction) return;
    try {
      this.control('rollback');
    } catch {
      // the connection has no transaction left to undo
    }
  }

  private commitGroup(): void {
    const group = this.group;
    this.commitOnRelease = false;
    if (!group) return;
    this.group = undefined;
    try {
      this.control('commit');
    } catch (error) {
      this.rollbackQuietly();
      for (const member of group.released.splice(0)) member.reject(error);
      return;
    }
    for (const member of group.released.splice(0)) member.resolve();
  }

  control(statement: string): void {
    this.writes.get(statement).run();
    this.trace(statement);
  }

  runOnWriter<R>(query: CompiledQuery): QueryResult<R> {
    return run<R>(this.writes.get(query.sql), query.parameters);
  }

  /** A plain read runs at once on the read connection; undefined when it must go to the write connection. */
  tryReader<R>(query: CompiledQuery): QueryResult<R> | undefined {
    if (!this.reads) return undefined;
    let statement: BetterSqlite3.Statement;
    try {
      statement = this.reads.get(query.sql);
    } catch {
      // e.g. a write to a table the last COMMIT does not have yet: the write connection decides
      return undefined;
    }
    if (!statement.readonly) return undefined;
    return run<R>(statement, query.parameters);
  }

  /** Only asked when the read connection could not take the statement, or there is none. */
  isReadOnly(query: CompiledQuery): boolean {
    return !this.reads && this.writes.get(query.sql).readonly;
  }

  readStatement(query: CompiledQuery): BetterSqlite3.Statement | undefined {
    if (!this.reader) return undefined;
    // a fresh statement: an iterating statement cannot run anything else until it ends
    const statement = this.reader.prepare(query.sql);
    return statement.readonly ? statement : undefined;
  }
}

/** One use of the database by Kysely: a transaction (a member of a group) or a series of plain statements. */
class GroupConnection implements DatabaseConnection {
  private member: { savepoint: string; group: Parameters<GroupCommitSqliteDriver['leaveGroup']>[1] } | undefined;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  async begin(): Promise<void> {
    await this.driver.acquireSlot();
    try {
      this.member = this.driver.enterGroup();
    } catch (error) {
      this.driver.releaseSlot();
      throw error;
    }
  }

  async commit(): Promise<void> {
    const member = this.requireMember();
    this.member = undefined;
    let committed: Promise<void>;
    try {
      committed = this.driver.leaveGroup(member.savepoint, member.group);
    } finally {
      this.driver.releaseSlot();
    }
    await committed;
  }

  /** Kysely rolls back after a failed commit too: by then the member has already left its group, nothing to undo. */
  rollback(): void {
    const member = this.member;
    if (!member) return;
    this.member = undefined;
    try {
      this.driver.undoMember(member.savepoint, member.group);
    } finally {
      this.driver.releaseSlot();
    }
  }

  /** Kysely releases the connection after commit or rollback; a transaction left open here is undone. */
  abandon(): void {
    if (this.member) this.rollback();
  }

  control(statement: string): void {
    this.requireMember();
    this.driver.control(statement);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.member) return this.driver.runOnWriter<R>(query);
    const read = this.driver.tryReader<R>(query);
    if (read) return read;
    if (this.driver.isReadOnly(query)) {
      // no read connection (`:memory:`): wait for the write connection between members
      await this.driver.acquireSlot();
      try {
        return this.driver.runOnWriter<R>(query);
      } finally {
        this.driver.releaseSlot();
      }
    }
    // a write outside any transaction is a group member of one statement
    await this.begin();
    let result: QueryResult<R>;
    try {
      result = this.driver.runOnWriter<R>(query);
    } catch (error) {
      this.rollback();
      throw error;
    }
    await this.commit();
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.member ? undefined : this.driver.readStatement(query);
    if (!statement) {
      // inside a transaction, or without a read connection: the rows at once, as one chunk
      yield await this.executeQuery<R>(query);
      return;
    }
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }

  private requireMember() {
    if (!this.member) throw new Error('no transaction is open on this connection');
    return this.member;
  }
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
