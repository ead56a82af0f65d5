import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { appendAuditEvent } from '../../../db/repositories/audit.js';
import { listOrganisations } from '../../../db/repositories/organisations.js';

describeEachDatabase('the audit trail', (database) => {
  let app: FastifyInstance;
  let auditor: Session;
  beforeAll(async () => {
    // real time, like the accounts created by signInAs, so that newest-first is the order things happened in
    app = await buildTestApp(database().db, { now: () => new Date() });
    await signInAs(app, database().db, 'viewer');
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' } });
    auditor = await signInAs(app, database().db, 'auditor');
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists sign-ins and failures with who, when, where and what, filterable', async () => {
    const all = (await auditor.inject({ method: 'GET', url: '/api/audit' })).json();
    expect(all.events.map((event: { action: string }) => event.action)).toEqual([
      'auth.login',
      'user.create',
      'auth.login_failed',
      'auth.login',
      'user.create',
    ]);
    expect(all.events[2]).toMatchObject({
      actor: 'anonymous',
      source: 'web:127.0.0.1',
      objectType: 'user',
      objectId: 'nobody',
      after: { username: 'nobody', reason: 'unknown_user' },
    });
    const failures = (await auditor.inject({ method: 'GET', url: '/api/audit?action=auth.login_failed' })).json();
    expect(failures.total).toBe(1);
    const paged = (await auditor.inject({ method: 'GET', url: '/api/audit?limit=2&offset=1' })).json();
    expect(paged).toMatchObject({ total: 5, events: [{ action: 'user.create' }, { action: 'auth.login_failed' }] });
  });

  it('exports the trail as CSV and XLSX', async () => {
    const csv = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=csv&action=auth.' });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '编号,时间（UTC）,操作者,操作者名称,单位编号,单位名称,来源,操作,操作代码,对象类型,对象类型代码,对象编号,对象名称,变更前,变更后',
    );
    expect(lines).toHaveLength(1 + 3);
    const xlsx = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(1 + 5);
  });

  it('names the actor and the organisation, not only their ids', async () => {
    const admin = await signInAs(app, database().db, 'admin');
    const office = (await listOrganisations(database().db)).find((row) => row.name === '市政府办公室')!;
    const created = await admin.inject({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'zhang.san', displayName: '张三', organisationId: office.id, role: 'viewer' },
    });
    expect(created.statusCode).toBe(200);
    const zhang = created.json() as { user: { id: number }; password: string };
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhang.san', password: zhang.password } }))
        .statusCode,
    ).toBe(200);
    const token = await admin.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: '数据中台', organisationId: office.id, scope: 'read' },
    });
    const tokenId = (token.json() as { view: { id: number } }).view.id;
    // nothing a token may do is audited yet; an entry as a future write through a token would leave it
    await appendAuditEvent(
      database().db,
      { actor: `token:${tokenId}`, source: 'web:127.0.0.1', action: 'test.token_use', objectType: 'plan', objectId: 1 },
      new Date().toISOString(),
    );

    const signIn = (await auditor.inject({ method: 'GET', url: `/api/audit?action=auth.login&actor=user:${zhang.user.id}` })).json();
    expect(signIn.events).toEqual([
      expect.objectContaining({
        actor: `user:${zhang.user.id}`,
        actorName: '张三（zhang.san）',
        organisationId: office.id,
        organisationName: '市政府办公室',
      }),
    ]);
    // a user without a display name of its own is called by the user name
    const creation = (await auditor.inject({ method: 'GET', url: '/api/audit?action=token.create' })).json();
    expect(creation.events).toEqual([
      expect.objectContaining({
        actorName: admin.username,
        organisationName: '市政府办公室',
        action: 'token.create',
        actionLabel: '新建接口令牌',
        objectType: 'api_token',
        objectTypeLabel: '接口令牌',
        objectId: String(tokenId),
        objectName: '数据中台',
        after: { name: '数据中台', scope: 'read' },
      }),
    ]);
    const byToken = (await auditor.inject({ method: 'GET', url: `/api/audit?actor=token:${tokenId}` })).json();
    expect(byToken.events).toEqual([expect.objectContaining({ actorName: '数据中台', organisationId: null, organisationName: null })]);
    const failure = (await auditor.inject({ method: 'GET', url: '/api/audit?action=auth.login_failed' })).json();
    expect(failure.events[0]).toMatchObject({ actor: 'anonymous', actorName: 'anonymous', organisationName: null });
    const byTest = (await auditor.inject({ method: 'GET', url: '/api/audit?actor=test&limit=1' })).json();
    expect(byTest.events[0]).toMatchObject({ actorName: 'test' });
  });

  it('filters by object id, and lists what occurs in the trail for the filter choices when asked', async () => {
    const zhang = (await auditor.inject({ method: 'GET', url: '/api/audit?action=user.create&objectType=user' })).json().events[0];
    const ofZhang = (await auditor.inject({ method: 'GET', url: `/api/audit?objectType=user&objectId=${zhang.objectId}` })).json();
    expect(ofZhang.events.map((event: { action: string }) => event.action)).toEqual(['auth.login', 'user.create']);
    expect(ofZhang.events.every((event: { objectId: string }) => event.objectId === zhang.objectId)).toBe(true);

    const plain = (await auditor.inject({ method: 'GET', url: '/api/audit?limit=1' })).json();
    expect(plain).not.toHaveProperty('facets');
    const { facets } = (await auditor.inject({ method: 'GET', url: '/api/audit?limit=1&facets=true' })).json();
    expect(facets.actions).toEqual(['auth.login', 'auth.login_failed', 'test.token_use', 'token.create', 'user.create']);
    expect(facets.objectTypes).toEqual(['api_token', 'plan', 'user']);
    expect(facets.actors).toContainEqual({ actor: zhang.actor, name: zhang.actorName });
    expect(facets.actors).toContainEqual({ actor: 'anonymous', name: 'anonymous' });
    expect(facets.actors).toContainEqual(expect.objectContaining({ name: '张三（zhang.san）' }));
    expect(facets.actors).toContainEqual(expect.objectContaining({ name: '数据中台' }));
    expect(facets.organisations).toEqual([expect.objectContaining({ name: '市政府办公室' })]);
  });

  it('exports the names too, and no cell a spreadsheet would run as a formula', async () => {
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '=1+2', password: 'wrong-password' } });
    const csv = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=csv&action=auth.login' });
    const rows = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
      .slice(1);
    expect(rows.find((row) => row.includes('张三（zhang.san）'))).toMatch(
      /^\d+,[^,]+,user:\d+,张三（zhang.san）,\d+,市政府办公室,web:127\.0\.0\.1,登录成功,auth\.login,用户,user,\d+,张三（zhang.san）,/,
    );
    expect(rows[0]).toMatch(/,anonymous,anonymous,,,web:127\.0\.0\.1,登录失败,auth\.login_failed,用户,user,'=1\+2,,/);
    const xlsx = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=xlsx&action=token.' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(4).value).toBe('操作者名称');
    expect(sheet.getRow(2).getCell(6).value).toBe('市政府办公室');
    expect(sheet.getRow(1).getCell(8).value).toBe('操作');
    expect(sheet.getRow(2).getCell(8).value).toBe('新建接口令牌');
    expect(sheet.getRow(2).getCell(13).value).toBe('数据中台');
  });

  it('offers no way to change or delete an entry', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const auditMethods = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/api/audit'))
      .flatMap(([, methods]) => Object.keys(methods));
    expect(new Set(auditMethods)).toEqual(new Set(['get']));
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      expect((await auditor.inject({ method, url: '/api/audit' })).statusCode).toBe(404);
    }
  });
});
