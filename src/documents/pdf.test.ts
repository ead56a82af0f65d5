import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSummaryItem, buildSummaryTable, buildSummaryTask } from '../../test/factories/summary-table.js';
import { ALL_OPTIONAL_COLUMNS, CITY_COLUMNS, cityTable, sampleTable, withOptionalColumns } from '../../test/helpers/documents.js';
import { AppError } from '../domain/errors.js';
import { chapterHeading, columnList, type SummaryTable } from '../domain/summary-table.js';
import { EXPORT_MEDIA, writeSummaryDocument } from './index.js';
import { defaultPdfFonts, SYSTEM_FONT_FOLDERS, writeSummaryPdf, type PdfFontCandidates } from './pdf.js';

const hasFont = defaultPdfFonts().regular.some(({ path }) => existsSync(path));
const hasPoppler = existsSync('/usr/bin/pdftotext') || commandWorks('pdftotext');

function commandWorks(command: string): boolean {
  try {
    execFileSync(command, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const withFont = it.skipIf(!hasFont);
const withText = it.skipIf(!hasFont || !hasPoppler);
const NO_FONT = hasFont ? '' : '（跳过：本机没有 fonts-noto-cjk）';
const NO_TEXT = !hasFont ? NO_FONT : hasPoppler ? '' : '（跳过：本机没有 pdftotext，apt install poppler-utils）';

const folder = mkdtempSync(join(tmpdir(), 'luoshi-pdf-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
/** The PDF's text as pdftotext gives it, one string per page (pdftotext ends each page with a form feed). */
function pdfText(bytes: Buffer, mode: '-layout' | '-raw'): string[] {
  const file = join(folder, `${++files}.pdf`);
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return text.split('\f').slice(0, -1);
}

/** Page objects in the file: pdfkit writes page dictionaries uncompressed. */
const pageCount = (bytes: Buffer) => (bytes.toString('latin1').match(/\/Type \/Page(?!s)/g) ?? []).length;

/** Cell text wraps inside its column, so it is looked for with line breaks and spaces taken out. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

const headerLine = (table: SummaryTable) => new RegExp(columnList(table.columns).join('\\s+'));

describe('writeSummaryPdf', () => {
  withText(`prints the real sample table: title, unit, date, every chapter, task and completion${NO_TEXT}`, async () => {
    const table = sampleTable();
    const bytes = await writeSummaryPdf(table, { date: '2022年12月31日' });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const pages = pdfText(bytes, '-layout');
    expect(pages[0]).toContain(table.title);
    expect(pages[0]).toMatch(/填报单位：市生态环境局\s+填报日期：2022年12月31日/);
    const layout = pages.join('\n');
    for (const chapter of table.chapters) expect(layout).toContain(chapterHeading(chapter));

    const raw = squeeze(pdfText(bytes, '-raw').join(''));
    for (const chapter of table.chapters) {
      for (const task of chapter.tasks) {
        expect(raw).toContain(squeeze(task.name));
        for (const item of task.items) {
          expect(raw).toContain(squeeze(item.work));
          expect(raw).toContain(squeeze(item.completion).slice(0, 30));
        }
      }
    }
  });

  withText(`repeats the header row and numbers every page${NO_TEXT}`, async () => {
    const table = sampleTable();
    const bytes = await writeSummaryPdf(table);
    const pages = pdfText(bytes, '-layout');
    expect(pages.length).toBe(pageCount(bytes));
    expect(pages.length).toBeGreaterThan(1);
    const header = headerLine(table);
    pages.forEach((page, index) => {
      expect(page).toMatch(header);
      expect(page).toMatch(new RegExp(`第\\s*${index + 1}\\s*页\\s*/\\s*共\\s*${pages.length}\\s*页`));
    });
    // pdfinfo reads the page tree itself, not the text
    const file = join(folder, 'info.pdf');
    writeFileSync(file, bytes);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${pages.length}\\n`));
  });

  withText(`repeats 序号 and 名称 on every page a task's items run onto${NO_TEXT}`, async () => {
    const items = Array.from({ length: 12 }, (_, index) =>
      buildSummaryItem({ work: `第${index + 1}项工作`, completion: `第${index + 1}项完成情况。`.repeat(40) }),
    );
    const table = buildSummaryTable({
      chapters: [{ numeral: '一', title: '长任务', tasks: [buildSummaryTask({ number: '7', name: '跨页的任务名称', items })] }],
    });
    const bytes = await writeSummaryPdf(table);
    const pages = pdfText(bytes, '-raw').map(squeeze);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) expect(page).toContain('跨页的任务名称');
    for (const item of items) expect(pages.join('')).toContain(squeeze(item.work));
  });

  withText(
    `keeps a chapter heading with the start of its first item only, not the whole item, so no page foot stays empty${NO_TEXT}`,
    async () => {
      const lines = (mark: string, count: number) => Array.from({ length: count }, (_, index) => `${mark}${index + 1}行`).join('\n');
      // page 1 holds 31 lines below the title and header; the first task takes 20 of them, so the second chapter's
      // heading and three lines of its six-line item fit below it, and the whole item does not
      const table = buildSummaryTable({
        organisation: '',
        chapters: [
          {
            numeral: '一',
            title: '第一章',
            tasks: [buildSummaryTask({ number: '1', name: '前一任务', items: [buildSummaryItem({ completion: lines('甲', 20) })] })],
          },
          {
            numeral: '二',
            title: '第二章',
            tasks: [
              buildSummaryTask({ number: '2', name: '跨页任务', items: [buildSummaryItem({ completion: lines('乙', 6) })] }),
              buildSummaryTask({ number: '3', name: '后一任务', items: [buildSummaryItem({ completion: lines('丙', 3) })] }),
            ],
          },
        ],
      });
      const pages = pdfText(await writeSummaryPdf(table), '-raw').map(squeeze);
      expect(pages).toHaveLength(2);
      expect(pages[0]).toContain('甲20行');
      expect(pages[0]).toContain('二、第二章');
      expect(pages[0]).toContain('乙1行');
      expect(pages[0]).not.toContain('乙6行');
      // the rest of the item goes on under the repeated header, with its 序号 and 名称, at least two lines of it
      expect(pages[1]).toContain('序号名称工作任务牵头单位主要配合单位全年完成情况');
      expect(pages[1]).toContain('跨页任务');
      expect(pages[1]).toContain('乙5行');
      expect(pages[1]).toContain('乙6行');
      expect(pages[1]).not.toContain('二、第二章');
    },
  );

  withText(`never leaves a chapter heading alone at the foot of a page${NO_TEXT}`, async () => {
    const lines = (mark: string, count: number) => Array.from({ length: count }, (_, index) => `${mark}${index + 1}行`).join('\n');
    // after 29 lines only the heading would fit: it goes on to the next page with its item
    const table = buildSummaryTable({
      organisation: '',
      chapters: [
        {
          numeral: '一',
          title: '第一章',
          tasks: [buildSummaryTask({ number: '1', name: '前一任务', items: [buildSummaryItem({ completion: lines('甲', 28) })] })],
        },
        {
          numeral: '二',
          title: '第二章',
          tasks: [buildSummaryTask({ number: '2', name: '后一任务', items: [buildSummaryItem({ completion: lines('乙', 6) })] })],
        },
      ],
    });
    const pages = pdfText(await writeSummaryPdf(table), '-raw').map(squeeze);
    expect(pages).toHaveLength(2);
    expect(pages[0]).not.toContain('二、第二章');
    expect(pages[1]).toContain('二、第二章');
    expect(pages[1]).toContain('乙1行');
  });

  withFont(`finishes a cell of 30,000 characters, spread over many pages, without losing text${NO_FONT}`, async () => {
    // 治 and 甲 occur nowhere else in the table: the completion is printed exactly once, the name at least once
    const sentence = '持续推进大气污染治理，完成PM2.5年度目标（含VOCs专项整治）。';
    const huge = sentence.repeat(Math.ceil(30_000 / sentence.length)).slice(0, 30_000);
    const table = buildSummaryTable({
      chapters: [
        {
          numeral: '一',
          title: '超长内容',
          tasks: [
            buildSummaryTask({
              number: '1',
              name: '超长任务',
              items: [buildSummaryItem({ completion: huge }), buildSummaryItem({ completion: '最后一项。' })],
            }),
            // a name taller than a page goes on from page to page
            buildSummaryTask({ number: '2', name: '甲乙'.repeat(600), items: [buildSummaryItem()] }),
          ],
        },
      ],
    });
    const bytes = await writeSummaryPdf(table);
    const pages = pageCount(bytes);
    expect(pages).toBeGreaterThan(20);
    if (!hasPoppler) return;
    const text = pdfText(bytes, '-raw').join('');
    expect(text.split('治').length - 1).toBe(huge.split('治').length - 1);
    expect(squeeze(text)).toContain('最后一项。');
    expect(text.split('甲').length - 1).toBeGreaterThanOrEqual(600);
  });

  withText(`prints the city-wide 完成状态 and 预警 after the completion text, headings on one line, on every page${NO_TEXT}`, async () => {
    const city = cityTable();
    const single = await writeSummaryPdf(city, { date: '2030年12月31日' });
    expect(pageCount(single)).toBe(1);
    const [page] = pdfText(single, '-layout');
    expect(page).toMatch(/序号\s+名称\s+工作任务\s+牵头单位\s+主要配合单位\s+全年完成情况\s+完成状态\s+预警/);
    // each item's row ends with its status and light, beside the first line of its texts
    expect(page).toMatch(/已完成\s+绿灯/);
    expect(page).toMatch(/序时推进\s+黄灯/);
    expect(page).toMatch(/进度滞后\s+红灯/);

    const table = withOptionalColumns(sampleTable(), CITY_COLUMNS);
    const pages = pdfText(await writeSummaryPdf({ ...table, organisation: '' }), '-layout');
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) expect(text).toMatch(/全年完成情况\s+完成状态\s+预警/);
  });

  withText(`orders every optional column as the other formats do, and keeps every heading on one line${NO_TEXT}`, async () => {
    const table = withOptionalColumns(buildSummaryTable(), ALL_OPTIONAL_COLUMNS);
    const [page] = pdfText(await writeSummaryPdf(table), '-layout');
    expect(page).toMatch(/序号\s+名称\s+工作任务\s+责任领导\s+牵头单位\s+主要配合单位\s+完成时限\s+全年完成情况\s+进展状态\s+备注\s+预警/);
    const raw = squeeze(pdfText(await writeSummaryPdf(table), '-raw').join(''));
    for (const item of table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))) {
      for (const text of [item.leader!, item.deadline!, item.status!, ...Object.values(item.extra!)]) expect(raw).toContain(squeeze(text));
    }
  });

  withFont(`draws headings with the regular face when no bold face is found${NO_FONT}`, async () => {
    const fonts: PdfFontCandidates = { regular: defaultPdfFonts().regular, bold: [{ path: '/nonexistent/bold.ttc', family: 'X' }] };
    const bytes = await writeSummaryPdf(buildSummaryTable(), { fonts });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (hasPoppler) expect(pdfText(bytes, '-layout')[0]).toMatch(headerLine(buildSummaryTable()));
  });

  it('refuses with pdf_font_missing when no Chinese font can be opened', async () => {
    const notAFont = join(folder, 'not-a-font.ttf');
    writeFileSync(notAFont, 'not a font');
    const fonts: PdfFontCandidates = {
      regular: [
        { path: '/nonexistent/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
        { path: notAFont },
        // a collection without a face name cannot be used
        ...SYSTEM_FONT_FOLDERS.map((systemFolder) => ({ path: `${systemFolder}/NotoSansCJK-Regular.ttc` })),
      ],
    };
    const error = await writeSummaryPdf(buildSummaryTable(), { fonts }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 503, code: 'pdf_font_missing' });
    expect((error as AppError).message).toContain('fonts-noto-cjk');
    expect((error as AppError).message).toContain('npm install');
  });

  it('tries the configured font first, then the system Noto CJK fonts, then the font carried by npm', () => {
    const fonts = defaultPdfFonts({ path: '/opt/fonts/simsun.ttc', family: 'SimSun' });
    expect(fonts.regular[0]).toEqual({ path: '/opt/fonts/simsun.ttc', family: 'SimSun' });
    expect(fonts.regular.slice(1, -1).every(({ path }) => path.endsWith('NotoSansCJK-Regular.ttc'))).toBe(true);
    expect(defaultPdfFonts().regular[0]).toEqual({
      path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      family: 'NotoSansCJKsc-Regular',
    });
    const bundled = fonts.regular[fonts.regular.length - 1]!;
    expect(bundled.path).toMatch(/@embedpdf[\\/]fonts-sc[\\/]fonts[\\/]NotoSansHans-Regular\.otf$/);
    expect(existsSync(bundled.path)).toBe(true);
    expect(fonts.bold![fonts.bold!.length - 1]!.path).toMatch(/NotoSansHans-Bold\.otf$/);
  });

  it.skipIf(!hasPoppler)('prints Chinese with the npm font when the system has no Chinese font', async () => {
    const fonts = defaultPdfFonts(null, [join(folder, 'no-system-fonts')]);
    expect(fonts.regular.map(({ path }) => path).every((path) => !path.startsWith('/usr/share/fonts'))).toBe(true);
    const table = sampleTable();
    const bytes = await writeSummaryPdf(table, { fonts, date: '2022年12月31日' });
    const file = join(folder, 'npm-font.pdf');
    writeFileSync(file, bytes);
    // the embedded faces are the package's, not the system's
    const embedded = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(embedded).toMatch(/NotoSansHans-Regular/);
    expect(embedded).toMatch(/NotoSansHans-Bold/);
    expect(embedded).not.toMatch(/NotoSansCJK/);
    const [page] = pdfText(bytes, '-layout');
    expect(page).toContain(table.title);
    expect(page).toMatch(/填报单位：市生态环境局\s+填报日期：2022年12月31日/);
    expect(squeeze(pdfText(bytes, '-raw').join(''))).toContain(squeeze(table.chapters[0]!.tasks[0]!.items[0]!.work));
  });

  withFont(`is an export format of writeSummaryDocument${NO_FONT}`, async () => {
    expect(EXPORT_MEDIA.pdf).toEqual({ contentType: 'application/pdf', extension: 'pdf' });
    const bytes = await writeSummaryDocument(buildSummaryTable(), 'pdf', { date: '2030年12月31日' });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(bytes)).toBe(1);
  });
});
