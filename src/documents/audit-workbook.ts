/**
 * The audit trail as a file: one record per entry, the words for a reader each beside its code for a machine
 * reading the file. The same records make the CSV (through writeCsv) and the XLSX workbook written here.
 */

/** One entry of the trail as it is exported: names already looked up, before and after already parsed. */
export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  /** who the actor is, for people: `张三（zhang.san）` for a user, the token's name for a token, else the actor itself */
  actorName: string;
  organisationId: number | null;
  organisationName: string | null;
  source: string;
  action: string;
  /** the action in words (src/contract/audit-labels.ts), the code itself for one it does not know */
  actionLabel: string;
  objectType: string;
  objectTypeLabel: string;
  objectId: string;
  /** what the object is called now: the user's name, the unit, the plan's title, a report's item, unit and period */
  objectName: string | null;
  before: unknown;
  after: unknown;
}

export const AUDIT_SHEET_NAME = '审计日志';

/** The columns of an audit export, with their widths in the workbook (in characters). */
export const AUDIT_COLUMNS: readonly { title: string; width: number }[] = [
  { title: '编号', width: 8 },
  { title: '时间（UTC）', width: 26 },
  { title: '操作者', width: 18 },
  { title: '操作者名称', width: 24 },
  { title: '单位编号', width: 10 },
  { title: '单位名称', width: 24 },
  { title: '来源', width: 20 },
  { title: '操作', width: 24 },
  { title: '操作代码', width: 26 },
  { title: '对象类型', width: 12 },
  { title: '对象类型代码', width: 16 },
  { title: '对象编号', width: 12 },
  { title: '对象名称', width: 40 },
  { title: '变更前', width: 40 },
  { title: '变更后', width: 60 },
];

const json = (value: unknown): string => (value === null || value === undefined ? '' : JSON.stringify(value));

/** The cells of one entry, in the order of AUDIT_COLUMNS; what is absent is an empty text. */
export function auditCells(record: AuditRecord): (string | number)[] {
  return [
    record.id,
    record.at,
    record.actor,
    record.actorName,
    record.organisationId ?? '',
    record.organisationName ?? '',
    record.source,
    record.actionLabel,
    record.action,
    record.objectTypeLabel,
    record.objectType,
    record.objectId,
    record.objectName ?? '',
    json(record.before),
    json(record.after),
  ];
}

/** The heading row and one row per entry: what both the CSV and the workbook hold. */
export function auditTable(records: readonly AuditRecord[]): (string | number)[][] {
  return [AUDIT_COLUMNS.map((column) => column.title), ...records.map(auditCells)];
}

/**
 * The entries as an XLSX workbook: one sheet, the heading row bold and frozen. Every cell is a value, never a
 * formula: texts in the trail come from anyone (the user name of a failed sign-in), and exceljs writes a string as a
 * string whatever it starts with.
 */
export async function writeAuditWorkbook(records: readonly AuditRecord[]): Promise<Buffer> {
  // loaded on first export: the server and the CLI start without the spreadsheet library
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(AUDIT_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  const [heading, ...rows] = auditTable(records);
  sheet.addRow(heading!).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column, index) => {
    column.width = AUDIT_COLUMNS[index]!.width;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
