import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSummaryTable } from '../../test/factories/summary-table.js';
import { cityTable, sampleTable, withOptionalColumns } from '../../test/helpers/documents.js';
import { AppError } from '../domain/errors.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { EXPORT_FORMATS, readSummaryDocument, writeSummaryDocument, type ExportFormat } from './index.js';
import { createExportPool, type ExportPool } from './pool.js';

const MISBEHAVING = new URL('../../test/fixtures/export-pool/misbehaving-worker.mjs', import.meta.url);
const pools: ExportPool[] = [];
const pool = (options: Partial<Parameters<typeof createExportPool>[0]> = {}) => {
  const created = createExportPool({ workers: 1, maxQueue: 4, timeoutMs: 60_000, maxMemoryMb: 256, ...options });
  pools.push(created);
  return created;
};
afterAll(async () => {
  await Promise.all(pools.map((each) => each.close()));
});

/** pdfkit stamps the time of writing and an id made from it; nothing else in the file depends on when it was written. */
const withoutTimestamps = (bytes: Buffer) =>
  bytes
    .toString('latin1')
    .replace(/\(D:\d{14}Z\)/g, '(D:)')
    .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '/ID []');

async function expectAppError(promise: Promise<unknown>, status: number, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status, code });
  // what a person reads is Chinese
  expect((error as AppError).message).toMatch(/[\u4e00-\u9fff]/);
  return error as AppError;
}

describe('the export pool', () => {
  const writers = pool({ workers: 2 });
  const table = withOptionalColumns(sampleTable(), { status: '完成状态', extra: ['预警'] });

  it.each(EXPORT_FORMATS)('writes %s in a worker thread with the same content as the inline writer', async (format: ExportFormat) => {
    const date = '2022年12月31日';
    const [pooled, inline] = await Promise.all([writers.run({ table, format, date }), writeSummaryDocument(table, format, { date })]);
    // written on another thread than the one asking: the event loop of the server was free meanwhile
    expect(pooled.threadId).not.toBe(threadId);
    expect(pooled.threadId).toBeGreaterThan(0);
    expect(Buffer.isBuffer(pooled.bytes)).toBe(true);
    if (format === 'pdf') {
      expect(withoutTimestamps(pooled.bytes)).toBe(withoutTimestamps(inline));
    } else if (format === 'docx' || format === 'xlsx') {
      const [back, expected] = await Promise.all([
        readSummaryDocument(pooled.bytes, `t.${format}`),
        readSummaryDocument(inline, `t.${format}`),
      ]);
      expect(back.table).toEqual(expected.table);
      expect(back.table.chapters.flatMap((chapter) => chapter.tasks)).toHaveLength(10);
    } else {
      expect(pooled.bytes.equals(inline)).toBe(true);
    }
  });

  it('is a DocumentWriter: write gives the bytes alone', async () => {
    const bytes = await writers.write({ table: buildSummaryTable(), format: 'json' });
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(buildSummaryTable());
  });

  it('passes on the writer’s own AppError, and goes on serving', async () => {
    const fontless = pool({ fonts: { regular: [{ path: '/nonexistent/font.otf' }] } });
    const error = await expectAppError(fontless.run({ table: buildSummaryTable(), format: 'pdf' }), 503, 'pdf_font_missing');
    expect(error.message).toContain('字体');
    expect((await fontless.run({ table: buildSummaryTable(), format: 'csv' })).bytes.length).toBeGreaterThan(0);
  });

  it('starts again after close()', async () => {
    const reopened = pool();
    await reopened.run({ table: buildSummaryTable(), format: 'csv' });
    await reopened.close();
    expect((await reopened.run({ table: buildSummaryTable(), format: 'csv' })).threadId).not.toBe(threadId);
  });
});

describe('a misbehaving export thread', () => {
  const titled = (title: string): SummaryTable => ({ ...buildSummaryTable(), title });
  const servesAfterwards = async (misbehaving: ExportPool) => {
    const { bytes } = await misbehaving.run({ table: cityTable(), format: 'docx' });
    expect((await readSummaryDocument(bytes, 'after.docx')).table.chapters).toHaveLength(2);
  };

  it('that throws gives export_failed, and the pool goes on serving', async () => {
    const misbehaving = pool({ workerUrl: MISBEHAVING });
    const error = await expectAppError(misbehaving.run({ table: titled('throw'), format: 'docx' }), 500, 'export_failed');
    expect(error.message).toContain('生成导出文件失败');
    await servesAfterwards(misbehaving);
  });

  it('that dies gives export_failed, and a new thread takes over', async () => {
    const misbehaving = pool({ workerUrl: MISBEHAVING });
    await expectAppError(misbehaving.run({ table: titled('exit'), format: 'docx' }), 500, 'export_failed');
    await servesAfterwards(misbehaving);
  });

  it('that overruns the deadline is stopped with export_timeout instead of holding the request', async () => {
    // long enough for the thread that replaces the stopped one to start and write, on a busy machine too
    const misbehaving = pool({ workerUrl: MISBEHAVING, timeoutMs: 10_000 });
    const error = await expectAppError(misbehaving.run({ table: titled('hang'), format: 'docx' }), 503, 'export_timeout');
    expect(error.message).toContain('10 秒');
    await servesAfterwards(misbehaving);
  }, 60_000);

  it('that overruns its heap is stopped with export_out_of_memory, not the server', async () => {
    const misbehaving = pool({ workerUrl: MISBEHAVING, maxMemoryMb: 64 });
    const error = await expectAppError(misbehaving.run({ table: titled('oom'), format: 'docx' }), 503, 'export_out_of_memory');
    expect(error.message).toContain('64 MB');
    await servesAfterwards(misbehaving);
  });
});

describe('the export queue', () => {
  it('refuses with 503 beyond the threads and the queue, rather than piling up tables in memory', async () => {
    const bounded = pool({ workers: 1, maxQueue: 1 });
    const table = buildSummaryTable();
    const running = bounded.run({ table, format: 'docx' });
    const waiting = bounded.run({ table, format: 'xlsx' });
    expect(bounded.pending).toBe(2);
    const error = await expectAppError(bounded.run({ table, format: 'pdf' }), 503, 'export_busy');
    expect(error.message).toBe('正在生成的导出文件过多，请稍后再试。');
    await Promise.all([running, waiting]);
    expect(bounded.pending).toBe(0);
    // the bound counts what is under way, not what was ever refused
    expect((await bounded.run({ table, format: 'csv' })).bytes.length).toBeGreaterThan(0);
  });
});
