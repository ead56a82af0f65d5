import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { ServiceContext } from './context.js';

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  objectType?: string;
  organisationId?: number;
  limit?: number;
  offset?: number;
}

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  organisationId: number | null;
  source: string;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
}

function filtered(ctx: ServiceContext, query: AuditQuery) {
  let select = ctx.db.selectFrom('audit_events');
  if (query.from) select = select.where('at', '>=', query.from);
  if (query.to) select = select.where('at', '<', query.to);
  if (query.actor) select = select.where('actor', '=', query.actor);
  // a prefix match without LIKE, whose wildcards (_ is common in action names) would need escaping per dialect
  if (query.action) select = select.where(sql`substr(action, 1, ${[...query.action].length})`, '=', query.action);
  if (query.objectType) select = select.where('object_type', '=', query.objectType);
  if (query.organisationId !== undefined) select = select.where('organisation_id', '=', query.organisationId);
  return select;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The audit trail, newest first. Reading it is the only thing the application does with it besides appending. */
export async function listAuditEvents(ctx: ServiceContext, query: AuditQuery): Promise<{ total: number; events: AuditEventView[] }> {
  const total = Number((await filtered(ctx, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await filtered(ctx, query)
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit ?? 100)
    .offset(query.offset ?? 0)
    .execute();
  return {
    total,
    events: rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      organisationId: row.organisation_id,
      source: row.source,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      before: parse(row.before),
      after: parse(row.after),
    })),
  };
}

const COLUMNS = ['编号', '时间（UTC）', '操作者', '单位编号', '来源', '操作', '对象类型', '对象编号', '变更前', '变更后'];

function cells(event: AuditEventView): (string | number)[] {
  return [
    event.id,
    event.at,
    event.actor,
    event.organisationId ?? '',
    event.source,
    event.action,
    event.objectType,
    event.objectId,
    event.before === null ? '' : JSON.stringify(event.before),
    event.after === null ? '' : JSON.stringify(event.after),
  ];
}

/** CSV (UTF-8 with BOM) or XLSX of the filtered trail, at most 100,000 entries. */
export async function exportAuditEvents(ctx: ServiceContext, query: AuditQuery, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const { events } = await listAuditEvents(ctx, { ...query, limit: 100_000, offset: 0 });
  if (format === 'csv') {
    const quote = (value: string | number) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const lines = [COLUMNS, ...events.map(cells)].map((row) => row.map(quote).join(','));
    return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(COLUMNS).font = { bold: true };
  for (const event of events) sheet.addRow(cells(event));
  sheet.columns.forEach((column, index) => {
    column.width = [8, 26, 18, 10, 20, 26, 14, 12, 40, 60][index];
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
