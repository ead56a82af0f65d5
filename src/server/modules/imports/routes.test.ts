import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, signInAs, type Session } from '../../../../test/helpers/app.js';
import { describeEachDatabase } from '../../../../test/helpers/database.js';
import { multipartBody } from '../../../../test/helpers/multipart.js';

const fixture = (name: string) => readFileSync(new URL(`../../../../test/fixtures/merge/${name}`, import.meta.url));

describeEachDatabase('HTTP import: preview, then confirm', (database) => {
  let app: FastifyInstance;
  let supervisor: Session;
  beforeAll(async () => {
    app = await buildTestApp(database().db);
    supervisor = await signInAs(app, database().db, 'supervisor');
  });
  afterAll(async () => {
    await app.close();
  });

  const post = async (url: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; field?: string }) => {
    const body = await multipartBody(fields, file);
    const response = await supervisor.inject({ method: 'POST', url, ...body });
    return { status: response.statusCode, body: response.json() };
  };
  const count = async (table: 'plans' | 'items' | 'organisations') =>
    Number((await database().db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('previews a file, parsed off the request thread, and writes nothing', async () => {
    const { status, body } = await post('/api/imports/preview', {}, { name: 'shuiwu-2030.txt', bytes: fixture('shuiwu-2030.txt') });
    expect(status).toBe(200);
    expect(body.preview).toMatchObject({
      fileName: 'shuiwu-2030.txt',
      format: 'text',
      layout: 'table',
      year: 2030,
      organisation: '市水务局',
      period: { code: '2030-Y', label: '全年' },
      counts: { chapters: 2, tasks: 3, items: 4 },
      changes: { plans: 1, items: 4, reports: 4 },
      planId: null,
    });
    expect(body.preview.rows.filter((row: { kind: string }) => row.kind === 'task' || row.kind === 'item')).toHaveLength(4);
    expect(body.preview.organisations.map((organisation: { name: string }) => organisation.name)).toContain('市住建局');
    expect(await count('plans')).toBe(0);
  });

  it('answers the filing details and the 存在问题 / 下步打算 texts of the rows in the preview', async () => {
    const bytes = readFileSync(new URL('../../../../test/fixtures/layouts/filing-seal.xlsx', import.meta.url));
    const { status, body } = await post('/api/imports/preview', {}, { name: 'filing-seal.xlsx', bytes });
    expect(status).toBe(200);
    expect(body.preview.filing).toEqual({ organisation: '市住房城乡建设局', date: '2031-04-08' });
    expect(body.preview.organisation).toBe('市住房城乡建设局');
    expect(body.preview.table.columns).toMatchObject({ problems: '存在问题', nextSteps: '下步打算' });
    expect(body.preview.table.chapters[1].tasks[0].items[0]).toMatchObject({
      problems: '项目资金到位率偏低,个别项目未开工。',
      nextSteps: '争取专项债额度；加快资金拨付。\n5月底前全部开工。',
    });
  });

  it('confirms with a mapping and answers what it wrote', async () => {
    const first = await post('/api/imports', {}, { name: 'shuiwu-2030.txt', bytes: fixture('shuiwu-2030.txt') });
    expect(first.status).toBe(200);
    expect(first.body.result.changes).toMatchObject({ plans: 1, items: 4 });
    const organisations = (await supervisor.inject({ method: 'GET', url: '/api/organisations' })).json().organisations;
    const planning = organisations.find((organisation: { name: string }) => organisation.name === '市发改委');

    const renamed = Buffer.from(fixture('zhujian-2030.txt').toString('utf8').replace('市发改委', '发展改革委'));
    const second = await post(
      '/api/imports',
      { mappings: JSON.stringify({ 发展改革委: { organisationId: planning.id } }) },
      { name: 'zhujian.txt', bytes: renamed },
    );
    expect(second.status).toBe(200);
    expect(second.body.result).toMatchObject({ planId: first.body.result.planId, changes: { plans: 0, aliases: 1, items: 1 } });
    const after = (await supervisor.inject({ method: 'GET', url: `/api/organisations/${planning.id}` })).json();
    expect(after.organisation.aliases).toContain('发展改革委');
  });

  it('answers clear errors for bad uploads, writing nothing', async () => {
    const before = await count('items');
    const cases = [
      [await post('/api/imports', {}), 400, 'file_missing'],
      [await post('/api/imports', {}, { name: 'x.txt', bytes: new Uint8Array() }), 400, 'empty_file'],
      [await post('/api/imports', {}, { name: 'x.docx', bytes: Buffer.from('not a zip at all') }), 400, 'not_a_docx'],
      [await post('/api/imports', {}, { name: 'x.txt', bytes: Buffer.from('只是一段文字\n没有表格\n') }), 400, 'no_table_found'],
      [await post('/api/imports', { year: 'abcd' }, { name: 'x.txt', bytes: fixture('shuiwu-2030.txt') }), 400, 'invalid_request'],
      [await post('/api/imports', { mappings: '{oops' }, { name: 'x.txt', bytes: fixture('shuiwu-2030.txt') }), 400, 'invalid_mappings'],
      [await post('/api/imports', {}, { name: 'x.txt', bytes: fixture('shuiwu-2030.txt'), field: 'upload' }), 400, 'unexpected_file_field'],
      [await post('/api/imports', {}, { name: 'big.txt', bytes: new Uint8Array(1024 * 1024 + 10).fill(0x41) }), 413, 'file_too_large'],
    ] as const;
    for (const [response, status, code] of cases) {
      expect(response.status, code).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const json = await supervisor.inject({ method: 'POST', url: '/api/imports', payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(await count('items')).toBe(before);
  });
});
