import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../../test/helpers/app.js';
import { describeEachDatabase } from '../../test/helpers/database.js';
import { createServiceContext } from '../services/context.js';
import { loadDemoPlanIfEmpty } from '../services/demo.js';

describeEachDatabase('HTTP API', (database) => {
  let app: FastifyInstance;
  let supervisor: Session;
  const json = async (url: string) => {
    const response = await supervisor.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    await loadDemoPlanIfEmpty(createServiceContext(database().db));
    app = await buildTestApp(database().db);
    supervisor = await signInAs(app, database().db, 'supervisor');
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the health check', async () => {
    expect(await json('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('lists plans with their counts', async () => {
    const { status, body } = await json('/api/plans');
    expect(status).toBe(200);
    expect(body.plans).toEqual([
      {
        id: expect.any(Number),
        year: 2022,
        title: '2022年度市政府工作任务',
        issuer: '市人民政府',
        counts: { chapters: 6, tasks: 10, items: 15 },
      },
    ]);
  });

  it('serves the plan tree in city-wide order with units as references', async () => {
    const { body: list } = await json('/api/plans');
    const { status, body } = await json(`/api/plans/${list.plans[0].id}`);
    expect(status).toBe(200);
    expect(body.chapters.map((c: { numeral: string }) => c.numeral)).toEqual(['一', '四', '六', '七', '八', '九']);
    const task24 = body.chapters[2].tasks[1];
    expect(task24).toMatchObject({ number: '24', name: '服务全省区域协调发展' });
    expect(task24.items[0].lead.map((o: { name: string }) => o.name)).toEqual(['市发改委']);
    expect(task24.items[0].cooperating.map((o: { name: string }) => o.name)).toEqual(['市交通局', '市科技局', '市生态环境局']);
    expect(task24.items[0].cooperating[0]).toEqual({
      id: expect.any(Number),
      name: '市交通局',
      kind: 'city_department',
      kindLabel: '市级部门',
    });
  });

  it('serves an item with its reports', async () => {
    const { body: list } = await json('/api/plans');
    const { body: tree } = await json(`/api/plans/${list.plans[0].id}`);
    const itemId = tree.chapters[0].tasks[0].items[1].id;
    const { status, body } = await json(`/api/items/${itemId}`);
    expect(status).toBe(200);
    expect(body.item).toMatchObject({ work: '主要污染物排放总量削减完成省下达任务', leadText: '市生态环境局', cooperatingText: '' });
    expect(body.task).toMatchObject({ number: '8', name: '节能环保指标' });
    expect(body.chapter).toMatchObject({ numeral: '一' });
    expect(body.reports).toEqual([
      expect.objectContaining({
        organisation: expect.objectContaining({ name: '市生态环境局' }),
        period: { code: '2022-Y', label: '全年' },
        state: 'accepted',
        stateLabel: '已采纳',
        revision: 1,
      }),
    ]);
  });

  it('lists organisations with their aliases and item counts', async () => {
    const { body } = await json('/api/organisations');
    // the 19 units of the sample, and the office of the signed-in supervisor
    expect(body.organisations).toHaveLength(20);
    const ecology = body.organisations.find((o: { name: string }) => o.name === '市生态环境局');
    expect(ecology).toMatchObject({ aliases: ['生态环境局'], kindLabel: '市级部门' });
    expect(ecology.leadCount + ecology.cooperatingCount).toBe(15);
  });

  it('serves an organisation’s summary table and its downloads', async () => {
    const { body: list } = await json('/api/organisations');
    const ecology = list.organisations.find((o: { name: string }) => o.name === '市生态环境局');
    const { body: detail } = await json(`/api/organisations/${ecology.id}`);
    expect(detail.plans).toEqual([expect.objectContaining({ year: 2022, periods: [{ code: '2022-Y', label: '全年' }] })]);

    const { status, body } = await json(`/api/organisations/${ecology.id}/summary?period=2022-Y`);
    expect(status).toBe(200);
    expect(body.table.title).toBe('2022年度市政府工作任务完成情况汇总表');
    expect(body.table.chapters.flatMap((c: { tasks: unknown[] }) => c.tasks)).toHaveLength(10);

    const docx = await supervisor.inject({ method: 'GET', url: `/api/organisations/${ecology.id}/summary/export?format=docx` });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('市生态环境局-2022-全年-汇总表.docx')}`);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const csv = await supervisor.inject({ method: 'GET', url: `/api/organisations/${ecology.id}/summary/export?format=csv` });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('answers specific errors in Chinese', async () => {
    expect(await json('/api/plans/999999')).toEqual({
      status: 404,
      body: { error: { code: 'plan_not_found', message: '找不到该工作计划，或您无权查看。' } },
    });
    const invalid = await json('/api/plans/abc');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_request', message: '请求参数有误：路径参数 planId 应为整数。' });
    expect((await json('/api/organisations/1/summary?period=xx')).body.error.message).toBe(
      '请求参数有误：查询参数 period（报送周期）的格式不正确。',
    );
    expect((await json('/api/organisations/1/summary/export')).body.error.message).toBe('请求参数有误：缺少查询参数 format。');
    const badFormat = await json('/api/organisations/1/summary/export?format=pdfx');
    expect(badFormat.status).toBe(400);
    expect((await json('/api/organisations/1/summary?period=2022-13')).status).toBe(400);
    expect(await json('/api/nothing-here')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: '没有这个接口：GET /api/nothing-here' } },
    });
  });

  it('describes every route in /api/openapi.json, in Chinese, with its answers', async () => {
    const { status, body } = await json('/api/openapi.json');
    expect(status).toBe(200);
    const operations = Object.entries(
      body.paths as Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, ...operation })),
    );
    expect(operations.length).toBeGreaterThan(20);
    const undocumented = operations.filter(
      (operation) => !/[\u4e00-\u9fff]/.test(operation.summary ?? '') || (!operation.responses?.['200'] && !operation.responses?.['204']),
    );
    expect(undocumented.map((operation) => operation.route)).toEqual([]);
  });
});

describeEachDatabase('serving the web app', (database) => {
  it('serves index.html for client-side routes and says when the app is not built', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'luoshi-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html lang="zh-CN"><title>落实</title></html>');
    const app = await buildTestApp(database().db, { webRoot });
    const page = await app.inject({ method: 'GET', url: '/organisations/3' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('落实');
    const asset = await app.inject({ method: 'GET', url: '/assets/missing-1234.js' });
    expect(asset.statusCode).toBe(404);
    writeFileSync(join(webRoot, 'late.js'), 'export {};');
    expect((await app.inject({ method: 'GET', url: '/late.js' })).statusCode).toBe(200);
    await app.close();

    const unbuilt = await buildTestApp(database().db);
    const missing = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(missing.statusCode).toBe(503);
    expect(missing.body).toContain('npm run build:web');
    await unbuilt.close();
  });
});
