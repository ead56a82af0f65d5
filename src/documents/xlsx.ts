import ExcelJS from 'exceljs';
import { badInput } from '../domain/errors.js';
import { chapterHeading, type SummaryTable } from '../domain/summary-table.js';
import { columnWidths, EMPTY_ITEM, printedColumns, rowTexts, visualLength, type WidthScheme } from './columns.js';
import type { GridLine, GridRow, TableGrid } from './grid.js';
import { cellTooLong, formatCount, resolveReaderLimits, tooManyRows, type ReaderLimits } from './limits.js';
import { openOfficeZip, stripXmlInvalidChars, zipLimitsFor, type GuardedZip } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

export const SHEET_NAME = '汇总表';

/**
 * Excel column widths (in widths of the digit 0): 序号, 名称, 工作任务, 牵头单位, 主要配合单位, completion. Optional
 * columns (完成状态, 预警…) get what their short texts need, at about 2.1 units a Chinese character, and the others
 * make room for them as in the Word table, so that the printed page keeps its scale.
 */
const XLSX_WIDTHS: WidthScheme = {
  standard: [6, 16, 40, 18, 24, 60],
  least: [6, 12, 24, 12, 14, 36],
  chars: (chars) => Math.max(6, Math.round(chars * 2.1 + 2)),
};

/** charset 134 is GB2312: Excel substitutes a missing Chinese font by charset, so 仿宋_GB2312 falls back to a Chinese face. */
const FONT_TITLE: Partial<ExcelJS.Font> = { name: '方正小标宋简体', size: 18, bold: true, charset: 134 };
const FONT_UNIT: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 12, charset: 134 };
const FONT_HEADER: Partial<ExcelJS.Font> = { name: '黑体', size: 11, bold: true, charset: 134 };
const FONT_CHAPTER: Partial<ExcelJS.Font> = { name: '黑体', size: 11, bold: true, charset: 134 };
const FONT_BODY: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 11, charset: 134 };

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDERS: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

/**
 * Row height in points for wrapped text. Excel does not grow rows for wrapped text in a generated file reliably
 * (and never for merged cells), so the height is estimated and set: one CJK character at 11 pt is about 2.1
 * column-width units, one line about 15 pt. It errs on the tall side, as a clipped text is worse than a gap.
 */
function rowHeight(widths: number[], texts: string[], fontSize = 11): number {
  const charUnits = (2.1 * fontSize) / 11;
  let lines = 1;
  texts.forEach((text, column) => {
    const perLine = Math.max(1, Math.floor(((widths[column] ?? 10) - 1) / charUnits));
    const count = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil((visualLength(line) * 1.05) / perLine)), 0);
    lines = Math.max(lines, count);
  });
  return Math.min(409, lines * ((15 * fontSize) / 11) + 6);
}

/** 序号 as a number when it reads back as the same text, so that Excel sorts it and shows no "number as text" mark. */
function numberCellValue(number: string): string | number {
  return /^[1-9]\d{0,14}$/.test(number) ? Number(number) : number;
}

/** The date at the right of the unit row takes the last columns, at least two, that are together this wide. */
const DATE_WIDTH = 32;

export async function writeSummaryXlsx(table: SummaryTable, options: { date?: string } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'luoshi';
  workbook.title = stripXmlInvalidChars(table.title);
  const sheet = workbook.addWorksheet(SHEET_NAME);
  const columns = printedColumns(table);
  const widths = columnWidths(columns, XLSX_WIDTHS);
  const last = columns.length;
  sheet.columns = widths.map((width) => ({ width }));
  const clean = (text: string) => stripXmlInvalidChars(text).replace(/\r\n?/g, '\n');

  sheet.mergeCells(1, 1, 1, last);
  const titleCell = sheet.getCell('A1');
  titleCell.value = clean(table.title);
  titleCell.font = FONT_TITLE;
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 36;

  let headerRow = 2;
  if (table.organisation !== '' || options.date) {
    const unitRow = sheet.getRow(2);
    unitRow.height = 22;
    let dateFrom = last - 1;
    while (dateFrom > 3 && widths.slice(dateFrom - 1).reduce((sum, width) => sum + width, 0) < DATE_WIDTH) dateFrom--;
    if (table.organisation !== '') {
      sheet.mergeCells(2, 1, 2, options.date ? dateFrom - 1 : last);
      const unit = sheet.getCell('A2');
      unit.value = `填报单位：${clean(table.organisation)}`;
      unit.font = FONT_UNIT;
      unit.alignment = { horizontal: 'left', vertical: 'middle' };
    }
    if (options.date) {
      sheet.mergeCells(2, dateFrom, 2, last);
      const date = sheet.getRow(2).getCell(dateFrom);
      date.value = `填报日期：${clean(options.date)}`;
      date.font = FONT_UNIT;
      date.alignment = { horizontal: 'right', vertical: 'middle' };
    }
    headerRow = 3;
  }

  const header = sheet.getRow(headerRow);
  header.values = columns.map((column) => clean(column.heading));
  header.height = 24;
  for (let column = 1; column <= last; column++) {
    const cell = header.getCell(column);
    cell.font = FONT_HEADER;
    cell.fill = fill('FFD9D9D9');
    cell.border = BORDERS;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }

  let rowNumber = headerRow;
  for (const chapter of table.chapters) {
    rowNumber++;
    sheet.mergeCells(rowNumber, 1, rowNumber, last);
    const row = sheet.getRow(rowNumber);
    row.getCell(1).value = clean(chapterHeading(chapter));
    // merged across all the columns, so the text wraps at the width of the whole table
    const perLine = widths.reduce((sum, width) => sum + width, 0) / 2.1;
    row.height = Math.max(20, Math.ceil(visualLength(clean(chapterHeading(chapter))) / perLine) * 15 + 6);
    for (let column = 1; column <= last; column++) {
      const cell = row.getCell(column);
      cell.font = FONT_CHAPTER;
      cell.fill = fill('FFF2F2F2');
      cell.border = BORDERS;
      cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
    }
    for (const task of chapter.tasks) {
      // a task without items still gets its row, so that its number and name are not lost
      const items = task.items.length > 0 ? task.items : [EMPTY_ITEM];
      const first = rowNumber + 1;
      items.forEach((item, index) => {
        rowNumber++;
        const row = sheet.getRow(rowNumber);
        const texts = rowTexts(columns, index === 0 ? task.number : '', index === 0 ? task.name : '', item).map(clean);
        row.values = [index === 0 ? numberCellValue(texts[0]!) : null, index === 0 ? texts[1]! : null, ...texts.slice(2)];
        row.height = rowHeight(widths, items.length > 1 ? ['', '', ...texts.slice(2)] : texts);
        columns.forEach((printed, at) => {
          const cell = row.getCell(at + 1);
          const middle = at < 2 || printed.centred;
          cell.font = FONT_BODY;
          cell.border = BORDERS;
          cell.alignment = { horizontal: middle ? 'center' : 'left', vertical: middle ? 'middle' : 'top', wrapText: true };
        });
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

/**
 * Caps only this reader has, beyond the shared ones. They are not configuration: they bound exceljs's memory and
 * reject what no summary table looks like, and are settable here so that tests need not build huge files.
 */
export interface XlsxOnlyLimits {
  /** Most cells in all worksheets together: exceljs keeps an object per cell, so this bounds its memory. */
  maxCells: number;
  /** Rightmost column that may hold a value. */
  maxColumns: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxOnlyLimits = { maxCells: 2_000_000, maxColumns: 256 };

export type XlsxReadLimits = Partial<ReaderLimits> & Partial<XlsxOnlyLimits>;

/** A row element with its attributes; `rowBreaks` and the like are not rows. */
const ROW_TAG = /<(?:\w+:)?row(?=[\s/>])([^>]*)>/g;
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

const NUMBER_HEADINGS = new Set(['序号', '编号', '任务编号']);
const TEXT_HEADINGS = new Set([
  '名称',
  '重点任务',
  '任务名称',
  '工作事项',
  '事项名称',
  '项目名称',
  '工作任务',
  '任务内容',
  '具体内容',
  '主要内容',
  '工作内容',
  '具体任务',
  '工作目标',
  '目标任务',
  '任务目标',
]);

/**
 * Whether a row looks like the heading row of a task table: a number column and a name or work column. Only used to
 * choose sheets and where they start; interpretGrid reads the columns themselves.
 */
export function isTaskHeaderRow(cells: string[]): boolean {
  const compact = cells.map((cell) => cell.replace(/\s+/g, ''));
  return compact.some((cell) => NUMBER_HEADINGS.has(cell)) && compact.some((cell) => TEXT_HEADINGS.has(cell));
}

/** Only the first rows are searched, as interpretGrid does: a header further down is not a header. */
const HEADER_SEARCH_ROWS = 30;

function decodeXmlAttribute(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (entity: string, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? entity;
  });
}

function xmlAttribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? decodeXmlAttribute(match[2] ?? match[3] ?? '') : undefined;
}

/**
 * Worksheet part → the sheet's name, from the workbook and its relationships, so that a cap hit before exceljs has
 * read anything can still name the sheet as the person sees it. A part that cannot be matched is named by its path.
 */
async function sheetNamesByPart(zip: GuardedZip): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!zip.has('xl/_rels/workbook.xml.rels')) return names;
  const workbook = await zip.readXml('xl/workbook.xml');
  const relationships = await zip.readXml('xl/_rels/workbook.xml.rels');
  const targets = new Map<string, string>();
  for (const match of relationships.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const id = xmlAttribute(match[1]!, 'Id');
    const target = xmlAttribute(match[1]!, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  for (const match of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = xmlAttribute(match[1]!, 'name');
    const id = xmlAttribute(match[1]!, '\\w+:id');
    const target = id ? targets.get(id) : undefined;
    if (name !== undefined && target) names.set(target, name);
  }
  return names;
}

interface SheetRow {
  cells: string[];
  rowNumber: number;
}

/**
 * The Excel row number of a sheet's task header, looking at its first rows with a value. Caps are not applied here:
 * a sheet that is not read must not make the file fail.
 */
function headerRowNumber(sheet: ExcelJS.Worksheet): number | undefined {
  let seen = 0;
  let found: number | undefined;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (found !== undefined || ++seen > HEADER_SEARCH_ROWS) return;
    const texts: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (!(cell.isMerged && cell.master.address !== cell.address)) texts.push(valueText(cell.value));
    });
    if (isTaskHeaderRow(texts)) found = rowNumber;
  });
  return found;
}

/** Non-empty cells of a sheet that is not read (a merged range counts once), without the checks of a read sheet. */
function filledCells(sheet: ExcelJS.Worksheet): number {
  let count = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (!(cell.isMerged && cell.master.address !== cell.address) && valueText(cell.value).trim() !== '') count++;
    });
  });
  return count;
}

function sheetRows(sheet: ExcelJS.Worksheet, caps: ReaderLimits & XlsxOnlyLimits): SheetRow[] {
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const texts: string[] = [];
    // only cells with a value are visited, so a stray cell far to the right costs one check, not a column loop
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (column > caps.maxColumns) {
        throw badInput(
          'xlsx_too_many_columns',
          `工作表“${sheet.name}”的单元格 ${cell.address} 超出了第 ${caps.maxColumns} 列，汇总表不会有这么多列，拒绝读取。`,
        );
      }
      // exceljs reports a covered cell of a merged range with the master's value; the grid wants it empty
      const covered = cell.isMerged && cell.master.address !== cell.address;
      const text = covered ? '' : valueText(cell.value);
      if (text.length > caps.maxCellChars) {
        throw cellTooLong(text.length, caps.maxCellChars, `工作表“${sheet.name}”的单元格 ${cell.address}`);
      }
      while (texts.length < column - 1) texts.push('');
      texts[column - 1] = text;
    });
    rows.push({ cells: texts, rowNumber });
  });
  return rows;
}

/**
 * Reads every visible worksheet that has a task header row (序号/编号 with 名称, 工作任务 or the like), in workbook
 * order, as one grid: a long plan is often split over sheets (by chapter, or by lead unit), each sheet repeating the
 * header, which interpretGrid skips. Rows above the header of the first such sheet stay rows (interpretGrid takes them as
 * title and unit); above later sheets' headers they are the same title again, and are dropped (a text there that the
 * first sheet does not have is kept as `outside`, to be warned about). Hidden sheets hold lookups and old versions,
 * not the plan: they, and visible sheets without a header, are listed in `sheetsNotRead` with their count of cells. When no sheet has a header, the first visible sheet is read whole, so that
 * interpretGrid can say what is missing.
 *
 * With one sheet a row's line is its Excel row number; with several, lines run on across sheets and `location`
 * names the sheet and its row (工作表“第二章”第5行).
 */
export async function readXlsxGrid(bytes: Uint8Array, limits: XlsxReadLimits = {}): Promise<TableGrid> {
  const caps = {
    ...resolveReaderLimits(limits),
    maxCells: limits.maxCells ?? DEFAULT_XLSX_LIMITS.maxCells,
    maxColumns: limits.maxColumns ?? DEFAULT_XLSX_LIMITS.maxColumns,
  };
  const zip = await openOfficeZip(bytes, 'xlsx', zipLimitsFor(caps));
  if (!zip.has('xl/workbook.xml')) {
    throw badInput(
      'xlsx_workbook_missing',
      '文件不是 Excel 工作簿（.xlsx）：压缩包中没有 xl/workbook.xml。若为 Word 文件，请以 .docx 上传。',
    );
  }

  // exceljs inflates every entry itself without any cap, so each one is inflated here first under the caps: after
  // this, what exceljs inflates is known to be bounded. The XML is also checked for DTDs and counted: rows over all
  // sheets, hidden ones included, because exceljs loads them all. A row element without content (<row .../>, left by
  // formatting a whole row) is no table row and is counted with the cells instead, which bound exceljs's memory.
  const sheetNames = await sheetNamesByPart(zip);
  let rowCount = 0;
  let cells = 0;
  for (const name of zip.names) {
    if (!/\.(xml|rels|vml)$/i.test(name)) {
      await zip.readBytes(name);
      continue;
    }
    const xml = await zip.readXml(name);
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) continue;
    let rowsInSheet = 0;
    ROW_TAG.lastIndex = 0;
    for (let match = ROW_TAG.exec(xml); match; match = ROW_TAG.exec(xml)) {
      rowsInSheet++;
      if (match[1]!.trimEnd().endsWith('/')) {
        cells++;
        continue;
      }
      if (++rowCount > caps.maxRows) {
        const sheetName = sheetNames.get(name) ?? name;
        const rowNumber = Number(xmlAttribute(match[1]!, 'r') ?? rowsInSheet);
        throw tooManyRows(
          caps.maxRows,
          '工作簿的行数（所有工作表合计，含隐藏的工作表）',
          `工作表“${sheetName}”第 ${formatCount(rowNumber)} 行`,
        );
      }
    }
    cells += countMatches(xml, CELL_TAG);
    if (cells > caps.maxCells) {
      throw badInput(
        'xlsx_too_many_cells',
        `工作簿的单元格超过上限 ${formatCount(caps.maxCells)} 个（读到工作表“${sheetNames.get(name) ?? name}”时超出），拒绝读取。`,
      );
    }
  }

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (error) {
    throw badInput(
      'xlsx_unreadable',
      `无法读取 Excel 工作簿，文件可能已损坏（${error instanceof Error ? error.message : String(error)}）。`,
    );
  }
  const sheets = workbook.worksheets;
  if (sheets.length === 0) throw badInput('xlsx_no_sheet', 'Excel 工作簿中没有工作表。');
  const visible = sheets.filter((sheet) => sheet.state === undefined || sheet.state === 'visible');

  const chosen: { sheet: ExcelJS.Worksheet; rows: SheetRow[] }[] = [];
  // what is not read is still said: text above a later sheet's header that is not the first sheet's again
  const outside: GridLine[] = [];
  let firstAbove = new Set<string>();
  for (const sheet of visible) {
    const header = headerRowNumber(sheet);
    if (header === undefined) continue;
    const rows = sheetRows(sheet, caps);
    if (chosen.length === 0) {
      firstAbove = new Set(rows.filter((row) => row.rowNumber < header).flatMap((row) => row.cells.map((cell) => cell.trim())));
    } else {
      for (const row of rows.filter((candidate) => candidate.rowNumber < header)) {
        for (const cell of row.cells) {
          if (cell.trim() !== '' && !firstAbove.has(cell.trim()))
            outside.push({ text: cell, line: row.rowNumber, location: `工作表“${sheet.name}”第${row.rowNumber}行` });
        }
      }
    }
    chosen.push({ sheet, rows: chosen.length === 0 ? rows : rows.filter((row) => row.rowNumber >= header) });
  }
  if (chosen.length === 0) {
    const sheet = visible[0] ?? sheets[0]!;
    chosen.push({ sheet, rows: sheetRows(sheet, caps) });
  }
  // hidden sheets and sheets without a header: not read, but counted, so that the import can say so
  const sheetsNotRead = sheets
    .filter((sheet) => !chosen.some((entry) => entry.sheet === sheet))
    .map((sheet) => ({
      name: sheet.name,
      hidden: !visible.includes(sheet),
      filled: filledCells(sheet),
    }))
    .filter((sheet) => sheet.filled > 0);
  const extras = { ...(outside.length > 0 ? { outside } : {}), ...(sheetsNotRead.length > 0 ? { sheetsNotRead } : {}) };

  if (chosen.length === 1)
    return { preamble: [], rows: chosen[0]!.rows.map(({ cells, rowNumber }) => ({ cells, line: rowNumber })), ...extras };
  const rows: GridRow[] = [];
  for (const { sheet, rows: sheetRowList } of chosen) {
    for (const { cells, rowNumber } of sheetRowList) {
      rows.push({ cells, line: rows.length + 1, location: `工作表“${sheet.name}”第${rowNumber}行` });
    }
  }
  return { preamble: [], rows, ...extras };
}
