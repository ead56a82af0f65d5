import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { signInAs, TEST_CONFIG } from '../test/helpers/app.js';
import { describeEachDatabase } from '../test/helpers/database.js';
import { readSummaryDocument } from './documents/index.js';
import { openRuntime, type Runtime } from './runtime.js';
import { buildApp } from './server/app.js';
import { listPlanSummaries } from './services/catalogue.js';
import { loadDemoPlanIfEmpty } from './services/demo.js';

describeEachDatabase('the runtime’s export pool', (database) => {
  let runtime: Runtime;
  let planId: number;

  beforeAll(async () => {
    runtime = await openRuntime(
      { ...TEST_CONFIG, databaseUrl: database().cliLocation, exportWorkers: 1 },
      { exportPool: true, migrate: false },
    );
    await loadDemoPlanIfEmpty(runtime.ctx);
    planId = (await listPlanSummaries(runtime.ctx))[0]!.id;
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('writes the server’s exports, through app.inject, on a thread of its own', async () => {
    expect(runtime.exportPool).toBeDefined();
    expect(runtime.ctx.writeDocument).toBe(runtime.exportPool!.write);
    const app = await buildApp({ db: runtime.db, config: runtime.config, ctx: runtime.ctx, webRoot: '/nonexistent-web-root' });
    try {
      const supervisor = await signInAs(app, runtime.db, 'supervisor');
      const [docx, pdf] = await Promise.all(
        ['docx', 'pdf'].map((format) => supervisor.inject({ method: 'GET', url: `/api/plans/${planId}/summary/export?format=${format}` })),
      );
      expect(docx!.statusCode).toBe(200);
      expect(docx!.headers['content-type']).toContain('wordprocessingml');
      const back = await readSummaryDocument(docx!.rawPayload, 'city.docx');
      expect(back.table.chapters).toHaveLength(6);
      expect(back.table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))).toHaveLength(15);
      expect(pdf!.statusCode).toBe(200);
      expect(pdf!.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(runtime.exportPool!.pending).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('answers a full queue with 503 and a Chinese message', async () => {
    const crowded = await openRuntime(
      { ...TEST_CONFIG, databaseUrl: database().cliLocation, exportWorkers: 1, exportMaxQueue: 0 },
      { exportPool: true, migrate: false },
    );
    const app = await buildApp({ db: crowded.db, config: crowded.config, ctx: crowded.ctx, webRoot: '/nonexistent-web-root' });
    try {
      const supervisor = await signInAs(app, crowded.db, 'supervisor');
      const url = `/api/plans/${planId}/summary/export?format=docx`;
      // the one thread is taken (its start alone outlasts a request's way to the writer)
      const taking = crowded.exportPool!.run({
        table: { title: 't', organisation: '', columns: TEST_TABLE_COLUMNS, chapters: [] },
        format: 'pdf',
      });
      await vi.waitFor(() => expect(crowded.exportPool!.pending).toBe(1));
      const refused = await supervisor.inject({ method: 'GET', url });
      expect(refused.statusCode).toBe(503);
      expect(refused.json()).toEqual({ error: { code: 'export_busy', message: '正在生成的导出文件过多，请稍后再试。' } });
      await taking;
      expect((await supervisor.inject({ method: 'GET', url })).statusCode).toBe(200);
    } finally {
      await app.close();
      await crowded.close();
    }
  });

  it('starts its threads on the first export only, and ends them on close()', async () => {
    const idle = await openRuntime({ ...TEST_CONFIG, databaseUrl: database().cliLocation }, { exportPool: true, migrate: false });
    expect(idle.exportPool!.pending).toBe(0);
    const { threadId: writer } = await idle.exportPool!.run({
      table: { title: 't', organisation: '', columns: TEST_TABLE_COLUMNS, chapters: [] },
      format: 'csv',
    });
    expect(writer).not.toBe(threadId);
    await idle.close();
    // closing twice is harmless: the server's shutdown and a test may both do it
    await idle.close();
  });

  it('is not there unless asked for: tests and commands write inline', async () => {
    const inline = await openRuntime({ ...TEST_CONFIG, databaseUrl: database().cliLocation }, { migrate: false });
    try {
      expect(inline.exportPool).toBeUndefined();
      const bytes = await inline.ctx.writeDocument({
        table: { title: 't', organisation: '', columns: TEST_TABLE_COLUMNS, chapters: [] },
        format: 'json',
      });
      expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ title: 't' });
    } finally {
      await inline.close();
    }
  });
});

const TEST_TABLE_COLUMNS = {
  number: '序号',
  name: '名称',
  work: '工作任务',
  lead: '牵头单位',
  cooperating: '主要配合单位',
  completion: '全年完成情况',
};
