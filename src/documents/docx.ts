import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
} from 'docx';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { badInput } from '../domain/errors.js';
import { chapterHeading, type SummaryItem, type SummaryTable } from '../domain/summary-table.js';
import { columnWidths, EMPTY_ITEM, printedColumns, rowTexts, type PrintedColumn, type WidthScheme } from './columns.js';
import { FONT_BODY, FONT_HEADING, FONT_TITLE, font, fontTableXml } from './docx-fonts.js';
import type { GridLine, GridRow, TableGrid } from './grid.js';
import { cellTooLong, formatCount, resolveReaderLimits, tooManyRows, type ReaderLimits } from './limits.js';
import { openOfficeZip, stripXmlInvalidChars, zipLimitsFor, type GuardedZip } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

/** Sizes in half-points: 二号 22 pt for the title, 四号 14 pt for the unit line, 五号 10.5 pt in the table. */
const SIZE_TITLE = 44;
const SIZE_UNIT = 28;
const SIZE_TABLE = 21;

/** A4 in twips; docx swaps width and height itself for a landscape section. */
const A4_WIDTH = 11906;
const A4_HEIGHT = 16838;
const MARGIN_SIDE = 1134; // 2 cm
const MARGIN_TOP = 1247; // 2.2 cm
const MARGIN_BOTTOM = 1134;
const TEXT_WIDTH = A4_HEIGHT - 2 * MARGIN_SIDE;
const TEXT_HEIGHT = A4_WIDTH - MARGIN_TOP - MARGIN_BOTTOM;

/**
 * Twips per column: 序号 and 名称 narrow, the completion text (the longest) widest. Optional columns (完成状态, 预警…)
 * get what their short texts need at 五号, never less than 序号, and the others make room for them, so that the
 * table stays as wide as the text area. Exported for the PDF writer, which lays the table out alike.
 */
export const DOCX_WIDTHS: WidthScheme = (() => {
  const fixed = [760, 1640, 3300, 1560, 2060] as const;
  return {
    standard: [...fixed, TEXT_WIDTH - fixed.reduce((sum, width) => sum + width, 0)],
    least: [760, 1200, 2000, 1200, 1400, 2600],
    chars: (chars: number) => Math.max(fixed[0], Math.round((chars + 0.5) * 210 + 170)),
  };
})();

const CELL_MARGIN = { top: 57, bottom: 57, left: 85, right: 85 };
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const CELL_BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

function lines(text: string): string[] {
  return stripXmlInvalidChars(text).split(/\r\n|\r|\n/);
}

interface CellText {
  text: string;
  fontName?: string;
  bold?: boolean;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
}

function cellParagraphs({ text, fontName = FONT_BODY, bold, align = AlignmentType.LEFT }: CellText): Paragraph[] {
  return lines(text).map(
    (line) =>
      new Paragraph({
        alignment: align,
        spacing: { before: 0, after: 0, line: 280 },
        children: line === '' ? [] : [new TextRun({ text: line, font: font(fontName), size: SIZE_TABLE, bold })],
      }),
  );
}

function cell(
  widths: number[],
  column: number,
  content: CellText,
  extra: { verticalMerge?: 'restart' | 'continue'; columnSpan?: number; shade?: string } = {},
) {
  const span = extra.columnSpan ?? 1;
  const width = widths.slice(column, column + span).reduce((sum, value) => sum + value, 0);
  return new TableCell({
    children: extra.verticalMerge === 'continue' ? [new Paragraph({})] : cellParagraphs(content),
    width: { size: width, type: WidthType.DXA },
    columnSpan: span > 1 ? span : undefined,
    verticalMerge:
      extra.verticalMerge === 'restart'
        ? VerticalMergeType.RESTART
        : extra.verticalMerge === 'continue'
          ? VerticalMergeType.CONTINUE
          : undefined,
    verticalAlign: VerticalAlignTable.CENTER,
    margins: CELL_MARGIN,
    borders: CELL_BORDERS,
    shading: extra.shade ? { type: ShadingType.CLEAR, fill: extra.shade, color: 'auto' } : undefined,
  });
}

/**
 * A rough height of a row in twips, from the characters per line each column holds at 五号. Only used to decide
 * whether a row may be kept whole on one page: forbidding a split of a row taller than a page makes Word push it to
 * the next page and then split it anyway, leaving a half-empty page behind.
 */
function estimatedRowHeight(widths: number[], texts: string[]): number {
  const lineHeight = 280;
  const charWidth = 210;
  let tallest = 0;
  texts.forEach((text, column) => {
    const perLine = Math.max(1, Math.floor(((widths[column] ?? 0) - CELL_MARGIN.left - CELL_MARGIN.right) / charWidth));
    const count = lines(text).reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
    tallest = Math.max(tallest, count * lineHeight + CELL_MARGIN.top + CELL_MARGIN.bottom);
  });
  return tallest;
}

interface TableLayout {
  columns: PrintedColumn[];
  widths: number[];
}

// The table's rows are written as WordprocessingML text rather than as docx objects: the library builds and formats
// some 60 objects per cell, which for a city-wide table (10,000 cells) took seconds and hundreds of megabytes. The text
// is what the library writes for the same options (paragraph, run and cell properties in its order), so the document
// is the same; the header row, the table's properties and everything around the table are still the library's.

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '"' ? '&quot;' : '&apos;',
  );

const fontXml = (name: string) => `<w:rFonts w:ascii="${name}" w:cs="${name}" w:eastAsia="${name}" w:hAnsi="${name}"/>`;
const CELL_BORDERS_XML =
  '<w:tcBorders>' +
  ['top', 'left', 'bottom', 'right'].map((side) => `<w:${side} w:val="single" w:color="${BORDER.color}" w:sz="${BORDER.size}"/>`).join('') +
  '</w:tcBorders>';
const CELL_MARGIN_XML =
  '<w:tcMar>' +
  (['top', 'left', 'bottom', 'right'] as const).map((side) => `<w:${side} w:type="dxa" w:w="${CELL_MARGIN[side]}"/>`).join('') +
  '</w:tcMar>';
const RUN_SIZE_XML = `<w:sz w:val="${SIZE_TABLE}"/><w:szCs w:val="${SIZE_TABLE}"/>`;

interface CellXml {
  text: string;
  fontName?: string;
  bold?: boolean;
  align: 'left' | 'center';
  /** the paragraphs keep with the next row (a chapter heading), or explicitly not */
  keepNext?: boolean;
}

function cellParagraphsXml({ text, fontName = FONT_BODY, bold, align, keepNext }: CellXml): string {
  const keep = keepNext === undefined ? '' : keepNext ? '<w:keepNext/>' : '<w:keepNext w:val="false"/>';
  const properties = `<w:pPr>${keep}<w:spacing w:after="0" w:before="0" w:line="280"/><w:jc w:val="${align}"/></w:pPr>`;
  const run = `<w:r><w:rPr>${fontXml(fontName)}${bold ? '<w:b/><w:bCs/>' : ''}${RUN_SIZE_XML}</w:rPr><w:t xml:space="preserve">`;
  let xml = '';
  for (const line of lines(text))
    xml += line === '' ? `<w:p>${properties}</w:p>` : `<w:p>${properties}${run}${escapeXml(line)}</w:t></w:r></w:p>`;
  return xml;
}

function cellXml(
  widths: number[],
  column: number,
  content: CellXml,
  extra: { verticalMerge?: 'restart' | 'continue'; columnSpan?: number; shade?: string } = {},
): string {
  const span = extra.columnSpan ?? 1;
  let width = 0;
  for (let at = column; at < column + span; at++) width += widths[at] ?? 0;
  return (
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>` +
    (span > 1 ? `<w:gridSpan w:val="${span}"/>` : '') +
    (extra.verticalMerge ? `<w:vMerge w:val="${extra.verticalMerge}"/>` : '') +
    CELL_BORDERS_XML +
    (extra.shade ? `<w:shd w:fill="${extra.shade}" w:color="auto" w:val="clear"/>` : '') +
    CELL_MARGIN_XML +
    '<w:vAlign w:val="center"/></w:tcPr>' +
    (extra.verticalMerge === 'continue' ? '<w:p/>' : cellParagraphsXml(content)) +
    '</w:tc>'
  );
}

const rowXml = (cantSplit: boolean, cells: string) =>
  `<w:tr><w:trPr>${cantSplit ? '<w:cantSplit/>' : '<w:cantSplit w:val="off"/>'}</w:trPr>${cells}</w:tr>`;

function itemRowXml(layout: TableLayout, number: string, name: string, item: SummaryItem, position: 'only' | 'first' | 'next'): string {
  const merge = position === 'first' ? 'restart' : position === 'next' ? 'continue' : undefined;
  const texts = rowTexts(layout.columns, number, name, item);
  let cells = '';
  layout.columns.forEach((column, index) => {
    cells +=
      column.role === 'number' || column.role === 'name'
        ? cellXml(layout.widths, index, { text: texts[index]!, align: 'center' }, { verticalMerge: merge })
        : cellXml(layout.widths, index, { text: texts[index]!, align: column.centred ? 'center' : 'left' });
  });
  return rowXml(estimatedRowHeight(layout.widths, texts) < TEXT_HEIGHT / 2, cells);
}

function tableLayout(table: SummaryTable): TableLayout {
  const columns = printedColumns(table);
  return { columns, widths: columnWidths(columns, DOCX_WIDTHS) };
}

/** The table with its header row only; the body rows are added as text (bodyRowsXml). */
function tableWithHeader(layout: TableLayout): Table {
  return new Table({
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: layout.columns.map((column, index) =>
          cell(layout.widths, index, { text: column.heading, fontName: FONT_HEADING, align: AlignmentType.CENTER }, { shade: 'D9D9D9' }),
        ),
      }),
    ],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: layout.widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
  });
}

function bodyRowsXml(table: SummaryTable, layout: TableLayout): string {
  const rows: string[] = [];
  const span = layout.columns.length;
  for (const chapter of table.chapters) {
    // a chapter heading alone at the foot of a page reads as if the chapter were empty
    const heading = {
      text: chapterHeading(chapter),
      fontName: FONT_HEADING,
      bold: true,
      align: 'left' as const,
      keepNext: chapter.tasks.length > 0,
    };
    rows.push(rowXml(true, cellXml(layout.widths, 0, heading, { columnSpan: span, shade: 'F2F2F2' })));
    for (const task of chapter.tasks) {
      // a task without items still gets its row, so that its number and name are not lost
      const items = task.items.length > 0 ? task.items : [EMPTY_ITEM];
      items.forEach((item, index) => {
        const position = items.length === 1 ? 'only' : index === 0 ? 'first' : 'next';
        rows.push(itemRowXml(layout, task.number, task.name, item, position));
      });
    }
  }
  return rows.join('');
}

function preamble(table: SummaryTable, date: string | undefined): Paragraph[] {
  const paragraphs = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 240 },
      children: [new TextRun({ text: stripXmlInvalidChars(table.title), font: font(FONT_TITLE), size: SIZE_TITLE })],
    }),
  ];
  const unit = table.organisation !== '' ? `填报单位：${table.organisation}` : '';
  const dated = date ? `填报日期：${date}` : '';
  if (unit !== '' || dated !== '') {
    // One paragraph with a right tab stop keeps unit and date on one line, as the paper forms have them; the reader
    // splits preamble paragraphs at tabs, so each comes back as its own line.
    const runs = [unit, dated].filter((text) => text !== '');
    paragraphs.push(
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        spacing: { before: 0, after: 120 },
        children: [
          ...(unit === '' ? [new TextRun({ text: '\t', font: font(FONT_BODY), size: SIZE_UNIT })] : []),
          ...runs.flatMap((text, index) => [
            ...(index > 0 ? [new TextRun({ text: '\t', font: font(FONT_BODY), size: SIZE_UNIT })] : []),
            new TextRun({ text: stripXmlInvalidChars(text), font: font(FONT_BODY), size: SIZE_UNIT }),
          ]),
        ],
      }),
    );
  }
  return paragraphs;
}

function footer(): Footer {
  const run = (text: string) => new TextRun({ text, font: font(FONT_BODY), size: 18 });
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          run('第 '),
          new TextRun({ children: [PageNumber.CURRENT], font: font(FONT_BODY), size: 18 }),
          run(' 页，共 '),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], font: font(FONT_BODY), size: 18 }),
          run(' 页'),
        ],
      }),
    ],
  });
}

function summaryDocument(table: SummaryTable, layout: TableLayout, date: string | undefined): Document {
  return new Document({
    title: stripXmlInvalidChars(table.title),
    creator: 'luoshi',
    styles: {
      default: {
        document: {
          run: { font: font(FONT_BODY), size: SIZE_TABLE, language: { value: 'zh-CN', eastAsia: 'zh-CN' } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4_WIDTH, height: A4_HEIGHT, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN_TOP, bottom: MARGIN_BOTTOM, left: MARGIN_SIDE, right: MARGIN_SIDE, header: 567, footer: 567 },
          },
        },
        footers: { default: footer() },
        children: [...preamble(table, date), tableWithHeader(layout)],
      },
    ],
  });
}

/** The summary table as a Word document people print: A4 landscape, header row repeated on every page. */
export async function writeSummaryDocx(table: SummaryTable, options: { date?: string } = {}): Promise<Buffer> {
  const layout = tableLayout(table);
  // the library writes the document around a table of the header row alone; the body rows go in before its end
  const skeleton = await JSZip.loadAsync(await Packer.toBuffer(summaryDocument(table, layout, options.date)));
  const documentXml = await skeleton.file('word/document.xml')!.async('string');
  const tableEnd = documentXml.lastIndexOf('</w:tbl>');
  if (tableEnd < 0) throw new Error('docx wrote no table');
  const filled = documentXml.slice(0, tableEnd) + bodyRowsXml(table, layout) + documentXml.slice(tableEnd);
  // docx writes font table entries only for embedded fonts; the fallback entries replace its font table
  return Packer.toBuffer(summaryDocument(table, layout, options.date), false, [
    { path: 'word/document.xml', data: filled },
    { path: 'word/fontTable.xml', data: fontTableXml() },
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

/** fast-xml-parser's preserveOrder form: each node is { tagName: children, ':@'?: attributes } or { '#text': text }. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // 序号 "08" must stay "08", and leading spaces in w:t are content
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // DTDs are rejected before parsing (assertNoDtd), so this decodes only the predefined entities; htmlEntities is
  // what makes fast-xml-parser decode character references (&#x4E00;), which some non-Word writers use
  processEntities: true,
  htmlEntities: true,
});

function tagOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}

function childrenOf(node: XmlNode | undefined): XmlNode[] {
  if (!node) return [];
  const tag = tagOf(node);
  const children = tag ? node[tag] : undefined;
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attributes?.[name];
  return value === undefined ? undefined : String(value);
}

function find(nodes: XmlNode[], tag: string): XmlNode | undefined {
  return nodes.find((node) => tagOf(node) === tag);
}

/** The w:val of a property element such as <w:ilvl w:val="1"/>, found under `node`. */
function propertyValue(node: XmlNode | undefined, tag: string): string | undefined {
  return attribute(find(childrenOf(node), tag), 'w:val');
}

// ---- automatic numbering ----------------------------------------------------------------------------------------
//
// Word keeps list numbers ("1." "（一）" "第一条") out of the paragraph text: the paragraph names a list (w:numPr, on
// the paragraph or its style) and word/numbering.xml says how each level is counted and written. A 责任分工方案 is
// numbered this way as often as by hand, and the numbers are what tie a task to its items, so they are rendered here
// as Word shows them.
//
// Supported: w:num → w:abstractNum, per-level w:start, w:numFmt, w:lvlText with %1…%9, w:isLgl, w:lvlOverride with
// w:startOverride or a replacement w:lvl, numbering from the paragraph style (w:pStyle, following w:basedOn), lists
// sharing an abstract definition continuing one count, deeper levels restarting after a higher one.
// Not supported: w:lvlRestart (deeper levels always restart), w:numStyleLink/w:styleLink indirection, w:legacy,
// picture bullets, numbering parts at other paths than word/numbering.xml and word/styles.xml (Word and WPS use
// these), and number formats other than those in formatNumber (they are written as decimal). Bullets are left out:
// their glyph is usually a Symbol-font private-use character that would show as garbage.

interface ListLevel {
  start: number;
  format: string;
  text: string;
  legal: boolean;
  style?: string;
}

interface ListInstance {
  abstractId: string;
  overrides: Map<number, { start?: number; level?: ListLevel }>;
}

interface StyleNumbering {
  numId?: string;
  ilvl?: number;
  basedOn?: string;
}

const MAX_LEVELS = 9;

function readLevel(lvl: XmlNode): ListLevel {
  const start = Number.parseInt(propertyValue(lvl, 'w:start') ?? '', 10);
  const legal = find(childrenOf(lvl), 'w:isLgl');
  return {
    // the schema's default start is 0; Word always writes one
    start: Number.isFinite(start) ? start : 0,
    format: propertyValue(lvl, 'w:numFmt') ?? 'decimal',
    text: propertyValue(lvl, 'w:lvlText') ?? '',
    legal: legal !== undefined && attribute(legal, 'w:val') !== 'false' && attribute(legal, 'w:val') !== '0',
    style: propertyValue(lvl, 'w:pStyle'),
  };
}

function levelIndex(value: string | undefined): number | undefined {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isInteger(parsed) && parsed >= 0 && parsed < MAX_LEVELS ? parsed : undefined;
}

const CHINESE_DIGITS = '〇一二三四五六七八九';
const LEGAL_DIGITS = '零壹贰叁肆伍陆柒捌玖';

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, up to 9999; legal digits (壹拾壹) always write the 1 of 十. */
function chineseNumber(value: number, legal = false): string {
  if (value <= 0 || value >= 10_000) return String(value);
  const digits = legal ? LEGAL_DIGITS : CHINESE_DIGITS.replace('〇', '零');
  const units = legal ? ['', '拾', '佰', '仟'] : ['', '十', '百', '千'];
  const parts = String(value).split('').map(Number);
  let text = '';
  let zero = false;
  parts.forEach((digit, index) => {
    const unit = units[parts.length - 1 - index]!;
    if (digit === 0) {
      zero = text !== '';
      return;
    }
    if (zero) text += digits[0];
    zero = false;
    text += (digit === 1 && unit === units[1] && text === '' && !legal ? '' : digits[digit]) + unit;
  });
  return text;
}

function romanNumber(value: number): string {
  if (value <= 0 || value >= 4000) return String(value);
  const numerals: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let text = '';
  let rest = value;
  for (const [amount, numeral] of numerals) {
    while (rest >= amount) {
      text += numeral;
      rest -= amount;
    }
  }
  return text;
}

function letterNumber(value: number): string {
  if (value <= 0) return String(value);
  // Word goes A … Z, AA … ZZ, AAA …: the letter repeats rather than counting in base 26
  return String.fromCharCode(65 + ((value - 1) % 26)).repeat(Math.floor((value - 1) / 26) + 1);
}

function formatNumber(value: number, format: string): string {
  switch (format) {
    case 'decimal':
      return String(value);
    case 'decimalZero':
      return value >= 0 && value < 10 ? `0${value}` : String(value);
    case 'upperLetter':
      return letterNumber(value);
    case 'lowerLetter':
      return letterNumber(value).toLowerCase();
    case 'upperRoman':
      return romanNumber(value);
    case 'lowerRoman':
      return romanNumber(value).toLowerCase();
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return chineseNumber(value);
    case 'chineseLegalSimplified':
      return chineseNumber(value, true);
    case 'ideographDigital':
    case 'taiwaneseDigital':
    case 'japaneseDigitalTenThousand':
      return String(value).replace(/\d/g, (digit) => CHINESE_DIGITS[Number(digit)]!);
    case 'ideographTraditional':
      return value >= 1 ? '甲乙丙丁戊己庚辛壬癸'[(value - 1) % 10]! : String(value);
    case 'ideographZodiac':
      return value >= 1 ? '子丑寅卯辰巳午未申酉戌亥'[(value - 1) % 12]! : String(value);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(value).replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return value >= 1 && value <= 20 ? String.fromCharCode(0x2460 + value - 1) : String(value);
    case 'decimalEnclosedParen':
      return value >= 1 && value <= 20 ? String.fromCharCode(0x2474 + value - 1) : String(value);
    case 'decimalEnclosedFullstop':
      return value >= 1 && value <= 20 ? String.fromCharCode(0x2488 + value - 1) : String(value);
    case 'none':
      return '';
    default:
      return String(value);
  }
}

/** Counts list paragraphs in document order and renders each one's number; one instance per document read. */
class ListNumbering {
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly started = new Set<string>();

  constructor(
    private readonly abstracts: Map<string, Map<number, ListLevel>>,
    private readonly instances: Map<string, ListInstance>,
    private readonly styles: Map<string, StyleNumbering>,
  ) {}

  static empty(): ListNumbering {
    return new ListNumbering(new Map(), new Map(), new Map());
  }

  /** Both parts are optional in a package; a part that does not parse only loses the numbers, not the document. */
  static async read(zip: GuardedZip): Promise<ListNumbering> {
    if (!zip.has('word/numbering.xml')) return ListNumbering.empty();
    const numberingRoot = tryParse(await zip.readXml('word/numbering.xml'));
    const numbering = childrenOf(find(numberingRoot ?? [], 'w:numbering'));
    const abstracts = new Map<string, Map<number, ListLevel>>();
    const instances = new Map<string, ListInstance>();
    for (const node of numbering) {
      const tag = tagOf(node);
      if (tag === 'w:abstractNum') {
        const levels = new Map<number, ListLevel>();
        for (const lvl of childrenOf(node)) {
          const index = tagOf(lvl) === 'w:lvl' ? levelIndex(attribute(lvl, 'w:ilvl')) : undefined;
          if (index !== undefined) levels.set(index, readLevel(lvl));
        }
        const id = attribute(node, 'w:abstractNumId');
        if (id !== undefined) abstracts.set(id, levels);
      } else if (tag === 'w:num') {
        const id = attribute(node, 'w:numId');
        const abstractId = propertyValue(node, 'w:abstractNumId');
        if (id === undefined || abstractId === undefined) continue;
        const overrides = new Map<number, { start?: number; level?: ListLevel }>();
        for (const override of childrenOf(node)) {
          const index = tagOf(override) === 'w:lvlOverride' ? levelIndex(attribute(override, 'w:ilvl')) : undefined;
          if (index === undefined) continue;
          const start = Number.parseInt(propertyValue(override, 'w:startOverride') ?? '', 10);
          const lvl = find(childrenOf(override), 'w:lvl');
          overrides.set(index, { start: Number.isFinite(start) ? start : undefined, level: lvl ? readLevel(lvl) : undefined });
        }
        instances.set(id, { abstractId, overrides });
      }
    }

    const styles = new Map<string, StyleNumbering>();
    if (zip.has('word/styles.xml')) {
      const stylesRoot = tryParse(await zip.readXml('word/styles.xml'));
      for (const style of childrenOf(find(stylesRoot ?? [], 'w:styles'))) {
        const id = tagOf(style) === 'w:style' ? attribute(style, 'w:styleId') : undefined;
        if (id === undefined) continue;
        const numPr = find(childrenOf(find(childrenOf(style), 'w:pPr')), 'w:numPr');
        styles.set(id, {
          numId: propertyValue(numPr, 'w:numId'),
          ilvl: levelIndex(propertyValue(numPr, 'w:ilvl')),
          basedOn: propertyValue(style, 'w:basedOn'),
        });
      }
    }
    return new ListNumbering(abstracts, instances, styles);
  }

  /** The list a paragraph belongs to, from its own properties or else its style's (through w:basedOn). */
  private listOf(paragraph: XmlNode): { numId: string; ilvl?: number; style?: string } | undefined {
    const pPr = find(childrenOf(paragraph), 'w:pPr');
    const numPr = find(childrenOf(pPr), 'w:numPr');
    const ownNumId = propertyValue(numPr, 'w:numId');
    const ownLevel = levelIndex(propertyValue(numPr, 'w:ilvl'));
    const styleId = propertyValue(pPr, 'w:pStyle');
    if (ownNumId !== undefined) return { numId: ownNumId, ilvl: ownLevel, style: styleId };
    const seen = new Set<string>();
    for (let id = styleId; id !== undefined && !seen.has(id); id = this.styles.get(id)?.basedOn) {
      seen.add(id);
      const style = this.styles.get(id);
      if (style?.numId !== undefined) return { numId: style.numId, ilvl: ownLevel ?? style.ilvl, style: id };
    }
    return undefined;
  }

  /** The number text of a paragraph ('' when it has none), advancing the count: call once per paragraph, in order. */
  label(paragraph: XmlNode): string {
    if (this.instances.size === 0) return '';
    const list = this.listOf(paragraph);
    // numId 0 is how a paragraph switches off the numbering its style would give it
    const instance = list && list.numId !== '0' ? this.instances.get(list.numId) : undefined;
    const abstract = instance ? this.abstracts.get(instance.abstractId) : undefined;
    if (!list || !instance || !abstract) return '';
    const levelAt = (index: number) => instance.overrides.get(index)?.level ?? abstract.get(index);
    let ilvl = list.ilvl;
    if (ilvl === undefined && list.style !== undefined) {
      for (const [index, level] of abstract) if (level.style === list.style) ilvl = index;
    }
    ilvl ??= 0;
    const level = levelAt(ilvl);
    if (!level) return '';

    let counters = this.counters.get(instance.abstractId);
    if (!counters) {
      counters = new Array<number | undefined>(MAX_LEVELS).fill(undefined);
      this.counters.set(instance.abstractId, counters);
    }
    // Word restarts a list where a new w:num with w:startOverride is first used, and otherwise lets every w:num of
    // one abstract definition continue a single count
    if (!this.started.has(list.numId)) {
      this.started.add(list.numId);
      for (const [index, override] of instance.overrides) {
        if (override.start === undefined) continue;
        counters[index] = override.start - 1;
        for (let deeper = index + 1; deeper < MAX_LEVELS; deeper++) counters[deeper] = undefined;
      }
    }
    counters[ilvl] = counters[ilvl] === undefined ? level.start : counters[ilvl]! + 1;
    for (let deeper = ilvl + 1; deeper < MAX_LEVELS; deeper++) counters[deeper] = undefined;

    if (level.format === 'bullet') return '';
    const text = level.text.replace(/%([1-9])/g, (_, digit: string) => {
      const index = Number(digit) - 1;
      const referenced = levelAt(index);
      const value = counters[index] ?? referenced?.start ?? 1;
      const format = level.legal && index !== ilvl ? 'decimal' : (referenced?.format ?? 'decimal');
      return formatNumber(value, format);
    });
    // "1.", "（一）" and "①" run straight into the text, as people type them by hand; a number that ends in a word
    // or digit (第一条, Article 1) gets the space that Word's tab shows, so that it does not run into the text
    return /[\p{L}\p{Nd}]$/u.test(text) ? `${text} ` : text;
  }
}

function tryParse(xml: string): XmlNode[] | undefined {
  try {
    return parser.parse(xml) as XmlNode[];
  } catch {
    return undefined;
  }
}

// ---- paragraphs and tables --------------------------------------------------------------------------------------

/**
 * Elements whose text is not what the reader sees: deleted revisions, field codes, and drawings (text boxes inside
 * a drawing repeat in mc:Fallback, and are not part of the paragraph's flow anyway). Property elements are skipped
 * because w:pPr holds w:tabs/w:tab tab-stop definitions that are not tab characters.
 */
const SKIPPED = new Set([
  'w:pPr',
  'w:rPr',
  'w:del',
  'w:delText',
  'w:instrText',
  'w:drawing',
  'w:pict',
  'w:object',
  'mc:AlternateContent',
  'w:fldData',
]);

/** The paragraph's own text, without its list number. */
function runText(paragraph: XmlNode): string {
  let text = '';
  const walk = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (!tag || SKIPPED.has(tag)) continue;
      if (tag === 'w:t') {
        for (const child of childrenOf(node))
          if (typeof child['#text'] === 'string' || typeof child['#text'] === 'number') text += String(child['#text']);
      } else if (tag === 'w:tab' || tag === 'w:ptab') text += '\t';
      else if (tag === 'w:br' || tag === 'w:cr') text += '\n';
      else if (tag === 'w:noBreakHyphen') text += '-';
      else walk(childrenOf(node));
    }
  };
  walk(childrenOf(paragraph));
  return text;
}

/** Block-level children of body or cell, looking through content controls and custom XML that wrap them. */
function blocks(nodes: XmlNode[]): XmlNode[] {
  return nodes.flatMap((node) => {
    const tag = tagOf(node);
    if (tag === 'w:sdt') return blocks(childrenOf(find(childrenOf(node), 'w:sdtContent')));
    if (tag === 'w:customXml' || tag === 'w:smartTag') return blocks(childrenOf(node));
    return tag === 'w:p' || tag === 'w:tbl' || tag === 'w:tr' || tag === 'w:tc' ? [node] : [];
  });
}

function positiveInt(value: string | undefined, fallback: number, cap = 64): number {
  const parsed = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed >= 1 ? Math.min(parsed, cap) : fallback;
}

/** Reads paragraphs with their list numbers, so the count advances through the document in reading order. */
class DocumentText {
  constructor(private readonly numbering: ListNumbering) {}

  /** A paragraph as Word shows it: list number, then text. An empty paragraph stays empty even when numbered. */
  paragraph(paragraph: XmlNode): string {
    const label = this.numbering.label(paragraph);
    const text = runText(paragraph);
    return text.trim() === '' ? text : label + text;
  }

  cell(tc: XmlNode): string {
    const paragraphs: string[] = [];
    const walk = (nodes: XmlNode[]) => {
      for (const node of blocks(nodes)) {
        const tag = tagOf(node);
        if (tag === 'w:p') paragraphs.push(this.paragraph(node));
        // a nested table's text is kept, row by row, rather than lost
        else if (tag === 'w:tbl' || tag === 'w:tr' || tag === 'w:tc') walk(childrenOf(node));
      }
    };
    walk(childrenOf(tc));
    return paragraphs.join('\n');
  }

  row(tr: XmlNode): string[] {
    const cells: string[] = [];
    const trPr = find(childrenOf(tr), 'w:trPr');
    const gridBefore = find(childrenOf(trPr), 'w:gridBefore');
    if (gridBefore) for (let i = positiveInt(attribute(gridBefore, 'w:val'), 0); i > 0; i--) cells.push('');
    for (const tc of blocks(childrenOf(tr))) {
      if (tagOf(tc) !== 'w:tc') continue;
      const properties = childrenOf(find(childrenOf(tc), 'w:tcPr'));
      const span = positiveInt(attribute(find(properties, 'w:gridSpan'), 'w:val'), 1);
      const vMerge = find(properties, 'w:vMerge');
      const hMerge = find(properties, 'w:hMerge');
      // vMerge without a value, or "continue", is a cell covered by the one above
      const covered = (vMerge && attribute(vMerge, 'w:val') !== 'restart') || (hMerge && attribute(hMerge, 'w:val') !== 'restart');
      cells.push(covered ? '' : this.cell(tc));
      for (let i = 1; i < span; i++) cells.push('');
    }
    return cells;
  }
}

/**
 * Reads a .docx as a grid. With tables: the paragraphs above the first table (split at tabs, because unit and date
 * usually share a line laid out with tab stops) and the rows of every body table in order, merged cells expanded. A
 * long table is often saved as several (split at a page, or a section break), the later ones starting with the
 * header again or straight with data: their rows simply follow, and interpretGrid skips a repeated header. Paragraphs
 * after the first table (notes, signatures) are no part of the table: they are kept as `outside`, so that the reader
 * can say they were not imported; tables inside cells are read as their cell's text.
 * One table keeps its row numbers as lines; with several, lines run on across tables and `location` says which
 * table and row (第2个表格第5行).
 *
 * Without a table, the document is a text (a 责任分工方案 is paragraphs only): every non-empty body paragraph is one
 * preamble line, whole, numbered by its place among all paragraphs, with Word's automatic list numbers written in.
 */
export async function readDocxGrid(bytes: Uint8Array, limits: Partial<ReaderLimits> = {}): Promise<TableGrid> {
  const caps = resolveReaderLimits(limits);
  const zip = await openOfficeZip(bytes, 'docx', zipLimitsFor(caps));
  if (!zip.has('word/document.xml')) {
    throw badInput(
      'docx_document_missing',
      '文件不是 Word 文档（.docx）：压缩包中没有 word/document.xml。若为 Excel 文件，请以 .xlsx 上传。',
    );
  }
  const xml = await zip.readXml('word/document.xml');
  let root: XmlNode[];
  try {
    root = parser.parse(xml) as XmlNode[];
  } catch (error) {
    throw badInput(
      'docx_xml_invalid',
      `Word 文档内容（word/document.xml）不是有效的 XML，文件已损坏（${error instanceof Error ? error.message : String(error)}）。`,
    );
  }
  const document = find(root, 'w:document');
  const body = document ? find(childrenOf(document), 'w:body') : undefined;
  if (!body) throw badInput('docx_document_invalid', 'Word 文档内容（word/document.xml）中没有正文（w:body），文件已损坏。');

  const text = new DocumentText(await ListNumbering.read(zip));
  const content = blocks(childrenOf(body));
  const tableCount = content.filter((node) => tagOf(node) === 'w:tbl').length;
  const checkParagraph = (paragraph: string, number: number) => {
    if (paragraph.length > caps.maxCellChars)
      throw cellTooLong(paragraph.length, caps.maxCellChars, `Word 文档第 ${formatCount(number)} 段`);
  };

  if (tableCount === 0) {
    const preamble: GridLine[] = [];
    let paragraphNumber = 0;
    for (const node of content) {
      if (tagOf(node) !== 'w:p') continue;
      const paragraph = text.paragraph(node);
      paragraphNumber++;
      if (paragraph.trim() === '') continue;
      checkParagraph(paragraph, paragraphNumber);
      if (preamble.length === caps.maxRows) throw tooManyRows(caps.maxRows, 'Word 文档的段落数', `第 ${formatCount(paragraphNumber)} 段`);
      preamble.push({ text: paragraph, line: paragraphNumber });
    }
    return { preamble, rows: [] };
  }

  const preamble: GridLine[] = [];
  const rows: GridRow[] = [];
  const outside: GridLine[] = [];
  let paragraphNumber = 0;
  let tableNumber = 0;
  for (const node of content) {
    if (tagOf(node) === 'w:p') {
      // read even after the first table, where the text is not kept, so that list numbers keep counting
      const paragraph = text.paragraph(node);
      paragraphNumber++;
      if (tableNumber > 0) {
        // text between and below the tables (a note, 续表, a signature) is no part of the table, but is not lost unsaid
        if (paragraph.trim() !== '') {
          checkParagraph(paragraph, paragraphNumber);
          outside.push({ text: paragraph, line: paragraphNumber, location: `表格外第${paragraphNumber}段` });
        }
        continue;
      }
      checkParagraph(paragraph, paragraphNumber);
      for (const part of paragraph.split(/\t+|\n/)) {
        if (part.trim() !== '') preamble.push({ text: part, line: paragraphNumber });
      }
      continue;
    }
    tableNumber++;
    let rowNumber = 0;
    for (const tr of blocks(childrenOf(node))) {
      if (tagOf(tr) !== 'w:tr') continue;
      rowNumber++;
      const where = tableCount > 1 ? `第 ${tableNumber} 个表格第 ${formatCount(rowNumber)} 行` : `表格第 ${formatCount(rowNumber)} 行`;
      if (rows.length === caps.maxRows) throw tooManyRows(caps.maxRows, 'Word 文档的表格行数（所有表格合计）', where);
      const cells = text.row(tr);
      cells.forEach((cell, column) => {
        if (cell.length > caps.maxCellChars) throw cellTooLong(cell.length, caps.maxCellChars, `${where}第 ${column + 1} 列`);
      });
      rows.push(
        tableCount > 1 ? { cells, line: rows.length + 1, location: `第${tableNumber}个表格第${rowNumber}行` } : { cells, line: rowNumber },
      );
    }
  }
  return { preamble, rows, ...(outside.length > 0 ? { outside } : {}) };
}
