import { AppError } from '../domain/errors.js';
import { readSummaryDocument, type ImportFormat, type ReadDocument } from './index.js';
import type { GridOptions } from './grid.js';
import type { ReaderLimits } from './limits.js';
import { verifyZipContainer, type ZipKind, type ZipLimits } from './zip-guard.js';

export interface ParseJob {
  bytes: Uint8Array;
  fileName: string;
  format?: ImportFormat;
  limits?: Partial<ReaderLimits>;
  /** a person's reading of the table's columns, by position */
  columns?: GridOptions['columns'];
}

/** A container to check whole, keeping nothing of it (evidence files, before they are stored). */
export interface VerifyJob {
  verify: ZipKind;
  bytes: Uint8Array;
  limits?: ZipLimits;
}

export type ParseOutcome =
  | { ok: true; document: ReadDocument }
  | { ok: false; error: { status: number; code: AppError['code']; message: string; details?: unknown } | { unexpected: string } };

/** Runs one parse or check and turns any failure into a message that crosses the thread boundary intact. */
export async function parseDocumentMessage(job: ParseJob | VerifyJob): Promise<ParseOutcome | { ok: true; verified: true }> {
  try {
    if ('verify' in job) {
      await verifyZipContainer(job.bytes, job.verify, job.limits);
      return { ok: true, verified: true };
    }
    return { ok: true, document: await readSummaryDocument(job.bytes, job.fileName, job.format, job.limits, { columns: job.columns }) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, error: { status: error.status, code: error.code, message: error.message, details: error.details } };
    }
    return { ok: false, error: { unexpected: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
  }
}
