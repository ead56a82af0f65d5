import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummaryDocument, writeSummaryDocument } from '../../src/documents/index.js';

const SAMPLE = readFileSync(new URL('../../demo/suzhou-sthjj-2022-summary.txt', import.meta.url));
const available = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
// CI installs LibreOffice and poppler; on a developer machine without them the check is skipped, not faked.
const haveTools = available('soffice') && available('pdftoppm') && available('pdftotext');

describe.runIf(haveTools || process.env.CI)('the DOCX export in Word-compatible software', () => {
  it('converts to PDF with LibreOffice, landscape, with the Chinese text on the page', async () => {
    const { table } = await readSummaryDocument(SAMPLE, 'sample.txt');
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-pdf-'));
    const docx = join(dir, 'summary.docx');
    writeFileSync(docx, await writeSummaryDocument(table, 'docx', { date: '2022年12月31日' }));

    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], {
      timeout: 120_000,
      stdio: 'pipe',
    });
    const pdf = join(dir, 'summary.pdf');
    expect(existsSync(pdf)).toBe(true);

    // pdftotext spaces out mixed Latin and CJK runs, so compare without white space
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('2022年度市政府工作任务完成情况汇总表');
    expect(text).toContain('市生态环境局');
    expect(text).toContain('九、加快建设美丽苏州');

    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
    expect(Number(width)).toBeGreaterThan(Number(height));
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThan(1);

    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
    const page = readdirSync(dir).find((name) => name.startsWith('page') && name.endsWith('.png'));
    expect(page).toBeDefined();
    expect(statSync(join(dir, page!)).size).toBeGreaterThan(10_000);
  }, 180_000);
});
