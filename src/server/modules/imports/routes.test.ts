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
    Number(
      (
        await database()
          .db.selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

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

  const layout = (name: string) => readFileSync(new URL(`../../../../test/fixtures/layouts/${name}`, import.meta.url));

  it("previews with the person's reading of the columns and period, remembers it on confirm, and applies it to the next file", async () => {
    const first = { name: 'mapping-first.csv', bytes: layout('mapping-first.csv') };
    const heading = await post('/api/imports/preview', {}, first);
    expect(heading.status).toBe(200);
    expect(heading.body.preview).toMatchObject({
      year: 2031,
      period: { code: '2031-Q1', label: '一季度' },
      filing: { organisation: '市发改委投资处', date: '2031-04-08' },
      columnsSource: 'heading',
      headerSignature: '序号\u0000重点工作\u0000目标任务\u0000责任单位\u0000协同推进单位\u0000一季度进展情况\u0000备注',
    });
    expect(heading.body.preview.columns[4]).toEqual({ position: 4, heading: '协同推进单位', meaning: 'extra', source: 'heading' });

    const fields = { columns: JSON.stringify({ 4: 'cooperating' }), period: '2031-H1', organisation: '市发改委' };
    const chosen = await post('/api/imports/preview', fields, first);
    expect(chosen.status).toBe(200);
    expect(chosen.body.preview).toMatchObject({
      columnsSource: 'chosen',
      organisation: '市发改委',
      period: { code: '2031-H1', label: '上半年' },
      planId: null,
    });
    expect(chosen.body.preview.columns[4]).toEqual({ position: 4, heading: '协同推进单位', meaning: 'cooperating', source: 'chosen' });
    expect(chosen.body.preview.table.chapters[0].tasks[1].items[0]).toMatchObject({ lead: '市发改委、市财政局', cooperating: '市审计局' });

    const confirmed = await post('/api/imports', fields, first);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.result).toMatchObject({ columnsSource: 'chosen', changes: { plans: 1, items: 4, reports: 4 } });

    const next = await post('/api/imports/preview', {}, { name: 'mapping-second.csv', bytes: layout('mapping-second.csv') });
    expect(next.status).toBe(200);
    expect(next.body.preview.columnsSource).toBe('remembered');
    expect(next.body.preview.columns[4]).toMatchObject({ meaning: 'cooperating', source: 'chosen' });
    expect(next.body.preview.table.chapters[0].tasks[0].items[1]).toMatchObject({ lead: '市住建局', cooperating: '市市场监管局' });
  });

  it('refuses ill-formed or unfitting columns and an unknown period, clearly and writing nothing', async () => {
    const before = await count('items');
    const file = { name: 'mapping-first.csv', bytes: layout('mapping-first.csv') };
    const cases = [
      [{ columns: '{4: cooperating' }, 'invalid_column_mapping', '不是有效的 JSON'],
      [{ columns: JSON.stringify({ 4: 'partner' }) }, 'invalid_column_mapping', '格式有误'],
      [{ columns: JSON.stringify({ x: 'cooperating' }) }, 'invalid_column_mapping', '格式有误'],
      [{ columns: JSON.stringify(['cooperating']) }, 'invalid_column_mapping', '格式有误'],
      [{ columns: JSON.stringify({ 12: 'cooperating' }) }, 'invalid_column_mapping', '第 13 列不是表头中有标题的列'],
      [{ columns: JSON.stringify({ 0: 'ignore' }) }, 'invalid_column_mapping', '没有“序号”列'],
      [{ period: '2031-Q9' }, 'invalid_period', '报送周期“2031-Q9”无效'],
      [{ period: '2030-Y' }, 'invalid_period', '应为 2031 年的周期'],
    ] as const;
    for (const [fields, code, message] of cases) {
      const response = await post('/api/imports', fields, file);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toContain(message);
    }
    expect(await count('items')).toBe(before);
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
