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
import { chapterHeading, columnList, type SummaryItem, type SummaryTable } from '../domain/summary-table.js';
import type { GridLine, GridRow, TableGrid } from './grid.js';
import { openOfficeZip, stripXmlInvalidChars, type ZipLimits } from './zip-guard.js';

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

const FONT_TITLE = '方正小标宋简体';
const FONT_HEADING = '黑体';
const FONT_BODY = '仿宋_GB2312';

/**
 * Word substitutes a missing font by what the font table says about it (w:altName first, then charset and family),
 * and a run can name only one font, so the fallbacks live here: machines without the 方正 and _GB2312 fonts (most
 * machines outside government offices) then show 宋体 / 仿宋 instead of an arbitrary Latin font.
 */
const FONT_TABLE = [
  { name: FONT_TITLE, altName: '宋体', panose: '02000000000000000000', family: 'script' },
  { name: FONT_HEADING, altName: 'SimHei', panose: '02010609060101010101', family: 'modern' },
  { name: FONT_BODY, altName: '仿宋', panose: '02010609030101010101', family: 'modern' },
  { name: '仿宋', altName: 'FangSong', panose: '02010609060101010101', family: 'modern' },
  { name: '宋体', altName: 'SimSun', panose: '02010600030101010101', family: 'auto' },
];

const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

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

/** Twips per column: 序号 and 名称 narrow, the completion text (the longest) widest. */
const COLUMN_WIDTHS = (() => {
  const fixed = [760, 1640, 3300, 1560, 2060];
  return [...fixed, TEXT_WIDTH - fixed.reduce((sum, width) => sum + width, 0)];
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

function cell(column: number, content: CellText, extra: { verticalMerge?: 'restart' | 'continue'; columnSpan?: number; shade?: string } = {}) {
  const span = extra.columnSpan ?? 1;
  const width = COLUMN_WIDTHS.slice(column, column + span).reduce((sum, value) => sum + value, 0);
  return new TableCell({
    children: extra.verticalMerge === 'continue' ? [new Paragraph({})] : cellParagraphs(content),
    width: { size: width, type: WidthType.DXA },
    columnSpan: span > 1 ? span : undefined,
    verticalMerge:
      extra.verticalMerge === 'restart' ? VerticalMergeType.RESTART : extra.verticalMerge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
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
function estimatedRowHeight(texts: string[]): number {
  const lineHeight = 280;
  const charWidth = 210;
  let tallest = 0;
  texts.forEach((text, column) => {
    const perLine = Math.max(1, Math.floor(((COLUMN_WIDTHS[column] ?? 0) - CELL_MARGIN.left - CELL_MARGIN.right) / charWidth));
    const count = lines(text).reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
    tallest = Math.max(tallest, count * lineHeight + CELL_MARGIN.top + CELL_MARGIN.bottom);
  });
  return tallest;
}

function itemRow(number: string, name: string, item: SummaryItem, position: 'only' | 'first' | 'next'): TableRow {
  const merge = position === 'first' ? 'restart' : position === 'next' ? 'continue' : undefined;
  const texts = [number, name, item.work, item.lead, item.cooperating, item.completion];
  return new TableRow({
    cantSplit: estimatedRowHeight(texts) < TEXT_HEIGHT / 2,
    children: [
      cell(0, { text: number, align: AlignmentType.CENTER }, { verticalMerge: merge }),
      cell(1, { text: name, align: AlignmentType.CENTER }, { verticalMerge: merge }),
      cell(2, { text: item.work }),
      cell(3, { text: item.lead }),
      cell(4, { text: item.cooperating }),
      cell(5, { text: item.completion }),
    ],
  });
}

function summaryTable(table: SummaryTable): Table {
  const rows: TableRow[] = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: columnList(table.columns).map((heading, column) =>
        cell(column, { text: heading, fontName: FONT_HEADING, align: AlignmentType.CENTER }, { shade: 'D9D9D9' }),
      ),
    }),
  ];
  for (const chapter of table.chapters) {
    rows.push(
      new TableRow({
        cantSplit: true,
        // a chapter heading alone at the foot of a page reads as if the chapter were empty
        keepNext: chapter.tasks.length > 0,
        children: [cell(0, { text: chapterHeading(chapter), fontName: FONT_HEADING, bold: true }, { columnSpan: 6, shade: 'F2F2F2' })],
      }),
    );
    for (const task of chapter.tasks) {
      // a task without items still gets its row, so that its number and name are not lost
      const items = task.items.length > 0 ? task.items : [{ work: '', lead: '', cooperating: '', completion: '' }];
      items.forEach((item, index) => {
        const position = items.length === 1 ? 'only' : index === 0 ? 'first' : 'next';
        rows.push(itemRow(task.number, task.name, item, position));
      });
    }
  }
  return new Table({
    rows,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: COLUMN_WIDTHS,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
  });
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
        children: [run('第 '), new TextRun({ children: [PageNumber.CURRENT], font: font(FONT_BODY), size: 18 }), run(' 页，共 '),
          new TextRun({ children: [PageNumber.TOTAL_PAGES], font: font(FONT_BODY), size: 18 }), run(' 页')],
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

/** The summary table as a Word document people print: A4 landscape, header row repeated on every page. */
export async function writeSummaryDocx(table: SummaryTable, options: { date?: string } = {}): Promise<Buffer> {
  const document = new Document({
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
        children: [...preamble(table, options.date), summaryTable(table)],
      },
    ],
  });
  const packed = await Packer.toBuffer(document);
  // docx writes font table entries only for embedded fonts; the fallback entries are added to the finished package.
  const zip = await JSZip.loadAsync(packed);
  zip.file('word/fontTable.xml', fontTableXml());
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
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

function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag ? node[tag] : undefined;
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attribute(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, unknown> | undefined;
  const value = attributes?.[name];
  return value === undefined ? undefined : String(value);
}

function find(nodes: XmlNode[], tag: string): XmlNode | undefined {
  return nodes.find((node) => tagOf(node) === tag);
}

/**
 * Elements whose text is not what the reader sees: deleted revisions, field codes, and drawings (text boxes inside
 * a drawing repeat in mc:Fallback, and are not part of the paragraph's flow anyway). Property elements are skipped
 * because w:pPr holds w:tabs/w:tab tab-stop definitions that are not tab characters.
 */
const SKIPPED = new Set(['w:pPr', 'w:rPr', 'w:del', 'w:delText', 'w:instrText', 'w:drawing', 'w:pict', 'w:object', 'mc:AlternateContent', 'w:fldData']);

function paragraphText(paragraph: XmlNode): string {
  let text = '';
  const walk = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (!tag || SKIPPED.has(tag)) continue;
      if (tag === 'w:t') {
        for (const child of childrenOf(node)) if (typeof child['#text'] === 'string' || typeof child['#text'] === 'number') text += String(child['#text']);
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
    if (tag === 'w:sdt') return blocks(childrenOf(find(childrenOf(node), 'w:sdtContent') ?? {}));
    if (tag === 'w:customXml' || tag === 'w:smartTag') return blocks(childrenOf(node));
    return tag === 'w:p' || tag === 'w:tbl' || tag === 'w:tr' || tag === 'w:tc' ? [node] : [];
  });
}

function cellText(tc: XmlNode): string {
  const paragraphs: string[] = [];
  const walk = (nodes: XmlNode[]) => {
    for (const node of blocks(nodes)) {
      const tag = tagOf(node);
      if (tag === 'w:p') paragraphs.push(paragraphText(node));
      // a nested table's text is kept, row by row, rather than lost
      else if (tag === 'w:tbl' || tag === 'w:tr' || tag === 'w:tc') walk(childrenOf(node));
    }
  };
  walk(childrenOf(tc));
  return paragraphs.join('\n');
}

function positiveInt(value: string | undefined, fallback: number, cap = 64): number {
  const parsed = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed >= 1 ? Math.min(parsed, cap) : fallback;
}

function rowCells(tr: XmlNode): string[] {
  const cells: string[] = [];
  const trPr = find(childrenOf(tr), 'w:trPr');
  const gridBefore = trPr ? find(childrenOf(trPr), 'w:gridBefore') : undefined;
  if (gridBefore) for (let i = positiveInt(attribute(gridBefore, 'w:val'), 0); i > 0; i--) cells.push('');
  for (const tc of blocks(childrenOf(tr))) {
    if (tagOf(tc) !== 'w:tc') continue;
    const tcPr = find(childrenOf(tc), 'w:tcPr');
    const properties = tcPr ? childrenOf(tcPr) : [];
    const span = positiveInt(attribute(find(properties, 'w:gridSpan') ?? {}, 'w:val'), 1);
    const vMerge = find(properties, 'w:vMerge');
    const hMerge = find(properties, 'w:hMerge');
    // vMerge without a value, or "continue", is a cell covered by the one above
    const covered = (vMerge && attribute(vMerge, 'w:val') !== 'restart') || (hMerge && attribute(hMerge, 'w:val') !== 'restart');
    cells.push(covered ? '' : cellText(tc));
    for (let i = 1; i < span; i++) cells.push('');
  }
  return cells;
}

/**
 * Reads the paragraphs above the first table and the first table's rows of a .docx, with merged cells expanded.
 * Preamble paragraphs are split at tabs, because unit and date are usually laid out on one line with tab stops.
 */
export async function readDocxGrid(bytes: Uint8Array, limits: ZipLimits = {}): Promise<TableGrid> {
  const zip = await openOfficeZip(bytes, 'docx', limits);
  if (!zip.has('word/document.xml')) {
    throw badInput('docx_document_missing', '文件不是 Word 文档（.docx）：压缩包中没有 word/document.xml。若为 Excel 文件，请以 .xlsx 上传。');
  }
  const xml = await zip.readXml('word/document.xml');
  let root: XmlNode[];
  try {
    root = parser.parse(xml) as XmlNode[];
  } catch (error) {
    throw badInput('docx_xml_invalid', `Word 文档内容（word/document.xml）不是有效的 XML，文件已损坏（${error instanceof Error ? error.message : String(error)}）。`);
  }
  const document = find(root, 'w:document');
  const body = document ? find(childrenOf(document), 'w:body') : undefined;
  if (!body) throw badInput('docx_document_invalid', 'Word 文档内容（word/document.xml）中没有正文（w:body），文件已损坏。');

  const preamble: GridLine[] = [];
  let paragraphIndex = 0;
  for (const node of blocks(childrenOf(body))) {
    const tag = tagOf(node);
    if (tag === 'w:p') {
      paragraphIndex++;
      for (const part of paragraphText(node).split(/\t+|\n/)) {
        if (part.trim() !== '') preamble.push({ text: part, line: paragraphIndex });
      }
    } else if (tag === 'w:tbl') {
      const rows: GridRow[] = blocks(childrenOf(node))
        .filter((child) => tagOf(child) === 'w:tr')
        .map((tr, index) => ({ cells: rowCells(tr), line: index + 1 }));
      return { preamble, rows };
    }
  }
  throw badInput('docx_table_missing', 'Word 文档中没有表格。汇总表应是一个包含“序号、名称、工作任务……”表头的表格。');
}
