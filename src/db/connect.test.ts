import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_POSTGRES_URL } from '../../test/helpers/database.js';

describe.skipIf(!TEST_POSTGRES_URL)('migrations on a PostgreSQL server that holds another luoshi database', () => {
  it('migrates a new schema fully although another schema already has the migration tables', async () => {
    const first = await createTestDatabase('postgres');
    try {
      // the second database is created after the first has its kysely_migration tables: it must make its own
      const second = await createTestDatabase('postgres');
      try {
        const { rows } = await sql<{ tables: number }>`
          select count(*)::int as tables from information_schema.tables
          where table_schema = current_schema() and table_name in ('kysely_migration', 'kysely_migration_lock', 'plans')`.execute(
          second.db,
        );
        expect(rows[0]?.tables).toBe(3);
      } finally {
        await second.destroy();
      }
    } finally {
      await first.destroy();
    }
  });
});
