import type { Db } from '../db/schema.js';
import type { ColumnMeaning, ExportFormat, ImportFormat, ReadDocument, SupervisionDocumentRequest } from '../documents/index.js';
import type { SummaryTable } from '../domain/summary-table.js';
import type { Config } from '../config.js';
import type { ReaderLimits } from '../documents/limits.js';
import type { PdfFontCandidates } from '../documents/pdf.js';
import { parseInWorker } from '../documents/worker.js';
import { commandScanner, noScanner, type FileScanner } from './scan.js';
import { DeliveryFailed } from '../delivery/http.js';
import { checkWebhookUrl, EMPTY_ALLOW_LIST } from '../delivery/ssrf.js';
import type { Mailer } from '../delivery/mail.js';
import type { WebhookKind, WebhookMessage, WebhookTarget } from '../delivery/webhooks.js';

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

/**
 * Where notifications leave luoshi: e-mail (when an SMTP server is configured) and webhooks, with the outbox's retry
 * policy. Tests pass their own; without one, notifications stay in the in-app inbox and webhooks are refused.
 */
export interface Outbound {
  /** undefined: no SMTP server is configured and no e-mails are made */
  mail?: Pick<Mailer, 'send'>;
  webhook(kind: WebhookKind, target: WebhookTarget, message: WebhookMessage): Promise<void>;
  /** The SSRF guard's verdict on an address: throws SsrfRefused for one that may not be posted to. */
  checkUrl(url: string): Promise<void>;
  /** the address people open luoshi at, for links in e-mails and group messages; null: links are left out */
  publicUrl: string | null;
  /** attempts of one delivery before it goes to the dead-letter list */
  maxAttempts: number;
  /** the wait before the second attempt, doubled before each further one */
  retryBaseSeconds: number;
  /** how long a server holds a delivery it is sending before another may take it */
  leaseSeconds: number;
}

export const NO_OUTBOUND: Outbound = {
  webhook: async () => {
    throw new DeliveryFailed('未配置消息推送：服务器不发送 Webhook。', { retryable: false });
  },
  checkUrl: async (url) => {
    await checkWebhookUrl(url, EMPTY_ALLOW_LIST);
  },
  publicUrl: null,
  maxAttempts: 6,
  retryBaseSeconds: 30,
  leaseSeconds: 120,
};

/** How 督办单 and 通报 are written: inline by default; the server's runtime writes them in its export pool. */
export type SupervisionWriter = (request: SupervisionDocumentRequest) => Promise<Buffer>;

export interface ServiceContext {
  db: Db;
  /** luoshi's clock: business dates (due dates, reminders, lights); tests and drills may set it */
  now(): Date;
  outbound: Outbound;
  parse: DocumentParser;
  writeDocument: DocumentWriter;
  writeSupervision: SupervisionWriter;
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

/** 督办单 and 通报 written on the calling thread, with these PDF fonts. */
export function inlineSupervisionWriter(options: { fonts?: PdfFontCandidates } = {}): SupervisionWriter {
  return async (request) => {
    const { writeSupervisionDocument } = await import('../documents/index.js');
    return writeSupervisionDocument(request, { fonts: options.fonts });
  };
}

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
 * parsing and writing, no reader limits, no virus scanner and no outbound channels. The runtime (contextFor) passes the configured ones.
 */
export function createServiceContext(
  db: Db,
  now: () => Date = () => new Date(),
  options: {
    parse?: DocumentParser;
    writeDocument?: DocumentWriter;
    writeSupervision?: SupervisionWriter;
    readerLimits?: Partial<ReaderLimits>;
    scanFile?: FileScanner;
    outbound?: Outbound;
  } = {},
): ServiceContext {
  return {
    db,
    now,
    outbound: options.outbound ?? NO_OUTBOUND,
    parse: options.parse ?? parseInline,
    writeDocument: options.writeDocument ?? writeInline,
    writeSupervision: options.writeSupervision ?? inlineSupervisionWriter(),
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
