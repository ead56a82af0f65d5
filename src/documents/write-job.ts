import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { AppError, badInput } from '../domain/errors.js';
import type { SummaryTable } from '../domain/summary-table.js';
import type { ExportFormat, SupervisionDocumentRequest } from './index.js';
import type { PdfFontCandidates } from './pdf-fonts.js';

/** A summary table in an export format: the shape the pool has always been given, so `kind` may be left out. */
export interface SummaryWriteJob {
  kind?: 'summary';
  table: SummaryTable;
  format: ExportFormat;
  date?: string;
  fonts?: PdfFontCandidates;
}

/** A 督办单 or a 通报; a notice's PDF uses `fonts`, which the pool fills from its configuration. */
export type SupervisionWriteJob = SupervisionDocumentRequest & { fonts?: PdfFontCandidates };

export type WriteJob = SummaryWriteJob | SupervisionWriteJob;

export type WriteOutcome =
  | { ok: true; bytes: Uint8Array /** the thread that wrote it, so that callers can tell it was not theirs */; threadId: number }
  | { ok: false; error: { status: number; code: AppError['code']; message: string; details?: unknown } | { unexpected: string } };

/**
 * The bytes go back transferred, not copied, so that a document of megabytes costs the main thread nothing. A Buffer
 * taken from Node's shared pool must not be transferred (that would detach its neighbours): small ones are copied.
 */
function ownBytes(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return new Uint8Array(bytes.buffer, 0, bytes.byteLength);
  }
  return new Uint8Array(bytes);
}

const unsupported = (format: unknown) =>
  badInput('unsupported_format', `不支持的格式“${String(format)}”：督办单可导出 .docx 或 .pdf，通报可导出 .docx 或 .xlsx。`);

/**
 * The writer of one format, loaded when first asked for: a thread that writes PDFs does not hold exceljs, and one
 * that writes Word files no fonts, which keeps each thread's memory to what its exports need.
 */
async function writerFor(job: WriteJob): Promise<() => Buffer | Promise<Buffer>> {
  // the supervision writers' own modules, not index.js, which would load every writer
  if (job.kind === 'notice') {
    const { notice, fonts } = job;
    const { writeNoticeDocx, writeNoticePdf } = await import('./notice.js');
    if (job.format === 'pdf') return () => writeNoticePdf(notice, { fonts });
    if (job.format === 'docx') return () => writeNoticeDocx(notice);
    throw unsupported(job.format);
  }
  if (job.kind === 'bulletin') {
    const { bulletin } = job;
    const { writeBulletinDocx, writeBulletinXlsx } = await import('./bulletin.js');
    if (job.format === 'xlsx') return () => writeBulletinXlsx(bulletin);
    if (job.format === 'docx') return () => writeBulletinDocx(bulletin);
    throw unsupported(job.format);
  }
  switch (job.format) {
    case 'docx': {
      const { writeSummaryDocx } = await import('./docx.js');
      return () => writeSummaryDocx(job.table, { date: job.date });
    }
    case 'xlsx': {
      const { writeSummaryXlsx } = await import('./xlsx.js');
      return () => writeSummaryXlsx(job.table, { date: job.date });
    }
    case 'pdf': {
      const { writeSummaryPdf } = await import('./pdf.js');
      return () => writeSummaryPdf(job.table, { date: job.date, fonts: job.fonts });
    }
    case 'csv': {
      const { writeSummaryCsv } = await import('./csv.js');
      return () => writeSummaryCsv(job.table);
    }
    case 'json': {
      const { writeSummaryJson } = await import('./json.js');
      return () => writeSummaryJson(job.table);
    }
  }
}

/** Writes one document and turns any failure into a message that crosses the thread boundary intact. */
export async function writeDocumentMessage(job: WriteJob): Promise<WriteOutcome> {
  try {
    const bytes = ownBytes(await (await writerFor(job))());
    const outcome: WriteOutcome = { ok: true, bytes, threadId };
    // piscina transfers what a returned value lists under its transferable symbol
    return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: outcome } as never) as unknown as WriteOutcome;
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, error: { status: error.status, code: error.code, message: error.message, details: error.details } };
    }
    return { ok: false, error: { unexpected: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
  }
}
