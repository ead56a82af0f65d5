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
