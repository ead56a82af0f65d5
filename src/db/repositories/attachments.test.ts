import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { buildSummaryTable } from '../../../test/factories/summary-table.js';
import { describeEachDatabase } from '../../../test/helpers/database.js';
import { writeSummaryDocument } from '../../documents/index.js';
import { createServiceContext } from '../../services/context.js';
import { importSummaryTable } from '../../services/import.js';
import {
  insertAttachment,
  listAttachmentsOfReport,
  markAttachmentRemoved,
  readAttachmentBlob,
  storeAttachmentBlob,
} from './attachments.js';

const AT = '2030-06-01T00:00:00.000Z';

describeEachDatabase('evidence files in the database', (database) => {
  it('stores contents once per checksum, keeps every file of a report and ends a removed one’s range', async () => {
    const { db } = database();
    await importSummaryTable(
      createServiceContext(db),
      { id: 'cli', source: 'cli' },
      { bytes: await writeSummaryDocument(buildSummaryTable(), 'json'), fileName: '水务局.json' },
    );
    const [first, second] = await db.selectFrom('reports').select('id').orderBy('id').execute();
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x0a]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await storeAttachmentBlob(db, { sha256, bytes, at: AT });
    await storeAttachmentBlob(db, { sha256, bytes, at: AT });
    expect(await db.selectFrom('attachment_blobs').select('size').where('sha256', '=', sha256).execute()).toEqual([{ size: bytes.length }]);
    expect(await readAttachmentBlob(db, sha256)).toEqual(Buffer.from(bytes));

    const file = (reportId: number, fileName: string) => ({
      report_id: reportId,
      file_name: fileName,
      content_type: 'application/pdf',
      size: bytes.length,
      sha256,
      scan_state: 'clean',
      added_revision: 2,
      removed_revision: null,
      created_by: 'user:7',
      created_at: AT,
    });
    const kept = await insertAttachment(db, file(first!.id, '验收报告.pdf'));
    const removed = await insertAttachment(db, file(first!.id, '旧版.pdf'));
    await insertAttachment(db, file(second!.id, '另一份报告的.pdf'));
    await markAttachmentRemoved(db, removed, 3);
    expect(
      (await listAttachmentsOfReport(db, first!.id)).map((row) => [row.id, row.file_name, row.added_revision, row.removed_revision]),
    ).toEqual([
      [kept, '验收报告.pdf', 2, null],
      [removed, '旧版.pdf', 2, 3],
    ]);
    await expect(readAttachmentBlob(db, 'f'.repeat(64))).rejects.toThrow();
  });
});
