import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, TEST_CONFIG, TEST_PASSWORD } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { authConfig } from '../../../config.js';
import { createApiToken, createUser, revokeApiToken, SIGN_IN_FAILED } from '../../../services/accounts.js';
import { findOrganisationByName } from '../../../services/catalogue.js';
import { createServiceContext } from '../../../services/context.js';
import { loadDemoPlanIfEmpty } from '../../../services/demo.js';

describeEachDatabase('authentication and sessions', (database) => {
  let app: FastifyInstance;
  let clock = new Date('2030-03-01T02:00:00Z');
  const advance = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
  };
  const ctx = () => createServiceContext(database().db, () => clock);

  beforeAll(async () => {
    await loadDemoPlanIfEmpty(ctx());
    app = await buildTestApp(database().db, { now: () => clock });
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('answers 401 on every documented route except sign-in and the health check, without a session', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const open = new Set(['POST /api/auth/login', 'GET /healthz']);
    let checked = 0;
    for (const [path, methods] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{[^}]+\}/g, '1');
        if (open.has(`${method.toUpperCase()} ${path}`)) continue;
        const response = await app.inject({ method: method.toUpperCase() as 'GET', url });
        expect(response.statusCode, `${method} ${path}`).toBe(401);
        expect(response.json().error.code).toBe('unauthenticated');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('locks an account after five failed sign-ins, for fifteen minutes, and audits each step', async () => {
    const office = await findOrganisationByName(ctx(), '市生态环境局');
    await createUser(ctx(), { id: 'test', source: 'test' }, authConfig(TEST_CONFIG), {
      username: 'lockme',
      organisationId: office.id,
      role: 'unit_reporter',
      password: TEST_PASSWORD,
      mustChangePassword: false,
    });
    // every failure answers alike: no remaining attempts, no lock that only a real account could have
    const answers: unknown[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) answers.push((await login('lockme', 'wrong-password')).json());
    const locked = await login('lockme', TEST_PASSWORD);
    answers.push(locked.json());
    expect(locked.statusCode).toBe(401);
    const unknown = await login('nobody-here', 'whatever');
    expect(unknown.statusCode).toBe(401);
    expect(new Set([...answers, unknown.json()].map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([JSON.stringify({ error: { code: 'invalid_credentials', message: SIGN_IN_FAILED } })]),
    );
    advance(16);
    expect((await login('lockme', TEST_PASSWORD)).statusCode).toBe(200);

    const actions = (
      await database().db.selectFrom('audit_events').select('action').where('object_id', 'in', ['nobody-here']).execute()
    ).map((row) => row.action);
    expect(actions).toEqual(['auth.login_failed']);
    const user = await database().db.selectFrom('users').select('id').where('username', '=', 'lockme').executeTakeFirstOrThrow();
    const trail = (
      await database()
        .db.selectFrom('audit_events')
        .select('action')
        .where('object_type', '=', 'user')
        .where('object_id', '=', String(user.id))
        .orderBy('id')
        .execute()
    ).map((row) => row.action);
    expect(trail).toEqual(['user.create', ...Array(4).fill('auth.login_failed'), 'auth.locked', 'auth.login_refused_locked', 'auth.login']);
  });

  it('ends a session after 30 idle minutes and after its absolute lifetime', async () => {
    const session = await signInAs(app, database().db, 'viewer');
    advance(29);
    expect((await session.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(200);
    advance(29);
    expect((await session.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(200);
    advance(31);
    const idle = await session.inject({ method: 'GET', url: '/api/plans' });
    expect(idle.statusCode).toBe(401);
    expect(idle.headers['set-cookie']).toContain('luoshi_session=;');

    const busy = await signInAs(app, database().db, 'viewer');
    // active every 20 minutes, so never idle: it still ends 12 hours after sign-in
    for (let step = 1; step < 36; step++) {
      advance(20);
      expect((await busy.inject({ method: 'GET', url: '/api/plans' })).statusCode, `after ${step * 20} minutes`).toBe(200);
    }
    advance(20);
    expect((await busy.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the session’s CSRF token', async () => {
    const session = await signInAs(app, database().db, 'viewer');
    const withoutToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie } });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().error.code).toBe('csrf_failed');
    const wrongToken = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(32) },
    });
    expect(wrongToken.statusCode).toBe(403);
    expect((await session.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await session.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('signs a second person in on a browser that still holds a session, and ends that session', async () => {
    const first = await signInAs(app, database().db, 'viewer');
    const second = await signInAs(app, database().db, 'supervisor');
    // the browser still sends the first session's cookie, and knows no CSRF token for the new sign-in
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first.cookie },
      payload: { username: second.username, password: TEST_PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().user.username).toBe(second.username);
    expect((await first.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    const ended = await database().db.selectFrom('audit_events').select(['action', 'actor']).orderBy('id', 'desc').limit(2).execute();
    expect(ended.map((entry) => entry.action).sort()).toEqual(['auth.login', 'auth.logout']);
  });

  it('lets a user with an initial password do nothing but change it', async () => {
    const session = await signInAs(app, database().db, 'supervisor', '市政府办公室', { mustChangePassword: true });
    const me = await session.inject({ method: 'GET', url: '/api/auth/me' });
    expect(me.json().user.mustChangePassword).toBe(true);
    const blocked = await session.inject({ method: 'GET', url: '/api/plans' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');

    const weak = await session.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const wrong = await session.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'nope', newPassword: 'Better-Passw0rd' },
    });
    expect(wrong.json().error.code).toBe('wrong_password');

    const changed = await session.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'Better-Passw0rd' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.mustChangePassword).toBe(false);
    // the old session ended with the change; the answer carries a new one
    expect((await session.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(401);
    const cookie = changed.cookies.find((c) => c.name === 'luoshi_session')!;
    const fresh = await app.inject({ method: 'GET', url: '/api/plans', headers: { cookie: `luoshi_session=${cookie.value}` } });
    expect(fresh.statusCode).toBe(200);
  });

  it('accepts API tokens scoped to an organisation and read-only, and refuses them once revoked', async () => {
    const ecology = await findOrganisationByName(ctx(), '市生态环境局');
    const { token, view } = await createApiToken(
      ctx(),
      { id: 'test', source: 'test' },
      { name: '对接测试', organisationId: ecology.id, scope: 'read' },
    );
    const bearer = { authorization: `Bearer ${token}` };
    const plans = await app.inject({ method: 'GET', url: '/api/plans', headers: bearer });
    expect(plans.statusCode).toBe(200);
    const water = await findOrganisationByName(ctx(), '市水务局');
    expect((await app.inject({ method: 'GET', url: `/api/organisations/${water.id}/summary`, headers: bearer })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/organisations/${ecology.id}/summary`, headers: bearer })).statusCode).toBe(200);
    const write = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('token_read_only');

    const used = await database().db.selectFrom('api_tokens').select('last_used_at').where('id', '=', view.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    await revokeApiToken(ctx(), { id: 'test', source: 'test' }, view.id);
    const revoked = await app.inject({ method: 'GET', url: '/api/plans', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('invalid_token');
    expect((await app.inject({ method: 'GET', url: '/api/plans', headers: { authorization: 'Bearer lst_forged' } })).statusCode).toBe(401);
  });

  it('shows a unit only its own items, and answers 404 for another unit’s objects', async () => {
    const reporter = await signInAs(app, database().db, 'unit_reporter', '市水务局');
    const plans = (await reporter.inject({ method: 'GET', url: '/api/plans' })).json().plans;
    expect(plans).toHaveLength(1);
    expect(plans[0].counts).toEqual({ chapters: 2, tasks: 3, items: 4 });
    const tree = (await reporter.inject({ method: 'GET', url: `/api/plans/${plans[0].id}` })).json();
    expect(tree.chapters.flatMap((c: { tasks: { number: string }[] }) => c.tasks.map((t) => t.number))).toEqual(['27', '35', '36']);

    const ecology = await findOrganisationByName(ctx(), '市生态环境局');
    const other = await reporter.inject({ method: 'GET', url: `/api/organisations/${ecology.id}/summary` });
    expect(other.statusCode).toBe(404);
    expect((await reporter.inject({ method: 'GET', url: `/api/organisations/${ecology.id}` })).statusCode).toBe(404);
    const full = (await (await signInAs(app, database().db, 'viewer')).inject({ method: 'GET', url: `/api/plans/${plans[0].id}` })).json();
    const foreignItem = full.chapters[0].tasks[0].items[0].id;
    expect((await reporter.inject({ method: 'GET', url: `/api/items/${foreignItem}` })).statusCode).toBe(404);
    expect((await reporter.inject({ method: 'GET', url: `/api/items/999999` })).json()).toEqual(
      (await reporter.inject({ method: 'GET', url: `/api/items/${foreignItem}` })).json(),
    );
    // the water bureau leads task 27's item: it sees the ecology bureau's report on it, as lead unit
    const leadItem = tree.chapters[0].tasks.find((t: { number: string }) => t.number === '27').items[0].id;
    const detail = (await reporter.inject({ method: 'GET', url: `/api/items/${leadItem}` })).json();
    expect(detail.reports.map((r: { organisation: { name: string } }) => r.organisation.name)).toEqual(['市生态环境局']);

    expect((await reporter.inject({ method: 'POST', url: '/api/imports/preview' })).statusCode).toBe(403);
  });
});
