import type { Executor, ReportRow, ReportVersionRow } from '../schema.js';

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
  problems?: string;
  nextSteps?: string;
  /** ReportFigure[] as JSON */
  figures?: string;
  source: string;
  /** what made the version; imports by default */
  event?: string;
  comment?: string | null;
  createdBy: string;
  at: string;
}

const contentColumns = (version: ReportVersionInput) => ({
  text: version.text,
  status: version.status,
  problems: version.problems ?? '',
  next_steps: version.nextSteps ?? '',
  figures: version.figures ?? '[]',
});

/** A report whose first version is recorded with it: what an import brings in. */
export async function insertReport(
  db: Executor,
  keys: { itemId: number; organisationId: number; periodId: number },
  version: ReportVersionInput,
): Promise<number> {
  const id = await insertWorkingCopy(db, keys, version);
  await insertVersion(db, id, 1, version);
  return id;
}

/**
 * A report the unit has started and not yet submitted: only its working copy exists; versions are recorded by the
 * steps of the workflow.
 */
export async function insertWorkingCopy(
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
      ...contentColumns(version),
      revision: 1,
      due_on: null,
      updated_by: version.createdBy,
      created_at: version.at,
      updated_at: version.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Supersedes the current text with a new revision; the earlier version stays in report_versions unchanged. */
export async function reviseReport(db: Executor, report: ReportRow, version: ReportVersionInput): Promise<number> {
  const revision = report.revision + 1;
  const result = await db
    .updateTable('reports')
    .set({ state: version.state, ...contentColumns(version), revision, updated_by: version.createdBy, updated_at: version.at })
    .where('id', '=', report.id)
    .where('revision', '=', report.revision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`report ${report.id} changed concurrently`);
  await insertVersion(db, report.id, revision, version);
  return revision;
}

export async function insertVersion(db: Executor, reportId: number, revision: number, version: ReportVersionInput): Promise<void> {
  await db
    .insertInto('report_versions')
    .values({
      report_id: reportId,
      revision,
      state: version.state,
      ...contentColumns(version),
      source: version.source,
      event: version.event ?? 'import',
      comment: version.comment ?? null,
      created_by: version.createdBy,
      created_at: version.at,
    })
    .execute();
}

export async function findReportById(db: Executor, id: number): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listVersions(db: Executor, reportId: number): Promise<ReportVersionRow[]> {
  return db.selectFrom('report_versions').selectAll().where('report_id', '=', reportId).orderBy('revision').execute();
}

/**
 * Writes the report's new state and content if nobody changed it since `baseRevision`; false when somebody did.
 * The revision check in the WHERE clause is what makes two concurrent saves safe without locks.
 */
export async function updateReportAtRevision(
  db: Executor,
  report: { id: number; baseRevision: number },
  values: { state: string; version: ReportVersionInput },
): Promise<boolean> {
  const result = await db
    .updateTable('reports')
    .set({ state: values.state, ...contentColumns(values.version), revision: report.baseRevision + 1, updated_by: values.version.createdBy, updated_at: values.version.at })
    .where('id', '=', report.id)
    .where('revision', '=', report.baseRevision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setReportDueOn(db: Executor, reportId: number, dueOn: string): Promise<void> {
  await db.updateTable('reports').set({ due_on: dueOn }).where('id', '=', reportId).execute();
}

/** The newest version of each report made by one of `events`, by report id. */
export async function latestVersionsByEvent(db: Executor, reportIds: number[], events: Iterable<string>): Promise<Map<number, ReportVersionRow>> {
  const latest = new Map<number, ReportVersionRow>();
  const wanted = [...events];
  for (let start = 0; start < reportIds.length; start += 1000) {
    const rows = await db
      .selectFrom('report_versions')
      .selectAll()
      .where('report_id', 'in', reportIds.slice(start, start + 1000))
      .where('event', 'in', wanted)
      .orderBy('report_id')
      .orderBy('revision')
      .execute();
    for (const row of rows) latest.set(row.report_id, row);
  }
  return latest;
}
