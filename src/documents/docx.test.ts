import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../../test/factories/summary-table.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { readDocxGrid, writeSummaryDocx } from './docx.js';
import { interpretGrid } from './grid.js';
import { expectBadInput, itRoundTripsTables } from '../../test/helpers/documents.js';

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

/** A minimal package: the reader needs nothing but word/document.xml. */
async function docxWithBody(body: string, wrapper = (xml: string) => xml): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file('word/document.xml', wrapper(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const p = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const tc = (inner: string, properties = '') => `<w:tc><w:tcPr>${properties}</w:tcPr>${inner}</w:tc>`;

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
    expect(back.table.chapters[0]!.tasks[0]).toEqual({ number: '9', name: '空任务', items: [{ work: '', lead: '', cooperating: '', completion: '' }] });
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
      '<w:tbl><w:tr>' + tc(p('second table')) + '</w:tr></w:tbl>';
    const grid = await readDocxGrid(await docxWithBody(body));
    expect(grid.preamble).toEqual([
      { text: '标题', line: 1 },
      { text: '填报单位：市甲局', line: 3 },
    ]);
    expect(grid.rows).toEqual([
      { cells: ['序号', '名称', '工作任务', ''], line: 1 },
      { cells: ['1', '名', '甲\n乙', 'a\tb\nc&d一'], line: 2 },
      { cells: ['', '', '丙', '丁'], line: 3 },
      { cells: ['', 'x'], line: 4 },
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

  it('says so when the document has no table', async () => {
    await expectBadInput(readDocxGrid(await docxWithBody(p('只有文字'))), 'docx_table_missing');
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
    const started = Date.now();
    const error = await expectBadInput(readDocxGrid(bomb), 'zip_entry_too_large');
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.message).toContain('word/document.xml');
  });

  it('rejects a total declared size over the cap even when each entry is under it', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', new Uint8Array(3 * 1024 * 1024).fill(0x30));
    zip.file('word/media/a.bin', new Uint8Array(3 * 1024 * 1024).fill(0x30));
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    await expectBadInput(readDocxGrid(bytes, { maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 5 * 1024 * 1024 }), 'zip_too_large');
  });

  it('stops inflating a zip bomb that under-declares its size', async () => {
    const liar = underDeclare(await zipBomb(), 1000);
    const started = Date.now();
    const error = await expectBadInput(readDocxGrid(liar), 'zip_entry_too_large');
    // stopping at the first chunks past the declared size takes milliseconds; inflating all 60 MB would not
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.message).toContain('声明');
  });

  it('stops inflating at the entry cap when the declared size is within it', async () => {
    const liar = underDeclare(await zipBomb(), 40 * 1024 * 1024);
    await expectBadInput(readDocxGrid(liar, { maxEntryBytes: 45 * 1024 * 1024 }), 'zip_entry_too_large');
  });
});
