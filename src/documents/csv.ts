import { badInput } from '../domain/errors.js';
import { chapterHeading, type SummaryTable } from '../domain/summary-table.js';
import { EMPTY_ITEM, printedColumns, rowTexts } from './columns.js';
import { decodeText } from './encoding.js';
import type { GridRow, TableGrid } from './grid.js';
import { cellTooLong, formatCount, resolveReaderLimits, tooManyRows, type ReaderLimits } from './limits.js';

const BOM = '\ufeff';

/**
 * A text written with the prefix: a formula start (=, +, -, @, tab, CR: what makes Excel, LibreOffice and WPS read a
 * cell as a formula, OWASP's "CSV injection"), or apostrophes followed by one. The second case is what makes the
 * prefix reversible: a text that itself starts with '= gets one more apostrophe, so the reader can always take
 * exactly one away.
 */
const PREFIXED = /^'*[=+\-@\t\r]/;

/**
 * One CSV field as luoshi writes it everywhere: neutralised against formula injection with a leading apostrophe (as
 * OWASP recommends), then quoted as RFC 4180 asks. Cell texts are anyone's input (an item's work, a unit's report,
 * the user name of a failed sign-in), and a spreadsheet would run =HYPERLINK(…) or +cmd|… as written. The apostrophe
 * changes what Excel shows ('-5%), which is the price; luoshi's own reader takes it away again (readCsvGrid).
 */
export function csvCell(value: string | number): string {
  const text = String(value);
  const safe = PREFIXED.test(text) ? `'${text}` : text;
  // a tab is quoted too: a header line with tabs and no commas is read as tab-separated
  return /[",\r\n\t]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The text csvCell was given, from a field as read: one apostrophe less before a formula start, nothing else. */
export function uncsvCell(field: string): string {
  return field.startsWith("'") && PREFIXED.test(field.slice(1)) ? field.slice(1) : field;
}

/** A CSV file as luoshi writes it: UTF-8 with a BOM, CRLF record ends, every record as wide as the widest. */
export function writeCsv(records: readonly (readonly (string | number)[])[]): Buffer {
  const width = Math.max(0, ...records.map((record) => record.length));
  const lines = records.map((record) => Array.from({ length: width }, (_, index) => csvCell(record[index] ?? '')).join(','));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

/**
 * The summary table as a plain CSV table: UTF-8 with a BOM (without it Excel on Chinese Windows reads the file as
 * GBK and shows mojibake), CRLF record ends, RFC 4180 quoting. No title row: the first record is the header.
 * A chapter is a record of its heading followed by empty fields, as wide as every other record (RFC 4180 asks for
 * the same number of fields in each); every item repeats its task's 序号 and 名称, because CSV has no merges. The
 * optional columns the table declares (责任领导, 完成时限, 完成状态, unknown ones) are printed in the same places as in
 * the other formats (see columns.ts). Cells are written by csvCell, so none starts with a formula character.
 */
export function writeSummaryCsv(table: SummaryTable): Buffer {
  const columns = printedColumns(table);
  const records: string[][] = [columns.map((column) => column.heading)];
  for (const chapter of table.chapters) {
    records.push([chapterHeading(chapter)]);
    for (const task of chapter.tasks) {
      const items = task.items.length > 0 ? task.items : [EMPTY_ITEM];
      for (const item of items) records.push(rowTexts(columns, task.number, task.name, item));
    }
  }
  return writeCsv(records);
}

/**
 * Reads an RFC 4180 table (quoted fields may hold commas, doubled quotes and line breaks). Each record's line is
 * the physical line it starts on. Excel's "Unicode text" export is tab-separated, so a header line with tabs and
 * no commas switches the separator. Blank lines are skipped. `maxRows` caps the records, `maxCellChars` one field.
 * The apostrophe csvCell puts before a formula start is taken away (uncsvCell), so luoshi's exports read back exactly.
 */
export function readCsvGrid(bytes: Uint8Array, limits: Partial<ReaderLimits> = {}): TableGrid {
  const caps = resolveReaderLimits(limits);
  const { text } = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';

  const rows: GridRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let fieldStarted = false;

  const endField = () => {
    if (field.length > caps.maxCellChars) {
      throw cellTooLong(field.length, caps.maxCellChars, `CSV 文件第 ${formatCount(recordLine)} 行开始的记录的第 ${fields.length + 1} 列`);
    }
    fields.push(uncsvCell(field));
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '') {
      if (rows.length === caps.maxRows)
        throw tooManyRows(caps.maxRows, 'CSV 文件的记录数', `第 ${formatCount(recordLine)} 行的第 ${formatCount(rows.length + 1)} 条记录`);
      rows.push({ cells: fields, line: recordLine });
    }
    fields = [];
  };

  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      quoted = true;
      quoteLine = line;
      fieldStarted = true;
    } else if (char === separator) {
      endField();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      // text after a closing quote, or a quote inside an unquoted field, is kept as written (as Excel does)
      field += char;
      fieldStarted = true;
    }
  }
  if (quoted) {
    throw badInput('csv_unterminated_quote', `CSV 文件第 ${quoteLine} 行开始的引号（"）直到文件末尾都没有闭合，文件可能不完整或格式有误。`);
  }
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return { preamble: [], rows };
}
