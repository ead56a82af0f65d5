/**
 * Hostile and broken files made on the fly, for the tests and for `npm run bench` (so no vitest import here): zip
 * bombs, DTDs in Office parts, truncated archives, a workbook of 100,000 rows.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export const MB = 1024 * 1024;
const zipOptions = { date: new Date('2031-07-05T00:00:00Z'), createFolders: false };

/**
 * The file with an entry of `megabytes` of zeros added: deflated about a thousandfold, so 60 MB is a 60 KB file.
 * The entry is a thumbnail, a part both Word and Excel packages may carry.
 */
export async function withZeros(bytes: Uint8Array, megabytes: number, entry = 'docProps/thumbnail.jpeg'): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  zip.file(entry, Buffer.alloc(megabytes * MB), zipOptions);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/**
 * The same archive whose ZIP directory and local header claim the entry is 1 KB: the declared sizes pass, so only
 * the cap on bytes actually inflated can stop it.
 */
export function underDeclared(bytes: Buffer, entry: string): Buffer {
  const patched = Buffer.from(bytes);
  const eocd = patched.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = patched.readUInt16LE(eocd + 10);
  let offset = patched.readUInt32LE(eocd + 16);
  for (let index = 0; index < entries; index++) {
    const nameLength = patched.readUInt16LE(offset + 28);
    const name = patched.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entry) {
      patched.writeUInt32LE(1024, offset + 24);
      patched.writeUInt32LE(1024, patched.readUInt32LE(offset + 42) + 22);
      return patched;
    }
    offset += 46 + nameLength + patched.readUInt16LE(offset + 30) + patched.readUInt16LE(offset + 32);
  }
  throw new Error(`${entry} not found in the ZIP directory`);
}

/** The file with one part replaced by `content`, or changed by a function of its text. */
export async function withPart(bytes: Uint8Array, name: string, content: string | ((xml: string) => string)): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const text = typeof content === 'string' ? content : content(await zip.file(name)!.async('string'));
  zip.file(name, text, zipOptions);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** An external entity (XXE) declared before the root element of an XML part. */
export const externalEntity = (xml: string): string =>
  xml.replace(
    /(<\?xml[^>]*\?>)?\s*</,
    (_match, declaration: string | undefined) => `${declaration ?? ''}<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><`,
  );

/** A minimal OFD package (GB/T 33190): the entry file and one document. */
export async function minimalOfd(extra: (zip: JSZip) => void = () => undefined): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    'OFD.xml',
    '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
    zipOptions,
  );
  zip.file(
    'Doc_0/Document.xml',
    '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
    zipOptions,
  );
  extra(zip);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A summary table of 100,000 task rows, streamed by exceljs so that building it stays within a second or two. */
export async function hundredThousandRows(): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('汇总表');
  sheet.addRow(['2031年度市政府工作任务完成情况汇总表']).commit();
  sheet.addRow(['序号', '名称', '工作任务', '牵头单位', '主要配合单位', '全年完成情况']).commit();
  sheet.addRow(['一、经济社会发展主要预期目标']).commit();
  for (let number = 1; number <= 100_000; number++)
    sheet.addRow([number, `任务${number}`, `工作内容${number}`, '市发改委', '', '']).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}
