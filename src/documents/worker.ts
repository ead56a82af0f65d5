import { Worker } from 'node:worker_threads';
import { AppError, badInput } from '../domain/errors.js';
import type { ReadDocument } from './index.js';
import type { ParseJob, ParseOutcome, VerifyJob } from './parse-job.js';
import type { ZipKind, ZipLimits } from './zip-guard.js';

export interface WorkerOptions {
  /** a parse that takes longer is stopped */
  timeoutMs?: number;
  /** heap of the parsing thread; a hostile file that needs more is stopped without touching the server's memory */
  maxMemoryMb?: number;
}

const WORKER_URL = new URL('./parse-worker.mjs', import.meta.url);
/** Warm workers kept for the next file: starting one costs far more than most parses. */
const MAX_IDLE = 2;
const idle = new Map<number, Worker[]>();

function startWorker(maxMemoryMb: number): Worker {
  return new Worker(WORKER_URL, {
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, maxMemoryMb / 4)) },
    stdout: false,
    stderr: false,
  });
}

/** A warm worker is reused only after a parse that ended normally; one that failed, timed out or ran out of memory is discarded. */
function release(worker: Worker, maxMemoryMb: number): void {
  const pool = idle.get(maxMemoryMb) ?? [];
  if (pool.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.removeAllListeners();
  worker.on('error', () => dropIdle(worker, maxMemoryMb));
  worker.on('exit', () => dropIdle(worker, maxMemoryMb));
  // an idle worker must not keep a CLI process alive
  worker.unref();
  pool.push(worker);
  idle.set(maxMemoryMb, pool);
}

function dropIdle(worker: Worker, maxMemoryMb: number): void {
  const pool = idle.get(maxMemoryMb) ?? [];
  idle.set(
    maxMemoryMb,
    pool.filter((candidate) => candidate !== worker),
  );
}

/**
 * Parses a document in a worker thread, so a large or hostile file neither blocks the server's event loop nor
 * exhausts its memory: the worker has its own heap cap and the parse a deadline.
 */
export async function parseInWorker(job: ParseJob, options: WorkerOptions = {}): Promise<ReadDocument> {
  const outcome = await runInWorker(job, options);
  if (!('document' in outcome)) throw new Error('parse worker answered a parse without a document');
  return outcome.document;
}

/**
 * Checks a ZIP container whole (verifyZipContainer) in the same capped worker: inflating a bomb up to the cap
 * takes a while, and the server's event loop must go on meanwhile.
 */
export async function verifyZipInWorker(
  bytes: Uint8Array,
  kind: ZipKind,
  limits: ZipLimits = {},
  options: WorkerOptions = {},
): Promise<void> {
  await runInWorker({ verify: kind, bytes, limits }, options);
}

type Answer = { ok: true; document: ReadDocument } | { ok: true; verified: true };

function runInWorker(job: ParseJob | VerifyJob, options: WorkerOptions): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxMemoryMb = options.maxMemoryMb ?? 512;
  const warm = idle.get(maxMemoryMb)?.pop();
  const worker = warm ?? startWorker(maxMemoryMb);
  worker.removeAllListeners();
  worker.ref();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (reuse: boolean, action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (reuse) release(worker, maxMemoryMb);
      else void worker.terminate();
      action();
    };
    const timer = setTimeout(
      () =>
        finish(false, () =>
          reject(badInput('parse_timeout', `文件解析超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止。文件可能过大或结构异常。`)),
        ),
      timeoutMs,
    );
    const send = () => worker.postMessage(job);
    worker.on('message', (message: ParseOutcome | Answer | { ready: true }) => {
      if ('ready' in message) return send();
      finish(true, () => {
        if (message.ok) return resolve(message);
        const failure = message.error;
        if ('unexpected' in failure) return reject(new Error(`parse worker failed: ${failure.unexpected}`));
        reject(new AppError(failure.status, failure.code, failure.message, failure.details));
      });
    });
    worker.on('error', (error: Error & { code?: string }) =>
      finish(false, () =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? badInput('parse_out_of_memory', `解析此文件需要的内存超过上限（${maxMemoryMb} MB），已停止。文件可能过大或是恶意构造的文件。`)
            : error,
        ),
      ),
    );
    worker.on('exit', (code) => finish(false, () => reject(new Error(`parse worker exited with code ${code} before answering`))));
    if (warm) send();
  });
}
