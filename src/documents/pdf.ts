import { chapterHeading, type SummaryItem, type SummaryTable } from '../domain/summary-table.js';
import { columnWidths, EMPTY_ITEM, printedColumns, type PrintedColumn } from './columns.js';
import { DOCX_WIDTHS } from './docx.js';
import { defaultPdfFonts, type PdfFontCandidates } from './pdf-fonts.js';
import { type Align, type Doc, openPdf, PdfMeasure, registerFonts } from './pdf-text.js';

// ---------------------------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------------------------

export { defaultPdfFonts, SYSTEM_FONT_FOLDERS, type PdfFontCandidate, type PdfFontCandidates } from './pdf-fonts.js';

/**
 * pdfkit keeps the shaping of every text it drew, for the whole document: for a city-wide table, tens of thousands
 * of lines and tens of megabytes. A line rarely appears on two pages, so the cache is emptied at each new page.
 */
function forgetShapedLines(doc: Doc, keep: ReadonlySet<string>): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies ?? {};
  for (const face of Object.values(families)) {
    const cache = face.layoutCache;
    if (!cache) continue;
    // the headings are drawn again on every page
    const kept: Record<string, unknown> = Object.create(null);
    for (const text of keep) if (text in cache) kept[text] = cache[text];
    face.layoutCache = kept;
  }
}

interface ShapedRun {
  glyphs: unknown[];
  positions: unknown[];
  advanceWidth: number;
}

/**
 * Shapes each character once and a line as its characters in a row. pdfkit shapes every line it draws with all the
 * font's OpenType features; with the system's Noto CJK collection that took 4 of the 5 seconds of a city-wide PDF.
 * The line breaking above already measures a line as the sum of its characters' widths, so the lines are now drawn
 * as they were measured; what is lost is only kerning between two Latin letters.
 */
function shapeByCharacter(doc: Doc): void {
  const families =
    (
      doc as unknown as {
        _fontFamilies?: Record<string, { layoutRun?: (text: string, features?: unknown) => ShapedRun; byCharacter?: true }>;
      }
    )._fontFamilies ?? {};
  for (const face of Object.values(families)) {
    const shape = face.layoutRun?.bind(face);
    if (!shape || face.byCharacter) continue;
    const shaped = new Map<string, ShapedRun>();
    face.byCharacter = true;
    face.layoutRun = (text, features) => {
      if (features) return shape(text, features);
      const glyphs: unknown[] = [];
      const positions: unknown[] = [];
      let advanceWidth = 0;
      for (const char of text) {
        let run = shaped.get(char);
        if (!run) {
          const fresh = shape(char);
          run = { glyphs: fresh.glyphs, positions: fresh.positions, advanceWidth: fresh.advanceWidth };
          shaped.set(char, run);
        }
        for (const glyph of run.glyphs) glyphs.push(glyph);
        for (const position of run.positions) positions.push(position);
        advanceWidth += run.advanceWidth;
      }
      return { glyphs, positions, advanceWidth };
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Page geometry, in points, taken from the DOCX writer so that both print alike
// ---------------------------------------------------------------------------------------------------------------

const PAGE_WIDTH = 841.89; // A4 landscape
const PAGE_HEIGHT = 595.28;
const MARGIN_SIDE = 56.7; // 2 cm
const MARGIN_TOP = 62.35; // 2.2 cm
const MARGIN_BOTTOM = 56.7;
const FOOTER_BASE = PAGE_HEIGHT - 28.35; // 1 cm above the paper's edge
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE;
const TABLE_BOTTOM = PAGE_HEIGHT - MARGIN_BOTTOM;

/** The table's columns, their widths and left edges in points. */
interface Geometry {
  columns: PrintedColumn[];
  widths: number[];
  x: number[];
}

/**
 * The DOCX writer's twips, optional columns included: 序号 and 名称 narrow, the completion text (the longest) widest,
 * and the completion column taking what is left of the text width.
 */
function geometry(table: SummaryTable): Geometry {
  const columns = printedColumns(table);
  const widths = columnWidths(columns, DOCX_WIDTHS).map((twips) => twips / 20);
  const completion = columns.findIndex((column) => column.role === 'completion');
  widths[completion] = TEXT_WIDTH - widths.reduce((sum, width, index) => (index === completion ? sum : sum + width), 0);
  const x = widths.map((_, column) => MARGIN_SIDE + widths.slice(0, column).reduce((sum, width) => sum + width, 0));
  return { columns, widths, x };
}

/** 二号 title, 四号 unit line, 五号 table, 小五 page numbers. */
const SIZE_TITLE = 22;
const SIZE_UNIT = 14;
const SIZE_TABLE = 10.5;
const SIZE_FOOTER = 9;

/** Every line of a table cell has the same height, so that heights and page breaks can be counted in lines. */
const LINE = 15;
const PAD_X = 4.25;
const PAD_Y = 3.5;
const BORDER_WIDTH = 0.5;
const SHADE_HEADER = '#D9D9D9';
const SHADE_CHAPTER = '#F2F2F2';

const rowHeight = (lines: number) => lines * LINE + 2 * PAD_Y;
const linesWithin = (height: number) => Math.max(0, Math.floor((height - 2 * PAD_Y + 0.001) / LINE));
const PAGE_LINES = linesWithin(TABLE_BOTTOM - MARGIN_TOP);
/** A row up to half a page moves to the next page whole, as the DOCX writer's cantSplit rows do in Word. */
const KEEP_WHOLE_LINES = Math.floor(PAGE_LINES / 2);
/**
 * The first row of a chapter is split from this many lines on instead: moving it whole would take its chapter
 * heading along and leave the foot of the page empty (a third of page 1 of the city-wide table). Two lines stay with
 * the heading and at least two go on, so a shorter row still moves whole.
 */
const SPLIT_AFTER_HEADING_LINES = 4;
/** Headings repeat on every page, so they may not eat the page: a longer heading is cut. */
const MAX_HEADER_LINES = 6;
const MAX_TITLE_LINES = 4;

// ---------------------------------------------------------------------------------------------------------------
// Line breaking
// ---------------------------------------------------------------------------------------------------------------

/** Control characters and broken surrogates would print as boxes; a tab is a space in a cell. */
function clean(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffe\uffff]|\p{Cs}/gu, '');
}

/**
 * Lines of a centred cell made even: 改善城市基础设施 in a narrow column reads better as 改善城市 / 基础设施 than as
 * seven characters and one left over. Only short texts (names, numbers) are balanced.
 */
function balanced(measure: PdfMeasure, text: string, size: number, width: number): string[] {
  const lines = measure.wrap(text, size, width);
  if (lines.length < 2 || text.length > 200 || text.includes('\n')) return lines;
  let best = lines;
  for (let narrower = width - size / 2; narrower >= size; narrower -= size / 2) {
    const attempt = measure.wrap(text, size, narrower);
    if (attempt.length !== lines.length) break;
    best = attempt;
  }
  return best;
}

function capped(lines: string[], max: number): string[] {
  return lines.length <= max
    ? lines
    : [
        ...lines.slice(0, max - 1),
        `${Array.from(lines[max - 1]!)
          .slice(0, -1)
          .join('')}…`,
      ];
}

// ---------------------------------------------------------------------------------------------------------------
// Table model: every cell as wrapped lines
// ---------------------------------------------------------------------------------------------------------------

interface ItemRow {
  /** the columns after 序号 and 名称: work, lead, cooperating, completion and the optional ones, in printed order */
  cells: string[][];
  lines: number;
}

interface TaskGroup {
  kind: 'task';
  /** 序号 and 名称, merged down all items of the task */
  merged: [string[], string[]];
  rows: ItemRow[];
}

interface ChapterRow {
  kind: 'chapter';
  lines: string[];
}

type Block = ChapterRow | TaskGroup;

const innerWidth = (geo: Geometry, column: number, span = 1) =>
  geo.widths.slice(column, column + span).reduce((sum, width) => sum + width, 0) - 2 * PAD_X;

function buildBlocks(table: SummaryTable, geo: Geometry, body: PdfMeasure, bold: PdfMeasure): Block[] {
  const wrap = (text: string, column: number) => body.wrap(text, SIZE_TABLE, innerWidth(geo, column));
  const blocks: Block[] = [];
  for (const chapter of table.chapters) {
    blocks.push({ kind: 'chapter', lines: bold.wrap(chapterHeading(chapter), SIZE_TABLE, innerWidth(geo, 0, geo.widths.length)) });
    for (const task of chapter.tasks) {
      // a task without items still gets its row, so that its number and name are not lost
      const items: SummaryItem[] = task.items.length > 0 ? task.items : [EMPTY_ITEM];
      const rows = items.map((item) => {
        const cells = geo.columns.slice(2).map((column, index) => wrap(column.text(item), index + 2));
        return { cells, lines: Math.max(1, ...cells.map((cell) => cell.length)) };
      });
      blocks.push({ kind: 'task', merged: [wrap(task.number, 0), balanced(body, task.name, SIZE_TABLE, innerWidth(geo, 1))], rows });
    }
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------------------------------

interface Fonts {
  body: PdfMeasure;
  bold: PdfMeasure;
  /** no bold face was found: headings are the regular face with an outline */
  fakeBold: boolean;
}

class Painter {
  constructor(
    private readonly doc: Doc,
    private readonly fonts: Fonts,
    private readonly geo: Geometry,
  ) {}

  /** One line of text whose box of height `lineHeight` starts at `top`; the glyphs sit in the middle of that box. */
  line(
    text: string,
    left: number,
    width: number,
    top: number,
    options: { size: number; bold?: boolean; align?: Align; lineHeight?: number },
  ): void {
    const face = options.bold ? this.fonts.bold : this.fonts.body;
    face.line(text, left, top, {
      size: options.size,
      lineHeight: options.lineHeight ?? LINE,
      width,
      align: options.align,
      outline: options.bold === true && this.fonts.fakeBold,
    });
  }

  /** A bordered cell; `lines` are drawn from its top, or centred vertically when `middle`. */
  cell(
    column: number,
    span: number,
    top: number,
    height: number,
    lines: string[],
    options: { bold?: boolean; align?: Align; shade?: string; middle?: boolean },
  ): void {
    const { doc } = this;
    const left = this.geo.x[column]!;
    const width = this.geo.widths.slice(column, column + span).reduce((sum, value) => sum + value, 0);
    if (options.shade) doc.rect(left, top, width, height).fill(options.shade);
    const offset = options.middle ? (height - 2 * PAD_Y - lines.length * LINE) / 2 : 0;
    lines.forEach((text, index) => {
      this.line(text, left + PAD_X, width - 2 * PAD_X, top + PAD_Y + offset + index * LINE, {
        size: SIZE_TABLE,
        bold: options.bold,
        align: options.align,
      });
    });
    doc.lineWidth(BORDER_WIDTH).strokeColor('#000000').rect(left, top, width, height).stroke();
  }
}

/** Lines [from, to) of a row whose parts are spread over pages. */
interface Fragment {
  row: ItemRow;
  from: number;
  to: number;
  /** the whole row is on this page: its texts are centred vertically, as in the DOCX */
  whole: boolean;
  height: number;
}

class Layout {
  private y = 0;
  /** nothing but the headings on this page yet */
  private fresh = true;
  private readonly headerLines: string[][];
  private readonly headerHeight: number;
  private readonly headerTexts: ReadonlySet<string>;

  constructor(
    private readonly doc: Doc,
    private readonly paint: Painter,
    private readonly table: SummaryTable,
    private readonly geo: Geometry,
    fonts: Fonts,
  ) {
    this.headerLines = geo.columns.map((column, index) =>
      capped(fonts.bold.wrap(column.heading, SIZE_TABLE, innerWidth(geo, index)), MAX_HEADER_LINES),
    );
    this.headerHeight = rowHeight(Math.max(1, ...this.headerLines.map((lines) => lines.length)));
    this.headerTexts = new Set(this.headerLines.flat());
  }

  private get room(): number {
    return TABLE_BOTTOM - this.y;
  }

  private header(): void {
    this.headerLines.forEach((lines, column) => {
      this.paint.cell(column, 1, this.y, this.headerHeight, lines, { bold: true, align: 'center', shade: SHADE_HEADER, middle: true });
    });
    this.y += this.headerHeight;
    this.fresh = true;
  }

  private newPage(): void {
    forgetShapedLines(this.doc, this.headerTexts);
    this.doc.addPage();
    this.y = MARGIN_TOP;
    this.header();
  }

  /** Lines of body rows a fresh page holds below the headings. */
  private get pageLines(): number {
    return linesWithin(TABLE_BOTTOM - MARGIN_TOP - this.headerHeight);
  }

  preamble(fonts: Fonts, date: string | undefined): void {
    this.y = MARGIN_TOP;
    const title = capped(fonts.bold.wrap(this.table.title, SIZE_TITLE, TEXT_WIDTH), MAX_TITLE_LINES);
    const titleLine = SIZE_TITLE * 1.5;
    for (const line of title) {
      if (line !== '')
        this.paint.line(line, MARGIN_SIDE, TEXT_WIDTH, this.y, { size: SIZE_TITLE, bold: true, align: 'center', lineHeight: titleLine });
      this.y += titleLine;
    }
    this.y += 6;

    const unit = this.table.organisation !== '' ? `填报单位：${clean(this.table.organisation)}` : '';
    const dated = date ? `填报日期：${clean(date)}` : '';
    if (unit !== '' || dated !== '') {
      // unit on the left and date on the right of one line, as the paper forms (and the DOCX writer) have them
      const unitLine = SIZE_UNIT * 1.6;
      const dateWidth = dated === '' ? 0 : fonts.body.width(dated, SIZE_UNIT);
      const unitLines =
        unit === '' ? [''] : capped(fonts.body.wrap(unit, SIZE_UNIT, Math.max(TEXT_WIDTH / 2, TEXT_WIDTH - dateWidth - SIZE_UNIT)), 3);
      if (dated !== '') this.paint.line(dated, MARGIN_SIDE, TEXT_WIDTH, this.y, { size: SIZE_UNIT, align: 'right', lineHeight: unitLine });
      for (const line of unitLines) {
        this.paint.line(line, MARGIN_SIDE, TEXT_WIDTH, this.y, { size: SIZE_UNIT, lineHeight: unitLine });
        this.y += unitLine;
      }
      this.y += 3;
    }
    this.header();
  }

  blocks(blocks: Block[]): void {
    blocks.forEach((block, index) => {
      if (block.kind === 'chapter') this.chapter(block, blocks[index + 1]);
      else this.task(block, blocks[index - 1]?.kind === 'chapter');
    });
  }

  /** Lines from which a row is cut at the foot of a page rather than moved whole to the next. */
  private static splitFrom(index: number, afterHeading: boolean): number {
    return index === 0 && afterHeading ? SPLIT_AFTER_HEADING_LINES : KEEP_WHOLE_LINES + 1;
  }

  /**
   * Lines a task needs at the foot of a page to start there: its 序号/名称 and the first part of its first row. Only
   * that much is kept with a chapter heading, never the chapter's other rows, so a long chapter flows on.
   */
  private startLines(group: TaskGroup, afterHeading: boolean): number {
    const first = group.rows[0]!;
    const firstPart = first.lines < Layout.splitFrom(0, afterHeading) ? first.lines : 2;
    return Math.min(this.pageLines, Math.max(firstPart, group.merged[0].length, group.merged[1].length));
  }

  private chapter(row: ChapterRow, next: Block | undefined): void {
    let from = 0;
    // a chapter heading alone at the foot of a page reads as if the chapter were empty
    const following = next?.kind === 'task' ? rowHeight(this.startLines(next, true)) : 0;
    if (!this.fresh && rowHeight(row.lines.length) + following > this.room) this.newPage();
    while (from < row.lines.length) {
      const count = Math.min(row.lines.length - from, Math.max(1, linesWithin(this.room)));
      const height = rowHeight(count);
      this.paint.cell(0, this.geo.widths.length, this.y, height, row.lines.slice(from, from + count), {
        bold: true,
        shade: SHADE_CHAPTER,
        middle: true,
      });
      this.y += height;
      this.fresh = false;
      from += count;
      if (from < row.lines.length) this.newPage();
    }
  }

  private task(group: TaskGroup, afterHeading: boolean): void {
    if (!this.fresh && linesWithin(this.room) < this.startLines(group, afterHeading)) this.newPage();
    const cursors = [0, 0];
    let segment: Fragment[] = [];
    let top = this.y;

    const flush = () => {
      if (segment.length === 0) return;
      const used = segment.reduce((sum, fragment) => sum + fragment.height, 0);
      // 序号/名称 taller than the rows beside them: the last row grows, as Word grows it. A name that fits on a page is
      // shown whole on every page of the task; a longer one goes on from where the previous page stopped.
      const wanted = Math.max(
        ...group.merged.map((lines, index) => (lines.length <= this.pageLines ? lines.length : lines.length - cursors[index]!)),
      );
      const target = Math.min(rowHeight(wanted), TABLE_BOTTOM - top);
      if (used < target) segment[segment.length - 1]!.height += target - used;
      let y = top;
      for (const fragment of segment) {
        fragment.row.cells.forEach((lines, index) => {
          const align = this.geo.columns[index + 2]!.centred ? 'center' : 'left';
          this.paint.cell(index + 2, 1, y, fragment.height, lines.slice(fragment.from, fragment.to), { middle: fragment.whole, align });
        });
        y += fragment.height;
      }
      const height = y - top;
      group.merged.forEach((lines, index) => {
        const capacity = linesWithin(height);
        if (lines.length <= capacity) {
          this.paint.cell(index, 1, top, height, lines, { align: 'center', middle: true });
          cursors[index] = lines.length;
        } else {
          // taller than the page itself: shown in parts, each page going on where the previous one stopped
          const start = cursors[index]! >= lines.length ? 0 : cursors[index]!;
          this.paint.cell(index, 1, top, height, lines.slice(start, start + capacity), { align: 'center' });
          cursors[index] = start + capacity;
        }
      });
      this.y = y;
      this.fresh = false;
      segment = [];
    };
    const breakPage = () => {
      flush();
      this.newPage();
      top = this.y;
    };
    const place = (fragment: Omit<Fragment, 'height'>) => {
      const fragmentHeight = rowHeight(fragment.to - fragment.from);
      segment.push({ ...fragment, height: fragmentHeight });
      this.y += fragmentHeight;
    };

    group.rows.forEach((row, index) => {
      if (rowHeight(row.lines) <= this.room) {
        place({ row, from: 0, to: row.lines, whole: true });
        return;
      }
      if (row.lines < Layout.splitFrom(index, afterHeading)) {
        breakPage();
        place({ row, from: 0, to: row.lines, whole: true });
        return;
      }
      // a row too tall to move whole is cut between lines; at least two lines stay at the foot of a page, one line is
      // not left over for the next when two can go, and a fresh page always takes at least one, so every pass moves on
      let from = 0;
      while (from < row.lines) {
        let fit = linesWithin(this.room);
        if (fit < Math.min(2, row.lines - from) && !(this.fresh && segment.length === 0)) {
          breakPage();
          fit = linesWithin(this.room);
        }
        const widow = row.lines - from - fit === 1 && fit >= 3 ? 1 : 0;
        const to = Math.min(row.lines, from + Math.max(1, fit - widow));
        place({ row, from, to, whole: false });
        from = to;
        if (from < row.lines) breakPage();
      }
    });
    flush();
    // 序号/名称 longer than all the rows on all the pages: empty rows go on until the name has been shown to the end
    while (group.merged.some((lines, index) => cursors[index]! < lines.length)) {
      const last = group.rows[group.rows.length - 1]!;
      this.newPage();
      top = this.y;
      segment.push({ row: last, from: last.lines, to: last.lines, whole: false, height: 0 });
      flush();
    }
  }
}

function pageNumbers(doc: Doc, paint: Painter): void {
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    paint.line(`第 ${index + 1} 页 / 共 ${range.count} 页`, MARGIN_SIDE, TEXT_WIDTH, FOOTER_BASE - SIZE_FOOTER * 1.5, {
      size: SIZE_FOOTER,
      align: 'center',
      lineHeight: SIZE_FOOTER * 1.5,
    });
  }
}

/**
 * The summary table as a PDF people print or send on: A4 landscape, laid out as the DOCX writer lays it out, the
 * header row on every page, 序号/名称 repeated when a task runs onto a new page, and page numbers at the foot.
 */
export async function writeSummaryPdf(table: SummaryTable, options: { date?: string; fonts?: PdfFontCandidates } = {}): Promise<Buffer> {
  const { doc, finished } = await openPdf(clean(table.title), 'landscape');
  const { fakeBold } = registerFonts(doc, options.fonts ?? defaultPdfFonts());
  shapeByCharacter(doc);
  const body = new PdfMeasure(doc, 'body', clean);
  // the same file registered a second time would be read and parsed again on every switch of font: pdfkit finds it
  // equal to the first and does not remember it under the second name
  const fonts: Fonts = { body, bold: fakeBold ? body : new PdfMeasure(doc, 'bold', clean), fakeBold };
  const geo = geometry(table);
  const paint = new Painter(doc, fonts, geo);

  const layout = new Layout(doc, paint, table, geo, fonts);
  layout.preamble(fonts, options.date);
  layout.blocks(buildBlocks(table, geo, fonts.body, fonts.bold));
  pageNumbers(doc, paint);
  doc.end();
  return finished;
}
