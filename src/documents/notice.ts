import { existsSync } from 'node:fs';
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
import { AppError } from '../domain/errors.js';
import { NOTICE_PRINT_COLOURS, type NoticeDocument, noticeReferenceText, noticeTitle, officialDate } from '../domain/supervision.js';
import { defaultPdfFonts, type PdfFontCandidate, type PdfFontCandidates } from './pdf-fonts.js';
import { stripXmlInvalidChars } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// The official-document page (GB/T 9704): shared by the 督办单 and the 通报 (bulletin.ts)
// ---------------------------------------------------------------------------------------------------------------

export const FONT_TITLE = '方正小标宋简体';
export const FONT_HEADING = '黑体';
export const FONT_BODY = '仿宋_GB2312';

/**
 * As in docx.ts: a run names one font, so the fallbacks live in the font table (w:altName, charset, family), and
 * machines without the 方正 and _GB2312 fonts show 宋体 / 仿宋 / SimHei instead of an arbitrary Latin font.
 */
const FONT_TABLE = [
  { name: FONT_TITLE, altName: '宋体', panose: '02000000000000000000', family: 'script' },
  { name: FONT_HEADING, altName: 'SimHei', panose: '02010609060101010101', family: 'modern' },
  { name: FONT_BODY, altName: '仿宋', panose: '02010609030101010101', family: 'modern' },
  { name: '仿宋', altName: 'FangSong', panose: '02010609060101010101', family: 'modern' },
  { name: '宋体', altName: 'SimSun', panose: '02010600030101010101', family: 'auto' },
];

export const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

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

function fontTableXml(): string {
  const fonts = FONT_TABLE.map(
    ({ name, altName, panose, family }) =>
      `<w:font w:name="${name}"><w:altName w:val="${altName}"/><w:panose1 w:val="${panose}"/><w:charset w:val="86"/>` +
      `<w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    fonts +
    '</w:fonts>'
  );
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

export const TABLE_BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
export const TABLE_BORDERS = { top: TABLE_BORDER, bottom: TABLE_BORDER, left: TABLE_BORDER, right: TABLE_BORDER };
export const CELL_MARGIN = { top: 28, bottom: 28, left: 100, right: 100 };

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
  const cell = (index: number, children: Paragraph[]) =>
    new TableCell({
      children,
      width: { size: widths[index]!, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: CELL_MARGIN,
      borders: TABLE_BORDERS,
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    rows: noticeRows(notice).map(
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
  });
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

type Doc = PDFKit.PDFDocument;

const fontMissing = () =>
  new AppError(
    503,
    'pdf_font_missing',
    '服务器缺少中文字体，无法生成 PDF。请重新执行 npm install（安装随附的 @embedpdf/fonts-sc 字体），或安装 fonts-noto-cjk（Debian/Ubuntu：apt install fonts-noto-cjk），或设置 LUOSHI_PDF_FONT。',
  );

/** pdfkit keeps the fontkit face private; it is the only way to ask whether a glyph exists. */
function hasChineseGlyphs(doc: Doc): boolean {
  const face = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean } } })._font?.font;
  return typeof face?.hasGlyphForCodePoint !== 'function' || (face.hasGlyphForCodePoint(0x4e2d) && face.hasGlyphForCodePoint(0xff0c));
}

/** As pdf.ts: the first candidate that opens and has Chinese glyphs, registered under `name`. */
function registerFirst(doc: Doc, name: string, candidates: readonly PdfFontCandidate[]): boolean {
  for (const { path, family } of candidates) {
    if (!path || !existsSync(path)) continue;
    const collection = /\.(ttc|otc|dfont)$/i.test(path);
    if (collection && !family) continue;
    try {
      doc.registerFont(name, path, collection ? family : undefined);
      doc.font(name);
      if (hasChineseGlyphs(doc)) return true;
    } catch {
      // unreadable or not a font: try the next one
    }
  }
  return false;
}

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

const NO_LINE_START = new Set('，。、；：？！）》〉」』】〕］｝”’…—～·%‰℃,.;:?!)]}'.split(''));
const NO_LINE_END = new Set('（《〈「『【〔［｛“‘([{'.split(''));

/** Widths per character and line breaking as pdf.ts does it (避头尾, Latin runs kept whole). */
export class PdfText {
  private readonly widths = new Map<string, number>();

  constructor(
    readonly doc: Doc,
    readonly name: 'body' | 'bold',
    /** no bold face: the regular one drawn with an outline */
    readonly outline: boolean,
  ) {}

  private char(char: string): number {
    let width = this.widths.get(char);
    if (width === undefined) {
      this.doc.font(this.name).fontSize(1);
      width = this.doc.widthOfString(char);
      this.widths.set(char, width);
    }
    return width;
  }

  width(text: string, size: number): number {
    let width = 0;
    for (const char of text) width += this.char(char);
    return width * size;
  }

  wrap(text: string, size: number, width: number, firstIndent = 0): string[] {
    const lines: string[] = [];
    for (const paragraph of clean(text).split('\n')) {
      const units: string[] = [];
      let opening = '';
      for (const [token] of paragraph.matchAll(/[!-~]+| +|[\s\S]/gu)) {
        if (opening !== '') {
          opening += token;
          if (!NO_LINE_END.has(token)) {
            units.push(opening);
            opening = '';
          }
        } else if (NO_LINE_START.has(token[0]!) && units.length > 0) {
          units[units.length - 1] += token;
        } else if (NO_LINE_END.has(token)) {
          opening = token;
        } else {
          units.push(token);
        }
      }
      if (opening !== '') units.push(opening);
      let line = '';
      let used = 0;
      let room = width - (lines.length === 0 ? firstIndent : 0);
      const push = () => {
        lines.push(line.trimEnd());
        line = '';
        used = 0;
        room = width;
      };
      for (const unit of units) {
        const unitWidth = this.width(unit, size);
        if (line !== '' && used + unitWidth > room) {
          push();
          if (/^ +$/.test(unit)) continue;
        }
        if (unitWidth > room) {
          for (const char of unit) {
            const charWidth = this.char(char) * size;
            if (line !== '' && used + charWidth > room) push();
            line += char;
            used += charWidth;
          }
          continue;
        }
        line += unit;
        used += unitWidth;
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** One line whose box of `lineHeight` starts at `top`, the glyphs in its middle. */
  draw(
    text: string,
    left: number,
    top: number,
    options: { size: number; lineHeight: number; width?: number; align?: 'left' | 'center' | 'right'; colour?: string },
  ) {
    if (text === '') return;
    const { doc } = this;
    const textWidth = this.width(text, options.size);
    doc.font(this.name).fontSize(options.size);
    const width = options.width ?? 0;
    const x = options.align === 'center' ? left + (width - textWidth) / 2 : options.align === 'right' ? left + width - textWidth : left;
    const y = top + (options.lineHeight - doc.currentLineHeight()) / 2;
    const colour = options.colour ?? '#000000';
    if (this.outline) doc.lineWidth(options.size * 0.04).strokeColor(colour);
    doc.fillColor(colour).text(text, x, y, { lineBreak: false, fill: true, stroke: this.outline });
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
  const { default: PDFDocument } = await import('pdfkit');
  const candidates = fonts ?? defaultPdfFonts();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'portrait',
    margin: 0,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: clean(title), Creator: 'luoshi', Producer: 'luoshi' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (!registerFirst(doc, 'body', candidates.regular)) throw fontMissing();
  const hasBold = registerFirst(doc, 'bold', candidates.bold ?? []);
  const body = new PdfText(doc, 'body', false);
  return { doc, faces: { body, bold: hasBold ? new PdfText(doc, 'bold', false) : new PdfText(doc, 'body', true) }, finished };
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
