import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { ERROR_CODES } from '../contract/errors.js';
import { loadDemoPlanIfEmpty } from '../services/demo.js';
import { createServiceContext } from '../services/context.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }>;
  requestBody?: unknown;
}

const PUBLIC = new Set(['POST /api/auth/login', 'GET /healthz']);

describeEachDatabase('response schemas', (database) => {
  let app: FastifyInstance;
  let operations: [string, Operation][];
  beforeAll(async () => {
    await loadDemoPlanIfEmpty(createServiceContext(database().db));
    app = await buildTestApp(database().db);
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as [string, Operation]),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('declares, for every route, a schema for each status the route and the plugins before it can send', () => {
    expect(operations.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const [route, operation] of operations) {
      if (route === 'GET /healthz') continue;
      const declared = new Set(Object.keys(operation.responses ?? {}));
      const expected = ['400', '429', '500'];
      if (!PUBLIC.has(route)) expected.push('401', '403');
      if (route.includes('{')) expected.push('404');
      if (!route.startsWith('GET ') && route !== 'POST /api/auth/logout') expected.push('413', '415');
      if (route.endsWith('/summary/export')) expected.push('503');
      if (![...declared].some((status) => status.startsWith('2'))) missing.push(`${route}: no 2xx`);
      for (const status of expected) if (!declared.has(status)) missing.push(`${route}: ${status}`);
      for (const status of declared) {
        if (Number(status) < 400) continue;
        // a file route lists its errors under the media type it produces
        const content = Object.values(operation.responses?.[status]?.content ?? {})[0];
        const error = content?.schema?.properties?.error as { properties?: { code?: { enum?: string[] } } } | undefined;
        if (error?.properties?.code?.enum?.length !== ERROR_CODES.length)
          missing.push(`${route}: ${status} is not the ErrorResponse with its code list`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('writes answers through the schemas: an error carries exactly code and message, a plan exactly its fields', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/plans' });
    expect(anonymous.statusCode).toBe(401);
    const error = anonymous.json() as { error: Record<string, unknown> };
    expect(Object.keys(error)).toEqual(['error']);
    expect(Object.keys(error.error).sort()).toEqual(['code', 'message']);
    expect(ERROR_CODES).toContain(error.error.code);

    const viewer = await signInAs(app, database().db, 'viewer');
    const plans = (await viewer.inject({ method: 'GET', url: '/api/plans' })).json() as { plans: Record<string, unknown>[] };
    expect(plans.plans.length).toBeGreaterThan(0);
    for (const plan of plans.plans) expect(Object.keys(plan).sort()).toEqual(['counts', 'id', 'issuer', 'title', 'year']);
  });

  it('answers a body refused by the framework with a listed code', async () => {
    const admin = await signInAs(app, database().db, 'admin');
    const answer = await admin.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(answer.statusCode).toBe(400);
    expect((answer.json() as { error: { code: string } }).error.code).toBe('fst_err_ctp_invalid_json_body');
  });
});
