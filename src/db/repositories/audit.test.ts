import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/helpers/database.js';
import { appendAuditEvent } from './audit.js';

describeEachDatabase('the audit trail in the database', (database) => {
  it('takes new entries and refuses, in the database itself, to change or remove any', async () => {
    const { db } = database();
    await appendAuditEvent(
      db,
      { actor: 'user:1', source: 'test', action: 'test.write', objectType: 'test', objectId: 1, after: { a: 1 } },
      '2026-01-01T00:00:00.000Z',
    );
    const entry = await db.selectFrom('audit_events').selectAll().where('action', '=', 'test.write').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'user:1', object_id: '1', before: null, after: '{"a":1}' });

    await expect(db.updateTable('audit_events').set({ actor: 'someone else' }).where('id', '=', entry.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_events').where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
    expect(await db.selectFrom('audit_events').selectAll().where('id', '=', entry.id).executeTakeFirstOrThrow()).toEqual(entry);
  });
});
