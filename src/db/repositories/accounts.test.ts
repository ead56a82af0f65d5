import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/helpers/database.js';
import { findApiTokenNames, findUserNames, insertApiToken, insertUser } from './accounts.js';
import { insertOrganisation } from './organisations.js';

const AT = '2030-06-01T00:00:00.000Z';

describeEachDatabase('naming the actors of the trail', (database) => {
  it('finds users and tokens among more ids than either dialect binds in one statement', async () => {
    const { db } = database();
    const organisationId = await insertOrganisation(db, { name: '市水务局', kind: 'city_department', createdAt: AT });
    const people = [
      await insertUser(db, {
        organisationId,
        username: 'wang.wu',
        displayName: '王五',
        role: 'unit_reporter',
        passwordHash: 'x',
        mustChangePassword: false,
        at: AT,
      }),
      await insertUser(db, {
        organisationId,
        username: 'li.si',
        displayName: '李四',
        role: 'unit_leader',
        passwordHash: 'x',
        mustChangePassword: false,
        at: AT,
      }),
    ];
    const token = await insertApiToken(db, {
      name: '数据中台',
      prefix: 'lsk_abc',
      token_hash: 'h'.repeat(64),
      organisation_id: organisationId,
      scope: 'write',
      created_by: 'cli',
      created_at: AT,
    });
    // SQLite binds at most 32,766 parameters in a statement: 40,000 ids, duplicates included, need chunks
    const many = [...Array.from({ length: 40_000 }, (_, index) => 100_000 + index), ...people, ...people, token];

    const users = await findUserNames(db, many);
    expect(users.sort((a, b) => a.id - b.id)).toEqual([
      { id: people[0], username: 'wang.wu', display_name: '王五' },
      { id: people[1], username: 'li.si', display_name: '李四' },
    ]);
    expect(await findApiTokenNames(db, many)).toEqual([{ id: token, name: '数据中台' }]);
    expect(await findUserNames(db, [])).toEqual([]);
  });
});
