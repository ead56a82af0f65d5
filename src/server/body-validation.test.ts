import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { listApiTokens } from '../db/repositories/accounts.js';
import { findOrganisationByName, getPlanTree, listPlanSummaries } from '../services/catalogue.js';
import { createServiceContext } from '../services/context.js';
import { loadDemoPlanIfEmpty } from '../services/demo.js';

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
}

/** Path parameters that pass validation, so that what is tested is the body. */
function concretePath(path: string): string {
  return path
    .replace(/\{(period|code)\}/g, '2022-Y')
    .replace(/\{year\}/g, '2022')
    .replace(/\{[A-Za-z]+\}/g, '1');
}

describeEachDatabase('request bodies are taken as sent', (database) => {
  let app: FastifyInstance;
  let supervisor: Session;
  let admin: Session;
  const ids = { planId: 0, itemId: 0, ecology: 0, water: 0 };

  const errorOf = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(400);
    return response.json().error as { code: string; message: string };
  };

  beforeAll(async () => {
    const ctx = createServiceContext(database().db);
    await loadDemoPlanIfEmpty(ctx);
    app = await buildTestApp(database().db);
    supervisor = await signInAs(app, database().db, 'supervisor');
    admin = await signInAs(app, database().db, 'admin');
    const [plan] = await listPlanSummaries(ctx);
    const tree = await getPlanTree(ctx, plan!.id);
    ids.planId = plan!.id;
    ids.itemId = tree.chapters[0]!.tasks[0]!.items[0]!.id;
    ids.ecology = (await findOrganisationByName(ctx, '市生态环境局')).id;
    const created = await supervisor.inject({
      method: 'POST',
      url: '/api/organisations',
      payload: { name: '市测试合并局', kind: 'city_department' },
    });
    ids.water = created.json().id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a merge with "dryRun": null and merges nothing; without "confirm": true a merge is only a preview', async () => {
    const url = `/api/organisations/${ids.water}/merge`;
    const nullFlag = errorOf(await supervisor.inject({ method: 'POST', url, payload: { into: ids.ecology, dryRun: null } }));
    expect(nullFlag.message).toContain('dryRun');
    const nullConfirm = errorOf(await supervisor.inject({ method: 'POST', url, payload: { into: ids.ecology, confirm: null } }));
    expect(nullConfirm.message).toContain('confirm');
    expect(nullConfirm.message).toContain('不能为 null');
    const preview = await supervisor.inject({ method: 'POST', url, payload: { into: ids.ecology } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().dryRun).toBe(true);

    const record = await database().db.selectFrom('organisations').selectAll().where('id', '=', ids.water).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ active: 1, merged_into_id: null });
    const merges = await database().db.selectFrom('audit_events').select('id').where('action', '=', 'organisation.merge').execute();
    expect(merges).toEqual([]);
  });

  it('disables an account, revokes a token or resets a password only on an explicit "confirm": true', async () => {
    const target = await signInAs(app, database().db, 'viewer');
    const users: { id: number; username: string; active: boolean }[] = (await admin.inject({ method: 'GET', url: '/api/users' })).json()
      .users;
    const user = users.find((candidate) => candidate.username === target.username)!;
    const unconfirmed = errorOf(await admin.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { active: false } }));
    expect(unconfirmed).toEqual({
      code: 'confirmation_required',
      message: `停用用户“${user.username}”须明确确认：请在请求中加上 "confirm": true。`,
    });
    expect(
      errorOf(await admin.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { active: null, confirm: true } })).message,
    ).toContain('active 不能为 null');
    expect((await target.inject({ method: 'GET', url: '/api/plans' })).statusCode).toBe(200);
    expect(errorOf(await admin.inject({ method: 'POST', url: `/api/users/${user.id}/reset-password`, payload: {} })).message).toBe(
      '请求参数有误：缺少请求体 confirm。',
    );

    const created = (
      await admin.inject({ method: 'POST', url: '/api/tokens', payload: { name: '对接', organisationId: ids.ecology, scope: 'read' } })
    ).json();
    for (const payload of [undefined, {}, { confirm: false }, { confirm: null }]) {
      const response = await admin.inject({
        method: 'POST',
        url: `/api/tokens/${created.view.id}/revoke`,
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await listApiTokens(database().db)).find((token) => token.id === created.view.id)!.revoked_at).toBeNull();
    const revoked = await admin.inject({ method: 'POST', url: `/api/tokens/${created.view.id}/revoke`, payload: { confirm: true } });
    expect(revoked.json().revokedAt).not.toBeNull();
  });

  it('refuses "organisationId": true for a new token instead of taking it for unit 1', async () => {
    const before = (await listApiTokens(database().db)).length;
    const error = errorOf(
      await admin.inject({ method: 'POST', url: '/api/tokens', payload: { name: '同步', organisationId: true, scope: 'read' } }),
    );
    expect(error.message).toBe('请求参数有误：请求体 organisationId 应为整数。');
    expect((await listApiTokens(database().db)).length).toBe(before);
  });

  it('refuses "lead": 1 instead of taking it for [1]', async () => {
    const error = errorOf(
      await supervisor.inject({
        method: 'PUT',
        url: `/api/items/${ids.itemId}/assignments`,
        payload: { lead: ids.ecology, cooperating: [] },
      }),
    );
    expect(error.message).toContain('请求体 lead 应为数组（列表）');
  });

  it('refuses "expectedProgress": null instead of storing 0', async () => {
    const period = () =>
      database()
        .db.selectFrom('periods')
        .select('expected_progress')
        .where('plan_id', '=', ids.planId)
        .where('code', '=', '2022-Y')
        .executeTakeFirstOrThrow();
    const before = await period();
    const error = errorOf(
      await supervisor.inject({ method: 'PATCH', url: `/api/plans/${ids.planId}/periods/2022-Y`, payload: { expectedProgress: null } }),
    );
    expect(error.message).toBe('请求参数有误：请求体 expectedProgress 不能为 null，应为数字。');
    expect(await period()).toEqual(before);
  });

  it('names a null given where none is allowed', async () => {
    const error = errorOf(
      await supervisor.inject({ method: 'POST', url: '/api/organisations', payload: { name: null, kind: 'city_department' } }),
    );
    expect(error.message).toBe('请求参数有误：请求体 name（规范名称）不能为 null，应为文字。');
  });

  it('refuses an unknown property by name instead of dropping it', async () => {
    const error = errorOf(
      await supervisor.inject({
        method: 'POST',
        url: '/api/organisations',
        payload: { name: '市新设局', kind: 'city_department', aliasses: ['新设局'] },
      }),
    );
    expect(error.message).toBe('请求参数有误：请求体 含有不认识的字段“aliasses”。');
    const nested = errorOf(
      await supervisor.inject({
        method: 'PUT',
        url: `/api/plans/${ids.planId}/schedule`,
        payload: { kinds: [{ kind: 'quarter', dueRule: { kind: 'working_days_after_end', days: 5, moveOff: true } }] },
      }),
    );
    expect(nested.message).toContain('请求体 kinds.0.dueRule 含有不认识的字段“moveOff”');
    expect(await database().db.selectFrom('organisations').select('id').where('name', '=', '市新设局').execute()).toEqual([]);
  });

  it('still reads numbers and booleans from the path and the query string', async () => {
    const response = await supervisor.inject({ method: 'GET', url: '/api/organisations?includeMerged=true' });
    expect(response.statusCode).toBe(200);
    expect(errorOf(await supervisor.inject({ method: 'GET', url: '/api/organisations/abc' })).message).toContain('路径参数 orgId 应为整数');
  });

  it('answers 400 naming the property, on every JSON-body route of the OpenAPI document, for an unknown property', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.requestBody?.content?.['application/json'] !== undefined)
        .map(([method, _operation]) => ({ method: method.toUpperCase() as 'POST' | 'PUT' | 'PATCH', path })),
    );
    expect(routes.length).toBeGreaterThan(15);
    const answers: string[] = [];
    for (const { method, path } of routes) {
      const request = { method, url: concretePath(path), payload: { zzUnknownField: 1 } };
      let response = await supervisor.inject(request);
      if (response.statusCode === 403) response = await admin.inject(request);
      const named = response.statusCode === 400 && (response.json().error.message as string).includes('“zzUnknownField”');
      answers.push(`${method} ${path} ${response.statusCode}${named ? '' : ` ${response.body.slice(0, 200)}`}`);
    }
    expect(answers).toEqual(routes.map(({ method, path }) => `${method} ${path} 400`));
  });

  it('refuses text that is not well-formed Unicode, naming the field, and writes nothing', async () => {
    const payload = JSON.stringify({ name: 'G\ud800', kind: 'city_department' });
    expect(payload).toContain('\\ud800');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = errorOf(
        await supervisor.inject({ method: 'POST', url: '/api/organisations', payload, headers: { 'content-type': 'application/json' } }),
      );
      expect(error.message).toBe('请求参数有误：请求体 name 含有无效的 Unicode 字符（不成对的代理项），请删去后重新输入。');
    }
    const nested = errorOf(
      await supervisor.inject({
        method: 'PUT',
        url: `/api/items/${ids.itemId}/steps/${ids.ecology}`,
        payload: JSON.stringify({ steps: [{ title: '调研' }, { title: '\udc00整改' }] }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(nested.message).toContain('请求体 steps.1.title 含有无效的 Unicode 字符');
    expect(await database().db.selectFrom('organisations').select('id').where('name', 'like', 'G%').execute()).toEqual([]);
  });
});
