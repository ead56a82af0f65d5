import type { Db } from '../db/schema.js';
import type { ColumnMeaning, ExportFormat, ImportFormat, ReadDocument } from '../documents/index.js';
import type { SummaryTable } from '../domain/summary-table.js';
import type { Config } from '../config.js';
import type { ReaderLimits } from '../documents/limits.js';
import type { PdfFontCandidates } from '../documents/pdf.js';
import { parseInWorker } from '../documents/worker.js';
import { commandScanner, noScanner, type FileScanner } from './scan.js';

/** Who is acting and from where; issue-4 accounts will fill this from the session or API token. */
export interface Actor {
  /** stable identifier written to the audit log, e.g. `cli`, `system:demo`, `user:17` */
  id: string;
  source: string;
}

export interface ParseRequest {
  bytes: Uint8Array;
  fileName: string;
  format?: ImportFormat;
  limits?: Partial<ReaderLimits>;
  /** a person's reading of the table's columns, by position (see GridOptions) */
  columns?: Record<number, ColumnMeaning>;
}

/** How documents are parsed: inline by default; the server and the CLI parse in a worker thread. */
export type DocumentParser = (request: ParseRequest) => Promise<ReadDocument>;

export interface WriteRequest {
  table: SummaryTable;
  format: ExportFormat;
  /** the date printed under the table, e.g. 2022年12月31日 */
  date?: string;
}

/** How documents are written: inline by default; the runtime gives the server a worker pool, off the event loop. */
export type DocumentWriter = (request: WriteRequest) => Promise<Buffer>;

export interface ServiceContext {
  db: Db;
  now(): Date;
  parse: DocumentParser;
  writeDocument: DocumentWriter;
  /** caps for every document read through this context */
  readerLimits: Partial<ReaderLimits>;
  /** checks evidence files before they are stored */
  scanFile: FileScanner;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', source: 'system' };

// the readers (Word, Excel, PDF libraries) load on first use: commands that parse nothing start seconds sooner
export const parseInline: DocumentParser = async (request) => {
  const { readSummaryDocument } = await import('../documents/index.js');
  return readSummaryDocument(request.bytes, request.fileName, request.format, request.limits, { columns: request.columns });
};

/** Writes on the calling thread: for the CLI and tests, where no other request waits on the event loop. */
export function inlineWriter(options: { fonts?: PdfFontCandidates } = {}): DocumentWriter {
  return async (request) => {
    const { writeSummaryDocument } = await import('../documents/index.js');
    return writeSummaryDocument(request.table, request.format, { date: request.date, fonts: options.fonts });
  };
}

export const writeInline: DocumentWriter = inlineWriter();

/**
 * What the services run with: the database, a clock (tests pass a fixed one) and, unless given, inline document
 * parsing and writing, no reader limits and no virus scanner. The runtime (contextFor) passes the configured ones.
 */
export function createServiceContext(
  db: Db,
  now: () => Date = () => new Date(),
  options: { parse?: DocumentParser; writeDocument?: DocumentWriter; readerLimits?: Partial<ReaderLimits>; scanFile?: FileScanner } = {},
): ServiceContext {
  return {
    db,
    now,
    parse: options.parse ?? parseInline,
    writeDocument: options.writeDocument ?? writeInline,
    readerLimits: options.readerLimits ?? {},
    scanFile: options.scanFile ?? noScanner,
  };
}

export type ImportConfig = Pick<
  Config,
  'importMaxDecompressedBytes' | 'importMaxRows' | 'importMaxCellChars' | 'importTimeoutMs' | 'importMaxMemoryMb'
>;

/** Parsing in a worker thread with the configured caps: what the server and the CLI use. */
export function importOptions(config: ImportConfig): { parse: DocumentParser; readerLimits: Partial<ReaderLimits> } {
  return {
    parse: (request) => parseInWorker(request, { timeoutMs: config.importTimeoutMs, maxMemoryMb: config.importMaxMemoryMb }),
    readerLimits: {
      maxDecompressedBytes: config.importMaxDecompressedBytes,
      maxRows: config.importMaxRows,
      maxCellChars: config.importMaxCellChars,
    },
  };
}

/** The configured scanner for evidence files, or none. */
export function scannerOf(config: Pick<Config, 'virusScanCommand'>): FileScanner {
  return config.virusScanCommand ? commandScanner(config.virusScanCommand) : noScanner;
}
