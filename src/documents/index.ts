import { badInput } from '../domain/errors.js';
import type { ImportWarning, SummaryTable } from '../domain/summary-table.js';
import type { BulletinDocument, NoticeDocument } from '../domain/supervision.js';
import { readCsvGrid, writeSummaryCsv } from './csv.js';
import { interpretDecomposition, looksLikeDecomposition } from './decomposition.js';
import { readDocxGrid, writeSummaryDocx } from './docx.js';
import {
  interpretGrid,
  type ColumnMeaning,
  type ColumnReading,
  type FilingDetails,
  type GridOptions,
  type RowInterpretation,
  type TableGrid,
} from './grid.js';
import { DEFAULT_READER_LIMITS, type ReaderLimits } from './limits.js';
import { readSummaryJson, writeSummaryJson } from './json.js';
import { writeSummaryPdf, type PdfFontCandidates } from './pdf.js';
import { readTextGrid } from './text.js';
import { readXlsxGrid, writeSummaryXlsx } from './xlsx.js';
import { sniffOfficeFile, whatItIs } from './zip-guard.js';

import { EXPORT_FORMATS, EXPORT_MEDIA, IMPORT_FORMATS, type ExportFormat, type ImportFormat } from './formats.js';

export { EXPORT_FORMATS, EXPORT_MEDIA, IMPORT_FORMATS, type ExportFormat, type ImportFormat };

const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
const isOle = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;

function zipMentions(bytes: Uint8Array, path: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(path, 0, 'latin1');
}

/** The format from the file name, checked against the content: a misnamed file gets an error, not a guess. */
export function detectFormat(bytes: Uint8Array, fileName: string): ImportFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (bytes.length === 0) throw badInput('empty_file', `文件“${fileName}”是空的。`);
  if (extension === 'doc' || extension === 'xls' || extension === 'wps' || extension === 'et') {
    throw badInput(
      'legacy_office_format',
      `不支持旧版 Office 格式（.${extension}）。请在 Word/WPS 或 Excel 中“另存为” .docx 或 .xlsx 后再导入。`,
    );
  }
  // the reader's own sniffing tells a password-protected file from a legacy one
  if (isOle(bytes)) sniffOfficeFile(bytes, extension === 'xlsx' ? 'xlsx' : 'docx');
  const zip = isZip(bytes);
  const docx = zip && zipMentions(bytes, 'word/document.xml');
  const xlsx = zip && zipMentions(bytes, 'xl/workbook.xml');
  if (extension === 'docx') {
    if (!docx) throw badInput('not_a_docx', `文件“${fileName}”的扩展名是 .docx，但内容不是 Word 文档。${zip ? '' : whatItIs(bytes)}`);
    return 'docx';
  }
  if (extension === 'xlsx') {
    if (!xlsx) throw badInput('not_an_xlsx', `文件“${fileName}”的扩展名是 .xlsx，但内容不是 Excel 工作簿。${zip ? '' : whatItIs(bytes)}`);
    return 'xlsx';
  }
  if (docx) return 'docx';
  if (xlsx) return 'xlsx';
  if (zip) throw badInput('unknown_zip', `文件“${fileName}”是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文档。`);
  if (extension === 'csv') return 'csv';
  if (extension === 'json') return 'json';
  if (extension === 'txt' || extension === '' || extension === 'text' || extension === 'tsv') return 'text';
  throw badInput('unsupported_format', `不支持的文件类型“.${extension}”。可导入 .txt、.docx、.xlsx、.csv 或 .json 文件。`);
}

export interface ReadDocument {
  format: ImportFormat;
  /** a table, or a task-decomposition document (paragraphs with responsibilities written inline) */
  layout: 'table' | 'decomposition';
  table: SummaryTable;
  warnings: ImportWarning[];
  rows: RowInterpretation[];
  /** the 填报单位 / 填报时间 / 联系人 / 电话 lines above the table, when it has them */
  filing?: FilingDetails;
  /** how each heading was read (tables only; none for JSON and decomposition documents) */
  columns?: ColumnReading[];
  /** the headings without white space, to remember a chosen mapping by (tables only) */
  headerSignature?: string;
}

export type { ColumnMeaning, ColumnReading, FilingDetails, GridOptions };

/**
 * Bytes of any supported format → the summary table it holds, with warnings at their lines. A text or Word file
 * without a table is read as a task-decomposition document when it looks like one.
 */
export async function readSummaryDocument(
  bytes: Uint8Array,
  fileName: string,
  format: ImportFormat = detectFormat(bytes, fileName),
  limits: Partial<ReaderLimits> = {},
  options: GridOptions = {},
): Promise<ReadDocument> {
  if (bytes.length > (limits.maxDecompressedBytes ?? DEFAULT_READER_LIMITS.maxDecompressedBytes)) {
    throw badInput('file_too_large', `文件有 ${bytes.length} 字节，超过上限。`);
  }
  if (format === 'json') return { format, layout: 'table', table: readSummaryJson(bytes), warnings: [], rows: [] };
  const grid = await readDocumentGrid(bytes, format, limits);
  if (grid.rows.length === 0 && looksLikeDecomposition(grid.preamble)) {
    return { format, layout: 'decomposition', ...interpretDecomposition(grid.preamble) };
  }
  if (grid.rows.length === 0) {
    throw badInput(
      'no_table_found',
      format === 'docx'
        ? '文档中没有表格，也不像任务分解方案（没有“1.”“（一）”等编号条目和牵头单位/责任单位）。'
        : '文件中没有找到表格（单元格应以制表符分隔），也不像任务分解方案。',
    );
  }
  return { format, layout: 'table', ...interpretGrid(grid, options) };
}

/** The grid the reader of a format makes of a file (JSON has none): what the import interprets, for checks from outside. */
export async function readDocumentGrid(
  bytes: Uint8Array,
  format: Exclude<ImportFormat, 'json'>,
  limits: Partial<ReaderLimits> = {},
): Promise<TableGrid> {
  return format === 'docx'
    ? readDocxGrid(bytes, limits)
    : format === 'xlsx'
      ? readXlsxGrid(bytes, limits)
      : format === 'csv'
        ? readCsvGrid(bytes, limits)
        : readTextGrid(bytes, limits);
}

export interface WriteOptions {
  /** the date printed under the title, e.g. 2022年12月31日 */
  date?: string;
  /** the PDF's fonts, from the configuration (defaultPdfFonts); other formats name fonts and embed none */
  fonts?: PdfFontCandidates;
}

/** A summary table as the bytes of an export format; the same table always gives the same content. */
export async function writeSummaryDocument(table: SummaryTable, format: ExportFormat, options: WriteOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return writeSummaryDocx(table, { date: options.date });
    case 'xlsx':
      return writeSummaryXlsx(table, { date: options.date });
    case 'csv':
      return writeSummaryCsv(table);
    case 'json':
      return writeSummaryJson(table);
    case 'pdf':
      return writeSummaryPdf(table, options);
  }
}

/** A 督办单 (Word or PDF) or a 通报 (Word or Excel) to write. */
export type SupervisionDocumentRequest =
  | {
      kind: 'notice';
      notice: NoticeDocument;
      format: 'docx' | 'pdf' /** the PDF's fonts, from the configuration */;
      fonts?: PdfFontCandidates;
    }
  | { kind: 'bulletin'; bulletin: BulletinDocument; format: 'docx' | 'xlsx' };

/** The media types of the supervision documents' formats, for the download's Content-Type. */
export const SUPERVISION_MEDIA = {
  docx: EXPORT_MEDIA.docx,
  pdf: EXPORT_MEDIA.pdf,
  xlsx: EXPORT_MEDIA.xlsx,
} as const;

/**
 * A supervision document as bytes, written on the calling thread (the CLI, tests; the server writes them in the
 * export pool). The writers load on first use, so that what writes no 督办单 never loads them.
 */
export async function writeSupervisionDocument(
  request: SupervisionDocumentRequest,
  options: { fonts?: PdfFontCandidates } = {},
): Promise<Buffer> {
  const unsupported = () =>
    badInput('unsupported_format', `不支持的格式“${String(request.format)}”：督办单可导出 .docx 或 .pdf，通报可导出 .docx 或 .xlsx。`);
  switch (request.kind) {
    case 'notice': {
      const { writeNoticeDocx, writeNoticePdf } = await import('./notice.js');
      if (request.format === 'docx') return writeNoticeDocx(request.notice);
      if (request.format === 'pdf') return writeNoticePdf(request.notice, { fonts: request.fonts ?? options.fonts });
      throw unsupported();
    }
    case 'bulletin': {
      const { writeBulletinDocx, writeBulletinXlsx } = await import('./bulletin.js');
      if (request.format === 'docx') return writeBulletinDocx(request.bulletin);
      if (request.format === 'xlsx') return writeBulletinXlsx(request.bulletin);
      throw unsupported();
    }
  }
  throw badInput('unsupported_format', `不支持的督查文书种类“${String((request as { kind?: unknown }).kind)}”。`);
}
