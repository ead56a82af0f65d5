import type { Executor, ReportRow } from '../schema.js';

export async function listReportsOfItem(db: Executor, itemId: number) {
  return db
    .selectFrom('reports')
    .innerJoin('periods', 'periods.id', 'reports.period_id')
    .selectAll('reports')
    .select(['periods.code as period_code', 'periods.label as period_label'])
    .where('reports.item_id', '=', itemId)
    .orderBy('periods.ends_on')
    .orderBy('reports.organisation_id')
    .execute();
}

export async function listReportsOfOrganisationPeriod(db: Executor, organisationId: number, periodId: number): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('organisation_id', '=', organisationId).where('period_id', '=', periodId).execute();
}

export async function findReport(db: Executor, itemId: number, organisationId: number, periodId: number): Promise<ReportRow | undefined> {
  return db
    .selectFrom('reports')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('organisation_id', '=', organisationId)
    .where('period_id', '=', periodId)
    .executeTakeFirst();
}

export interface ReportVersionInput {
  state: string;
  text: string;
  status: string | null;
  source: string;
  createdBy: string;
  at: string;
}

export async function insertReport(
  db: Executor,
  keys: { itemId: number; organisationId: number; periodId: number },
  version: ReportVersionInput,
): Promise<number> {
  const { id } = await db
    .insertInto('reports')
    .values({
      item_id: keys.itemId,
      organisation_id: keys.organisationId,
      period_id: keys.periodId,
      state: version.state,
      text: version.text,
      status: version.status,
      revision: 1,
      created_at: version.at,
      updated_at: version.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertVersion(db, id, 1, version);
  return id;
}

/** Supersedes the current text with a new revision; the earlier version stays in report_versions unchanged. */
export async function reviseReport(db: Executor, report: ReportRow, version: ReportVersionInput): Promise<number> {
  const revision = report.revision + 1;
  const result = await db
    .updateTable('reports')
    .set({ state: version.state, text: version.text, status: version.status, revision, updated_at: version.at })
    .where('id', '=', report.id)
    .where('revision', '=', report.revision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`report ${report.id} changed concurrently`);
  await insertVersion(db, report.id, revision, version);
  return revision;
}

async function insertVersion(db: Executor, reportId: number, revision: number, version: ReportVersionInput): Promise<void> {
  await db
    .insertInto('report_versions')
    .values({
      report_id: reportId,
      revision,
      state: version.state,
      text: version.text,
      status: version.status,
      source: version.source,
      created_by: version.createdBy,
      created_at: version.at,
    })
    .execute();
}
