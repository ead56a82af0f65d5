import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { NOTICE_PRINT_COLOURS, type NoticeDocument, noticeReferenceText, noticeTitle, officialDate } from '../domain/supervision.js';
import { FONT_BODY, FONT_HEADING, FONT_TITLE, font, fontTableXml } from './docx-fonts.js';
import { defaultPdfFonts, type PdfFontCandidates } from './pdf-fonts.js';
import { type Align, type Doc, openPdf, PdfMeasure, registerFonts } from './pdf-text.js';
import { stripXmlInvalidChars } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// The official-document page (GB/T 9704): shared by the 督办单 and the 通报 (bulletin.ts)
// ---------------------------------------------------------------------------------------------------------------

/** A4 portrait in twips, GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm. */
export const PAGE = { width: 11906, height: 16838, top: 2098, bottom: 1984, left: 1587, right: 1474 } as const;
export const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

/** Half-points: 二号 22 pt (title), 三号 16 pt (body), 四号 14 pt (tables of the 督办单, page numbers). */
export const SIZE_TITLE = 44;
export const SIZE_BODY = 32;
const SIZE_NOTICE_TABLE = 28;
/** 22 lines to the 225 mm type area: an exact 28.9 pt line. */
export const BODY_LINE = 578;
/** Two characters of 三号, the first-line indent of body paragraphs. */
export const INDENT = 640;
/** GB/T 9704's red of the 版头 and its separator line. */
export const OFFICIAL_RED = 'FF0000';

/** mm of the type area, for the size of the 发文机关标志 */
const TEXT_WIDTH_PT = TEXT_WIDTH / 20;
/** 小初 36 pt, smaller when the office's name would not fit on one line. */
export function issuerSize(issuer: string): number {
  const chars = Math.max(1, Array.from(issuer).length);
  return Math.max(16, Math.min(36, Math.floor((TEXT_WIDTH_PT * 0.95) / chars)));
}

export function clean(text: string): string {
  return stripXmlInvalidChars(text).replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
}

/** Paragraphs of a text as the office wrote it: one per non-empty line. */
export function paragraphsOf(text: string): string[] {
  return clean(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function bodyParagraph(
  text: string,
  options: {
    indent?: boolean;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    right?: number;
    before?: number;
    /** on the same page as the paragraph after it */
    keepNext?: boolean;
  } = {},
) {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    keepNext: options.keepNext,
    indent: { firstLine: options.indent === false ? 0 : INDENT, right: options.right },
    spacing: { before: options.before ?? 0, after: 0, line: BODY_LINE, lineRule: LineRuleType.EXACT },
    children: text === '' ? [] : [new TextRun({ text: clean(text), font: font(FONT_BODY), size: SIZE_BODY })],
  });
}

/** An empty body line, for the blank lines GB/T 9704 asks between the parts. */
export const blankLine = () => bodyParagraph('', { indent: false });

/** The 版头: the issuing office's name in red, the 发文字号 centred under it, the red separator line. */
export function officialHeader(issuer: string, reference: string): Paragraph[] {
  const size = issuerSize(issuer);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 120 },
      children: [new TextRun({ text: clean(issuer), font: font(FONT_TITLE), size: size * 2, color: OFFICIAL_RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 0, line: BODY_LINE, lineRule: LineRuleType.EXACT },
      // a paragraph border runs the width of the type area: the red line under the 发文字号
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: OFFICIAL_RED, space: 10 } },
      children: [new TextRun({ text: clean(reference), font: font(FONT_BODY), size: SIZE_BODY })],
    }),
  ];
}

export function officialTitle(text: string, color?: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 360, after: 240 },
    children: [new TextRun({ text: clean(text), font: font(FONT_TITLE), size: SIZE_TITLE, color })],
  });
}

/** 落款: the office and the date, right-aligned two characters in from the margin. */
export function signature(issuer: string, isoDate: string): Paragraph[] {
  return [
    // the office and its date on one page
    bodyParagraph(issuer, { indent: false, align: AlignmentType.RIGHT, right: INDENT, before: BODY_LINE / 2, keepNext: true }),
    bodyParagraph(officialDate(isoDate), { indent: false, align: AlignmentType.RIGHT, right: INDENT }),
  ];
}

/** GB/T 9704 page numbers: — 1 —, 四号, under the type area. */
function pageNumberFooter(): Footer {
  const run = (text: string) => new TextRun({ text, font: font('宋体'), size: 28 });
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [run('— '), new TextRun({ children: [PageNumber.CURRENT], font: font('宋体'), size: 28 }), run(' —')],
      }),
    ],
  });
}

/** A4 portrait official document around `children`, with the fallback font table. */
export async function packOfficialDocument(title: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const document = new Document({
    title: clean(title),
    creator: 'luoshi',
    styles: {
      default: {
        document: { run: { font: font(FONT_BODY), size: SIZE_BODY, language: { value: 'zh-CN', eastAsia: 'zh-CN' } } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
            margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: 851, footer: 992 },
          },
        },
        footers: { default: pageNumberFooter() },
        children,
      },
    ],
  });
  // docx writes font table entries only for embedded fonts; the fallback entries replace its font table
  return Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
}

const TABLE_BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const TABLE_BORDERS = { top: TABLE_BORDER, bottom: TABLE_BORDER, left: TABLE_BORDER, right: TABLE_BORDER };
export const CELL_MARGIN = { top: 28, bottom: 28, left: 100, right: 100 };

/** A cell of an official document's table, `width` twips wide, its text centred vertically. */
export function officialCell(
  width: number,
  children: Paragraph[],
  options: { margins?: typeof CELL_MARGIN; shade?: string } = {},
): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: options.margins ?? CELL_MARGIN,
    borders: TABLE_BORDERS,
    shading: options.shade ? { fill: options.shade, color: 'auto', type: 'clear' } : undefined,
  });
}

/** A table across the type area; fixed columns, so that Word keeps the widths given rather than fitting the text. */
export function officialTable(widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    rows,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The 督办单's content, the same in DOCX and PDF
// ---------------------------------------------------------------------------------------------------------------

/** The rows of the notice's table: a label (黑体) and its paragraphs. */
export function noticeRows(notice: NoticeDocument): { label: string; lines: string[] }[] {
  const { item } = notice;
  const task = [item.taskNumber.trim() === '' ? '' : `${item.taskNumber.trim()}．`, item.task.trim()].join('');
  const matter = [item.chapter.trim(), task, item.work.trim() === '' ? '' : `工作任务：${item.work.trim()}`].filter((line) => line !== '');
  const or = (text: string) => (paragraphsOf(text).length > 0 ? paragraphsOf(text) : ['无']);
  return [
    { label: '督办事项', lines: matter.flatMap(paragraphsOf).length > 0 ? matter.flatMap(paragraphsOf) : ['无'] },
    { label: '牵头单位', lines: or(item.lead) },
    { label: '配合单位', lines: or(item.cooperating) },
    { label: '督办事由', lines: or(notice.reason) },
    { label: '办理要求', lines: or(notice.requirement) },
    { label: '反馈时限', lines: [`${officialDate(notice.replyDueOn)}前`] },
  ];
}

export function noticeClosing(): string {
  return '请你单位高度重视，对照办理要求抓紧整改落实，在反馈时限前通过落实系统反馈办理情况。';
}

/** The contact line as printed at the foot: （联系人：王明，电话：0512-68616000）. */
export function contactText(contact: string | undefined): string | undefined {
  const text =
    contact === undefined
      ? ''
      : clean(contact)
          .trim()
          .replace(/^[（(]|[）)]$/g, '');
  if (text === '') return undefined;
  return `（${/^联系/.test(text) ? text : `联系人：${text}`}）`;
}

const LABEL_WIDTH = 1701; // 3 cm

function noticeTable(notice: NoticeDocument): Table {
  const widths = [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH];
  const paragraph = (text: string, fontName: string, align: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new Paragraph({
      alignment: align,
      spacing: { before: 0, after: 0, line: 400, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: clean(text), font: font(fontName), size: SIZE_NOTICE_TABLE })],
    });
  const cell = (index: number, children: Paragraph[]) => officialCell(widths[index]!, children);
  return officialTable(
    widths,
    noticeRows(notice).map(
      ({ label, lines }) =>
        new TableRow({
          // a long work text may go on over the page rather than leave a page empty
          cantSplit: false,
          children: [
            cell(0, [paragraph(label, FONT_HEADING, AlignmentType.CENTER)]),
            cell(
              1,
              lines.map((line) => paragraph(line, FONT_BODY, AlignmentType.JUSTIFIED)),
            ),
          ],
        }),
    ),
  );
}

/** A 督办单 as Word: 版头 in red, the colour's title in that colour, the table, the closing, 落款 and contact. */
export async function writeNoticeDocx(notice: NoticeDocument): Promise<Buffer> {
  const title = noticeTitle(notice.colour);
  const contact = contactText(notice.contact);
  return packOfficialDocument(`${title} ${noticeReferenceText(notice.year, notice.number)}`, [
    ...officialHeader(notice.issuer, noticeReferenceText(notice.year, notice.number)),
    officialTitle(title, NOTICE_PRINT_COLOURS[notice.colour]),
    bodyParagraph(`${clean(notice.unit).trim()}：`, { indent: false }),
    noticeTable(notice),
    bodyParagraph(noticeClosing(), { before: 240 }),
    ...signature(notice.issuer, notice.issuedOn),
    ...(contact ? [bodyParagraph(contact, { before: BODY_LINE / 2 })] : []),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------------------------

/** Points, from the DOCX's twips. */
const PT = {
  width: PAGE.width / 20,
  height: PAGE.height / 20,
  top: PAGE.top / 20,
  bottom: PAGE.bottom / 20,
  left: PAGE.left / 20,
  right: PAGE.right / 20,
};
const PDF_TEXT_WIDTH = PT.width - PT.left - PT.right;
const PDF_BOTTOM = PT.height - PT.bottom;

/** A face of the official documents: with no bold face found, the regular one drawn with an outline. */
export class PdfText extends PdfMeasure {
  constructor(
    doc: Doc,
    name: 'body' | 'bold',
    readonly outline: boolean,
  ) {
    super(doc, name, clean);
  }

  draw(
    text: string,
    left: number,
    top: number,
    options: { size: number; lineHeight: number; width?: number; align?: Align; colour?: string },
  ) {
    this.line(text, left, top, { ...options, outline: this.outline });
  }
}

export interface PdfFaces {
  body: PdfText;
  bold: PdfText;
}

/** A4 portrait pdfkit document with the configured Chinese fonts registered as `body` and `bold`. */
export async function officialPdf(
  title: string,
  fonts: PdfFontCandidates | undefined,
): Promise<{ doc: Doc; faces: PdfFaces; finished: Promise<Buffer> }> {
  const { doc, finished } = await openPdf(clean(title), 'portrait');
  const { fakeBold } = registerFonts(doc, fonts ?? defaultPdfFonts());
  const body = new PdfText(doc, 'body', false);
  return { doc, faces: { body, bold: fakeBold ? new PdfText(doc, 'body', true) : new PdfText(doc, 'bold', false) }, finished };
}

const BODY_SIZE = 16;
const BODY_LINE_PT = BODY_LINE / 20;
const TABLE_SIZE = 14;
const TABLE_LINE = 20;
const PAD_X = CELL_MARGIN.left / 20;
const PAD_Y = 2;
const LABEL_WIDTH_PT = LABEL_WIDTH / 20;

/** Lays out top to bottom, starting a new page where the next line would pass the type area's foot. */
export class PdfFlow {
  y = PT.top;

  constructor(
    readonly doc: Doc,
    readonly faces: PdfFaces,
  ) {}

  get room(): number {
    return PDF_BOTTOM - this.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = PT.top;
  }

  ensure(height: number): void {
    if (height > this.room && this.y > PT.top) this.newPage();
  }

  /** A paragraph: wrapped, each line placed where it fits. */
  paragraph(
    text: string,
    options: {
      face?: PdfText;
      size?: number;
      lineHeight?: number;
      indent?: boolean;
      align?: 'left' | 'center' | 'right';
      right?: number;
      colour?: string;
    } = {},
  ): void {
    const face = options.face ?? this.faces.body;
    const size = options.size ?? BODY_SIZE;
    const lineHeight = options.lineHeight ?? BODY_LINE_PT;
    const indent = options.indent === false ? 0 : 2 * size;
    const width = PDF_TEXT_WIDTH - (options.right ?? 0);
    face.wrap(text, size, width, indent).forEach((line, index) => {
      this.ensure(lineHeight);
      const left = PT.left + (index === 0 ? indent : 0);
      face.draw(line, left, this.y, {
        size,
        lineHeight,
        width: width - (index === 0 ? indent : 0),
        align: options.align,
        colour: options.colour,
      });
      this.y += lineHeight;
    });
  }

  gap(height: number): void {
    this.y = Math.min(this.y + height, PDF_BOTTOM);
  }

  /** The 版头: the office in red, the 发文字号, the red line. */
  header(issuer: string, reference: string): void {
    const { bold } = this.faces;
    const size = Math.max(16, Math.min(36, (PDF_TEXT_WIDTH * 0.95) / Math.max(1, bold.width(clean(issuer), 1))));
    for (const line of bold.wrap(issuer, size, PDF_TEXT_WIDTH)) {
      bold.draw(line, PT.left, this.y, {
        size,
        lineHeight: size * 1.25,
        width: PDF_TEXT_WIDTH,
        align: 'center',
        colour: `#${OFFICIAL_RED}`,
      });
      this.y += size * 1.25;
    }
    this.gap(12);
    this.paragraph(reference, { indent: false, align: 'center' });
    this.gap(10);
    this.doc
      .moveTo(PT.left, this.y)
      .lineTo(PT.left + PDF_TEXT_WIDTH, this.y)
      .lineWidth(2)
      .strokeColor(`#${OFFICIAL_RED}`)
      .stroke();
    this.gap(2);
  }

  title(text: string, colour = '#000000'): void {
    this.gap(18);
    this.paragraph(text, { face: this.faces.bold, size: 22, lineHeight: 34, indent: false, align: 'center', colour });
    this.gap(10);
  }

  /** 落款: office and date right-aligned, two characters in. */
  signature(issuer: string, isoDate: string): void {
    this.gap(BODY_LINE_PT / 2);
    // the office and its date stay together
    this.ensure(2 * BODY_LINE_PT);
    this.paragraph(issuer, { indent: false, align: 'right', right: 2 * BODY_SIZE });
    this.paragraph(officialDate(isoDate), { indent: false, align: 'right', right: 2 * BODY_SIZE });
  }

  /**
   * A bordered table of given column widths: each row's cells wrapped; a row taller than what is left of the page
   * goes on over the next page line by line (the cells' borders drawn on each part), so nothing is cut off.
   */
  table(
    widths: number[],
    rows: { cells: string[][]; faces?: PdfText[]; align?: ('left' | 'center')[]; shade?: string }[],
    options: { size?: number; lineHeight?: number; repeat?: number } = {},
  ): void {
    const size = options.size ?? TABLE_SIZE;
    const lineHeight = options.lineHeight ?? TABLE_LINE;
    const x = widths.map((_, index) => PT.left + widths.slice(0, index).reduce((sum, width) => sum + width, 0));
    const laid = rows.map((row) => {
      const cells = row.cells.map((paragraphs, column) =>
        paragraphs.flatMap((text) => (row.faces?.[column] ?? this.faces.body).wrap(text, size, widths[column]! - 2 * PAD_X)),
      );
      return { ...row, cells, lines: Math.max(1, ...cells.map((cell) => cell.length)) };
    });
    const repeated = laid.slice(0, options.repeat ?? 0);
    const height = (lines: number) => lines * lineHeight + 2 * PAD_Y;
    const drawPart = (row: (typeof laid)[number], from: number, to: number, whole: boolean) => {
      const partHeight = height(to - from);
      row.cells.forEach((lines, column) => {
        const left = x[column]!;
        if (row.shade) this.doc.rect(left, this.y, widths[column]!, partHeight).fill(row.shade);
        const shown = whole ? lines : lines.slice(from, to);
        const offset = whole ? ((row.lines - lines.length) * lineHeight) / 2 : 0;
        shown.forEach((line, index) => {
          (row.faces?.[column] ?? this.faces.body).draw(line, left + PAD_X, this.y + PAD_Y + offset + index * lineHeight, {
            size,
            lineHeight,
            width: widths[column]! - 2 * PAD_X,
            align: row.align?.[column] ?? 'left',
          });
        });
        this.doc.lineWidth(0.75).strokeColor('#000000').rect(left, this.y, widths[column]!, partHeight).stroke();
      });
      this.y += partHeight;
    };
    const breakPage = () => {
      this.newPage();
      for (const header of repeated) drawPart(header, 0, header.lines, true);
    };
    for (const [index, row] of laid.entries()) {
      const header = index < repeated.length;
      const whole = height(row.lines);
      if (whole <= this.room) {
        drawPart(row, 0, row.lines, true);
        continue;
      }
      // a header, or a row that fits on a fresh page and needs no more than half of it, moves whole
      if ((header || whole <= (PDF_BOTTOM - PT.top) / 2) && this.y > PT.top) {
        if (header) this.newPage();
        else breakPage();
        drawPart(row, 0, row.lines, true);
        continue;
      }
      let from = 0;
      while (from < row.lines) {
        let fit = Math.floor((this.room - 2 * PAD_Y) / lineHeight);
        if (fit < Math.min(2, row.lines - from)) {
          breakPage();
          fit = Math.max(1, Math.floor((this.room - 2 * PAD_Y) / lineHeight));
        }
        const to = Math.min(row.lines, from + fit);
        drawPart(row, from, to, false);
        from = to;
        if (from < row.lines) breakPage();
      }
    }
  }

  /** — 1 — under the type area of every page. */
  pageNumbers(): void {
    const range = this.doc.bufferedPageRange();
    for (let index = 0; index < range.count; index++) {
      this.doc.switchToPage(range.start + index);
      this.faces.body.draw(`— ${index + 1} —`, PT.left, PDF_BOTTOM + 14, {
        size: 14,
        lineHeight: 20,
        width: PDF_TEXT_WIDTH,
        align: 'center',
      });
    }
  }
}

/** A 督办单 as PDF, laid out as the DOCX: red 版头 and line, coloured title, the table going on over pages as needed. */
export async function writeNoticePdf(notice: NoticeDocument, options: { fonts?: PdfFontCandidates } = {}): Promise<Buffer> {
  const title = noticeTitle(notice.colour);
  const reference = noticeReferenceText(notice.year, notice.number);
  const { doc, faces, finished } = await officialPdf(`${title} ${reference}`, options.fonts);
  const flow = new PdfFlow(doc, faces);
  flow.header(notice.issuer, reference);
  flow.title(title, `#${NOTICE_PRINT_COLOURS[notice.colour]}`);
  flow.paragraph(`${clean(notice.unit).trim()}：`, { indent: false });
  flow.gap(4);
  flow.table(
    [LABEL_WIDTH_PT, PDF_TEXT_WIDTH - LABEL_WIDTH_PT],
    noticeRows(notice).map(({ label, lines }) => ({ cells: [[label], lines], faces: [faces.bold, faces.body], align: ['center', 'left'] })),
  );
  flow.gap(12);
  flow.paragraph(noticeClosing());
  flow.signature(notice.issuer, notice.issuedOn);
  const contact = contactText(notice.contact);
  if (contact) {
    flow.gap(8);
    flow.paragraph(contact);
  }
  flow.pageNumbers();
  doc.end();
  return finished;
}
