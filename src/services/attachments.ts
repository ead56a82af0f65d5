import { createHash } from 'node:crypto';
import type { AttachmentView } from '../contract/reports.js';
import {
  insertAttachment,
  listAttachmentsOfReport,
  markAttachmentRemoved,
  readAttachmentBlob,
  storeAttachmentBlob,
} from '../db/repositories/attachments.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { latestVersionsByEvent } from '../db/repositories/reports.js';
import { resolveReaderLimits } from '../documents/limits.js';
import { verifyZipInWorker } from '../documents/worker.js';
import { zipLimitsFor, type ZipKind } from '../documents/zip-guard.js';
import { AppError, badInput, conflict } from '../domain/errors.js';
import { DELIVERED_EVENTS } from '../domain/reporting.js';
import type { Principal } from './accounts.js';
import type { Actor, ServiceContext } from './context.js';
import { attachedAt, attachmentView as view } from './attachment-views.js';
import { requireAction, subjectOfReport, visibility } from './reporting.js';
import { notFoundOf } from './policy.js';

/**
 * Evidence files of a report (佐证材料). A file belongs to the versions from the revision after it was added until
 * the revision after it was removed, so every submitted version keeps the files it was submitted with; contents are
 * stored once per checksum, in the database, so that every server process and every backup has them.
 */

export const MAX_ATTACHMENTS_PER_REPORT = 30;

interface EvidenceType {
  contentType: string;
  label: string;
  /** the file's first bytes must say the same as its name */
  sniff: (bytes: Uint8Array) => boolean;
  /** a file cut off in transfer lacks its end marker: cheap to look for, so looked for */
  ends?: (bytes: Uint8Array) => boolean;
  /** a ZIP container, checked whole as the importer checks what it reads */
  container?: ZipKind;
}

/** What evidence may be. */
const TYPES: Record<string, EvidenceType> = {
  pdf: {
    contentType: 'application/pdf',
    label: 'PDF',
    sniff: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
    ends: (b) => tailHas(b, '%%EOF'),
  },
  png: {
    contentType: 'image/png',
    label: 'PNG 图片',
    sniff: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47]),
    ends: (b) => tailHas(b, 'IEND'),
  },
  jpg: {
    contentType: 'image/jpeg',
    label: 'JPEG 图片',
    sniff: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
    ends: (b) => tailHas(b, '\xff\xd9'),
  },
  jpeg: {
    contentType: 'image/jpeg',
    label: 'JPEG 图片',
    sniff: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
    ends: (b) => tailHas(b, '\xff\xd9'),
  },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word 文档',
    sniff: isZip,
    container: 'docx',
  },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel 工作簿',
    sniff: isZip,
    container: 'xlsx',
  },
  ofd: { contentType: 'application/ofd', label: 'OFD 版式文件', sniff: isZip, container: 'ofd' },
};

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

/**
 * Whether the end marker is among the last bytes: PDF writers, cameras and scanners may put a line break, padding or
 * a trailer after it, never a kilobyte.
 */
function tailHas(bytes: Uint8Array, marker: string): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - 1024));
  return tail.includes(Buffer.from(marker, 'latin1'));
}

/** A file that is what its name says, checked to its end: a truncated, hostile or bombed file is not kept. */
async function checkWhole(ctx: ServiceContext, type: EvidenceType, fileName: string, bytes: Uint8Array): Promise<void> {
  if (type.ends && !type.ends(bytes)) {
    throw badInput(
      'attachment_truncated',
      `文件“${fileName}”不完整（缺少${type.label}的结束标记），可能没有上传完整或已损坏，请重新导出后再上传。`,
    );
  }
  if (!type.container) return;
  try {
    // in the capped worker thread: inflating a bomb up to the cap must not hold up the server
    await verifyZipInWorker(bytes, type.container, zipLimitsFor(resolveReaderLimits(ctx.readerLimits)));
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError(error.status, error.code, `佐证材料“${fileName}”未被接受：${error.message}`, error.details);
    throw error;
  }
}

function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
}

export const ATTACHMENT_EXTENSIONS = Object.keys(TYPES);

/** The files this principal may see: the unit all current ones, others those of the version that left the unit. */
export async function listAttachments(ctx: ServiceContext, principal: Principal, reportId: number): Promise<AttachmentView[]> {
  const subject = await subjectOfReport(ctx.db, reportId);
  const rows = await listAttachmentsOfReport(ctx.db, reportId);
  if (visibility(principal, subject) === 'working') return attachedAt(rows, 'current').map(view);
  // only the versions that left the unit are read, not the unit's own steps between them
  const delivered = (await latestVersionsByEvent(ctx.db, [reportId], DELIVERED_EVENTS)).get(reportId);
  return delivered ? attachedAt(rows, delivered.revision).map(view) : [];
}

/** A file name as people gave it, safe to store and to offer for download. */
export function safeFileName(raw: string): string {
  // keep the name people gave it, without paths or characters that break downloads
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '').trim();
  return [...cleaned].slice(-120).join('') || '附件';
}

/** Adds an evidence file to the unit's working copy, once it is checked to be whole, of its type and scanned. */
export async function addAttachment(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  reportId: number,
  file: { bytes: Uint8Array; fileName: string },
): Promise<AttachmentView[]> {
  const fileName = safeFileName(file.fileName);
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const type = TYPES[extension];
  if (!type)
    throw badInput(
      'attachment_type',
      `不支持的佐证材料类型“${extension ? `.${extension}` : fileName}”。可上传：${ATTACHMENT_EXTENSIONS.map((e) => `.${e}`).join('、')}。`,
    );
  if (file.bytes.length === 0) throw badInput('empty_file', `文件“${fileName}”是空的。`);
  if (!type.sniff(file.bytes))
    throw badInput('attachment_mismatch', `文件“${fileName}”的内容不是${type.label}，请检查文件是否损坏或扩展名是否正确。`);
  // check who before the file's whole content and the scan, which may take a while
  requireAction(principal, await subjectOfReport(ctx.db, reportId), 'edit');
  await checkWhole(ctx, type, fileName, file.bytes);
  const scan = await ctx.scanFile(file.bytes, fileName);
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const subject = await subjectOfReport(trx, reportId);
    requireAction(principal, subject, 'edit');
    const current = attachedAt(await listAttachmentsOfReport(trx, reportId), 'current');
    if (current.length >= MAX_ATTACHMENTS_PER_REPORT)
      throw conflict('too_many_attachments', `每份报告最多 ${MAX_ATTACHMENTS_PER_REPORT} 个佐证材料。`);
    if (current.some((row) => row.sha256 === sha256))
      throw conflict('attachment_duplicate', `同样内容的文件已经上传过（${current.find((row) => row.sha256 === sha256)!.file_name}）。`);
    await storeAttachmentBlob(trx, { sha256, bytes: file.bytes, at });
    const id = await insertAttachment(trx, {
      report_id: reportId,
      file_name: fileName,
      content_type: type.contentType,
      size: file.bytes.length,
      sha256,
      scan_state: scan,
      added_revision: subject.report!.revision + 1,
      removed_revision: null,
      created_by: actor.id,
      created_at: at,
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: subject.organisation.id,
        source: actor.source,
        action: 'report.attach',
        objectType: 'attachment',
        objectId: id,
        after: { reportId, fileName, size: file.bytes.length, sha256, scan },
      },
      at,
    );
  });
  return listAttachments(ctx, principal, reportId);
}

/** Removes a file from the working copy; the versions already submitted with it keep it. */
export async function removeAttachment(
  ctx: ServiceContext,
  principal: Principal,
  actor: Actor,
  reportId: number,
  attachmentId: number,
): Promise<AttachmentView[]> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const subject = await subjectOfReport(trx, reportId);
    requireAction(principal, subject, 'edit');
    const row = attachedAt(await listAttachmentsOfReport(trx, reportId), 'current').find((candidate) => candidate.id === attachmentId);
    if (!row) throw notFoundOf('attachment');
    // kept for the versions that were submitted with it; gone from the next one on
    await markAttachmentRemoved(trx, attachmentId, subject.report!.revision + 1);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: subject.organisation.id,
        source: actor.source,
        action: 'report.detach',
        objectType: 'attachment',
        objectId: attachmentId,
        before: { reportId, fileName: row.file_name, sha256: row.sha256 },
      },
      at,
    );
  });
  return listAttachments(ctx, principal, reportId);
}

/** A file's bytes, for a principal who may see it in the report as they see it. */
export async function readAttachment(ctx: ServiceContext, principal: Principal, reportId: number, attachmentId: number) {
  const visible = (await listAttachments(ctx, principal, reportId)).find((attachment) => attachment.id === attachmentId);
  if (!visible) throw notFoundOf('attachment');
  return { ...visible, bytes: await readAttachmentBlob(ctx.db, visible.sha256) };
}
