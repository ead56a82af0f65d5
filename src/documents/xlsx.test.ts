import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../../test/factories/summary-table.js';
import type { SummaryTable } from '../domain/summary-table.js';
import { interpretGrid } from './grid.js';
import { readXlsxGrid, writeSummaryXlsx } from './xlsx.js';
import { ALL_OPTIONAL_COLUMNS, cityTable, expectBadInput, itRoundTripsTables, withOptionalColumns } from '../../test/helpers/documents.js';

async function roundTrip(table: SummaryTable, date?: string) {
  return interpretGrid(await readXlsxGrid(await writeSummaryXlsx(table, { date })));
}

async function loadSheet(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

async function workbookBytes(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('writeSummaryXlsx → readXlsxGrid round trip', () => {
  itRoundTripsTables(roundTrip);

  it('keeps numbers-as-text, formula-like text and special characters as text', async () => {
    const table = buildSummaryTable({
      organisation: '',
      chapters: [
        {
          numeral: '一',
          title: 'A&B <测试> "章节"',
          tasks: [
            buildSummaryTask({ number: '08', name: '=1+1', items: [buildSummaryItem({ work: '+86 & <b>', completion: '-5%\n第二行' })] }),
            buildSummaryTask({ number: '12', name: '@名称' }),
          ],
        },
      ],
    });
    expect((await roundTrip(table)).table).toEqual(table);
    expect((await roundTrip(table, '2030年12月31日')).table).toEqual(table);
  });
});

describe('writeSummaryXlsx structure', () => {
  it('merges title, chapter rows and 序号/名称 down a task, freezes below the header and prints A4 landscape', async () => {
    const bytes = await writeSummaryXlsx(buildSummaryTable(), { date: '2030年12月31日' });
    const sheet = await loadSheet(bytes);
    expect(sheet.name).toBe('汇总表');

    // 1 title, 2 unit/date, 3 header, 4 chapter 一, 5–6 task 3, 7 chapter 二, 8 task 5
    expect(sheet.getCell('A1').value).toBe('2030年度市政府工作任务完成情况汇总表');
    expect(sheet.getCell('A1').alignment).toMatchObject({ horizontal: 'center' });
    expect(sheet.getCell('A1').font).toMatchObject({ bold: true, size: 18 });
    expect(sheet.getCell('A2').value).toBe('填报单位：市水务局');
    expect(sheet.getCell('E2').value).toBe('填报日期：2030年12月31日');
    expect(sheet.getRow(3).values).toEqual([undefined, '序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况']);
    expect(sheet.getCell('C3').font).toMatchObject({ bold: true });
    expect(sheet.getCell('C3').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(sheet.getCell('F3').border).toMatchObject({ top: { style: 'thin' }, right: { style: 'thin' } });
    expect(sheet.getCell('A4').value).toBe('一、稳住经济基本盘');
    expect(sheet.getCell('A4').font).toMatchObject({ bold: true });
    expect(sheet.getCell('A5').value).toBe(3);
    expect(sheet.getCell('F6').value).toBe('新开工水利项目16个。\n其中防洪工程9个。');
    expect(sheet.getCell('F6').alignment).toMatchObject({ wrapText: true, vertical: 'top' });

    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining(['A1:F1', 'A2:D2', 'E2:F2', 'A4:F4', 'A5:A6', 'B5:B6', 'A7:F7']));
    expect(merges).toHaveLength(7);

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.columns.map((column) => column.width)).toEqual([6, 16, 40, 18, 24, 60]);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });

    const zip = await JSZip.loadAsync(bytes);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheetXml).toMatch(/<pageSetup[^>]*orientation="landscape"/);
    expect(sheetXml).toMatch(/<pane[^>]*ySplit="3"[^>]*state="frozen"/);
    const workbookXml = await zip.file('xl/workbook.xml')!.async('string');
    expect(workbookXml).toMatch(/<definedName name="_xlnm.Print_Titles"[^>]*>(&apos;)?汇总表(&apos;)?!\$3:\$3<\/definedName>/);
  });

  it('starts the header at row 2 when there is neither unit nor date', async () => {
    const sheet = await loadSheet(await writeSummaryXlsx(buildSummaryTable({ organisation: '' })));
    expect(sheet.getCell('A2').value).toBe('序号');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.pageSetup.printTitlesRow).toBe('2:2');
  });
});

describe('writeSummaryXlsx optional columns', () => {
  const merges = (sheet: ExcelJS.Worksheet) => (sheet.model as unknown as { merges: string[] }).merges;
  const widths = (sheet: ExcelJS.Worksheet) => sheet.columns.map((column) => column.width!);

  it('prints the city-wide 完成状态 and 预警 after the completion text, with the merges across all eight columns', async () => {
    const sheet = await loadSheet(await writeSummaryXlsx(cityTable(), { date: '2030年12月31日' }));
    // 1 title, 2 date, 3 header, 4 chapter 一, 5–6 task 3, 7 chapter 二, 8 task 5
    expect(sheet.getRow(3).values).toEqual([
      undefined,
      '序号',
      '名称',
      '工作任务',
      '牵头单位',
      '主要配合单位',
      '全年完成情况',
      '完成状态',
      '预警',
    ]);
    for (const address of ['G3', 'H3']) {
      expect(sheet.getCell(address).font).toMatchObject({ bold: true });
      expect(sheet.getCell(address).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
      expect(sheet.getCell(address).border).toMatchObject({ top: { style: 'thin' }, right: { style: 'thin' } });
    }
    expect(sheet.getCell('A2').value).toBeNull();
    expect(sheet.getCell('F2').value).toBe('填报日期：2030年12月31日');
    expect(sheet.getCell('F2').alignment).toMatchObject({ horizontal: 'right' });
    expect([5, 6, 8].map((row) => [sheet.getCell(`G${row}`).value, sheet.getCell(`H${row}`).value])).toEqual([
      ['已完成', '绿灯'],
      ['序时推进', '黄灯'],
      ['进度滞后', '红灯'],
    ]);
    expect(sheet.getCell('G5').alignment).toMatchObject({ horizontal: 'center', vertical: 'middle', wrapText: true });
    expect(sheet.getCell('H8').border).toMatchObject({ top: { style: 'thin' }, right: { style: 'thin' } });
    expect(sheet.getCell('H4').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });

    // the date takes the last columns, at least two, that hold it: the completion text and the two short ones
    expect(merges(sheet)).toEqual(expect.arrayContaining(['A1:H1', 'F2:H2', 'A4:H4', 'A5:A6', 'B5:B6', 'A7:H7']));
    expect(merges(sheet)).toHaveLength(6);

    const [number, name, work, lead, cooperating, completion, status, light] = widths(sheet) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    expect(number + name + work + lead + cooperating + completion + status + light).toBe(164);
    expect(Math.max(...widths(sheet))).toBe(completion);
    expect([...widths(sheet)].sort((a, b) => b - a)[1]).toBe(work);
    expect(status).toBeLessThan(Math.min(name, lead, cooperating));
    expect(light).toBe(number);
  });

  it('keeps the unit and date on their row, and orders every optional column as the other formats do', async () => {
    const table = withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS);
    const sheet = await loadSheet(await writeSummaryXlsx(table, { date: '2030年12月31日' }));
    expect(sheet.getRow(3).values).toEqual([
      undefined,
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
    expect(sheet.getRow(5).values).toEqual([
      undefined,
      3,
      '扩大有效投资',
      item.work,
      item.leader,
      item.lead,
      item.cooperating,
      item.deadline,
      item.completion,
      item.status,
      item.extra!['备注'],
      item.extra!['预警'],
    ]);
    expect(sheet.getCell('A2').value).toBe('填报单位：市水务局');
    expect(sheet.getCell('H2').value).toBe('填报日期：2030年12月31日');
    expect(merges(sheet)).toEqual(expect.arrayContaining(['A1:K1', 'A2:G2', 'H2:K2', 'A4:K4', 'A5:A6', 'B5:B6', 'A7:K7']));
    expect(merges(sheet)).toHaveLength(7);
    expect(widths(sheet).reduce((sum, width) => sum + width, 0)).toBe(164);
    expect(Math.max(...widths(sheet))).toBe(widths(sheet)[7]);
  });
});

describe('readXlsxGrid', () => {
  it('blanks the covered cells of merges and flattens rich text, numbers, formulas and hyperlinks', async () => {
    const bytes = await workbookBytes((workbook) => {
      workbook.addWorksheet('说明').getCell('A1').value = '本工作簿第二张表是汇总表';
      const sheet = workbook.addWorksheet('数据');
      sheet.getCell('A1').value = '汇总表';
      sheet.mergeCells('A1:C1');
      sheet.getRow(3).values = ['序号', '名称', '工作任务'];
      sheet.getRow(4).values = [
        7,
        { richText: [{ text: '富' }, { text: '文本', font: { bold: true } }] },
        { formula: 'CONCATENATE("a","b")', result: 'ab' },
      ];
      sheet.getRow(5).values = [null, null, { text: '链接文字', hyperlink: 'https://example.org' }];
      sheet.mergeCells('A4:A5');
    });
    const grid = await readXlsxGrid(bytes);
    expect(grid.preamble).toEqual([]);
    expect(grid.rows).toEqual([
      { cells: ['汇总表', '', ''], line: 1 },
      { cells: ['序号', '名称', '工作任务'], line: 3 },
      { cells: ['7', '富文本', 'ab'], line: 4 },
      { cells: ['', '', '链接文字'], line: 5 },
    ]);
  });

  it('caps the rows of a sheet and the length of a cell', async () => {
    const bytes = await workbookBytes((workbook) => {
      const sheet = workbook.addWorksheet('表');
      sheet.getRow(1).values = ['序号', '名称', '工作任务'];
      for (let row = 2; row <= 30; row++) sheet.getRow(row).values = [row, `任务${row}`, 'x'.repeat(row)];
    });
    const rows = await expectBadInput(readXlsxGrid(bytes, { maxRows: 20 }), 'too_many_rows');
    expect(rows.message).toContain('工作表“表”第 21 行');
    expect(rows.message).toContain('20 行');
    const error = await expectBadInput(readXlsxGrid(bytes, { maxCellChars: 25 }), 'cell_too_long');
    expect(error.message).toContain('工作表“表”的单元格 C26');
    expect(error.message).toContain('25 个字符');
    await expectBadInput(readXlsxGrid(bytes, { maxCells: 50 }), 'xlsx_too_many_cells');
    await expectBadInput(readXlsxGrid(bytes, { maxColumns: 2 }), 'xlsx_too_many_columns');
    expect((await readXlsxGrid(bytes)).rows).toHaveLength(30);
  });
});

const HEADINGS = ['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况'];

/**
 * A chapter's rows as a person lays them out in Excel, written cell by cell with exceljs rather than by our writer:
 * the chapter merged across the table, 序号/名称 merged down a task's items. Returns the next free row.
 */
function writeChapter(sheet: ExcelJS.Worksheet, first: number, chapter: SummaryTable['chapters'][number]): number {
  let row = first;
  sheet.getRow(row).values = [`${chapter.numeral}、${chapter.title}`];
  sheet.mergeCells(row, 1, row, 6);
  row++;
  for (const task of chapter.tasks) {
    const top = row;
    for (const [index, item] of task.items.entries()) {
      sheet.getRow(row).values = [
        index === 0 ? Number(task.number) : null,
        index === 0 ? task.name : null,
        item.work,
        item.lead,
        item.cooperating,
        item.completion,
      ];
      row++;
    }
    if (task.items.length > 1) {
      sheet.mergeCells(top, 1, row - 1, 1);
      sheet.mergeCells(top, 2, row - 1, 2);
    }
  }
  return row;
}

describe('readXlsxGrid with several sheets', () => {
  const plan = buildSummaryTable();
  const [first, second] = plan.chapters;

  /** Chapter 一 on a sheet whose header is on row 4; a hidden old copy; a notes sheet; chapter 二 on the last sheet. */
  const workbook = () =>
    workbookBytes((book) => {
      const one = book.addWorksheet('第一章');
      one.getCell('A1').value = plan.title;
      one.mergeCells('A1:F1');
      one.getCell('A2').value = '填报单位：市水务局';
      one.getRow(4).values = HEADINGS;
      writeChapter(one, 5, first!);

      const hidden = book.addWorksheet('旧版', { state: 'hidden' });
      hidden.getRow(1).values = HEADINGS;
      hidden.getRow(2).values = ['一、旧的章节'];
      hidden.getRow(3).values = [99, '旧任务', '旧工作', '市旧局', '', ''];

      book.addWorksheet('填表说明').getCell('A1').value = '序号按全市统一编号填写，不得改动。';

      const two = book.addWorksheet('第二章');
      two.getCell('A1').value = plan.title;
      two.getRow(2).values = HEADINGS;
      writeChapter(two, 3, second!);
    });

  it('reads every visible sheet with a header, keeping the rows above the first header only', async () => {
    const grid = await readXlsxGrid(await workbook());
    expect(grid.preamble).toEqual([]);
    expect(grid.rows.map((row) => [row.line, row.location, row.cells[0]])).toEqual([
      [1, '工作表“第一章”第1行', plan.title],
      [2, '工作表“第一章”第2行', '填报单位：市水务局'],
      [3, '工作表“第一章”第4行', '序号'],
      [4, '工作表“第一章”第5行', '一、稳住经济基本盘'],
      [5, '工作表“第一章”第6行', '3'],
      [6, '工作表“第一章”第7行', ''],
      [7, '工作表“第二章”第2行', '序号'],
      [8, '工作表“第二章”第3行', '二、提升城市功能品质'],
      [9, '工作表“第二章”第4行', '5'],
    ]);
    expect(grid.rows[5]!.cells).toEqual(['', '', '新开工水利项目15个。', '市水务局', '', '新开工水利项目16个。\n其中防洪工程9个。']);

    const result = interpretGrid(grid);
    expect(result.table).toEqual(plan);
    // the sheets that are not read are named, with what they hold, rather than passed over in silence
    expect(result.warnings).toEqual([
      { line: 1, location: '工作表“旧版”', message: '隐藏的工作表“旧版”有 11 个非空单元格，未导入（隐藏的工作表多为旧版或辅助数据）。' },
      { line: 1, location: '工作表“填表说明”', message: '工作表“填表说明”中没有表头（序号、名称等），其 1 个非空单元格未导入。' },
    ]);
    expect(result.rows.find((row) => row.location === '工作表“第二章”第2行')).toMatchObject({ kind: 'ignored' });
  });

  it('reads one sheet with its Excel row numbers and no location when only one sheet has a header', async () => {
    const bytes = await workbookBytes((book) => {
      book.addWorksheet('说明').getCell('A1').value = '本表由各牵头单位填报。';
      const sheet = book.addWorksheet('汇总');
      sheet.getCell('A1').value = plan.title;
      sheet.getCell('A2').value = '填报单位：市水务局';
      sheet.getRow(4).values = HEADINGS;
      let next = writeChapter(sheet, 5, first!);
      next = writeChapter(sheet, next, second!);
      const hidden = book.addWorksheet('隐藏', { state: 'veryHidden' });
      hidden.getRow(1).values = HEADINGS;
    });
    const grid = await readXlsxGrid(bytes);
    expect(grid.rows.map((row) => row.line)).toEqual([1, 2, 4, 5, 6, 7, 8, 9]);
    expect(grid.rows.every((row) => !('location' in row))).toBe(true);
    const result = interpretGrid(grid);
    expect(result.table).toEqual(plan);
    expect(result.warnings).toEqual([
      { line: 1, location: '工作表“说明”', message: '工作表“说明”中没有表头（序号、名称等），其 1 个非空单元格未导入。' },
      { line: 1, location: '工作表“隐藏”', message: '隐藏的工作表“隐藏”有 6 个非空单元格，未导入（隐藏的工作表多为旧版或辅助数据）。' },
    ]);
  });

  it('reads the first visible sheet whole when no sheet has a header, so that the missing header is reported', async () => {
    const bytes = await workbookBytes((book) => {
      book.addWorksheet('隐藏', { state: 'hidden' }).getCell('A1').value = '隐藏的表';
      const sheet = book.addWorksheet('数据');
      sheet.getCell('A1').value = '只有标题';
      sheet.getCell('A3').value = '没有表头';
    });
    expect((await readXlsxGrid(bytes)).rows).toEqual([
      { cells: ['只有标题'], line: 1 },
      { cells: ['没有表头'], line: 3 },
    ]);
  });

  it('finds a header written with 编号 and 工作事项, or spaced out', async () => {
    const bytes = await workbookBytes((book) => {
      book.addWorksheet('甲').getRow(1).values = [' 序  号 ', '工 作 事 项', '牵头单位'];
      book.addWorksheet('乙').getRow(3).values = ['编号', '工作事项', '牵头单位'];
    });
    const grid = await readXlsxGrid(bytes);
    expect(grid.rows.map((row) => row.location)).toEqual(['工作表“甲”第1行', '工作表“乙”第3行']);
  });

  it('caps rows over all sheets, naming the sheet and row, and cells on any sheet read', async () => {
    const bytes = await workbookBytes((book) => {
      for (const name of ['一', '二']) {
        const sheet = book.addWorksheet(name);
        sheet.getRow(1).values = HEADINGS;
        for (let row = 2; row <= 12; row++) sheet.getRow(row).values = [row, `任务${row}`, 'x'.repeat(row)];
      }
    });
    expect((await readXlsxGrid(bytes)).rows).toHaveLength(24);
    const rows = await expectBadInput(readXlsxGrid(bytes, { maxRows: 20 }), 'too_many_rows');
    expect(rows.message).toContain('工作表“二”第 9 行');
    const cell = await expectBadInput(readXlsxGrid(bytes, { maxCellChars: 11 }), 'cell_too_long');
    expect(cell.message).toContain('工作表“一”的单元格 C12');
  });

  it('does not count rows that only carry formatting, and does not let an unread sheet fail the file', async () => {
    const bytes = await workbookBytes((book) => {
      const sheet = book.addWorksheet('表');
      sheet.getRow(1).values = HEADINGS;
      sheet.getRow(2).values = [1, '任务', '工作'];
      const notes = book.addWorksheet('备注');
      notes.getCell('A1').value = 'x'.repeat(500);
    });
    const zip = await JSZip.loadAsync(bytes);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const formatted = Array.from({ length: 30 }, (_, index) => `<row r="${index + 10}" ht="20" customHeight="1"/>`).join('');
    zip.file('xl/worksheets/sheet1.xml', sheetXml.replace('</sheetData>', `${formatted}</sheetData>`));
    const padded = await zip.generateAsync({ type: 'uint8array' });
    expect((await readXlsxGrid(padded, { maxRows: 5, maxCellChars: 100 })).rows).toHaveLength(2);
  });
});

describe('readXlsxGrid rejects hostile and wrong files', () => {
  it('rejects empty, random and truncated files', async () => {
    await expectBadInput(readXlsxGrid(new Uint8Array()), 'empty_file');
    await expectBadInput(readXlsxGrid(new Uint8Array(2048).map((_, index) => (index * 31 + 7) % 256)), 'not_zip');
    const whole = await writeSummaryXlsx(buildSummaryTable());
    await expectBadInput(readXlsxGrid(whole.subarray(0, whole.length - 200)), 'zip_corrupt');
  });

  it('recognises .xls and password-protected workbooks (OLE compound files)', async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const legacy = await expectBadInput(readXlsxGrid(ole), 'encrypted_or_legacy_office');
    expect(legacy.message).toContain('.xls');
  });

  it('rejects a Word file given as a workbook', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', '<w:document/>');
    await expectBadInput(readXlsxGrid(await zip.generateAsync({ type: 'uint8array' })), 'xlsx_workbook_missing');
  });

  it('rejects a DOCTYPE in any part of the workbook', async () => {
    const zip = await JSZip.loadAsync(await writeSummaryXlsx(buildSummaryTable()));
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file(
      'xl/worksheets/sheet1.xml',
      sheetXml.replace('<worksheet', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet'),
    );
    await expectBadInput(readXlsxGrid(await zip.generateAsync({ type: 'uint8array' })), 'hostile_xml');
  });

  it('caps the decompressed size of the whole workbook', async () => {
    const bytes = await writeSummaryXlsx(buildSummaryTable());
    await expectBadInput(readXlsxGrid(bytes, { maxDecompressedBytes: 4096 }), 'zip_too_large');
  });

  it('rejects a zip bomb by its declared size', async () => {
    const zip = await JSZip.loadAsync(await writeSummaryXlsx(buildSummaryTable()));
    zip.file('xl/media/image1.png', new Uint8Array(60 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await expectBadInput(readXlsxGrid(bomb), 'zip_entry_too_large');
    expect(error.message).toContain('xl/media/image1.png');
  });
});
