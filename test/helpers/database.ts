import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { connectDatabase, migrateToLatest, type DatabaseHandle, type DialectName } from '../../src/db/connect.js';

/** PostgreSQL runs too when LUOSHI_TEST_DATABASE_URL is set (CI sets it to the local server). */
export const TEST_POSTGRES_URL = process.env.LUOSHI_TEST_DATABASE_URL;
export const TEST_DIALECTS: DialectName[] = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends DatabaseHandle {
  /** the location to hand to a CLI or server process: a file path or a URL with the schema in search_path */
  cliLocation: string;
  destroy(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a new schema on the test PostgreSQL server. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-test-'));
    const file = join(dir, 'test.db');
    const handle = connectDatabase(file);
    await migrateToLatest(handle.db);
    return {
      ...handle,
      cliLocation: file,
      destroy: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!TEST_POSTGRES_URL) throw new Error('LUOSHI_TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = connectDatabase(TEST_POSTGRES_URL, { schema, poolSize: 4 });
  await migrateToLatest(handle.db);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    ...handle,
    cliLocation: url.toString(),
    destroy: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/**
 * Runs the same suite on every test dialect, each with its own fresh database for the whole describe block.
 * Tests that need a clean slate create their own with createTestDatabase.
 */
export function describeEachDatabase(name: string, suite: (database: () => TestDatabase, dialect: DialectName) => void): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.destroy();
      });
      suite(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, dialect);
    });
  }
}
