import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { badInput } from '../../../domain/errors.js';
import { findIllFormedText } from '../../../domain/unicode.js';
import { illFormedField, readUpload } from '../../upload.js';
import type { ColumnMeaning } from '../../../documents/grid.js';
import { UNLINKED_CHOICES, type OrganisationMapping, type UnlinkedChoice } from '../../../services/import.js';
import { ColumnChoice, ImportFields, Mappings } from '../../../contract/imports.js';

export interface ImportForm {
  bytes: Buffer;
  fileName: string;
  year?: number;
  organisation?: string;
  mappings?: Record<string, OrganisationMapping>;
  unlinked?: UnlinkedChoice;
  columns?: Record<number, ColumnMeaning>;
  period?: string;
}

/**
 * Reads the upload form: exactly one file under `file`, and the text fields. The file is capped while it streams
 * in, so an oversized upload is refused before it is held in memory.
 */
export async function readImportForm(request: FastifyRequest, maxBytes: number): Promise<ImportForm> {
  const { file, fields } = await readUpload(request, maxBytes, { fields: 10 });
  if (fields.unlinked !== undefined && !(UNLINKED_CHOICES as readonly string[]).includes(fields.unlinked)) {
    throw badInput(
      'invalid_request',
      `表单字段 unlinked 的值“${fields.unlinked}”无效：只能是 cooperate（把填报单位加为配合单位）或 omit（不导入这段文字）。`,
    );
  }
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
    const illFormed = findIllFormedText(parsed);
    if (illFormed !== undefined) throw illFormedField(`mappings${illFormed.replace(/\//g, '.')}`);
    if (!Value.Check(Mappings, parsed)) {
      throw badInput('invalid_mappings', '单位对应关系（mappings）格式有误：每项应为 {"organisationId": 编号} 或 {"create": true}。');
    }
    mappings = parsed as Record<string, OrganisationMapping>;
  }
  let columns: Record<number, ColumnMeaning> | undefined;
  if (fields.columns !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.columns);
    } catch {
      throw badInput('invalid_column_mapping', '列对应关系（columns）不是有效的 JSON。', { field: 'columns' });
    }
    const illFormed = findIllFormedText(parsed);
    if (illFormed !== undefined) throw illFormedField(`columns${illFormed.replace(/\//g, '.')}`);
    if (!Value.Check(ColumnChoice, parsed)) {
      throw badInput(
        'invalid_column_mapping',
        '列对应关系（columns）格式有误：应为 {"列位置": "含义"}，列位置是从 0 起的整数，含义为 number、name、work、lead、cooperating、responsible、completion、problems、nextSteps、deadline、leader、status、extra 或 ignore 之一。',
        { field: 'columns' },
      );
    }
    columns = Object.fromEntries(
      Object.entries(parsed as Record<string, ColumnMeaning>).map(([position, meaning]) => [Number(position), meaning]),
    );
  }
  return {
    ...file,
    ...(fields.year ? { year: Number(fields.year) } : {}),
    ...(fields.organisation ? { organisation: fields.organisation } : {}),
    ...(mappings ? { mappings } : {}),
    ...(fields.unlinked ? { unlinked: fields.unlinked } : {}),
    ...(columns ? { columns } : {}),
    ...(fields.period ? { period: fields.period } : {}),
  };
}
