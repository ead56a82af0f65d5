import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll } from 'vitest';

// For the tests that check written documents the way a reader gets them: LibreOffice for Word, poppler for PDF.
// Neither is an npm package, so the tests that need them say how to install them when they are skipped.

export const commandWorks = (command: string, args: string[] = ['-v']) => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const hasPoppler = commandWorks('pdftotext');
/** A converted document is read back with poppler, so LibreOffice alone is not enough. */
export const hasOffice = commandWorks('which', ['soffice']) && hasPoppler;
export const NO_OFFICE = hasOffice ? '' : '（跳过：本机没有 soffice 或 pdftotext，apt install libreoffice-writer-nogui poppler-utils）';

/** A folder of this test file's own, removed after its tests. */
export function scratchFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

export const documentXml = async (bytes: Buffer) => (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');

let files = 0;

/** The text of a PDF, laid out as on the page. */
export function pdfText(bytes: Buffer, dir: string): string {
  const file = join(dir, `${++files}-${process.pid}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

/** Word → PDF with LibreOffice, in its own profile folder so that parallel runs do not share one; gives the PDF's path. */
export function officeToPdf(bytes: Buffer, name: string, dir: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const profile = mkdtempSync(join(dir, 'profile-'));
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
    stdio: 'ignore',
    timeout: 120_000,
  });
  return file.replace(/\.docx$/, '.pdf');
}
