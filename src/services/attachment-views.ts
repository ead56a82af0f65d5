import type { AttachmentView } from '../contract/reports.js';
import type { AttachmentRow } from '../db/schema.js';

/** How evidence files are shown, and which belong to which version of a report. */

const SCAN_LABELS: Record<string, string> = { clean: '已通过病毒扫描', not_scanned: '未扫描' };

/** A stored file as readers see it, with its scan state in words. */
export function attachmentView(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    scanState: row.scan_state,
    scanLabel: SCAN_LABELS[row.scan_state] ?? row.scan_state,
    createdAt: row.created_at,
  };
}

/** The files of a report as of a revision: the working copy's (current) or a version's. */
export function attachedAt(rows: AttachmentRow[], revision: number | 'current'): AttachmentRow[] {
  return rows.filter((row) =>
    revision === 'current'
      ? row.removed_revision === null
      : row.added_revision <= revision && (row.removed_revision === null || row.removed_revision > revision),
  );
}
