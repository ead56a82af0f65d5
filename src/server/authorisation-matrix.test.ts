import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { multipartBody } from '../../test/helpers/multipart.js';
import type { Role } from '../domain/roles.js';
import { createApiToken } from '../services/accounts.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../services/catalogue.js';
import { createServiceContext } from '../services/context.js';
import { loadDemoPlanIfEmpty } from '../services/demo.js';
import { importSummaryTable } from '../services/import.js';

type PrincipalName = Role | 'token_read' | 'token_write' | 'anonymous';
type Ownership = 'own' | 'other';
const PRINCIPALS: PrincipalName[] = [
  'admin',
  'supervisor',
  'unit_leader',
  'unit_reporter',
  'viewer',
  'auditor',
  'token_read',
  'token_write',
  'anonymous',
];

/** Reading the catalogue: city-wide roles see everything, a unit (or its token) only its own, the auditor nothing. */
function catalogueRead(principal: PrincipalName, ownership: Ownership, scoped: boolean): number {
  if (principal === 'anonymous') return 401;
  if (principal === 'auditor') return 403;
  const unit = principal === 'unit_leader' || principal === 'unit_reporter' || principal.startsWith('token');
  return scoped && unit && ownership === 'other' ? 404 : 200;
}

/** Account management: the system administrator only; a read-only token is refused before anything else. */
function adminOnly(principal: PrincipalName, allowed: number): number {
  return principal === 'anonymous' ? 401 : principal === 'admin' ? allowed : 403;
}

/** The organisation register: kept by the administrator and the supervision office, city-wide. */
function registerWrite(principal: PrincipalName, allowed: number): number {
  return principal === 'anonymous' ? 401 : principal === 'admin' || principal === 'supervisor' ? allowed : 403;
}

/** A step of the reporting workflow: units, the office and write tokens may try; the rules decide the rest. */
function reportsAct(principal: PrincipalName, allowed: number): number {
  if (principal === 'anonymous') return 401;
  return ['unit_leader', 'unit_reporter', 'supervisor', 'token_write'].includes(principal) ? allowed : 403;
}

/** Plans, assignments and extensions: the supervision office's. */
function officeOnly(principal: PrincipalName, allowed: number): number {
  return principal === 'anonymous' ? 401 : principal === 'supervisor' ? allowed : 403;
}

/** A person's own inbox and settings: every signed-in person has them, an integration's token none. */
function personal(principal: PrincipalName, allowed: number): number {
  return principal === 'anonymous' ? 401 : principal.startsWith('token') ? 403 : allowed;
}

/** Changing one's inbox or settings without a body: a read token is refused first, the rest fail validation. */
function personalWrite(principal: PrincipalName): number {
  return principal === 'anonymous' ? 401 : principal === 'token_read' ? 403 : 400;
}

/** Any signed-in reader of the catalogue; the audit reader reads only the audit trail. */
function anyReader(principal: PrincipalName, allowed: number): number {
  return principal === 'anonymous' ? 401 : principal === 'auditor' ? 403 : allowed;
}

/**
 * The expected answer of every route for every principal, on an object of its own organisation and of another.
 * A route in the OpenAPI document without an entry here fails the test: no route escapes the matrix.
 */
const MATRIX: Record<string, (principal: PrincipalName, ownership: Ownership) => number> = {
  'GET /healthz': () => 200,
  'POST /api/auth/login': () => 400, // no body: validation answers before any check of who is calling
  'POST /api/auth/logout': (p) => (p === 'anonymous' ? 401 : p === 'token_read' ? 403 : 204),
  'GET /api/auth/me': (p) => (p === 'anonymous' ? 401 : p.startsWith('token') ? 403 : 200),
  'POST /api/auth/password': (p) => (p === 'anonymous' ? 401 : p === 'token_read' ? 403 : 400),
  'GET /api/plans': (p, o) => catalogueRead(p, o, false),
  'GET /api/plans/{planId}': (p, o) => catalogueRead(p, o, true),
  'GET /api/items/{itemId}': (p, o) => catalogueRead(p, o, true),
  'GET /api/organisations': (p, o) => catalogueRead(p, o, false),
  'POST /api/organisations': (p) => registerWrite(p, 400), // no body
  'PATCH /api/organisations/{orgId}': (p) => registerWrite(p, 400),
  'POST /api/organisations/{orgId}/merge': (p) => registerWrite(p, 400),
  'GET /api/organisations/{orgId}': (p, o) => catalogueRead(p, o, true),
  'GET /api/organisations/{orgId}/summary': (p, o) => catalogueRead(p, o, true),
  'GET /api/organisations/{orgId}/summary/export': (p, o) => catalogueRead(p, o, true),
  'POST /api/imports/preview': (p) => (p === 'anonymous' ? 401 : p === 'supervisor' ? 400 : 403),
  'POST /api/imports': (p) => (p === 'anonymous' ? 401 : p === 'supervisor' ? 400 : 403),
  'GET /api/items/{itemId}/reports/{orgId}/{period}': (p, o) => catalogueRead(p, o, true),
  'PUT /api/items/{itemId}/reports/{orgId}/{period}': (p) => reportsAct(p, 400), // no body
  'POST /api/items/{itemId}/reports/{orgId}/{period}/extension': (p) => reportsAct(p, 400),
  'GET /api/reports/{reportId}': (p) => anyReader(p, 404), // no report 999999
  'POST /api/reports/{reportId}/events': (p) => reportsAct(p, 400),
  'GET /api/reports/{reportId}/versions': (p) => anyReader(p, 404),
  'GET /api/reports/{reportId}/attachments': (p) => anyReader(p, 404),
  'POST /api/reports/{reportId}/attachments': (p) => reportsAct(p, 415), // not a multipart upload
  'GET /api/reports/{reportId}/attachments/{attachmentId}': (p) => anyReader(p, 404),
  'DELETE /api/reports/{reportId}/attachments/{attachmentId}': (p) => reportsAct(p, 404),
  'GET /api/reports/{reportId}/diff': (p) => anyReader(p, 400), // no from and to
  'POST /api/extensions/{extensionId}/decision': (p) => officeOnly(p, 400),
  'GET /api/items/{itemId}/assignments': (p, o) => catalogueRead(p, o, true),
  'POST /api/items/{itemId}/assignment': (p) => reportsAct(p, 400),
  'PUT /api/items/{itemId}/assignments': (p) => officeOnly(p, 400),
  'GET /api/items/{itemId}/steps/{orgId}': (p, o) => catalogueRead(p, o, true),
  'PUT /api/items/{itemId}/steps/{orgId}': (p) => reportsAct(p, 400),
  'GET /api/my-work': (p) => (p === 'anonymous' ? 401 : 200),
  'GET /api/my-work/due': (p) => (p === 'anonymous' ? 401 : ['unit_leader', 'unit_reporter', 'supervisor'].includes(p) ? 200 : 403),
  'GET /api/plans/{planId}/schedule': (p, o) => catalogueRead(p, o, true),
  'GET /api/plans/{planId}/summary': (p, o) => catalogueRead(p, o, true),
  'GET /api/plans/{planId}/summary/export': (p, o) => catalogueRead(p, o, true),
  'PUT /api/plans/{planId}/schedule': (p) => officeOnly(p, 400),
  'PATCH /api/plans/{planId}/periods/{code}': (p) => officeOnly(p, 400),
  'GET /api/calendar/{year}': (p) => anyReader(p, 200),
  'PUT /api/calendar/{year}': (p) => (p === 'anonymous' ? 401 : p === 'admin' || p === 'supervisor' ? 400 : 403),
  'GET /api/users': (p) => adminOnly(p, 200),
  'POST /api/users': (p) => adminOnly(p, 400), // no body
  'PATCH /api/users/{userId}': (p) => adminOnly(p, 400),
  'POST /api/users/{userId}/reset-password': (p) => adminOnly(p, 400), // no body, so no confirmation
  'GET /api/tokens': (p) => adminOnly(p, 200),
  'POST /api/tokens': (p) => adminOnly(p, 400),
  'POST /api/tokens/{tokenId}/revoke': (p) => adminOnly(p, 400), // no confirmation
  'GET /api/audit': (p) => (p === 'anonymous' ? 401 : p === 'auditor' ? 200 : 403),
  'GET /api/audit/export': (p) => (p === 'anonymous' ? 401 : p === 'auditor' ? 200 : 403),
  'GET /api/plans/{planId}/warning-rules': (p, o) => catalogueRead(p, o, true),
  'PUT /api/plans/{planId}/warning-rules': (p) => officeOnly(p, 400),
  'GET /api/plans/{planId}/supervision-settings': (p, o) => catalogueRead(p, o, true),
  'PUT /api/plans/{planId}/supervision-settings': (p) => officeOnly(p, 400),
  'POST /api/items/{itemId}/urges': (p) => officeOnly(p, 400),
  'GET /api/items/{itemId}/timeline': (p, o) => catalogueRead(p, o, true),
  'GET /api/notices': (p, o) => catalogueRead(p, o, false),
  'POST /api/items/{itemId}/notices': (p) => officeOnly(p, 400),
  'GET /api/notices/{noticeId}': (p) => anyReader(p, 404),
  'POST /api/notices/{noticeId}/replies': (p) => reportsAct(p, 400),
  'POST /api/notices/{noticeId}/close': (p) => officeOnly(p, 400),
  'POST /api/notices/{noticeId}/escalate': (p) => officeOnly(p, 400),
  'GET /api/notices/{noticeId}/document': (p) => anyReader(p, 404),
  'POST /api/items/{itemId}/closure': (p) => reportsAct(p, 400),
  'GET /api/closures': (p, o) => catalogueRead(p, o, false),
  'POST /api/closures/{closureId}/decision': (p) => officeOnly(p, 400),
  'GET /api/plans/{planId}/bulletins': (p) => officeOnly(p, 200),
  'POST /api/plans/{planId}/bulletins': (p) => officeOnly(p, 400),
  'GET /api/bulletins/{bulletinId}': (p) => officeOnly(p, 404),
  'PATCH /api/bulletins/{bulletinId}': (p) => officeOnly(p, 400),
  'POST /api/bulletins/{bulletinId}/issue': (p) => officeOnly(p, 404),
  'GET /api/bulletins/{bulletinId}/document': (p) => officeOnly(p, 404),
  'GET /api/inbox': (p) => personal(p, 200),
  'GET /api/inbox/count': (p) => personal(p, 200),
  'POST /api/inbox/read': (p) => personalWrite(p),
  'GET /api/me/notification-preferences': (p) => personal(p, 200),
  'PUT /api/me/notification-preferences': (p) => personalWrite(p),
  'GET /api/webhooks': (p) => adminOnly(p, 200),
  'GET /api/organisations/{organisationId}/notification-preferences': (p) => adminOnly(p, 404),
  'PUT /api/organisations/{organisationId}/notification-preferences': (p) => adminOnly(p, 400),
  'POST /api/webhooks': (p) => adminOnly(p, 400),
  'PATCH /api/webhooks/{webhookId}': (p) => adminOnly(p, 400),
  'DELETE /api/webhooks/{webhookId}': (p) => adminOnly(p, 404),
  'POST /api/webhooks/{webhookId}/test': (p) => adminOnly(p, 404),
  'GET /api/deliveries': (p) => adminOnly(p, 200),
  'POST /api/deliveries/{deliveryId}/resend': (p) => adminOnly(p, 404),
};

describeEachDatabase('the authorisation matrix', (database) => {
  let app: FastifyInstance;
  const callers = new Map<PrincipalName, (options: InjectOptions) => Promise<LightMyRequestResponse>>();
  const ids = { own: { planId: 0, itemId: 0, orgId: 0 }, other: { planId: 0, itemId: 0, orgId: 0 } };

  beforeAll(async () => {
    const ctx = createServiceContext(database().db);
    await loadDemoPlanIfEmpty(ctx);
    const other = readFileSync(new URL('../../test/fixtures/merge/shuiwu-2030.txt', import.meta.url));
    await importSummaryTable(ctx, { id: 'test', source: 'test' }, { bytes: other, fileName: 'shuiwu-2030.txt' });
    app = await buildTestApp(database().db);

    const ecology = await findOrganisationByName(ctx, '市生态环境局');
    const water = await findOrganisationByName(ctx, '市水务局');
    const [plan2030, plan2022] = await listPlanSummaries(ctx);
    const tree2022 = await getPlanTree(ctx, plan2022!.id);
    const tree2030 = await getPlanTree(ctx, plan2030!.id);
    ids.own = { planId: plan2022!.id, itemId: tree2022.chapters[0]!.tasks[0]!.items[0]!.id, orgId: ecology.id };
    ids.other = { planId: plan2030!.id, itemId: tree2030.chapters[0]!.tasks[0]!.items[0]!.id, orgId: water.id };

    for (const principal of PRINCIPALS) {
      if (principal === 'anonymous') callers.set(principal, (options) => app.inject(options));
      else if (principal === 'token_read' || principal === 'token_write') {
        const { token } = await createApiToken(
          ctx,
          { id: 'test', source: 'test' },
          {
            name: principal,
            organisationId: ecology.id,
            scope: principal === 'token_read' ? 'read' : 'write',
          },
        );
        callers.set(principal, (options) =>
          app.inject({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } }),
        );
      } else {
        const unit = principal === 'unit_leader' || principal === 'unit_reporter';
        const session = await signInAs(app, database().db, principal, unit ? '市生态环境局' : '市政府办公室');
        callers.set(principal, (options) => session.inject(options));
      }
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers every route as expected for every role, on its own and another organisation’s objects', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(
      routes.filter((route) => !(route in MATRIX)),
      'routes without an entry in the matrix',
    ).toEqual([]);

    const leaks: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      for (const ownership of ['own', 'other'] as const) {
        const url = path
          .replace('{planId}', String(ids[ownership].planId))
          .replace('{itemId}', String(ids[ownership].itemId))
          .replace('{orgId}', String(ids[ownership].orgId))
          .replace('{userId}', '999999')
          .replace('{tokenId}', '999999')
          .replace('{reportId}', '999999')
          .replace('{extensionId}', '999999')
          .replace('{attachmentId}', '999999')
          .replace(/\{(notice|closure|bulletin|webhook|delivery|organisation)Id\}/, '999999')
          .replace('{period}', ownership === 'own' ? '2022-Y' : '2030-Y')
          .replace('{code}', ownership === 'own' ? '2022-Y' : '2030-Y')
          .replace('{year}', '2022')
          .concat(path.endsWith('/export') ? '?format=csv' : '');
        const body = method === 'POST' && path.startsWith('/api/imports') ? await multipartBody({}) : {};
        for (const principal of PRINCIPALS) {
          // signing out would end the session the rest of the matrix uses
          if (route === 'POST /api/auth/logout' && !principal.startsWith('token') && principal !== 'anonymous') continue;
          const response = await callers.get(principal)!({ method: method as 'GET', url, ...body });
          const expected = MATRIX[route]!(principal, ownership);
          if (response.statusCode !== expected)
            leaks.push(`${route} ${ownership} as ${principal}: expected ${expected}, got ${response.statusCode}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('signs each role out', async () => {
    for (const principal of ['admin', 'supervisor', 'unit_leader', 'unit_reporter', 'viewer', 'auditor'] as const) {
      expect((await callers.get(principal)!({ method: 'POST', url: '/api/auth/logout' })).statusCode, principal).toBe(
        MATRIX['POST /api/auth/logout']!(principal, 'own'),
      );
    }
  });
});
