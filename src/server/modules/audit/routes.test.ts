import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';

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
    expect(all.events.map((event: { action: string }) => event.action)).toEqual(['auth.login', 'user.create', 'auth.login_failed', 'auth.login', 'user.create']);
    expect(all.events[2]).toMatchObject({ actor: 'anonymous', source: 'web:127.0.0.1', objectType: 'user', objectId: 'nobody', after: { username: 'nobody', reason: 'unknown_user' } });
    const failures = (await auditor.inject({ method: 'GET', url: '/api/audit?action=auth.login_failed' })).json();
    expect(failures.total).toBe(1);
    const paged = (await auditor.inject({ method: 'GET', url: '/api/audit?limit=2&offset=1' })).json();
    expect(paged).toMatchObject({ total: 5, events: [{ action: 'user.create' }, { action: 'auth.login_failed' }] });
  });

  it('exports the trail as CSV and XLSX', async () => {
    const csv = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=csv&action=auth.' });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('编号,时间（UTC）,操作者,单位编号,来源,操作,对象类型,对象编号,变更前,变更后');
    expect(lines).toHaveLength(1 + 3);
    const xlsx = await auditor.inject({ method: 'GET', url: '/api/audit/export?format=xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(1 + 5);
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
