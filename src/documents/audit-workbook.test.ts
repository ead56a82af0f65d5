import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, AUDIT_SHEET_NAME, auditTable, writeAuditWorkbook, type AuditRecord } from './audit-workbook.js';
import { readCsvGrid, writeCsv } from './csv.js';

const submitted: AuditRecord = {
  id: 41,
  at: '2030-07-05T02:00:00.000Z',
  actor: 'user:7',
  actorName: '王五（wang.wu）',
  organisationId: 12,
  organisationName: '市水务局',
  source: 'web',
  action: 'report.submit',
  actionLabel: '报送报告',
  objectType: 'report',
  objectTypeLabel: '进展报告',
  objectId: '301',
  objectName: '2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年',
  before: { state: 'draft', revision: 2 },
  after: { state: 'submitted', revision: 3, text: '已开工 12 个，\n“汛前”完成。' },
};

// a failed sign-in writes whatever was typed as the user name into the trail
const hostile: AuditRecord = {
  id: 42,
  at: '2030-07-05T02:01:00.000Z',
  actor: '=HYPERLINK("http://example.invalid","点我")',
  actorName: '=HYPERLINK("http://example.invalid","点我")',
  organisationId: null,
  organisationName: null,
  source: '@来源',
  action: 'auth.login_failed',
  actionLabel: '登录失败',
  objectType: 'user',
  objectTypeLabel: '用户',
  objectId: '+cmd|calc',
  objectName: null,
  before: null,
  after: { reason: '-1' },
};

async function readBack(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

const rowValues = (sheet: ExcelJS.Worksheet, number: number) =>
  Array.from({ length: AUDIT_COLUMNS.length }, (_, index) => {
    const value = sheet.getRow(number).getCell(index + 1).value;
    return value === null || value === undefined ? '' : value;
  });

describe('the audit workbook', () => {
  it('holds the heading row and one row per entry, cell for cell', async () => {
    const sheet = await readBack(await writeAuditWorkbook([submitted, hostile]));
    expect(sheet.name).toBe(AUDIT_SHEET_NAME);
    expect(sheet.rowCount).toBe(3);
    expect(rowValues(sheet, 1)).toEqual(AUDIT_COLUMNS.map((column) => column.title));
    expect(rowValues(sheet, 2)).toEqual([
      41,
      '2030-07-05T02:00:00.000Z',
      'user:7',
      '王五（wang.wu）',
      12,
      '市水务局',
      'web',
      '报送报告',
      'report.submit',
      '进展报告',
      'report',
      '301',
      '2030年 序号3：新开工水利项目15个。 · 市水务局 · 全年',
      '{"state":"draft","revision":2}',
      '{"state":"submitted","revision":3,"text":"已开工 12 个，\\n“汛前”完成。"}',
    ]);
    // what is absent is an empty cell, not the word null
    expect(rowValues(sheet, 3)).toEqual([
      42,
      '2030-07-05T02:01:00.000Z',
      hostile.actor,
      hostile.actorName,
      '',
      '',
      '@来源',
      '登录失败',
      'auth.login_failed',
      '用户',
      'user',
      '+cmd|calc',
      '',
      '',
      '{"reason":"-1"}',
    ]);
  });

  it('writes texts that look like formulas as texts', async () => {
    const bytes = await writeAuditWorkbook([hostile]);
    const sheet = await readBack(bytes);
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    const xml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it('keeps the heading bold and in view, and the columns as wide as set', async () => {
    const sheet = await readBack(await writeAuditWorkbook([submitted]));
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(AUDIT_COLUMNS.map((_, index) => sheet.getColumn(index + 1).width)).toEqual(AUDIT_COLUMNS.map((column) => column.width));
  });

  it('is a heading row only when the filter matched nothing', async () => {
    const sheet = await readBack(await writeAuditWorkbook([]));
    expect(sheet.rowCount).toBe(1);
    expect(rowValues(sheet, 1)).toEqual(AUDIT_COLUMNS.map((column) => column.title));
  });

  it('gives the CSV the same records, read back through the CSV reader', () => {
    const table = auditTable([submitted, hostile]);
    const back = readCsvGrid(writeCsv(table)).rows.map((row) => row.cells);
    expect(back).toEqual(table.map((record) => record.map(String)));
  });
});
