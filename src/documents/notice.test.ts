import { existsSync, readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { NOTICE_COLOURS, NOTICE_PRINT_COLOURS, type NoticeDocument, noticeReferenceText } from '../domain/supervision.js';
import { threadId } from 'node:worker_threads';
import { writeSupervisionDocument } from './index.js';
import { writeNoticeDocx, writeNoticePdf } from './notice.js';
import { createExportPool } from './pool.js';
import { defaultPdfFonts } from './pdf-fonts.js';
import { documentXml, hasOffice, hasPoppler, NO_OFFICE, officeToPdf, pdfPages, pdfText, scratchFolder } from '../../test/helpers/office.js';

function buildNotice(overrides: Partial<NoticeDocument> = {}): NoticeDocument {
  return {
    issuer: '苏州市人民政府督查室',
    year: 2026,
    number: 12,
    colour: 'yellow',
    unit: '市生态环境局',
    plan: '2026年市政府工作报告重点工作任务',
    item: {
      chapter: '四、深入打好污染防治攻坚战',
      taskNumber: '35',
      task: '持续改善生态环境质量',
      work: 'PM2.5平均浓度控制在28微克/立方米以内，空气质量优良天数比率达到82%以上。',
      lead: '市生态环境局',
      cooperating: '市发展和改革委员会、市工业和信息化局、市住房和城乡建设局',
    },
    reason: '第三季度进展未达到序时进度（完成率58%，序时进度75%）。',
    requirement: '对照年度目标倒排工期，明确整改措施和完成时限，确保按期完成。',
    replyDueOn: '2026-10-20',
    issuedOn: '2026-10-10',
    contact: '联系人：王明，电话：0512-68616000',
    ...overrides,
  };
}

const hasFont = defaultPdfFonts().regular.some(({ path }) => existsSync(path));
const NO_TEXT = !hasFont ? '（跳过：本机没有中文字体）' : hasPoppler ? '' : '（跳过：本机没有 pdftotext，apt install poppler-utils）';

const folder = scratchFolder('luoshi-notice-');
/** Wrapped cell text is looked for without line breaks, spaces and the page numbers between pages. */
const squeeze = (text: string) => text.replace(/—\s*\d+\s*—/g, '').replace(/\s+/g, '');

describe('writeNoticeDocx', () => {
  it('prints the number, the colour title, unit, reason, dates and the official fonts on an A4 GB/T 9704 page', async () => {
    const bytes = await writeNoticeDocx(buildNotice());
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('督办〔2026〕第12号');
    expect(xml).toContain('黄色督办单');
    expect(xml).toContain('苏州市人民政府督查室');
    expect(xml).toContain('市生态环境局：');
    expect(xml).toContain('第三季度进展未达到序时进度（完成率58%，序时进度75%）。');
    expect(xml).toContain('对照年度目标倒排工期');
    expect(xml).toContain('2026年10月20日前');
    expect(xml).toContain('2026年10月10日');
    expect(xml).toContain('（联系人：王明，电话：0512-68616000）');
    expect(xml).toContain('在反馈时限前通过落实系统反馈办理情况');
    for (const label of ['督办事项', '牵头单位', '配合单位', '督办事由', '办理要求', '反馈时限']) expect(xml).toContain(label);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="黑体"');
    // A4 portrait, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    const margins = /<w:pgMar ([^>]*)\/>/.exec(xml)![1]!;
    expect(margins).toContain('w:top="2098"');
    expect(margins).toContain('w:bottom="1984"');
    expect(margins).toContain('w:left="1587"');
    expect(margins).toContain('w:right="1474"');
    // 三号 body at an exact 28.9 pt line; the 版头 and its line in red
    expect(xml).toContain('<w:sz w:val="32"/>');
    expect(xml).toMatch(/w:line="578" w:lineRule="exact"/);
    expect(xml).toMatch(/<w:color w:val="FF0000"\/>/);
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="FF0000"/);
    // the fallbacks for machines without the official fonts
    const fonts = await zip.file('word/fontTable.xml')!.async('string');
    expect(fonts).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
  });

  it('gives each colour its own title colour', async () => {
    const titleColours = await Promise.all(
      NOTICE_COLOURS.map(async (colour) => {
        const xml = await documentXml(await writeNoticeDocx(buildNotice({ colour })));
        const title = { blue: '蓝色督办单', yellow: '黄色督办单', red: '红色督办单' }[colour];
        const run = new RegExp(`<w:r><w:rPr>((?:(?!</w:rPr>).)*)</w:rPr><w:t xml:space="preserve">${title}</w:t>`).exec(xml);
        expect(run, title).not.toBeNull();
        return /<w:color w:val="([0-9A-F]{6})"\/>/.exec(run![1]!)?.[1];
      }),
    );
    expect(titleColours).toEqual([NOTICE_PRINT_COLOURS.blue, NOTICE_PRINT_COLOURS.yellow, NOTICE_PRINT_COLOURS.red]);
    expect(new Set(titleColours).size).toBe(3);
  });

  it('says 无 for a missing cooperating unit, leaves out an empty contact, and keeps XML-invalid characters out', async () => {
    const notice = buildNotice({ contact: undefined, reason: 'bad\u0001char & <tag>' });
    notice.item = { ...notice.item, cooperating: '' };
    const xml = await documentXml(await writeNoticeDocx(notice));
    expect(xml).not.toContain('联系人');
    expect(xml).toContain('badchar &amp; &lt;tag&gt;');
    expect(xml).toMatch(/配合单位.*<w:t xml:space="preserve">无<\/w:t>/s);
  });
});

const withText = it.skipIf(!hasFont || !hasPoppler);
const longWork = Array.from(
  { length: 60 },
  (_, index) => `第${index + 1}项：推进重点区域挥发性有机物（VOCs）综合治理，完成工业炉窑深度治理。`,
).join('');

describe('writeNoticePdf', () => {
  withText(`prints the coloured title, the number and the unit${NO_TEXT}`, async () => {
    const bytes = await writeNoticePdf(buildNotice(), {});
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes, folder);
    expect(text).toContain('黄色督办单');
    expect(text).toContain('督办〔2026〕第12号');
    expect(text).toContain('市生态环境局：');
    expect(text).toContain('苏州市人民政府督查室');
    expect(squeeze(text)).toContain('前通过落实系统反馈办理情况');
    expect(text).toContain('2026年10月10日');
    expect(text).toMatch(/—\s*1\s*—/);
  });

  withText(`runs a very long work text over pages with nothing cut off${NO_TEXT}`, async () => {
    const notice = buildNotice({ item: { ...buildNotice().item, work: longWork } });
    const bytes = await writeNoticePdf(notice, {});
    const text = pdfText(bytes, folder);
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    const all = squeeze(text);
    for (let index = 1; index <= 60; index++) expect(all).toContain(`第${index}项：推进重点区域挥发性有机物（VOCs）综合治理`);
    // everything after the table is still there
    expect(all).toContain('办理要求');
    expect(all).toContain('2026年10月10日');
    expect(text).toMatch(new RegExp(`—\\s*${pages.length}\\s*—`));
  });

  it('refuses with pdf_font_missing when no configured font can be opened', async () => {
    await expect(writeNoticePdf(buildNotice(), { fonts: { regular: [{ path: '/nonexistent/font.otf' }] } })).rejects.toMatchObject({
      status: 503,
      code: 'pdf_font_missing',
    });
  });
});

describe('a 督办单 converted by LibreOffice', () => {
  it.skipIf(!hasOffice)(
    `gives a PDF of at least one page with the title${NO_OFFICE}`,
    async () => {
      const notice = buildNotice({ colour: 'red', item: { ...buildNotice().item, work: longWork } });
      const pdf = officeToPdf(await writeNoticeDocx(notice), 'notice.docx', folder);
      expect(pdfPages(pdf)).toBeGreaterThanOrEqual(1);
      const text = pdfText(readFileSync(pdf), folder);
      expect(text).toContain('红色督办单');
      expect(squeeze(text)).toContain(noticeReferenceText(2026, 12));
      expect(squeeze(text)).toContain('第60项：推进重点区域挥发性有机物（VOCs）综合治理');
    },
    180_000,
  );
});

/** pdfkit stamps the time of writing and an id made from it; nothing else in the file depends on when it was written. */
const withoutTimestamps = (bytes: Buffer) =>
  bytes
    .toString('latin1')
    .replace(/\(D:\d{14}Z\)/g, '(D:)')
    .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '/ID []');

describe('a 督办单 through the export pool', () => {
  const pool = createExportPool({ workers: 1, maxQueue: 4, timeoutMs: 60_000, maxMemoryMb: 256 });
  afterAll(() => pool.close());

  it('is written in a worker thread, the same Word document as inline', async () => {
    const notice = buildNotice({ colour: 'blue' });
    const [pooled, inline] = await Promise.all([
      pool.run({ kind: 'notice', notice, format: 'docx' }),
      writeSupervisionDocument({ kind: 'notice', notice, format: 'docx' }),
    ]);
    expect(pooled.threadId).not.toBe(threadId);
    const [back, expected] = await Promise.all([documentXml(pooled.bytes), documentXml(inline)]);
    expect(back).toBe(expected);
    expect(back).toContain('蓝色督办单');
  });

  withText(`and as the same PDF as inline${NO_TEXT}`, async () => {
    const notice = buildNotice({ colour: 'red' });
    const [pooled, inline] = await Promise.all([
      pool.writeSupervision({ kind: 'notice', notice, format: 'pdf' }),
      writeSupervisionDocument({ kind: 'notice', notice, format: 'pdf' }),
    ]);
    expect(withoutTimestamps(pooled)).toBe(withoutTimestamps(inline));
    expect(pdfText(pooled, folder)).toContain('红色督办单');
  });

  it('passes on the writer’s AppError for a font that cannot be opened, and a format a notice does not have', async () => {
    const fontless = createExportPool({
      workers: 1,
      maxQueue: 1,
      timeoutMs: 60_000,
      maxMemoryMb: 256,
      fonts: { regular: [{ path: '/nonexistent/font.otf' }] },
    });
    try {
      await expect(fontless.writeSupervision({ kind: 'notice', notice: buildNotice(), format: 'pdf' })).rejects.toMatchObject({
        status: 503,
        code: 'pdf_font_missing',
      });
      await expect(fontless.writeSupervision({ kind: 'notice', notice: buildNotice(), format: 'xlsx' as 'pdf' })).rejects.toMatchObject({
        status: 400,
        code: 'unsupported_format',
      });
      // the summary tables go on as before
      expect(
        (await fontless.run({ table: { title: 't', organisation: '', columns: {}, chapters: [] } as never, format: 'json' })).bytes.length,
      ).toBeGreaterThan(0);
    } finally {
      await fontless.close();
    }
    await expect(writeSupervisionDocument({ kind: 'notice', notice: buildNotice(), format: 'xlsx' as 'pdf' })).rejects.toMatchObject({
      code: 'unsupported_format',
    });
  });
});
