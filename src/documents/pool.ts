import { Piscina } from 'piscina';
import { AppError } from '../domain/errors.js';
import type { SummaryTable } from '../domain/summary-table.js';
import type { ExportFormat, SupervisionDocumentRequest } from './index.js';
import type { PdfFontCandidates } from './pdf.js';
import type { WriteJob, WriteOutcome } from './write-job.js';

export interface ExportPoolOptions {
  /** threads writing at once */
  workers: number;
  /** exports that may wait for a thread; one more is refused rather than held in memory */
  maxQueue: number;
  /** an export (waiting included) that takes longer is stopped and its thread replaced */
  timeoutMs: number;
  /** heap of each thread: a table that needs more stops that thread, not the server */
  maxMemoryMb: number;
  /** the PDF fonts from the configuration */
  fonts?: PdfFontCandidates;
  /** the worker module; tests give one that fails on purpose */
  workerUrl?: URL;
  /** threads unused this long end, so that an idle server holds no writer's memory (default 20 s) */
  idleTimeoutMs?: number;
}

export interface ExportRequest {
  /** a summary table; the only kind there was before the supervision documents, so it may be left out */
  kind?: 'summary';
  table: SummaryTable;
  format: ExportFormat;
  date?: string;
}

export interface ExportPool {
  /** The document's bytes, written in a worker thread; `threadId` is the thread that wrote them. */
  run(request: ExportRequest | SupervisionDocumentRequest): Promise<{ bytes: Buffer; threadId: number }>;
  /** The document's bytes: a DocumentWriter for the service context. */
  write(request: ExportRequest): Promise<Buffer>;
  /** exports being written or waiting */
  readonly pending: number;
  /** Ends the threads; exports still running are refused. The pool starts again on the next export. */
  close(): Promise<void>;
}

/**
 * The pool as createExportPool makes it. `run` takes supervision documents too; `writeSupervision` is the same
 * without the thread's id. (Apart from ExportPool so that the runtime's lazily started wrapper stays an ExportPool.)
 */
export interface SupervisionExportPool extends ExportPool {
  /** A 督办单 (docx, pdf) or 通报 (docx, xlsx), written in a worker thread; a notice's PDF gets the pool's fonts. */
  writeSupervision(request: SupervisionDocumentRequest): Promise<Buffer>;
}

const WORKER_URL = new URL('./write-worker.mjs', import.meta.url);

const busy = () => new AppError(503, 'export_busy', '正在生成的导出文件过多，请稍后再试。');
const failed = (why: string) => new AppError(500, 'export_failed', `生成导出文件失败（${why}），请重试；如反复出现，请联系系统管理员。`);

/** What a failure of the thread itself (not of the writer) means to the person who asked for the export. */
function threadFailure(error: unknown, options: ExportPoolOptions): AppError {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'AbortError') {
    return new AppError(
      503,
      'export_timeout',
      `生成导出文件超过 ${Math.round(options.timeoutMs / 1000)} 秒仍未完成，已停止。请缩小导出范围（按章节或状态筛选）后重试。`,
    );
  }
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new AppError(
      503,
      'export_out_of_memory',
      `生成此导出文件需要的内存超过上限（${options.maxMemoryMb} MB），已停止。请缩小导出范围后重试，或由管理员调高 LUOSHI_EXPORT_MAX_MEMORY_MB。`,
    );
  }
  const failure = failed('导出线程意外退出');
  Object.defineProperty(failure, 'cause', { value: error });
  return failure;
}

/**
 * A pool of worker threads (piscina) that writes export documents off the main thread, so that a city-wide DOCX or
 * PDF never stalls other requests. The threads start on the first export and end after a while unused; the queue is
 * bounded, and a thread that throws, dies, runs out of memory or overruns the deadline gives an AppError while the
 * pool goes on serving with a fresh thread.
 */
export function createExportPool(options: ExportPoolOptions): SupervisionExportPool {
  let piscina: Piscina<WriteJob, WriteOutcome> | undefined;
  let pending = 0;
  const start = () =>
    new Piscina<WriteJob, WriteOutcome>({
      filename: (options.workerUrl ?? WORKER_URL).href,
      minThreads: 0,
      maxThreads: options.workers,
      idleTimeout: options.idleTimeoutMs ?? 20_000,
      // bounded here as well as by `pending`, so that the two can never disagree into an unbounded queue
      maxQueue: options.maxQueue + options.workers,
      // the writers are asynchronous (streams, promises): a thread must not block on Atomics between tasks
      atomics: 'disabled',
      resourceLimits: {
        maxOldGenerationSizeMb: options.maxMemoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, options.maxMemoryMb / 8)),
      },
    });

  /** What the thread is given: the request as it came, with the configured fonts for whatever prints a PDF. */
  const jobFor = (request: ExportRequest | SupervisionDocumentRequest): WriteJob => {
    switch (request.kind) {
      case 'notice':
        return { ...request, fonts: request.fonts ?? options.fonts };
      case 'bulletin':
        return request;
      default:
        return { table: request.table, format: request.format, date: request.date, fonts: options.fonts };
    }
  };

  const run = async (request: ExportRequest | SupervisionDocumentRequest): Promise<{ bytes: Buffer; threadId: number }> => {
    if (pending >= options.workers + options.maxQueue) throw busy();
    pending++;
    try {
      piscina ??= start();
      let outcome: WriteOutcome;
      try {
        outcome = await piscina.run(jobFor(request), { signal: AbortSignal.timeout(options.timeoutMs) });
      } catch (error) {
        throw threadFailure(error, options);
      }
      if (outcome.ok)
        return { bytes: Buffer.from(outcome.bytes.buffer, outcome.bytes.byteOffset, outcome.bytes.byteLength), threadId: outcome.threadId };
      const { error } = outcome;
      if ('unexpected' in error) {
        const failure = failed('写出文档时出错');
        Object.defineProperty(failure, 'cause', { value: new Error(error.unexpected) });
        throw failure;
      }
      throw new AppError(error.status, error.code, error.message, error.details);
    } finally {
      pending--;
    }
  };

  return {
    run,
    write: async (request) => (await run(request)).bytes,
    writeSupervision: async (request) => (await run(request)).bytes,
    get pending() {
      return pending;
    },
    close: async () => {
      const closing = piscina;
      piscina = undefined;
      await closing?.destroy();
    },
  };
}
