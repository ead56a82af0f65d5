import { badInput } from '../domain/errors.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Decodes a text file the way offices produce them: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
 * "Unicode text"), or GB18030/GBK from older Windows tools. Bytes that are not valid UTF-8 are taken as GB18030.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strictDecode('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: strictDecode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: strictDecode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  }
  if (bytes.includes(0)) {
    throw badInput('binary_file', '文件含有二进制内容（NUL 字节），不是文本文件。若为 Word/Excel 文件，请以 .docx/.xlsx 上传。');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: strictDecode('gb18030', bytes), encoding: 'gb18030' };
  }
}

function strictDecode(encoding: TextEncoding, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw badInput('bad_encoding', `文件不是有效的 ${encoding.toUpperCase()} 文本，无法解码。`);
  }
}
