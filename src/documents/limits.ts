import { badInput, type AppError } from '../domain/errors.js';

/**
 * Caps on what a reader accepts, shared by every format so that one configuration bounds them all. A file over a
 * cap is refused with an error that names the cap, before it can exhaust memory.
 */
export interface ReaderLimits {
  /** total bytes a .docx/.xlsx may inflate to */
  maxDecompressedBytes: number;
  /** table rows (all tables or sheets together), or lines of a text file */
  maxRows: number;
  /** characters in one cell or paragraph */
  maxCellChars: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxRows: 20_000,
  maxCellChars: 100_000,
};

/**
 * The caps a reader works with. Keys present but undefined (an unset configuration variable passed through) keep the
 * default rather than disabling the cap, and so does anything that is not a positive number.
 */
export function resolveReaderLimits(limits: Partial<ReaderLimits> = {}): ReaderLimits {
  const pick = (key: keyof ReaderLimits) => {
    const value = limits[key];
    return typeof value === 'number' && value > 0 ? value : DEFAULT_READER_LIMITS[key];
  };
  return { maxDecompressedBytes: pick('maxDecompressedBytes'), maxRows: pick('maxRows'), maxCellChars: pick('maxCellChars') };
}

/** 12345 → "12,345": people compare these numbers with their file, and digit groups make that easy. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/**
 * One code and one wording for every reader. `what` names what was counted (表格行数, 行数, 记录数) and `where` the
 * place the cap was passed (第 20,001 行, 工作表“Sheet2”第 12,345 行), so that the person can find it.
 */
export function tooManyRows(limit: number, what: string, where: string): AppError {
  return badInput(
    'too_many_rows',
    `${what}超过上限 ${formatCount(limit)} 行（读到${where}时超出），拒绝读取。请删去多余的行，或分成几个文件导入。`,
    { limit, where },
  );
}

export function cellTooLong(length: number, limit: number, where: string): AppError {
  return badInput(
    'cell_too_long',
    `${where}有 ${formatCount(length)} 个字符，超过单元格（段落）上限 ${formatCount(limit)} 个字符，拒绝读取。`,
    { limit, length, where },
  );
}
