import { existsSync } from 'node:fs';
import { AppError } from '../domain/errors.js';
import type { PdfFontCandidate, PdfFontCandidates } from './pdf-fonts.js';

// What the summary table (pdf.ts) and the official documents (notice.ts) print alike: the document, its Chinese
// fonts, and Chinese line breaking. pdfkit is imported only when a PDF is written, so that the DOCX writers of
// notice.ts and bulletin.ts load without it.

export type Doc = PDFKit.PDFDocument;

export const fontMissing = () =>
  new AppError(
    503,
    'pdf_font_missing',
    '服务器缺少中文字体，无法生成 PDF。请重新执行 npm install（安装随附的 @embedpdf/fonts-sc 字体），或安装 fonts-noto-cjk（Debian/Ubuntu：apt install fonts-noto-cjk），或设置 LUOSHI_PDF_FONT。',
  );

/** An A4 pdfkit document without margins (the writers place every line themselves), and its bytes once ended. */
export async function openPdf(title: string, layout: 'portrait' | 'landscape'): Promise<{ doc: Doc; finished: Promise<Buffer> }> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    layout,
    margin: 0,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, Creator: 'luoshi', Producer: 'luoshi' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, finished };
}

/** pdfkit keeps the fontkit face private; it is the only way to ask whether a glyph exists. */
function hasChineseGlyphs(doc: Doc): boolean {
  const face = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean } } })._font?.font;
  // 中 and the full-width comma: a Latin-only font would print both as empty boxes
  return typeof face?.hasGlyphForCodePoint !== 'function' || (face.hasGlyphForCodePoint(0x4e2d) && face.hasGlyphForCodePoint(0xff0c));
}

/** Registers the first usable candidate under `name` and gives it back; undefined when none is usable. */
function registerFirst(doc: Doc, name: string, candidates: readonly PdfFontCandidate[]): PdfFontCandidate | undefined {
  for (const candidate of candidates) {
    const { path, family } = candidate;
    if (!path || !existsSync(path)) continue;
    const collection = /\.(ttc|otc|dfont)$/i.test(path);
    // a collection opened without a face name is not a font pdfkit can draw with; a single font given a face name is
    // asked for a variation by fontkit, which fails for ordinary fonts
    if (collection && !family) continue;
    try {
      doc.registerFont(name, path, collection ? family : undefined);
      doc.font(name);
      if (hasChineseGlyphs(doc)) return candidate;
    } catch {
      // unreadable or not a font: try the next one
    }
  }
  return undefined;
}

/**
 * Registers the fonts as `body` and `bold`; without a regular face no PDF can be written. Gives back whether bold
 * has to be faked (no bold face was found: the regular one is drawn with an outline).
 */
export function registerFonts(doc: Doc, candidates: PdfFontCandidates): { fakeBold: boolean } {
  if (!registerFirst(doc, 'body', candidates.regular)) throw fontMissing();
  return { fakeBold: !registerFirst(doc, 'bold', candidates.bold ?? []) };
}

/** Never at the start of a line (避头): closing punctuation, as Chinese typesetting has it. */
const NO_LINE_START = new Set('，。、；：？！）》〉」』】〕］｝”’…—～·%‰℃,.;:?!)]}'.split(''));
/** Never at the end of a line (避尾): opening punctuation. */
const NO_LINE_END = new Set('（《〈「『【〔［｛“‘([{'.split(''));

export type Align = 'left' | 'center' | 'right';

/** Widths, line breaking and drawing in one registered font. */
export class PdfMeasure {
  private readonly widths = new Map<string, number>();

  constructor(
    readonly doc: Doc,
    readonly font: string,
    /** what the writer keeps of a text before it is measured; the summary table and the 督办单 clean differently */
    private readonly clean: (text: string) => string,
  ) {}

  /** Width at 1 pt, per character, so that a 30,000-character cell costs one shaping per distinct character. */
  private char(char: string): number {
    let width = this.widths.get(char);
    if (width === undefined) {
      this.doc.font(this.font).fontSize(1);
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

  /**
   * Lines of at most `width` (the first `firstIndent` narrower): Chinese breaks between any two characters except
   * before closing and after opening punctuation; a run of Latin letters and digits (PM2.5, VOCs, 12.4%) stays whole
   * unless it alone is too wide.
   */
  wrap(text: string, size: number, width: number, firstIndent = 0): string[] {
    const lines: string[] = [];
    for (const paragraph of this.clean(text).split('\n')) {
      const units: string[] = [];
      let opening = '';
      for (const [token] of paragraph.matchAll(/[!-~]+| +|[\s\S]/gu)) {
        if (opening !== '') {
          opening += token;
          if (!NO_LINE_END.has(token)) {
            units.push(opening);
            opening = '';
          }
        } else if (NO_LINE_START.has(token[0]!) && units.length > 0 && !/^ +$/.test(units[units.length - 1]!)) {
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
      const push = (text: string) => {
        lines.push(text);
        line = '';
        used = 0;
        room = width;
      };
      for (const unit of units) {
        const unitWidth = this.width(unit, size);
        if (line !== '' && used + unitWidth > room) {
          push(line.trimEnd());
          // spaces where a line breaks are not carried to the next line
          if (/^ +$/.test(unit)) continue;
        }
        if (unitWidth > room) {
          // a unit wider than the cell (a long URL, a run of closing punctuation) is cut anywhere
          for (const char of unit) {
            const charWidth = this.char(char) * size;
            if (line !== '' && used + charWidth > room) push(line);
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

  /** One line whose box of height `lineHeight` starts at `top`; the glyphs sit in the middle of that box. */
  line(
    text: string,
    left: number,
    top: number,
    options: { size: number; lineHeight: number; width?: number; align?: Align; colour?: string; outline?: boolean },
  ): void {
    if (text === '') return;
    const { doc } = this;
    // measured first: measuring a new character switches the document's font size
    const textWidth = this.width(text, options.size);
    doc.font(this.font).fontSize(options.size);
    const width = options.width ?? 0;
    const x = options.align === 'center' ? left + (width - textWidth) / 2 : options.align === 'right' ? left + width - textWidth : left;
    const y = top + (options.lineHeight - doc.currentLineHeight()) / 2;
    const colour = options.colour ?? '#000000';
    if (options.outline) doc.lineWidth(options.size * 0.04).strokeColor(colour);
    doc.fillColor(colour).text(text, x, y, { lineBreak: false, fill: true, stroke: options.outline === true });
  }
}
