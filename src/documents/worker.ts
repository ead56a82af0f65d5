import { Worker } from 'node:worker_threads';
import { AppError, badInput } from '../domain/errors.js';
import type { ReadDocument } from './index.js';
import type { ParseJob, ParseOutcome } from './parse-job.js';

export interface WorkerOptions {
  /** a parse that takes longer is stopped */
  timeoutMs?: number;
  /** heap of the parsing thread; a hostile file that needs more is stopped without touching the server's memory */
  maxMemoryMb?: number;
}

const WORKER_URL = new URL('./parse-worker.mjs', import.meta.url);

/**
 * Parses a document in its own worker thread, so a large or hostile file neither blocks the server's event loop
 * nor exhausts its memory: the worker has its own heap cap and a deadline, and is discarded after one file.
 */
export function parseInWorker(job: ParseJob, options: WorkerOptions = {}): Promise<ReadDocument> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxMemoryMb = options.maxMemoryMb ?? 512;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, maxMemoryMb / 4) },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => settle(() => reject(badInput('parse_timeout', `文件解析超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止。文件可能过大或结构异常。`))),
      timeoutMs,
    );
    worker.once('message', (outcome: ParseOutcome) =>
      settle(() => {
        if (outcome.ok) return resolve(outcome.document);
        const failure = outcome.error;
        if ('unexpected' in failure) return reject(new Error(`parse worker failed: ${failure.unexpected}`));
        reject(new AppError(failure.status, failure.code, failure.message, failure.details));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? badInput('parse_out_of_memory', `解析此文件需要的内存超过上限（${maxMemoryMb} MB），已停止。文件可能过大或是恶意构造的文件。`)
            : error,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`parse worker exited with code ${code} before answering`))));
  });
}
