import ExcelJS from 'exceljs';
import { badInput } from '../domain/errors.js';
import { chapterHeading, columnList, type SummaryTable } from '../domain/summary-table.js';
import type { GridRow, TableGrid } from './grid.js';
import { openOfficeZip, stripXmlInvalidChars, type ZipLimits } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

export const SHEET_NAME = '汇总表';

/** Excel column widths (in widths of the digit 0): 序号, 名称, 工作任务, 牵头单位, 主要配合单位, completion. */
const COLUMN_WIDTHS = [6, 16, 40, 18, 24, 60];

/** charset 134 is GB2312: Excel substitutes a missing Chinese font by charset, so 仿宋_GB2312 falls back to a Chinese face. */
const FONT_TITLE: Partial<ExcelJS.Font> = { name: '方正小标宋简体', size: 18, bold: true, charset: 134 };
const FONT_UNIT: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 12, charset: 134 };
const FONT_HEADER: Partial<ExcelJS.Font> = { name: '黑体', size: 11, bold: true, charset: 134 };
const FONT_CHAPTER: Partial<ExcelJS.Font> = { name: '黑体', size: 11, bold: true, charset: 134 };
const FONT_BODY: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 11, charset: 134 };

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDERS: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

/** Visual width of text in "CJK characters": Latin letters and digits are about half as wide. */
function visualLength(text: string): number {
  let length = 0;
  for (const char of text) length += /[\u2e80-\uffff]/.test(char) ? 1 : 0.55;
  return length;
}

/**
 * Row height in points for wrapped text. Excel does not grow rows for wrapped text in a generated file reliably
 * (and never for merged cells), so the height is estimated and set: one CJK character at 11 pt is about 2.1
 * column-width units, one line about 15 pt. It errs on the tall side, as a clipped text is worse than a gap.
 */
function rowHeight(texts: string[], fontSize = 11): number {
  const charUnits = (2.1 * fontSize) / 11;
  let lines = 1;
  texts.forEach((text, column) => {
    const perLine = Math.max(1, Math.floor(((COLUMN_WIDTHS[column] ?? 10) - 1) / charUnits));
    const count = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil((visualLength(line) * 1.05) / perLine)), 0);
    lines = Math.max(lines, count);
  });
  return Math.min(409, lines * ((15 * fontSize) / 11) + 6);
}

/** 序号 as a number when it reads back as the same text, so that Excel sorts it and shows no "number as text" mark. */
function numberCellValue(number: string): string | number {
  return /^[1-9]\d{0,14}$/.test(number) ? Number(number) : number;
}

export async function writeSummaryXlsx(table: SummaryTable, options: { date?: string } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'luoshi';
  workbook.title = stripXmlInvalidChars(table.title);
  const sheet = workbook.addWorksheet(SHEET_NAME);
  sheet.columns = COLUMN_WIDTHS.map((width) => ({ width }));
  const clean = (text: string) => stripXmlInvalidChars(text).replace(/\r\n?/g, '\n');

  sheet.mergeCells('A1:F1');
  const titleCell = sheet.getCell('A1');
  titleCell.value = clean(table.title);
  titleCell.font = FONT_TITLE;
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 36;

  let headerRow = 2;
  if (table.organisation !== '' || options.date) {
    const unitRow = sheet.getRow(2);
    unitRow.height = 22;
    if (table.organisation !== '') {
      sheet.mergeCells(options.date ? 'A2:D2' : 'A2:F2');
      const unit = sheet.getCell('A2');
      unit.value = `填报单位：${clean(table.organisation)}`;
      unit.font = FONT_UNIT;
      unit.alignment = { horizontal: 'left', vertical: 'middle' };
    }
    if (options.date) {
      sheet.mergeCells('E2:F2');
      const date = sheet.getCell('E2');
      date.value = `填报日期：${clean(options.date)}`;
      date.font = FONT_UNIT;
      date.alignment = { horizontal: 'right', vertical: 'middle' };
    }
    headerRow = 3;
  }

  const header = sheet.getRow(headerRow);
  header.values = columnList(table.columns).map(clean);
  header.height = 24;
  header.eachCell({ includeEmpty: true }, (cell) => {
    cell.font = FONT_HEADER;
    cell.fill = fill('FFD9D9D9');
    cell.border = BORDERS;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });

  let rowNumber = headerRow;
  for (const chapter of table.chapters) {
    rowNumber++;
    sheet.mergeCells(rowNumber, 1, rowNumber, 6);
    const row = sheet.getRow(rowNumber);
    row.getCell(1).value = clean(chapterHeading(chapter));
    // merged across all six columns, so the text wraps at the width of the whole table
    const perLine = COLUMN_WIDTHS.reduce((sum, width) => sum + width, 0) / 2.1;
    row.height = Math.max(20, Math.ceil(visualLength(clean(chapterHeading(chapter))) / perLine) * 15 + 6);
    for (let column = 1; column <= 6; column++) {
      const cell = row.getCell(column);
      cell.font = FONT_CHAPTER;
      cell.fill = fill('FFF2F2F2');
      cell.border = BORDERS;
      cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    }
    for (const task of chapter.tasks) {
      // a task without items still gets its row, so that its number and name are not lost
      const items = task.items.length > 0 ? task.items : [{ work: '', lead: '', cooperating: '', completion: '' }];
      const first = rowNumber + 1;
      items.forEach((item, index) => {
        rowNumber++;
        const row = sheet.getRow(rowNumber);
        const texts = [index === 0 ? task.number : '', index === 0 ? task.name : '', item.work, item.lead, item.cooperating, item.completion].map(clean);
        row.values = [index === 0 ? numberCellValue(texts[0]!) : null, index === 0 ? texts[1]! : null, ...texts.slice(2)];
        row.height = rowHeight(items.length > 1 ? ['', '', ...texts.slice(2)] : texts);
        for (let column = 1; column <= 6; column++) {
          const cell = row.getCell(column);
          cell.font = FONT_BODY;
          cell.border = BORDERS;
          cell.alignment = { horizontal: column <= 2 ? 'center' : 'left', vertical: column <= 2 ? 'middle' : 'top', wrapText: true };
        }
      });
      if (items.length > 1) {
        sheet.mergeCells(first, 1, rowNumber, 1);
        sheet.mergeCells(first, 2, rowNumber, 2);
      }
    }
  }

  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }];
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages down as needed
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
  sheet.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };

  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export interface XlsxLimits extends ZipLimits {
  /** Most rows in any one worksheet. */
  maxRows?: number;
  /** Most cells in all worksheets together: exceljs keeps an object per cell, so this bounds its memory. */
  maxCells?: number;
  /** Longest text of one cell, in characters. */
  maxCellLength?: number;
  /** Rightmost column that may hold a value. */
  maxColumns?: number;
}

export const DEFAULT_XLSX_LIMITS = { maxRows: 100_000, maxCells: 2_000_000, maxCellLength: 1_000_000, maxColumns: 256 };

const ROW_TAG = /<(?:\w+:)?row[\s/>]/g;
const CELL_TAG = /<(?:\w+:)?c[\s/>]/g;

function countMatches(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text)) count++;
  return count;
}

function formatDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

function valueText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return valueText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return valueText((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}

function hasNumberHeading(sheet: ExcelJS.Worksheet): boolean {
  let found = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (found || rowNumber > 20) return;
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (valueText(cell.value).replace(/\s+/g, '') === '序号') found = true;
    });
  });
  return found;
}

/**
 * Reads every row of the first worksheet that has a 序号 heading (else the first worksheet) as cell texts, with the
 * Excel row number as its line. Rows above the header stay rows: interpretGrid takes them as title and unit.
 */
export async function readXlsxGrid(bytes: Uint8Array, limits: XlsxLimits = {}): Promise<TableGrid> {
  const caps = { ...DEFAULT_XLSX_LIMITS, ...limits };
  const zip = await openOfficeZip(bytes, 'xlsx', limits);
  if (!zip.has('xl/workbook.xml')) {
    throw badInput('xlsx_workbook_missing', '文件不是 Excel 工作簿（.xlsx）：压缩包中没有 xl/workbook.xml。若为 Word 文件，请以 .docx 上传。');
  }

  // exceljs inflates every entry itself without any cap, so each one is inflated here first under the caps: after
  // this, what exceljs inflates is known to be bounded. The XML is also checked for DTDs and counted for rows.
  let cells = 0;
  for (const name of zip.names) {
    if (!/\.(xml|rels|vml)$/i.test(name)) {
      await zip.readBytes(name);
      continue;
    }
    const xml = await zip.readXml(name);
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
      const rows = countMatches(xml, ROW_TAG);
      if (rows > caps.maxRows) {
        throw badInput('xlsx_too_many_rows', `工作表（${name}）有 ${rows} 行，超过上限 ${caps.maxRows} 行，拒绝读取。`);
      }
      cells += countMatches(xml, CELL_TAG);
      if (cells > caps.maxCells) {
        throw badInput('xlsx_too_many_cells', `工作簿的单元格超过上限 ${caps.maxCells} 个，拒绝读取。`);
      }
    }
  }

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw badInput('xlsx_unreadable', `无法读取 Excel 工作簿，文件可能已损坏（${error instanceof Error ? error.message : String(error)}）。`);
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find(hasNumberHeading) ?? sheets[0];
  if (!sheet) throw badInput('xlsx_no_sheet', 'Excel 工作簿中没有工作表。');

  const rows: GridRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const texts: string[] = [];
    // only cells with a value are visited, so a stray cell far to the right costs one check, not a column loop
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > caps.maxColumns) {
        throw badInput('xlsx_too_many_columns', `工作表“${sheet.name}”的单元格 ${cell.address} 超出了第 ${caps.maxColumns} 列，汇总表不会有这么多列，拒绝读取。`);
      }
      // exceljs reports a covered cell of a merged range with the master's value; the grid wants it empty
      const covered = cell.isMerged && cell.master.address !== cell.address;
      const text = covered ? '' : valueText(cell.value);
      if (text.length > caps.maxCellLength) {
        throw badInput(
          'xlsx_cell_too_long',
          `工作表“${sheet.name}”的单元格 ${cell.address} 有 ${text.length} 个字符，超过上限 ${caps.maxCellLength} 个，拒绝读取。`,
        );
      }
      while (texts.length < column - 1) texts.push('');
      texts[column - 1] = text;
    });
    rows.push({ cells: texts, line: rowNumber });
  });
  return { preamble: [], rows };
}
