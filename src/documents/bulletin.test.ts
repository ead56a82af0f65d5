import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../domain/supervision.js';
import { BULLETIN_SHEETS, writeBulletinDocx, writeBulletinXlsx } from './bulletin.js';
import { writeSupervisionDocument } from './index.js';
import { createExportPool } from './pool.js';
import { documentXml, hasOffice, NO_OFFICE, officeToPdf, pdfPages, pdfText, scratchFolder } from '../../test/helpers/office.js';

function buildBulletin(overrides: Partial<BulletinDocument> = {}): BulletinDocument {
  return {
    issuer: '苏州市人民政府督查室',
    year: 2026,
    number: 3,
    title: '关于2026年第三季度市政府重点工作推进情况的通报',
    plan: '2026年市政府工作报告重点工作任务',
    periodLabel: '2026年第三季度',
    issuedOn: '2026-10-25',
    intro: '为推动市政府重点工作任务落地见效，市政府督查室对第三季度各单位报送情况进行了梳理。\n现将有关情况通报如下：',
    units: [
      { unit: '市生态环境局', items: 8, reported: 8, onTime: 7, completed: 3, onTimeRate: 0.875, completionRate: 0.375 },
      { unit: '市发展和改革委员会', items: 12, reported: 11, onTime: 11, completed: 6, onTimeRate: 11 / 12, completionRate: 0.5 },
      { unit: '市档案馆', items: 0, reported: 0, onTime: 0, completed: 0, onTimeRate: null, completionRate: null },
    ],
    lagging: [
      {
        unit: '市生态环境局',
        taskNumber: '35',
        work: 'PM2.5平均浓度控制在28微克/立方米以内，空气质量优良天数比率达到82%以上。',
        lightLabel: '黄灯',
        reason: '未达到序时进度',
      },
      { unit: '市住房和城乡建设局', taskNumber: '41', work: '新开工改造老旧小区120个。', lightLabel: '红灯', reason: '逾期未完成' },
    ],
    notices: [],
    closing: '请各单位对照通报问题抓紧整改，确保年度目标任务全面完成。',
    ...overrides,
  };
}

const folder = scratchFolder('luoshi-bulletin-');

/** The texts of the document's paragraphs and cells in order, one per paragraph. */
const paragraphTexts = (xml: string) =>
  Array.from(xml.matchAll(/<w:p[ >].*?<\/w:p>/gs), ([paragraph]) =>
    Array.from(paragraph.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g), (t) => t[1]).join(''),
  );

describe('writeBulletinDocx', () => {
  it('prints the 版头, title, intro, the three section headings, the rows, rates and 落款', async () => {
    const xml = await documentXml(await writeBulletinDocx(buildBulletin()));
    const texts = paragraphTexts(xml);
    expect(texts).toContain('苏州市人民政府督查室');
    expect(texts).toContain('督通〔2026〕第3号');
    expect(texts).toContain('关于2026年第三季度市政府重点工作推进情况的通报');
    // the intro's lines are paragraphs of their own, indented two characters
    expect(texts).toContain('现将有关情况通报如下：');
    expect(xml).toMatch(/<w:ind w:firstLine="640"\/>.{0,400}为推动市政府重点工作任务落地见效/s);
    const headings = ['一、各单位报送情况', '二、逾期和滞后事项', '三、督办单办理情况'];
    for (const heading of headings) expect(texts).toContain(heading);
    expect(texts.indexOf(headings[0]!)).toBeLessThan(texts.indexOf(headings[1]!));
    expect(texts.indexOf(headings[1]!)).toBeLessThan(texts.indexOf(headings[2]!));
    for (const heading of ['序号', '单位', '事项数', '已报送', '按时报送', '已完成', '按时报送率', '完成率', '工作任务', '预警', '原因'])
      expect(texts).toContain(heading);
    expect(texts).toContain('市发展和改革委员会');
    expect(texts).toContain('87.5%');
    expect(texts).toContain('91.7%');
    expect(texts).toContain('37.5%');
    expect(texts).toContain('—');
    expect(texts).toContain('新开工改造老旧小区120个。');
    expect(texts).toContain('红灯');
    // no notices in the period: one line instead of an empty table
    const third = texts.indexOf(headings[2]!);
    expect(texts[third + 1]).toBe('无。');
    expect(xml.match(/<w:tbl>/g)).toHaveLength(2);
    // header rows repeat on every page the table runs onto
    expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(2);
    expect(texts).toContain('请各单位对照通报问题抓紧整改，确保年度目标任务全面完成。');
    expect(texts).toContain('2026年10月25日');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
  });

  it('prints 无。 for every empty section', async () => {
    const xml = await documentXml(await writeBulletinDocx(buildBulletin({ units: [], lagging: [], notices: [] })));
    expect(xml).not.toContain('<w:tbl>');
    expect(paragraphTexts(xml).filter((text) => text === '无。')).toHaveLength(3);
  });

  it('lists the notices of the period', async () => {
    const bulletin = buildBulletin({
      notices: [
        { number: '督办〔2026〕第12号', colourLabel: '黄色', unit: '市生态环境局', work: '持续改善生态环境质量', stateLabel: '办理中' },
      ],
    });
    const texts = paragraphTexts(await documentXml(await writeBulletinDocx(bulletin)));
    for (const text of ['文号', '颜色', '办理状态', '督办〔2026〕第12号', '黄色', '办理中']) expect(texts).toContain(text);
  });
});

describe('writeBulletinXlsx', () => {
  it('has the three sheets with merged title, bold frozen header and numeric rates in 0.0%', async () => {
    const bulletin = buildBulletin();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeBulletinXlsx(bulletin)) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([...BULLETIN_SHEETS]);
    expect(BULLETIN_SHEETS).toEqual(['各单位报送情况', '逾期和滞后事项', '督办单办理情况']);
    for (const sheet of workbook.worksheets) {
      const title = sheet.getCell('A1');
      expect(title.value).toBe('关于2026年第三季度市政府重点工作推进情况的通报');
      expect(sheet.getCell(1, sheet.columnCount).isMerged).toBe(true);
      expect(sheet.getCell(1, sheet.columnCount).master.address).toBe('A1');
      expect(sheet.getRow(2).getCell(1).font?.bold).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    }
    const units = workbook.getWorksheet('各单位报送情况')!;
    expect(units.getRow(2).values).toEqual([undefined, '序号', '单位', '事项数', '已报送', '按时报送', '已完成', '按时报送率', '完成率']);
    expect(units.getRow(3).values).toEqual([undefined, 1, '市生态环境局', 8, 8, 7, 3, 0.875, 0.375]);
    expect(units.getCell('G3').numFmt).toBe('0.0%');
    expect(units.getCell('H4').numFmt).toBe('0.0%');
    expect(units.getCell('G4').value).toBeCloseTo(11 / 12);
    expect(units.getCell('G5').value).toBe('—');
    expect(units.getCell('H5').value).toBe('—');

    const lagging = workbook.getWorksheet('逾期和滞后事项')!;
    expect(lagging.getRow(2).values).toEqual([undefined, '序号', '单位', '任务序号', '工作任务', '预警', '原因']);
    expect(lagging.getCell('C3').value).toBe(35);
    expect(lagging.getCell('D3').alignment?.wrapText).toBe(true);
    expect(lagging.getColumn(4).width).toBeGreaterThanOrEqual(40);
    expect(lagging.getCell('F4').value).toBe('逾期未完成');

    const notices = workbook.getWorksheet('督办单办理情况')!;
    expect(notices.getRow(2).values).toEqual([undefined, '文号', '颜色', '单位', '工作任务', '办理状态']);
    expect(notices.getCell('A3').value).toBe('无。');
    expect(notices.getCell('E3').isMerged).toBe(true);
  });

  it('adds the period to the title when the title does not name it', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeBulletinXlsx(buildBulletin({ title: '重点工作推进情况通报' }))) as never);
    expect(workbook.worksheets[0]!.getCell('A1').value).toBe('重点工作推进情况通报（2026年第三季度）');
  });
});

describe('a 通报 converted by LibreOffice', () => {
  it.skipIf(!hasOffice)(
    `gives a PDF of at least one page with the title${NO_OFFICE}`,
    async () => {
      const pdf = officeToPdf(await writeBulletinDocx(buildBulletin()), 'bulletin.docx', folder);
      expect(pdfPages(pdf)).toBeGreaterThanOrEqual(1);
      const text = pdfText(readFileSync(pdf), folder).replace(/\s+/g, '');
      expect(text).toContain('关于2026年第三季度市政府重点工作推进情况的通报');
      expect(text).toContain('一、各单位报送情况');
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
    180_000,
  );
});

describe('a 通报 through the export pool', () => {
  const pool = createExportPool({ workers: 1, maxQueue: 4, timeoutMs: 60_000, maxMemoryMb: 256 });
  afterAll(() => pool.close());

  it('is written in a worker thread as Word and as Excel, with the same content as inline', async () => {
    const bulletin = buildBulletin();
    const [docx, inlineDocx] = await Promise.all([
      pool.writeSupervision({ kind: 'bulletin', bulletin, format: 'docx' }),
      writeSupervisionDocument({ kind: 'bulletin', bulletin, format: 'docx' }),
    ]);
    expect(await documentXml(docx)).toBe(await documentXml(inlineDocx));

    const { bytes, threadId: writer } = await pool.run({ kind: 'bulletin', bulletin, format: 'xlsx' });
    expect(writer).toBeGreaterThan(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([...BULLETIN_SHEETS]);
    expect(workbook.getWorksheet('各单位报送情况')!.getCell('G3').value).toBe(0.875);
  });
});
