import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedWrite, buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { createServiceContext } from '../../../services/context.js';
import { loadDemoPlanIfEmpty } from '../../../services/demo.js';

describeEachDatabase('account administration, one audit entry per write', (database) => {
  let app: FastifyInstance;
  let admin: Session;
  beforeAll(async () => {
    await loadDemoPlanIfEmpty(createServiceContext(database().db));
    app = await buildTestApp(database().db, { now: () => new Date() });
    admin = await signInAs(app, database().db, 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  const audited = (write: () => Promise<LightMyRequestResponse>, status = 200) => auditedWrite(database().db, write, status);

  it('creates a user with a one-time initial password who must change it', async () => {
    const organisations = (await admin.inject({ method: 'GET', url: '/api/organisations' })).json().organisations;
    const water = organisations.find((o: { name: string }) => o.name === '市水务局');
    const { response, entries } = await audited(() =>
      admin.inject({
        method: 'POST',
        url: '/api/users',
        payload: { username: 'wang.wu', displayName: '王五', organisationId: water.id, role: 'unit_leader' },
      }),
    );
    expect(response.user).toMatchObject({
      username: 'wang.wu',
      role: 'unit_leader',
      roleLabel: '单位负责人',
      mustChangePassword: true,
      organisation: { name: '市水务局' },
    });
    expect(response.password).toHaveLength(16);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.create',
        object_type: 'user',
        object_id: String(response.user.id),
        before: null,
        after: { username: 'wang.wu', role: 'unit_leader', organisationId: water.id, mustChangePassword: true },
      }),
    ]);
    const stored = await database()
      .db.selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'wang.wu')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.password_hash).not.toContain(response.password);

    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'wang.wu', password: response.password },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
  });

  it('records before and after of a change, and ends the sessions of a deactivated account', async () => {
    const users = (await admin.inject({ method: 'GET', url: '/api/users' })).json().users;
    const target = users.find((u: { username: string }) => u.username === 'wang.wu');
    const { entries } = await audited(() =>
      admin.inject({ method: 'PATCH', url: `/api/users/${target.id}`, payload: { role: 'unit_reporter', active: false, confirm: true } }),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'user.update',
        before: { role: 'unit_leader', displayName: '王五', active: true },
        after: { role: 'unit_reporter', displayName: '王五', active: false },
      }),
    ]);
    const self = users.find((u: { username: string }) => u.username === admin.username);
    const refused = await admin.inject({ method: 'PATCH', url: `/api/users/${self.id}`, payload: { active: false, confirm: true } });
    expect(refused.statusCode).toBe(409);
    const reset = await audited(() =>
      admin.inject({ method: 'POST', url: `/api/users/${target.id}/reset-password`, payload: { confirm: true } }),
    );
    expect(reset.entries.map((entry) => entry.action)).toEqual(['user.reset_password']);
  });

  it('creates and revokes API tokens, each once in the audit trail', async () => {
    const organisations = (await admin.inject({ method: 'GET', url: '/api/organisations' })).json().organisations;
    const created = await audited(() =>
      admin.inject({
        method: 'POST',
        url: '/api/tokens',
        payload: { name: '数据同步', organisationId: organisations[0].id, scope: 'read' },
      }),
    );
    expect(created.response.token).toMatch(/^lst_/);
    expect(created.entries.map((entry) => [entry.action, entry.after])).toEqual([['token.create', { name: '数据同步', scope: 'read' }]]);
    const listed = (await admin.inject({ method: 'GET', url: '/api/tokens' })).json().tokens;
    expect(JSON.stringify(listed)).not.toContain(created.response.token);
    const revoked = await audited(() =>
      admin.inject({ method: 'POST', url: `/api/tokens/${created.response.view.id}/revoke`, payload: { confirm: true } }),
    );
    expect(revoked.entries.map((entry) => entry.action)).toEqual(['token.revoke']);
    const again = await audited(() =>
      admin.inject({ method: 'POST', url: `/api/tokens/${created.response.view.id}/revoke`, payload: { confirm: true } }),
    );
    expect(again.entries).toEqual([]);
  });

  it('audits a password change once', async () => {
    const viewer = await signInAs(app, database().db, 'viewer');
    const changed = await audited(() =>
      viewer.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Test-Passw0rd!', newPassword: 'Another-Passw0rd' },
      }),
    );
    expect(changed.entries.map((entry) => entry.action)).toEqual(['user.change_password']);
  });
});

describe('the audit table', () => {
  it('has no update or delete anywhere in the application', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ts$/.test(name) && !name.endsWith('.test.ts') && !path.includes('/migrations/')) {
          const text = readFileSync(path, 'utf8');
          if (/updateTable\(\s*'audit_events'|deleteFrom\(\s*'audit_events'|(update|delete\s+from)\s+audit_events/i.test(text))
            offenders.push(path);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
