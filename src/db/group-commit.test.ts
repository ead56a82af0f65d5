import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test/helpers/database.js';
import { connectDatabase, isUniqueViolation, type DatabaseHandle } from './connect.js';

/** A scratch table beside the real schema: group behaviour does not depend on what the rows mean. */
async function createNotes(db: Kysely<any>): Promise<void> {
  await sql`create table notes (body text primary key)`.execute(db);
}

const bodies = async (db: Kysely<any>) =>
  (await db.selectFrom('notes').select('body').orderBy('body').execute()).map((row) => row.body as string);

const later = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('group commit on SQLite', () => {
  let dir: string | undefined;
  let handle: DatabaseHandle | undefined;
  let trace: string[] = [];

  // no time limit on a group here: which transactions share a COMMIT must not depend on how busy the machine is
  const open = (options: { maxMembers?: number } = {}) => {
    dir = mkdtempSync(join(tmpdir(), 'luoshi-group-'));
    trace = [];
    handle = connectDatabase(join(dir, 'group.db'), {
      groupCommit: { maxOpenMs: 600_000, ...options, trace: (statement) => trace.push(statement) },
    });
    return handle.db as unknown as Kysely<any>;
  };

  afterEach(async () => {
    await handle?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    handle = undefined;
    dir = undefined;
  });

  it('commits transactions that arrive together under one COMMIT, each in its own savepoint; one that throws undoes only itself', async () => {
    const db = open();
    await createNotes(db);
    trace = [];
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((body) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('notes').values({ body }).execute();
          await trx
            .insertInto('notes')
            .values({ body: `${body}2` })
            .execute();
          if (body === 'c') throw new Error('refused');
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await bodies(db)).toEqual(['a', 'a2', 'b', 'b2', 'd', 'd2', 'e', 'e2']);
    expect(trace.filter((statement) => statement === 'begin immediate')).toHaveLength(1);
    expect(trace.filter((statement) => statement === 'commit')).toHaveLength(1);
    expect(trace.filter((statement) => statement.startsWith('savepoint'))).toHaveLength(5);
    expect(trace.filter((statement) => statement.startsWith('rollback to'))).toHaveLength(1);
  });

  it('resolves no member before the COMMIT that covers it has run', async () => {
    const db = open();
    await createNotes(db);
    trace = [];
    await Promise.all(
      ['a', 'b', 'c'].map((body) =>
        db
          .transaction()
          .execute((trx) => trx.insertInto('notes').values({ body }).execute())
          .then(() => trace.push(`resolved ${body}`)),
      ),
    );
    const commit = trace.indexOf('commit');
    expect(commit).toBeGreaterThan(-1);
    for (const body of ['a', 'b', 'c']) expect(trace.indexOf(`resolved ${body}`)).toBeGreaterThan(commit);
  });

  it('rejects every member when the COMMIT fails, and keeps none of their writes', async () => {
    const db = open();
    await createNotes(db);
    // a deferred foreign key is only checked at COMMIT: one member's dangling row makes the whole COMMIT fail
    await sql`create table parents (id integer primary key)`.execute(db);
    await sql`create table children (id integer primary key, parent_id integer not null references parents (id) deferrable initially deferred)`.execute(
      db,
    );
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('notes').values({ body: 'before' }).execute()),
      db.transaction().execute((trx) => trx.insertInto('children').values({ parent_id: 999 }).execute()),
      db.transaction().execute((trx) => trx.insertInto('notes').values({ body: 'after' }).execute()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(await bodies(db)).toEqual([]);
    expect(await db.selectFrom('children').selectAll().execute()).toEqual([]);
    // the connection is usable again afterwards
    await db.transaction().execute((trx) => trx.insertInto('notes').values({ body: 'again' }).execute());
    expect(await bodies(db)).toEqual(['again']);
  });

  it('shows a read outside any transaction only what has been committed', async () => {
    const db = open();
    await createNotes(db);
    let firstCommitted = false;
    let seenWhileOpen: string[] | undefined;
    const first = db
      .transaction()
      .execute((trx) => trx.insertInto('notes').values({ body: 'first' }).execute())
      .then(() => (firstCommitted = true));
    // the second member joins the same group and holds it open across a timer: the first has left its savepoint
    // but is not committed yet, so a plain read must not see it
    const second = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ body: 'second' }).execute();
      await later();
      seenWhileOpen = await bodies(db);
      expect(firstCommitted).toBe(false);
      // inside the group, a member sees the members before it: they commit or fail together with it
      expect((await trx.selectFrom('notes').select('body').orderBy('body').execute()).map((row) => row.body)).toEqual(['first', 'second']);
    });
    await Promise.all([first, second]);
    expect(seenWhileOpen).toEqual([]);
    expect(await bodies(db)).toEqual(['first', 'second']);
  });

  it('keeps the savepoints a transaction opens itself, inside its own member savepoint', async () => {
    const db = open();
    await createNotes(db);
    const trx = await db.startTransaction().execute();
    await trx.insertInto('notes').values({ body: 'kept' }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('notes').values({ body: 'undone' }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await inner.releaseSavepoint('inner').execute();
    await trx.commit().execute();
    expect(await bodies(db)).toEqual(['kept']);
  });

  it('turns a unique violation into the error services recognise, undoing only that member', async () => {
    const db = open();
    await createNotes(db);
    await db.insertInto('notes').values({ body: 'taken' }).execute();
    const outcomes = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('notes').values({ body: 'one' }).execute()),
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ body: 'two' }).execute();
        await trx.insertInto('notes').values({ body: 'taken' }).execute();
      }),
      db.transaction().execute((trx) => trx.insertInto('notes').values({ body: 'three' }).execute()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await bodies(db)).toEqual(['one', 'taken', 'three'].sort());
  });

  it('closes a group at its size limit: later transactions go into the next one', async () => {
    const db = open({ maxMembers: 2 });
    await createNotes(db);
    trace = [];
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((body) => db.transaction().execute((trx) => trx.insertInto('notes').values({ body }).execute())),
    );
    expect(trace.filter((statement) => statement === 'commit')).toHaveLength(3);
    expect(await bodies(db)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('commits a write made outside any transaction before answering it', async () => {
    const db = open();
    await createNotes(db);
    trace = [];
    await db.insertInto('notes').values({ body: 'plain' }).execute();
    expect(trace).toContain('commit');
    expect(await bodies(db)).toEqual(['plain']);
  });
});

describe.each(TEST_DIALECTS)('transactions refused one by one [%s]', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('keeps every transaction but the one that threw, when many run at once', async () => {
    database = await createTestDatabase(dialect);
    const db = database.db as unknown as Kysely<any>;
    await createNotes(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('notes')
            .values({ body: `note ${index}` })
            .execute();
          if (index % 7 === 3) throw new Error('refused');
        }),
      ),
    );
    const kept = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [`note ${index}`] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(6);
    expect(await bodies(db)).toEqual(kept.sort());
  });
});
