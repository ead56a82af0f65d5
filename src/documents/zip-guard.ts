import JSZip from 'jszip';
import { badInput } from '../domain/errors.js';
import type { ReaderLimits } from './limits.js';

/**
 * Safety checks for the ZIP containers of Word (.docx) and Excel (.xlsx) files, in one place so that both readers
 * reject the same things with the same messages. None of docx, exceljs or jszip caps how much a file inflates to, so
 * every size limit here is ours: first on the sizes the ZIP directory declares (cheap, before any inflating), then on
 * the bytes actually produced, because a hostile file can declare small sizes and inflate to far more.
 */

export type OfficeKind = 'docx' | 'xlsx';
/** The containers guarded here: the two Office kinds the importer reads, and OFD (GB/T 33190), a ZIP of XML too. */
export type ZipKind = OfficeKind | 'ofd';

export interface ZipLimits {
  /** Largest uncompressed size of one entry, declared or actual. */
  maxEntryBytes?: number;
  /** Largest uncompressed size of all entries together, declared or actual. */
  maxTotalBytes?: number;
  /** Most entries in the archive; a real document has a few dozen. */
  maxEntries?: number;
}

export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = {
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxEntries: 10_000,
};

/**
 * The zip caps that follow from the readers' shared caps: the configured total, and an entry cap no larger than the
 * total. The entry cap stays at 50 MB even when the total is raised, because no real document part is that large
 * and one huge entry is what a zip bomb looks like.
 */
export function zipLimitsFor(limits: Pick<ReaderLimits, 'maxDecompressedBytes'>): ZipLimits {
  return {
    maxTotalBytes: limits.maxDecompressedBytes,
    maxEntryBytes: Math.min(DEFAULT_ZIP_LIMITS.maxEntryBytes, limits.maxDecompressedBytes),
  };
}

const KIND_LABEL: Record<ZipKind, string> = { docx: 'Word 文档（.docx）', xlsx: 'Excel 工作簿（.xlsx）', ofd: 'OFD 版式文件（.ofd）' };
const LEGACY_EXTENSION: Record<ZipKind, string> = { docx: '.doc', xlsx: '.xls', ofd: '' };
/** The part without which the container is not that kind of document at all. */
const MAIN_PART: Record<ZipKind, string> = { docx: 'word/document.xml', xlsx: 'xl/workbook.xml', ofd: 'OFD.xml' };

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];
const EOCD_SIGNATURE = 0x06054b50;
/** The end-of-central-directory record is 22 bytes plus a comment of at most 65 535 bytes. */
const EOCD_SEARCH_WINDOW = 22 + 0xffff;

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Names what the file is when it is not a ZIP, because the usual culprits (a legacy or password-protected Office
 * file, a PDF, an HTML table saved with an .xls name by some reporting system) each need a different fix.
 */
export function sniffOfficeFile(bytes: Uint8Array, kind: ZipKind): void {
  const label = KIND_LABEL[kind];
  if (bytes.length === 0) throw badInput('empty_file', `文件为空（0 字节），不是有效的${label}。`);
  if (startsWith(bytes, OLE_SIGNATURE) && kind !== 'ofd') {
    // Office encrypts a password-protected .docx/.xlsx into an OLE compound file whose directory names this stream.
    const encrypted = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from('EncryptionInfo', 'utf16le'));
    throw badInput(
      'encrypted_or_legacy_office',
      encrypted
        ? `该文件设置了打开密码（已加密），无法读取。请在 Office/WPS 中取消密码后另存为${label}再上传。`
        : `该文件是旧版 Office 格式（${LEGACY_EXTENSION[kind]}）或已加密的文件，无法读取。请在 Office/WPS 中另存为${label}再上传。`,
    );
  }
  if (startsWith(bytes, ZIP_LOCAL_HEADER) || startsWith(bytes, ZIP_EMPTY_ARCHIVE)) return;
  throw badInput('not_zip', `文件不是有效的${label}（不是 ZIP 格式）。${whatItIs(bytes)}`);
}

/** What a file that is not a ZIP most likely is, as a hint a person can act on; '' when unknown. */
export function whatItIs(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512)).toString('latin1').trimStart();
  if (head.startsWith('%PDF')) return '它是 PDF 文件。';
  if (head.startsWith('{\\rtf')) return '它是 RTF 文件，请另存为 .docx。';
  if (/^(<|MIME-Version)/i.test(head)) return '它是网页（HTML/MHT）格式，常见于系统导出的表格，请用 Office/WPS 打开后另存为 .docx/.xlsx。';
  return '';
}

/** Reads the entry count from the end-of-central-directory record, which also tells a truncated file apart. */
function readEntryCount(bytes: Uint8Array, kind: ZipKind): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stop = Math.max(0, bytes.length - EOCD_SEARCH_WINDOW);
  for (let offset = bytes.length - 22; offset >= stop; offset--) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) return view.getUint16(offset + 10, true);
  }
  throw badInput('zip_corrupt', `${KIND_LABEL[kind]}不完整或已损坏（找不到 ZIP 目录，文件可能没有上传完整）。`);
}

interface DeclaredEntry {
  name: string;
  file: JSZip.JSZipObject;
  declaredBytes: number;
}

/** jszip keeps the directory's uncompressed size on an internal field; it is the only place it is exposed. */
function declaredSize(file: JSZip.JSZipObject): number | undefined {
  const data = (file as unknown as { _data?: { uncompressedSize?: unknown } })._data;
  return typeof data?.uncompressedSize === 'number' ? data.uncompressedSize : undefined;
}

interface StreamableEntry {
  internalStream(type: 'uint8array'): JSZip.JSZipStreamHelper<Uint8Array>;
}

/** An opened archive whose declared sizes are within the limits and whose entries inflate under a running cap. */
export interface GuardedZip {
  names: string[];
  has(name: string): boolean;
  /** Inflates one entry, stopping as soon as it passes the entry cap or the archive's running total passes its cap. */
  readBytes(name: string): Promise<Uint8Array>;
  /** Inflates an XML entry, decodes it and rejects DTDs (entity expansion, external entities). */
  readXml(name: string): Promise<string>;
}

export async function openOfficeZip(bytes: Uint8Array, kind: ZipKind, limits: ZipLimits = {}): Promise<GuardedZip> {
  const caps = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const label = KIND_LABEL[kind];
  sniffOfficeFile(bytes, kind);
  const count = readEntryCount(bytes, kind);
  if (count > caps.maxEntries) {
    throw badInput('zip_too_many_entries', `${label}包含 ${count} 个压缩条目，超过上限 ${caps.maxEntries} 个，拒绝读取。`);
  }

  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (/encrypted/i.test(detail)) throw badInput('zip_encrypted', `${label}内的文件经过 ZIP 加密，无法读取。`);
    throw badInput('zip_corrupt', `${label}已损坏，无法解压（${detail}）。`);
  }

  const entries = new Map<string, DeclaredEntry>();
  let declaredTotal = 0;
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const declaredBytes = declaredSize(file);
    if (declaredBytes === undefined) throw badInput('zip_corrupt', `${label}已损坏：条目“${file.name}”没有记录大小。`);
    if (declaredBytes > caps.maxEntryBytes) {
      throw badInput(
        'zip_entry_too_large',
        `${label}中的“${file.name}”解压后有 ${mb(declaredBytes)}，超过单个条目上限 ${mb(caps.maxEntryBytes)}，可能是压缩炸弹，拒绝读取。`,
      );
    }
    declaredTotal += declaredBytes;
    if (declaredTotal > caps.maxTotalBytes) {
      throw badInput('zip_too_large', `${label}解压后总大小超过上限 ${mb(caps.maxTotalBytes)}，可能是压缩炸弹，拒绝读取。`);
    }
    entries.set(file.name.replace(/^\//, ''), { name: file.name, file, declaredBytes });
  }

  let inflatedTotal = 0;
  const readBytes = (name: string): Promise<Uint8Array> => {
    const entry = entries.get(name);
    if (!entry) return Promise.reject(badInput('zip_entry_missing', `${label}中缺少“${name}”。`));
    return new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      let entryBytes = 0;
      let settled = false;
      // internalStream is jszip's public-but-untyped streaming API; async() would inflate everything before we could look.
      const stream = (entry.file as unknown as StreamableEntry).internalStream('uint8array');
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        stream.pause();
        reject(error);
      };
      stream
        .on('data', (chunk: Uint8Array) => {
          if (settled) return;
          entryBytes += chunk.length;
          inflatedTotal += chunk.length;
          if (entryBytes > caps.maxEntryBytes || entryBytes > entry.declaredBytes) {
            // The directory under-declared this entry: only a crafted file does that.
            fail(
              badInput(
                'zip_entry_too_large',
                `${label}中的“${name}”解压后超过${entryBytes > caps.maxEntryBytes ? `单个条目上限 ${mb(caps.maxEntryBytes)}` : '其声明的大小'}，可能是压缩炸弹，拒绝读取。`,
              ),
            );
            return;
          }
          if (inflatedTotal > caps.maxTotalBytes) {
            fail(badInput('zip_too_large', `${label}解压后总大小超过上限 ${mb(caps.maxTotalBytes)}，可能是压缩炸弹，拒绝读取。`));
            return;
          }
          chunks.push(chunk);
        })
        .on('error', (error: unknown) => {
          const detail = error instanceof Error ? error.message : String(error);
          fail(badInput('zip_corrupt', `${label}中的“${name}”已损坏，无法解压（${detail}）。`));
        })
        .on('end', () => {
          if (settled) return;
          settled = true;
          resolve(Buffer.concat(chunks));
        })
        .resume();
    });
  };

  return {
    names: [...entries.keys()],
    has: (name) => entries.has(name),
    readBytes,
    async readXml(name) {
      const xml = decodeXml(await readBytes(name), name, label);
      assertNoDtd(xml, name, label);
      return xml;
    },
  };
}

/**
 * The whole container checked as the importer checks what it reads, before it is kept as evidence: every entry
 * inflated under the caps (a zip bomb stops at the cap, a truncated or corrupt entry fails to inflate), every XML
 * part free of DTDs, and the kind's main part present. Nothing is kept of the inflated bytes.
 */
export async function verifyZipContainer(bytes: Uint8Array, kind: ZipKind, limits: ZipLimits = {}): Promise<void> {
  const zip = await openOfficeZip(bytes, kind, limits);
  if (!zip.has(MAIN_PART[kind])) {
    throw badInput('zip_entry_missing', `${KIND_LABEL[kind]}不完整或已损坏：缺少“${MAIN_PART[kind]}”。`);
  }
  for (const name of zip.names) {
    if (/\.(xml|rels)$/i.test(name)) await zip.readXml(name);
    else await zip.readBytes(name);
  }
}

function decodeXml(bytes: Uint8Array, name: string, label: string): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput('xml_bad_encoding', `${label}中的“${name}”不是有效的 UTF-8/UTF-16 文本，文件已损坏。`);
  }
}

/**
 * Office never writes a DTD, so any DOCTYPE or ENTITY declaration is a crafted file: entity expansion ("billion
 * laughs") or external entities (XXE). Rejecting them outright is simpler and safer than configuring every parser.
 */
export function assertNoDtd(xml: string, name: string, label = '文件'): void {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) {
    throw badInput('hostile_xml', `${label}中的“${name}”含有 DOCTYPE/ENTITY 声明（可被用于实体扩展或外部实体攻击），拒绝读取。`);
  }
}

/**
 * Characters XML 1.0 cannot carry (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). Neither docx
 * nor exceljs filters them, and one of them makes Word or Excel refuse to open the whole file, so writers drop them.
 */
export function stripXmlInvalidChars(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '',
  );
}
