import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { SAMPLE_BYTES, sampleTable } from '../../test/helpers/documents.js';
import { parseInWorker } from './worker.js';

describe('parsing in a worker thread', () => {
  it('gives the same result as parsing inline', async () => {
    const document = await parseInWorker({ bytes: SAMPLE_BYTES, fileName: 'sample.txt' });
    expect(document.table).toEqual(sampleTable());
    expect(document.format).toBe('text');
  });

  it('reuses a warm worker after a normal parse, and still answers correctly', async () => {
    for (let run = 0; run < 3; run++) {
      expect((await parseInWorker({ bytes: SAMPLE_BYTES, fileName: 'sample.txt' })).table).toEqual(sampleTable());
    }
  });

  it('carries a bad-input error across the thread intact', async () => {
    const error = await parseInWorker({ bytes: Buffer.from('只有文字'), fileName: 'x.docx' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'not_a_docx' });
  });

  it('stops a parse that runs past its deadline', async () => {
    // a heap size no other test uses, so no warm worker exists: a new thread loading the readers cannot answer
    // within a deadline of 1 ms on any machine
    const error = await parseInWorker({ bytes: SAMPLE_BYTES, fileName: 'sample.txt' }, { timeoutMs: 1, maxMemoryMb: 97 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ status: 400, code: 'parse_timeout' });
  });

  it('stops a parse that needs more memory than its cap, without harming this process', async () => {
    // ~20 MB of text decodes to ~40 MB of UTF-16 before it is even split into cells: more than a 16 MB heap
    const row = `\t1\n\t名称\n\t${'工作内容'.repeat(60)}\n\t市水务局\n\n`;
    const bytes = Buffer.from(`2030年度汇总表\n\t序号\n\t名称\n\t工作任务\n\t牵头单位\n\n\t一、章节\n\n${row.repeat(25_000)}`);
    const error = await parseInWorker(
      { bytes, fileName: 'huge.txt', limits: { maxRows: 10_000_000, maxDecompressedBytes: 1e9 } },
      { maxMemoryMb: 16 },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: 'parse_out_of_memory' });
    expect(process.memoryUsage().heapUsed).toBeLessThan(1024 * 1024 * 1024);
  }, 60_000);
});
