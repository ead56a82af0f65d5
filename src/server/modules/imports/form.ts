import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { AppError, badInput } from '../../../domain/errors.js';
import type { OrganisationMapping } from '../../../services/import.js';
import { ImportFields, Mappings } from './schemas.js';

export interface ImportForm {
  bytes: Buffer;
  fileName: string;
  year?: number;
  organisation?: string;
  mappings?: Record<string, OrganisationMapping>;
}

/**
 * Reads the upload form: exactly one file under `file`, and the text fields. The file is capped while it streams
 * in, so an oversized upload is refused before it is held in memory.
 */
export async function readImportForm(request: FastifyRequest, maxBytes: number): Promise<ImportForm> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'multipart_required', '请以 multipart/form-data 上传文件（字段名 file）。');
  }
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; fileName: string } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 256 * 1024, parts: 12 } })) {
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
  if (!file) throw badInput('file_missing', '没有收到文件：请在字段 file 中上传要导入的文件。');
  if (!Value.Check(ImportFields, fields)) {
    const first = [...Value.Errors(ImportFields, fields)][0];
    throw badInput('invalid_request', `表单字段有误：${first ? `${first.instancePath || '/'} ${first.message}` : '格式不正确'}。`);
  }
  let mappings: Record<string, OrganisationMapping> | undefined;
  if (fields.mappings !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.mappings);
    } catch {
      throw badInput('invalid_mappings', '单位对应关系（mappings）不是有效的 JSON。');
    }
    if (!Value.Check(Mappings, parsed)) {
      throw badInput('invalid_mappings', '单位对应关系（mappings）格式有误：每项应为 {"organisationId": 编号} 或 {"create": true}。');
    }
    mappings = parsed as Record<string, OrganisationMapping>;
  }
  return {
    ...file,
    ...(fields.year ? { year: Number(fields.year) } : {}),
    ...(fields.organisation ? { organisation: fields.organisation } : {}),
    ...(mappings ? { mappings } : {}),
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
