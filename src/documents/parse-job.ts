import { AppError } from '../domain/errors.js';
import { readSummaryDocument, type ImportFormat, type ReadDocument } from './index.js';
import type { ReaderLimits } from './limits.js';

export interface ParseJob {
  bytes: Uint8Array;
  fileName: string;
  format?: ImportFormat;
  limits?: Partial<ReaderLimits>;
}

export type ParseOutcome =
  | { ok: true; document: ReadDocument }
  | { ok: false; error: { status: number; code: string; message: string; details?: unknown } | { unexpected: string } };

/** Runs one parse and turns any failure into a message that crosses the thread boundary intact. */
export async function parseDocumentMessage(job: ParseJob): Promise<ParseOutcome> {
  try {
    return { ok: true, document: await readSummaryDocument(job.bytes, job.fileName, job.format, job.limits) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, error: { status: error.status, code: error.code, message: error.message, details: error.details } };
    }
    return { ok: false, error: { unexpected: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
  }
}
