import type { Insertable } from 'kysely';
import type { AttachmentRow, AttachmentTable, Executor } from '../schema.js';

/**
 * Evidence files of reports: `attachments` rows, each valid for a range of the report's revisions, pointing at
 * contents stored once per SHA-256 in `attachment_blobs`. The caller owns the transaction.
 */

/** Every file ever attached to a report, removed ones included, in the order they were added. */
export async function listAttachmentsOfReport(db: Executor, reportId: number): Promise<AttachmentRow[]> {
  return db.selectFrom('attachments').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
}

/**
 * Stores a file's contents unless contents with that checksum are already stored: the same file attached to many
 * reports is kept once.
 */
export async function storeAttachmentBlob(db: Executor, blob: { sha256: string; bytes: Uint8Array; at: string }): Promise<void> {
  const stored = await db.selectFrom('attachment_blobs').select('sha256').where('sha256', '=', blob.sha256).executeTakeFirst();
  if (stored) return;
  await db
    .insertInto('attachment_blobs')
    .values({ sha256: blob.sha256, size: blob.bytes.length, bytes: Buffer.from(blob.bytes), created_at: blob.at })
    .execute();
}

/** Adds a file to a report; returns its id. */
export async function insertAttachment(db: Executor, attachment: Insertable<AttachmentTable>): Promise<number> {
  const { id } = await db.insertInto('attachments').values(attachment).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Ends a file's range of revisions: the versions before `revision` keep it. */
export async function markAttachmentRemoved(db: Executor, attachmentId: number, revision: number): Promise<void> {
  await db.updateTable('attachments').set({ removed_revision: revision }).where('id', '=', attachmentId).execute();
}

/** The stored contents with this checksum; throws when none are stored, which the foreign key rules out. */
export async function readAttachmentBlob(db: Executor, sha256: string): Promise<Buffer> {
  const blob = await db.selectFrom('attachment_blobs').select('bytes').where('sha256', '=', sha256).executeTakeFirstOrThrow();
  return Buffer.from(blob.bytes);
}
