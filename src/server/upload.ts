import type { FastifyRequest } from 'fastify';
import { AppError, badInput } from '../domain/errors.js';
import { findIllFormedText } from '../domain/unicode.js';

export interface Upload {
  file: { bytes: Buffer; fileName: string };
  fields: Record<string, string>;
}

/**
 * Reads a multipart form with exactly one file under `file` and a few text fields. The file is capped while it
 * streams in, so an oversized upload is refused before it is held in memory.
 */
export async function readUpload(request: FastifyRequest, maxBytes: number, limits: { fields: number }): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'multipart_required', '请以 multipart/form-data 上传文件（字段名 file）。');
  }
  const fields: Record<string, string> = {};
  let file: Upload['file'] | undefined;
  try {
    for await (const part of request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: limits.fields, fieldSize: 256 * 1024, parts: limits.fields + 2 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw badInput('unexpected_file_field', `上传的文件应放在字段 file 中，收到的是“${part.fieldname}”。`);
        }
        file = { bytes: await part.toBuffer(), fileName: part.filename || 'upload' };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'file_too_large', `上传的文件超过大小上限（${formatBytes(maxBytes)}）。`);
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw badInput('too_many_parts', '一次只能上传一个文件和少量字段。');
    }
    throw error;
  }
  if (!file) throw badInput('file_missing', '没有收到文件：请在字段 file 中上传文件。');
  // the same rule as for JSON bodies: text that cannot be stored as UTF-8 is refused, by field
  const illFormed = findIllFormedText({ ...fields, 'file 的文件名': file.fileName });
  if (illFormed !== undefined) throw illFormedField(illFormed.slice(1));
  return { file, fields };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** A form field (or text inside one) that is not well-formed Unicode. */
export function illFormedField(field: string): AppError {
  return badInput('invalid_text', `表单字段 ${field} 含有无效的 Unicode 字符（不成对的代理项），请删去后重新上传。`);
}
