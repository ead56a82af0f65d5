import { AlignmentType, LineRuleType, Paragraph, type Table, TableRow, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { type BulletinDocument, bulletinReferenceText, percentText } from '../domain/supervision.js';
import { visualLength } from './columns.js';
import { FONT_BODY, FONT_HEADING, font } from './docx-fonts.js';
import {
  BODY_LINE,
  bodyParagraph,
  clean,
  INDENT,
  officialCell,
  officialHeader,
  officialTable,
  officialTitle,
  packOfficialDocument,
  paragraphsOf,
  SIZE_BODY,
  signature,
} from './notice.js';

// ---------------------------------------------------------------------------------------------------------------
// The three tables of a 通报, the same in Word and Excel
// ---------------------------------------------------------------------------------------------------------------

type Align = 'left' | 'center';

interface BulletinColumn {
  heading: string;
  /** Word twips; the columns of a table add up to the type area's width */
  twips: number;
  /** Excel widths in digits */
  excel: number;
  align: Align;
}

interface BulletinSection {
  /** also the worksheet's name */
  name: string;
  heading: string;
  columns: BulletinColumn[];
  /** each row's cells: a text, or a count or rate that Excel keeps as a number */
  rows: (string | number | { rate: number | null })[][];
}

const column = (heading: string, twips: number, excel: number, align: Align = 'center'): BulletinColumn => ({
  heading,
  twips,
  excel,
  align,
});

/** The tables that list units open with 序号 and 单位; how wide 单位 is depends on what else the table holds. */
const numberAndUnit = (twips: number, excel: number) => [column('序号', 600, 6), column('单位', twips, excel, 'left')];

export const BULLETIN_SHEETS = ['各单位报送情况', '逾期和滞后事项', '督办单办理情况'] as const;

/** The 通报's sections in order: per-unit reporting, overdue and lagging items, the notices issued. */
export function bulletinSections(bulletin: BulletinDocument): BulletinSection[] {
  return [
    {
      name: BULLETIN_SHEETS[0],
      heading: '一、各单位报送情况',
      columns: [
        ...numberAndUnit(2675, 26),
        column('事项数', 820, 9),
        column('已报送', 820, 9),
        column('按时报送', 1030, 10),
        column('已完成', 820, 9),
        column('按时报送率', 1260, 12),
        column('完成率', 820, 10),
      ],
      rows: bulletin.units.map((row, index) => [
        index + 1,
        row.unit,
        row.items,
        row.reported,
        row.onTime,
        row.completed,
        { rate: row.onTimeRate },
        { rate: row.completionRate },
      ]),
    },
    {
      name: BULLETIN_SHEETS[1],
      heading: '二、逾期和滞后事项',
      columns: [
        ...numberAndUnit(1900, 20),
        column('任务序号', 1030, 10),
        column('工作任务', 2875, 50, 'left'),
        column('预警', 640, 8),
        column('原因', 1800, 34, 'left'),
      ],
      rows: bulletin.lagging.map((row, index) => [index + 1, row.unit, row.taskNumber, row.work, row.lightLabel, row.reason]),
    },
    {
      name: BULLETIN_SHEETS[2],
      heading: '三、督办单办理情况',
      columns: [
        column('文号', 2300, 22),
        column('颜色', 640, 8),
        column('单位', 1800, 20, 'left'),
        column('工作任务', 3075, 50, 'left'),
        column('办理状态', 1030, 12),
      ],
      rows: bulletin.notices.map((row) => [row.number, row.colourLabel, row.unit, row.work, row.stateLabel]),
    },
  ];
}

const cellText = (value: string | number | { rate: number | null }) =>
  typeof value === 'object' ? percentText(value.rate) : typeof value === 'number' ? String(value) : clean(value).trim();

// ---------------------------------------------------------------------------------------------------------------
// Word
// ---------------------------------------------------------------------------------------------------------------

const SIZE_TABLE = 21; // 五号
/** narrower than the 督办单's, so that 按时报送率 fits its column on one line at 五号 */
const BULLETIN_CELL_MARGIN = { top: 28, bottom: 28, left: 85, right: 85 };

function tableParagraphs(text: string, fontName: string, align: Align): Paragraph[] {
  const lines = clean(text).split('\n');
  return lines.map(
    (line) =>
      new Paragraph({
        alignment: align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
        spacing: { before: 0, after: 0, line: 300, lineRule: LineRuleType.AUTO },
        children: line === '' ? [] : [new TextRun({ text: line, font: font(fontName), size: SIZE_TABLE })],
      }),
  );
}

function sectionTable(section: BulletinSection): Table {
  const widths = section.columns.map((each) => each.twips);
  const cell = (index: number, text: string, fontName: string, align: Align, shade?: string) =>
    officialCell(widths[index]!, tableParagraphs(text, fontName, align), { margins: BULLETIN_CELL_MARGIN, shade });
  return officialTable(widths, [
    new TableRow({
      // repeated at the top of every page the table runs onto
      tableHeader: true,
      cantSplit: true,
      children: section.columns.map((each, index) => cell(index, each.heading, FONT_HEADING, 'center', 'D9D9D9')),
    }),
    ...section.rows.map((row) => {
      const texts = row.map(cellText);
      return new TableRow({
        // a row of ordinary length is not split over two pages; a very long one may be, rather than leave a gap
        cantSplit: texts.every((text) => text.length < 300),
        children: texts.map((text, index) => cell(index, text, FONT_BODY, section.columns[index]!.align)),
      });
    }),
  ]);
}

const sectionHeading = (text: string) =>
  new Paragraph({
    keepNext: true,
    indent: { firstLine: INDENT },
    spacing: { before: 120, after: 120, line: BODY_LINE, lineRule: LineRuleType.EXACT },
    children: [new TextRun({ text, font: font(FONT_HEADING), size: SIZE_BODY })],
  });

/** A 通报 as Word: red 版头, title, intro, the three sections (无。 when empty), closing and 落款. */
export async function writeBulletinDocx(bulletin: BulletinDocument): Promise<Buffer> {
  const reference = bulletinReferenceText(bulletin.year, bulletin.number);
  const sections = bulletinSections(bulletin).flatMap((section) => [
    sectionHeading(section.heading),
    section.rows.length === 0 ? bodyParagraph('无。') : sectionTable(section),
  ]);
  return packOfficialDocument(`${bulletin.title} ${reference}`, [
    ...officialHeader(bulletin.issuer, reference),
    officialTitle(bulletin.title),
    ...paragraphsOf(bulletin.intro).map((text) => bodyParagraph(text)),
    ...sections,
    // half a line apart from the last table; the closing's last paragraph stays with the 落款
    ...paragraphsOf(bulletin.closing).map((text, index, all) =>
      bodyParagraph(text, { before: index === 0 ? BODY_LINE / 2 : 0, keepNext: index === all.length - 1 }),
    ),
    ...signature(bulletin.issuer, bulletin.issuedOn),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Excel
// ---------------------------------------------------------------------------------------------------------------

const XLSX_TITLE: Partial<ExcelJS.Font> = { name: '方正小标宋简体', size: 16, bold: true, charset: 134 };
const XLSX_HEADER: Partial<ExcelJS.Font> = { name: '黑体', size: 11, bold: true, charset: 134 };
const XLSX_BODY: Partial<ExcelJS.Font> = { name: '仿宋_GB2312', size: 11, charset: 134 };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const BORDERS: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
export const RATE_FORMAT = '0.0%';

/** The title every sheet carries: the 通报's title and its period, the period not repeated when the title has it. */
export function bulletinSheetTitle(bulletin: BulletinDocument): string {
  const title = clean(bulletin.title).trim();
  const period = clean(bulletin.periodLabel).trim();
  return period === '' || title.includes(period) ? title : `${title}（${period}）`;
}

/** Height in points of a row of wrapped texts, as xlsx.ts estimates it: about 2.1 width units a CJK character at 11 pt. */
function rowHeight(widths: number[], texts: string[]): number {
  let lines = 1;
  texts.forEach((text, index) => {
    const perLine = Math.max(1, Math.floor(((widths[index] ?? 10) - 1) / 2.1));
    lines = Math.max(
      lines,
      text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil((visualLength(line) * 1.05) / perLine)), 0),
    );
  });
  return Math.min(409, lines * 15 + 6);
}

/** 序号 as a number when it reads back as the same text, so that Excel sorts it. */
const numberOrText = (text: string): string | number => (/^[1-9]\d{0,14}$/.test(text) ? Number(text) : text);

/** A 通报's tables as one workbook, a sheet each: merged title, bold frozen header, rates as numbers in 0.0%. */
export async function writeBulletinXlsx(bulletin: BulletinDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'luoshi';
  workbook.title = clean(bulletin.title);
  const title = bulletinSheetTitle(bulletin);
  for (const section of bulletinSections(bulletin)) {
    const sheet = workbook.addWorksheet(section.name);
    const widths = section.columns.map((each) => each.excel);
    const last = widths.length;
    sheet.columns = widths.map((width) => ({ width }));

    sheet.mergeCells(1, 1, 1, last);
    const titleCell = sheet.getCell(1, 1);
    titleCell.value = title;
    titleCell.font = XLSX_TITLE;
    titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    sheet.getRow(1).height = 32;

    const header = sheet.getRow(2);
    header.values = section.columns.map((each) => each.heading);
    header.height = 22;
    for (let at = 1; at <= last; at++) {
      const cell = header.getCell(at);
      cell.font = XLSX_HEADER;
      cell.border = BORDERS;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    }

    section.rows.forEach((values, index) => {
      const row = sheet.getRow(3 + index);
      values.forEach((value, at) => {
        const cell = row.getCell(at + 1);
        const align = section.columns[at]!.align;
        if (typeof value === 'object') {
          if (value.rate === null) cell.value = '—';
          else {
            cell.value = value.rate;
            cell.numFmt = RATE_FORMAT;
          }
        } else cell.value = typeof value === 'number' ? value : numberOrText(clean(value).trim());
        cell.font = XLSX_BODY;
        cell.border = BORDERS;
        cell.alignment = { horizontal: align, vertical: 'middle', wrapText: true };
      });
      row.height = rowHeight(widths, values.map(cellText));
    });
    if (section.rows.length === 0) {
      sheet.mergeCells(3, 1, 3, last);
      const none = sheet.getCell(3, 1);
      none.value = '无。';
      none.font = XLSX_BODY;
      none.alignment = { horizontal: 'center', vertical: 'middle' };
      for (let at = 1; at <= last; at++) sheet.getRow(3).getCell(at).border = BORDERS;
    }

    sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }];
    sheet.pageSetup = {
      paperSize: 9, // A4
      orientation: widths.reduce((sum, width) => sum + width, 0) > 100 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '2:2',
    };
    sheet.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
  }
  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written as ArrayBuffer);
}
