import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../../test/factories/summary-table.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { readDocxGrid, writeSummaryDocx } from './docx.js';
import { interpretGrid } from './grid.js';
import { ALL_OPTIONAL_COLUMNS, cityTable, expectBadInput, itRoundTripsTables, withOptionalColumns } from '../../test/helpers/documents.js';

async function roundTrip(table: SummaryTable, date?: string) {
  const bytes = await writeSummaryDocx(table, { date });
  return interpretGrid(await readDocxGrid(bytes));
}

async function documentXml(bytes: Uint8Array): Promise<string> {
  return (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
}

/** The <w:tr> elements of the first table, as XML strings. */
function tableRows(xml: string): string[] {
  const table = xml.slice(xml.indexOf('<w:tbl>'), xml.indexOf('</w:tbl>'));
  return table.split('<w:tr>').slice(1);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A minimal package: the reader needs nothing but word/document.xml, and numbering and styles when lists are used. */
async function docxWithBody(
  body: string,
  wrapper = (xml: string) => xml,
  parts: { numbering?: string; styles?: string } = {},
): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file('word/document.xml', wrapper(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`));
  if (parts.numbering)
    zip.file('word/numbering.xml', `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}>${parts.numbering}</w:numbering>`);
  if (parts.styles) zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${parts.styles}</w:styles>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const p = (text: string, properties = '') => `<w:p><w:pPr>${properties}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (inner: string, properties = '') => `<w:tc><w:tcPr>${properties}</w:tcPr>${inner}</w:tc>`;
const tr = (...cells: string[]) => `<w:tr>${cells.join('')}</w:tr>`;
const tbl = (...rows: string[]) => `<w:tbl><w:tblPr/><w:tblGrid/>${rows.join('')}</w:tbl>`;
/** A paragraph in list `numId` at level `ilvl`, optionally with a paragraph style. */
const listP = (numId: number, ilvl: number | undefined, text: string, style = '') =>
  p(
    text,
    `${style ? `<w:pStyle w:val="${style}"/>` : ''}<w:numPr>${ilvl === undefined ? '' : `<w:ilvl w:val="${ilvl}"/>`}<w:numId w:val="${numId}"/></w:numPr>`,
  );

const HEADINGS = ['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况'];
const HEADER_ROW = tr(...HEADINGS.map((heading) => tc(p(heading))));

/**
 * The rows of a plan as a person lays them out in Word, written as raw XML rather than by our writer so that the
 * reader is checked on its own: a chapter row across the table, 序号/名称 merged down a task's items, and a
 * multi-line text as one paragraph per line.
 */
function planRows(table: SummaryTable): string[] {
  const rows: string[] = [];
  for (const chapter of table.chapters) {
    rows.push(tr(tc(p(`${chapter.numeral}、${chapter.title}`), '<w:gridSpan w:val="6"/>')));
    for (const task of chapter.tasks) {
      task.items.forEach((item, index) => {
        const merge = task.items.length === 1 ? '' : index === 0 ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>';
        const paragraphs = (text: string) =>
          text
            .split('\n')
            .map((line) => p(line))
            .join('');
        rows.push(
          tr(
            tc(index === 0 ? p(task.number) : '<w:p/>', merge),
            tc(index === 0 ? p(task.name) : '<w:p/>', merge),
            tc(paragraphs(item.work)),
            tc(paragraphs(item.lead)),
            tc(paragraphs(item.cooperating)),
            tc(paragraphs(item.completion)),
          ),
        );
      });
    }
  }
  return rows;
}

const TITLE_AND_UNIT =
  p('2030年度市政府工作任务完成情况汇总表', '<w:pStyle w:val="Title"/><w:jc w:val="center"/>') + p('填报单位：市水务局');

describe('writeSummaryDocx → readDocxGrid round trip', () => {
  itRoundTripsTables(roundTrip);

  it('keeps XML special characters, quotes and formula-like text', async () => {
    const table = buildSummaryTable({
      organisation: '',
      chapters: [
        {
          numeral: '一',
          title: 'A&B <测试> "章节"',
          tasks: [
            buildSummaryTask({
              number: '08',
              name: "名称'带'引号",
              items: [buildSummaryItem({ work: '=SUM(A1:A2) & <b>', completion: '第一段\n\n第三段，含 &amp; 字样' })],
            }),
          ],
        },
      ],
    });
    expect((await roundTrip(table)).table).toEqual(table);
  });
});

describe('writeSummaryDocx structure', () => {
  it('is A4 landscape with the header row repeating, a chapter row across six columns and merged 序号/名称', async () => {
    const bytes = await writeSummaryDocx(buildSummaryTable(), { date: '2030年12月31日' });
    const xml = await documentXml(bytes);

    expect(xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    const rows = tableRows(xml);
    // header, chapter 一, task 3 (two items), chapter 二, task 5
    expect(rows).toHaveLength(6);
    expect(rows[0]).toContain('<w:tblHeader/>');
    expect(rows[0]).toContain('序号');
    expect(rows.slice(1).some((row) => row.includes('<w:tblHeader/>'))).toBe(false);

    expect(rows[1]).toContain('<w:gridSpan w:val="6"/>');
    expect(rows[1]).toContain('一、稳住经济基本盘');
    expect(rows[1]).toContain('<w:b/>');
    expect(rows[1]!.match(/<w:tc>/g)).toHaveLength(1);

    expect(rows[2]!.match(/<w:vMerge w:val="restart"\/>/g)).toHaveLength(2);
    expect(rows[3]!.match(/<w:vMerge w:val="continue"\/>/g)).toHaveLength(2);
    expect(rows[3]).not.toContain('扩大有效投资');
    // a single-item task is not merged
    expect(rows[5]).not.toContain('w:vMerge');

    // the multi-line completion text is two paragraphs in its cell
    const lastCell = rows[3]!.split('<w:tc>').at(-1)!;
    expect(lastCell.match(/<w:p>|<w:p /g)).toHaveLength(2);

    // column widths: 序号 narrowest, completion widest
    const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((match) => Number(match[1]));
    expect(grid).toHaveLength(6);
    expect(Math.min(...grid)).toBe(grid[0]);
    expect(Math.max(...grid)).toBe(grid[5]);
  });

  it('sets the Chinese fonts on ascii and eastAsia, with fallbacks in the font table', async () => {
    const bytes = await writeSummaryDocx(buildSummaryTable());
    const xml = await documentXml(bytes);
    expect(xml).toContain('w:ascii="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    const fontTable = await (await JSZip.loadAsync(bytes)).file('word/fontTable.xml')!.async('string');
    expect(fontTable).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    expect(fontTable).toMatch(/<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
  });

  it('puts unit and date under the centred title, and leaves the unit out when there is none', async () => {
    const withUnit = await readDocxGrid(await writeSummaryDocx(buildSummaryTable(), { date: '2030年12月31日' }));
    expect(withUnit.preamble).toEqual([
      { text: '2030年度市政府工作任务完成情况汇总表', line: 1 },
      { text: '填报单位：市水务局', line: 2 },
      { text: '填报日期：2030年12月31日', line: 2 },
    ]);
    const xml = await documentXml(await writeSummaryDocx(buildSummaryTable()));
    expect(xml.slice(0, xml.indexOf('<w:tbl>'))).toMatch(/<w:jc w:val="center"\/>[\s\S]*2030年度市政府工作任务完成情况汇总表/);

    const cityWide = buildSummaryTable({ organisation: '' });
    const noUnit = await readDocxGrid(await writeSummaryDocx(cityWide));
    expect(noUnit.preamble).toEqual([{ text: '2030年度市政府工作任务完成情况汇总表', line: 1 }]);
    expect((await roundTrip(cityWide, '2030年12月31日')).table).toEqual(cityWide);
  });

  it('writes a row for a task without items so that its number and name survive', async () => {
    const table = buildSummaryTable({
      chapters: [{ numeral: '一', title: '章', tasks: [buildSummaryTask({ number: '9', name: '空任务', items: [] })] }],
    });
    const back = await roundTrip(table);
    expect(back.table.chapters[0]!.tasks[0]).toEqual({
      number: '9',
      name: '空任务',
      items: [{ work: '', lead: '', cooperating: '', completion: '' }],
    });
  });
});

/** The text of each cell of a row, its paragraphs joined. */
const cellTexts = (row: string) =>
  row
    .split('<w:tc>')
    .slice(1)
    .map((cell) => [...cell.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join(''));
const gridColumns = (xml: string) => [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((match) => Number(match[1]));
const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
/** Twips a heading needs on one line at 五号 (210 a character), with the cell margins (2 × 85). */
const headingWidth = (heading: string) => heading.length * 210 + 170;

describe('writeSummaryDocx optional columns', () => {
  it('prints the city-wide 完成状态 and 预警 after the completion text, narrow, in the page width, merges across all columns', async () => {
    const xml = await documentXml(await writeSummaryDocx(cityTable(), { date: '2030年12月31日' }));
    const rows = tableRows(xml);
    expect(rows).toHaveLength(6);
    expect(cellTexts(rows[0]!)).toEqual(['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况', '完成状态', '预警']);
    expect(rows[1]).toContain('<w:gridSpan w:val="8"/>');
    expect(rows[1]!.match(/<w:tc>/g)).toHaveLength(1);
    expect(rows[2]!.match(/<w:vMerge w:val="restart"\/>/g)).toHaveLength(2);
    expect(rows[3]!.match(/<w:vMerge w:val="continue"\/>/g)).toHaveLength(2);
    expect(cellTexts(rows[2]!)).toEqual([
      '3',
      '扩大有效投资',
      '实施市级重点项目200个，完成投资800亿元。',
      '市发改委',
      '市水务局、市工信局',
      '已完成管网建设12.4公里，超额完成年度任务。',
      '已完成',
      '绿灯',
    ]);
    expect(cellTexts(rows[5]!).slice(-2)).toEqual(['进度滞后', '红灯']);
    // the short texts are centred
    const lastCells = rows[2]!.split('<w:tc>').slice(-2);
    for (const cell of lastCells) expect(cell).toContain('<w:jc w:val="center"/>');

    const grid = gridColumns(xml);
    expect(grid).toHaveLength(8);
    expect(total(grid)).toBe(14570);
    const [number, name, work, lead, cooperating, completion, status, light] = grid as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(Math.max(...grid)).toBe(completion);
    expect([...grid].sort((a, b) => b - a)[1]).toBe(work);
    for (const short of [status, light]) expect(short).toBeLessThan(Math.min(name, lead, cooperating));
    expect(light).toBe(number);
    expect(status).toBeGreaterThanOrEqual(headingWidth('完成状态'));
    expect(cooperating).toBeGreaterThanOrEqual(headingWidth('主要配合单位'));
  });

  it('orders every optional column as 责任领导 before the units, 完成时限 before and 状态 after the completion, unknown ones last', async () => {
    const table = withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS);
    const xml = await documentXml(await writeSummaryDocx(table));
    const rows = tableRows(xml);
    expect(cellTexts(rows[0]!)).toEqual([
      '序号',
      '名称',
      '工作任务',
      '责任领导',
      '牵头单位',
      '主要配合单位',
      '完成时限',
      '全年完成情况',
      '进展状态',
      '备注',
      '预警',
    ]);
    const item = table.chapters[0]!.tasks[0]!.items[0]!;
    expect(cellTexts(rows[2]!)).toEqual([
      '3',
      '扩大有效投资',
      item.work,
      item.leader,
      item.lead,
      item.cooperating,
      item.deadline,
      item.completion,
      item.status,
      item.extra!['备注']!.replace('\n', ''),
      item.extra!['预警'],
    ]);
    expect(rows[1]).toContain('<w:gridSpan w:val="11"/>');
    const grid = gridColumns(xml);
    expect(grid).toHaveLength(11);
    expect(total(grid)).toBe(14570);
    const sorted = [...grid].sort((a, b) => b - a);
    expect(sorted.slice(0, 2)).toEqual([grid[7], grid[2]]);
    // every heading still fits on one line
    cellTexts(rows[0]!).forEach((heading, column) => {
      expect(grid[column], heading).toBeGreaterThanOrEqual(headingWidth(heading));
    });
  });
});

describe('readDocxGrid', () => {
  it('expands gridSpan and vMerge, joins paragraphs, and reads tabs, breaks and entities', async () => {
    const body =
      p('标题') +
      '<w:p/>' +
      p('填报单位：市甲局') +
      '<w:tbl><w:tblGrid/>' +
      `<w:tr>${tc(p('序号'))}${tc(p('名称'))}${tc(p('工作任务'), '<w:gridSpan w:val="2"/>')}</w:tr>` +
      `<w:tr>${tc(p('1'), '<w:vMerge w:val="restart"/>')}${tc(p('名'))}${tc(p('甲') + p('乙'))}${tc('<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c&amp;d&#x4E00;</w:t></w:r></w:p>')}</w:tr>` +
      `<w:tr>${tc('<w:p/>', '<w:vMerge/>')}${tc(p('旧'), '<w:vMerge w:val="continue"/>')}${tc(p('丙'))}${tc(p('丁'))}</w:tr>` +
      `<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>${tc(p('x'))}</w:tr>` +
      '</w:tbl>' +
      '<w:tbl><w:tr>' +
      tc(p('second table')) +
      '</w:tr></w:tbl>';
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.preamble).toEqual([
      { text: '标题', line: 1 },
      { text: '填报单位：市甲局', line: 3 },
    ]);
    expect(grid.rows).toEqual([
      { cells: ['序号', '名称', '工作任务', ''], line: 1, location: '第1个表格第1行' },
      { cells: ['1', '名', '甲\n乙', 'a\tb\nc&d一'], line: 2, location: '第1个表格第2行' },
      { cells: ['', '', '丙', '丁'], line: 3, location: '第1个表格第3行' },
      { cells: ['', 'x'], line: 4, location: '第1个表格第4行' },
      { cells: ['second table'], line: 5, location: '第2个表格第1行' },
    ]);
  });

  it('skips tab-stop definitions, deleted text and field codes, and looks inside content controls', async () => {
    const body =
      '<w:sdt><w:sdtPr/><w:sdtContent>' +
      '<w:p><w:pPr><w:tabs><w:tab w:val="right" w:pos="9000"/></w:tabs></w:pPr><w:r><w:t>标题</w:t></w:r>' +
      '<w:del><w:r><w:delText>删掉</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>' +
      '<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>' +
      '</w:sdtContent></w:sdt>' +
      `<w:sdt><w:sdtContent><w:tbl><w:tr>${tc(p('序号'))}</w:tr></w:tbl></w:sdtContent></w:sdt>`;
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.preamble).toEqual([{ text: '标题插入', line: 1 }]);
    expect(grid.rows).toEqual([{ cells: ['序号'], line: 1 }]);
  });
});

describe('readDocxGrid with several tables', () => {
  const plan = buildSummaryTable();
  // chapter 一, task 3 item 1, task 3 item 2, chapter 二, task 5
  const rows = planRows(plan);

  it('reads a table continued in a second table that repeats the header, skipping the note between them', async () => {
    const body =
      TITLE_AND_UNIT +
      tbl(HEADER_ROW, ...rows.slice(0, 3)) +
      p('（续表）') +
      '<w:p/>' +
      tbl(HEADER_ROW, ...rows.slice(3)) +
      p('抄送：市委办公室');
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.preamble).toEqual([
      { text: '2030年度市政府工作任务完成情况汇总表', line: 1 },
      { text: '填报单位：市水务局', line: 2 },
    ]);
    expect(grid.rows.map((row) => [row.line, row.location])).toEqual([
      [1, '第1个表格第1行'],
      [2, '第1个表格第2行'],
      [3, '第1个表格第3行'],
      [4, '第1个表格第4行'],
      [5, '第2个表格第1行'],
      [6, '第2个表格第2行'],
      [7, '第2个表格第3行'],
    ]);
    expect(grid.rows[3]!.cells).toEqual(['', '', '新开工水利项目15个。', '市水务局', '', '新开工水利项目16个。\n其中防洪工程9个。']);

    // （续表） is a printing mark; the 抄送 line below the tables is no content of the table, and is said not imported
    expect(grid.outside).toEqual([
      { text: '（续表）', line: 3, location: '表格外第3段' },
      { text: '抄送：市委办公室', line: 5, location: '表格外第5段' },
    ]);
    const result = interpretGrid(grid);
    expect(result.table).toEqual(plan);
    expect(result.warnings).toEqual([
      { line: 5, location: '表格外第5段', message: '表格之外的文字“抄送：市委办公室”不是表格的内容，未导入。' },
    ]);
    expect(result.rows.map((row) => `${row.location} ${row.kind}`)).toEqual([
      '第1个表格第1行 header',
      '第1个表格第2行 chapter',
      '第1个表格第3行 task',
      '第1个表格第4行 item',
      '第2个表格第1行 ignored',
      '第2个表格第2行 chapter',
      '第2个表格第3行 task',
    ]);
  });

  it('continues a task whose items are split over two tables without a repeated header, one inside a content control', async () => {
    const body =
      TITLE_AND_UNIT +
      tbl(HEADER_ROW, ...rows.slice(0, 2)) +
      // the second part starts with the task's next item, its 序号/名称 cells merged from nothing above
      `<w:sdt><w:sdtPr/><w:sdtContent>${tbl(...rows.slice(2))}</w:sdtContent></w:sdt>`;
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.rows).toHaveLength(6);
    expect(grid.rows[3]).toMatchObject({ line: 4, location: '第2个表格第1行' });
    const result = interpretGrid(grid);
    expect(result.table).toEqual(plan);
    expect(result.warnings).toEqual([]);
  });

  it('leaves location unset and keeps row numbers for a single table, with a nested table read as cell text', async () => {
    const nested = tbl(tr(tc(p('子表甲')), tc(p('子表乙'))), tr(tc(p('子表丙'))));
    const body = tbl(
      HEADER_ROW,
      tr(tc(p('1')), tc(p('名称')), tc(p('工作') + nested + p('续')), tc(p('市甲局')), tc('<w:p/>'), tc('<w:p/>')),
    );
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.rows).toHaveLength(2);
    expect(grid.rows[1]).toEqual({ cells: ['1', '名称', '工作\n子表甲\n子表乙\n子表丙\n续', '市甲局', '', ''], line: 2 });
    expect(grid.rows.every((row) => !('location' in row))).toBe(true);
  });

  it('reads list numbers inside cells and keeps counting through the paragraphs between tables', async () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>';
    const body =
      tbl(HEADER_ROW, tr(tc(p('1')), tc(p('名称')), tc(listP(1, 0, '甲') + listP(1, 0, '乙')))) +
      listP(1, 0, '表间段落') +
      tbl(tr(tc(p('2')), tc(p('名称')), tc(listP(1, 0, '丙'))));
    const grid = await readDocxGrid(await docxWithBody(body, undefined, { numbering }));
    expect(grid.rows.map((row) => row.cells[2])).toEqual(['工作任务', '1.甲\n2.乙', '4.丙']);
  });
});

describe('readDocxGrid without tables', () => {
  const numbering =
    // 一、 / （一） / 1. , the usual outline of a 责任分工方案
    '<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>' +
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>' +
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>' +
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>' +
    '</w:abstractNum>' +
    '<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf06c"/></w:lvl></w:abstractNum>' +
    // articles numbered through a paragraph style; the level is found by the style it is linked to
    '<w:abstractNum w:abstractNumId="30">' +
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/><w:pStyle w:val="Zhang"/></w:lvl>' +
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%2条"/><w:pStyle w:val="TiaoBase"/></w:lvl>' +
    '</w:abstractNum>' +
    '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>' +
    '<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>' +
    '<w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>' +
    '<w:num w:numId="4"><w:abstractNumId w:val="30"/></w:num>' +
    '<w:num w:numId="5"><w:abstractNumId w:val="10"/></w:num>';
  const styles =
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="TiaoBase"><w:name w:val="条款基础"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>' +
    '<w:style w:type="paragraph" w:styleId="Tiao"><w:name w:val="条款"/><w:basedOn w:val="TiaoBase"/></w:style>';

  it('returns every non-empty paragraph with its automatic list number, numbered by its place in the document', async () => {
    const body =
      p('苏州市2030年政府工作报告重点工作任务责任分工方案', '<w:pStyle w:val="Title"/>') +
      '<w:p/>' +
      p('为确保政府工作报告确定的各项任务落到实处，制定本方案。') +
      listP(1, 0, '稳住经济基本盘') +
      listP(1, 1, '扩大有效投资') +
      listP(1, 2, '实施市级重点项目200个。（牵头单位：市发改委；责任单位：市水务局）') +
      listP(1, 2, '新开工水利项目15个。（牵头单位：市水务局）') +
      listP(1, 1, '稳定工业增长') +
      listP(1, 2, '新增规上工业企业300家。（牵头单位：市工信局）') +
      // another list instance of the same definition continues its count
      listP(5, 0, '提升城市功能品质') +
      listP(5, 1, '改善城市基础设施') +
      p('二、手工编号的标题保持原样', '<w:pStyle w:val="Heading1"/>') +
      listP(2, 0, '项目符号段落') +
      // numId 0 switches off the numbering the style would give
      p('不编号的条款', '<w:pStyle w:val="Tiao"/><w:numPr><w:numId w:val="0"/></w:numPr>') +
      p('本方案自印发之日起施行。', '<w:pStyle w:val="Tiao"/>') +
      listP(1, 2, '') +
      `<w:sdt><w:sdtContent>${listP(3, 0, '重新编号的列表')}</w:sdtContent></w:sdt>`;
    const grid = await readDocxGrid(await docxWithBody(body, undefined, { numbering, styles }));
    expect(grid.rows).toEqual([]);
    expect(grid.preamble).toEqual([
      { text: '苏州市2030年政府工作报告重点工作任务责任分工方案', line: 1 },
      { text: '为确保政府工作报告确定的各项任务落到实处，制定本方案。', line: 3 },
      { text: '一、稳住经济基本盘', line: 4 },
      { text: '（一）扩大有效投资', line: 5 },
      { text: '1.实施市级重点项目200个。（牵头单位：市发改委；责任单位：市水务局）', line: 6 },
      { text: '2.新开工水利项目15个。（牵头单位：市水务局）', line: 7 },
      { text: '（二）稳定工业增长', line: 8 },
      { text: '1.新增规上工业企业300家。（牵头单位：市工信局）', line: 9 },
      { text: '二、提升城市功能品质', line: 10 },
      { text: '（一）改善城市基础设施', line: 11 },
      { text: '二、手工编号的标题保持原样', line: 12 },
      { text: '项目符号段落', line: 13 },
      { text: '不编号的条款', line: 14 },
      { text: '第一条 本方案自印发之日起施行。', line: 15 },
      { text: '一、重新编号的列表', line: 17 },
    ]);
  });

  it('writes the other common number formats', async () => {
    const level = (ilvl: number, format: string, text: string, extra = '') =>
      `<w:lvl w:ilvl="${ilvl}"><w:start w:val="${extra.includes('start') ? /start=(\d+)/.exec(extra)![1] : 1}"/><w:numFmt w:val="${format}"/><w:lvlText w:val="${text}"/>${extra.includes('legal') ? '<w:isLgl/>' : ''}</w:lvl>`;
    const formats =
      '<w:abstractNum w:abstractNumId="0">' +
      level(0, 'ideographTraditional', '%1、') +
      level(1, 'decimalEnclosedCircle', '%2') +
      level(2, 'upperRoman', '%3.') +
      level(3, 'chineseCountingThousand', '%4、', 'start=11') +
      level(4, 'lowerLetter', '(%5)') +
      level(5, 'decimalZero', '%6') +
      level(6, 'chineseLegalSimplified', '%7、', 'start=11') +
      level(7, 'decimal', '%1.%8', 'legal') +
      level(8, 'chineseCounting', '%9、', 'start=101') +
      '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>';
    const body = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8].map((ilvl) => listP(1, ilvl, '文')).join('');
    const grid = await readDocxGrid(await docxWithBody(body, undefined, { numbering: formats }));
    expect(grid.preamble.map((line) => line.text)).toEqual([
      '甲、文',
      '乙、文',
      '①文',
      'I.文',
      '十一、文',
      '(a)文',
      '01 文',
      '壹拾壹、文',
      '2.1 文',
      '一百零一、文',
    ]);
  });

  it('still reads the paragraphs when numbering.xml is missing or broken, without numbers', async () => {
    const body = listP(1, 0, '第一段') + listP(1, 0, '第二段');
    for (const parts of [{}, { numbering: '<w:abstractNum w:abstractNumId="0"><w:lvl' }]) {
      const grid = await readDocxGrid(await docxWithBody(body, undefined, parts));
      expect(grid.preamble.map((line) => line.text)).toEqual(['第一段', '第二段']);
    }
  });

  it('gives an empty grid for an empty document', async () => {
    expect(await readDocxGrid(await docxWithBody('<w:p/><w:sectPr/>'))).toEqual({ preamble: [], rows: [] });
  });
});

describe('readDocxGrid caps', () => {
  const rows = planRows(buildSummaryTable());

  it('caps the rows of all tables together, naming the table and row', async () => {
    const bytes = await docxWithBody(tbl(HEADER_ROW, ...rows.slice(0, 3)) + tbl(HEADER_ROW, ...rows.slice(3)));
    expect((await readDocxGrid(bytes, { maxRows: 7 })).rows).toHaveLength(7);
    const error = await expectBadInput(readDocxGrid(bytes, { maxRows: 5 }), 'too_many_rows');
    expect(error.message).toContain('5 行');
    expect(error.message).toContain('第 2 个表格第 2 行');
    const single = await expectBadInput(readDocxGrid(await docxWithBody(tbl(HEADER_ROW, ...rows)), { maxRows: 3 }), 'too_many_rows');
    expect(single.message).toContain('表格第 4 行');
  });

  it('caps the length of a cell and of a paragraph', async () => {
    const long = '很'.repeat(60);
    const table = await docxWithBody(tbl(HEADER_ROW, tr(tc(p('1')), tc(p('名称')), tc(p(long) + p(long)))));
    const cell = await expectBadInput(readDocxGrid(table, { maxCellChars: 100 }), 'cell_too_long');
    expect(cell.message).toContain('表格第 2 行第 3 列');
    expect(cell.message).toContain('121 个字符');
    expect((await readDocxGrid(table, { maxCellChars: 121 })).rows[1]!.cells[2]).toHaveLength(121);

    const paragraphs = await docxWithBody(p('标题') + '<w:p/>' + p(long));
    const paragraph = await expectBadInput(readDocxGrid(paragraphs, { maxCellChars: 50 }), 'cell_too_long');
    expect(paragraph.message).toContain('第 3 段');
    const above = await expectBadInput(readDocxGrid(await docxWithBody(p(long) + tbl(HEADER_ROW)), { maxCellChars: 50 }), 'cell_too_long');
    expect(above.message).toContain('第 1 段');
  });

  it('caps the paragraphs of a document without tables', async () => {
    const bytes = await docxWithBody(p('一') + '<w:p/>' + p('二') + p('三'));
    const error = await expectBadInput(readDocxGrid(bytes, { maxRows: 2 }), 'too_many_rows');
    expect(error.message).toContain('第 4 段');
  });

  it('ignores caps given as undefined, as an unset setting passes them', async () => {
    const bytes = await docxWithBody(tbl(HEADER_ROW, ...rows));
    expect((await readDocxGrid(bytes, { maxRows: undefined, maxCellChars: undefined })).rows).toHaveLength(6);
  });
});

/** A real zip bomb: 60 MB of one byte deflates to about 60 KB, and the directory declares the 60 MB. */
let bomb: Promise<Uint8Array> | undefined;
function zipBomb(): Promise<Uint8Array> {
  bomb ??= (() => {
    const zip = new JSZip();
    zip.file('word/document.xml', new Uint8Array(60 * 1024 * 1024).fill(0x30));
    return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
  })();
  return bomb;
}

/** Rewrites every declared uncompressed size in the local headers and the central directory, as a crafted file would. */
function underDeclare(bytes: Uint8Array, size: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  for (let offset = 0; offset + 4 <= copy.length; offset++) {
    const signature = view.getUint32(offset, true);
    if (signature === 0x04034b50) view.setUint32(offset + 22, size, true);
    if (signature === 0x02014b50) view.setUint32(offset + 24, size, true);
  }
  return copy;
}

describe('readDocxGrid rejects hostile and wrong files', () => {
  it('rejects an empty file', async () => {
    await expectBadInput(readDocxGrid(new Uint8Array()), 'empty_file');
  });

  it('rejects random bytes', async () => {
    const random = new Uint8Array(4096).map((_, index) => (index * 7919 + 13) % 251);
    await expectBadInput(readDocxGrid(random), 'not_zip');
  });

  it('names a PDF for what it is', async () => {
    const error = await expectBadInput(readDocxGrid(Buffer.from('%PDF-1.7\n...')), 'not_zip');
    expect(error.message).toContain('PDF');
  });

  it('rejects a truncated zip', async () => {
    const whole = await writeSummaryDocx(buildSummaryTable());
    await expectBadInput(readDocxGrid(whole.subarray(0, Math.floor(whole.length / 2))), 'zip_corrupt');
  });

  it('recognises legacy and password-protected Office files (OLE compound files)', async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const legacy = await expectBadInput(readDocxGrid(ole), 'encrypted_or_legacy_office');
    expect(legacy.message).toContain('.doc');

    ole.set(Buffer.from('EncryptionInfo', 'utf16le'), 512);
    const encrypted = await expectBadInput(readDocxGrid(ole), 'encrypted_or_legacy_office');
    expect(encrypted.message).toContain('密码');
  });

  it('rejects a zip without word/document.xml (e.g. an .xlsx)', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    await expectBadInput(readDocxGrid(await zip.generateAsync({ type: 'uint8array' })), 'docx_document_missing');
  });

  it('rejects a DOCTYPE with entities (billion laughs / XXE)', async () => {
    const hostile = await docxWithBody(p('&lol9;'), (xml) =>
      xml.replace('<w:document', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;&lol;">]><w:document'),
    );
    await expectBadInput(readDocxGrid(hostile), 'hostile_xml');
    const external = await docxWithBody(p('&xxe;'), (xml) =>
      xml.replace('<w:document', '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document'),
    );
    await expectBadInput(readDocxGrid(external), 'hostile_xml');
  });

  it('rejects a zip bomb by its declared size before inflating it', async () => {
    const bomb = await zipBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // how fast it is refused, against parsing a normal file, is measured by `npm run bench`
    const error = await expectBadInput(readDocxGrid(bomb), 'zip_entry_too_large');
    expect(error.message).toContain('word/document.xml');
  });

  it('rejects a total declared size over the cap even when each entry is under it', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', new Uint8Array(3 * 1024 * 1024).fill(0x30));
    zip.file('word/media/a.bin', new Uint8Array(3 * 1024 * 1024).fill(0x30));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    // the entry cap follows the total down to 5 MB, so each 3 MB entry passes and the two together do not
    await expectBadInput(readDocxGrid(bytes, { maxDecompressedBytes: 5 * 1024 * 1024 }), 'zip_too_large');
    const oneEntry = await expectBadInput(readDocxGrid(bytes, { maxDecompressedBytes: 2 * 1024 * 1024 }), 'zip_entry_too_large');
    expect(oneEntry.message).toContain('2 MB');
  });

  it('stops inflating a zip bomb that under-declares its size', async () => {
    const liar = underDeclare(await zipBomb(), 1000);
    const error = await expectBadInput(readDocxGrid(liar), 'zip_entry_too_large');
    expect(error.message).toContain('声明');
  });

  it('stops inflating a zip bomb whose declared size is within the caps', async () => {
    const liar = underDeclare(await zipBomb(), 40 * 1024 * 1024);
    await expectBadInput(readDocxGrid(liar, { maxDecompressedBytes: 45 * 1024 * 1024 }), 'zip_entry_too_large');
  });
});
