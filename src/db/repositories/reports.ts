import { preparedQuery } from '../prepared.js';
import type { ChapterRow, Executor, ItemRow, PeriodRow, PlanRow, ReportRow, ReportVersionRow, TaskRow } from '../schema.js';

/**
 * Every unit's report on an item in every period, working copies with their current (possibly draft) texts, by
 * period end date then unit, with the period's code and label. Callers must hide what has not left a unit.
 */
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

/** One unit's reports of one period, working copies in no particular order. */
export async function listReportsOfOrganisationPeriod(db: Executor, organisationId: number, periodId: number): Promise<ReportRow[]> {
  return db.selectFrom('reports').selectAll().where('organisation_id', '=', organisationId).where('period_id', '=', periodId).execute();
}

/** The report of an item by a unit for a period (unique together), or undefined when the unit has written none yet. */
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

type ContentColumns = ReturnType<typeof contentColumns>;

/**
 * The content columns of a prepared statement, each from its own stand-in: a prepared query's values cannot be spread
 * (see src/db/prepared.ts), so a version's insert and a report's update name them here once.
 */
const contentValues = (v: ContentColumns): ContentColumns => ({
  text: v.text,
  status: v.status,
  problems: v.problems,
  next_steps: v.next_steps,
  figures: v.figures,
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

type VersionColumns = ReturnType<typeof versionColumns> & { report_id: number; revision: number };

const insertVersionQuery = preparedQuery((db, v: VersionColumns) =>
  db.insertInto('report_versions').values({
    report_id: v.report_id,
    revision: v.revision,
    state: v.state,
    ...contentValues(v),
    source: v.source,
    event: v.event,
    comment: v.comment,
    created_by: v.created_by,
    created_at: v.created_at,
  }),
);

function versionColumns(version: ReportVersionInput) {
  return {
    state: version.state,
    ...contentColumns(version),
    source: version.source,
    event: version.event ?? 'import',
    comment: version.comment ?? null,
    created_by: version.createdBy,
    created_at: version.at,
  };
}

/**
 * Records an immutable version of a report at `revision` (an import's when `event` is not given). The caller chooses
 * the revision, normally the one the working copy was just moved to; a revision already recorded fails on the unique key.
 */
export async function insertVersion(db: Executor, reportId: number, revision: number, version: ReportVersionInput): Promise<void> {
  await insertVersionQuery(db, { report_id: reportId, revision, ...versionColumns(version) });
}

const reportById = preparedQuery((db, v: { id: number }) => db.selectFrom('reports').selectAll().where('id', '=', v.id));

/** One report's working copy by id, or undefined; no read scope is applied here. */
export async function findReportById(db: Executor, id: number): Promise<ReportRow | undefined> {
  return (await reportById(db, { id })).rows[0];
}

/** Every recorded version of a report, oldest first (by revision), including those that never left the unit. */
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
  const content = contentColumns(values.version);
  const result = await updateAtRevision(db, {
    ...content,
    state: values.state,
    revision: report.baseRevision + 1,
    updated_by: values.version.createdBy,
    updated_at: values.version.at,
    id: report.id,
    baseRevision: report.baseRevision,
  });
  return Number(result.numAffectedRows) === 1;
}

const updateAtRevision = preparedQuery(
  (
    db,
    v: ContentColumns & {
      state: string;
      revision: number;
      updated_by: string;
      updated_at: string;
      id: number;
      baseRevision: number;
    },
  ) =>
    db
      .updateTable('reports')
      .set({
        state: v.state,
        ...contentValues(v),
        revision: v.revision,
        updated_by: v.updated_by,
        updated_at: v.updated_at,
      })
      .where('id', '=', v.id)
      .where('revision', '=', v.baseRevision),
);

/**
 * Gives a report its own due date (an approved extension's), which then applies instead of the period's. Does not
 * bump the report's revision, so it does not conflict with a save in progress, and records no version.
 */
export async function setReportDueOn(db: Executor, reportId: number, dueOn: string): Promise<void> {
  await db.updateTable('reports').set({ due_on: dueOn }).where('id', '=', reportId).execute();
}

/** The newest version of each report made by one of `events`, by report id. */
export async function latestVersionsByEvent(
  db: Executor,
  reportIds: number[],
  events: Iterable<string>,
): Promise<Map<number, ReportVersionRow>> {
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

/** The rows a report is about: its item with the item's task, chapter and plan, the period, and the unit. */
export interface ReportSubjectRows {
  item: ItemRow;
  task: TaskRow;
  chapter: ChapterRow;
  plan: PlanRow;
  period: PeriodRow;
  organisation: { id: number; name: string };
}

/** The statement of findReportSubjectRows, by the period's code (within the item's plan) or its id. */
const subjectRows = (periodBy: 'code' | 'id') =>
  preparedQuery((db, v: { itemId: number; organisationId: number; period: string | number }) =>
    db
      .selectFrom('items')
      .innerJoin('tasks', 'tasks.id', 'items.task_id')
      .innerJoin('plans', 'plans.id', 'tasks.plan_id')
      .innerJoin('chapters', 'chapters.id', 'tasks.chapter_id')
      .innerJoin('periods', (join) =>
        join.onRef('periods.plan_id', '=', 'plans.id').on(periodBy === 'code' ? 'periods.code' : 'periods.id', '=', v.period as never),
      )
      .innerJoin('organisations', (join) => join.on('organisations.id', '=', v.organisationId))
      .selectAll('items')
      .select([
        'tasks.plan_id as task_plan_id',
        'tasks.chapter_id as task_chapter_id',
        'tasks.number as task_number',
        'tasks.sort_key as task_sort_key',
        'tasks.name as task_name',
        'plans.year as plan_year',
        'plans.title as plan_title',
        'plans.issuer as plan_issuer',
        'plans.created_at as plan_created_at',
        'chapters.numeral as chapter_numeral',
        'chapters.title as chapter_title',
        'chapters.position as chapter_position',
        'periods.id as period_id',
        'periods.code as period_code',
        'periods.kind as period_kind',
        'periods.label as period_label',
        'periods.starts_on as period_starts_on',
        'periods.ends_on as period_ends_on',
        'periods.due_on as period_due_on',
        'periods.due_set_by_hand as period_due_set_by_hand',
        'periods.expected_progress as period_expected_progress',
        'organisations.name as organisation_name',
      ])
      .where('items.id', '=', v.itemId),
  );
const subjectRowsByPeriodCode = subjectRows('code');
const subjectRowsByPeriodId = subjectRows('id');

/**
 * Everything above a report in one statement instead of one per table: a save or a step of the workflow reads this
 * first, inside its transaction. The period is named by its code within the item's plan, or by its id (which must
 * then belong to that plan). Undefined when the item, the period or the unit does not exist.
 */
export async function findReportSubjectRows(
  db: Executor,
  key: { itemId: number; organisationId: number; period: { code: string } | { id: number } },
): Promise<ReportSubjectRows | undefined> {
  const { period } = key;
  const values = { itemId: key.itemId, organisationId: key.organisationId };
  const { rows } =
    'code' in period
      ? await subjectRowsByPeriodCode(db, { ...values, period: period.code })
      : await subjectRowsByPeriodId(db, { ...values, period: period.id });
  const row = rows[0];
  if (!row) return undefined;
  const planId = row.task_plan_id;
  return {
    item: {
      id: row.id,
      task_id: row.task_id,
      position: row.position,
      work: row.work,
      lead_text: row.lead_text,
      cooperating_text: row.cooperating_text,
      extra: row.extra,
    },
    task: {
      id: row.task_id,
      plan_id: planId,
      chapter_id: row.task_chapter_id,
      number: row.task_number,
      sort_key: row.task_sort_key,
      name: row.task_name,
    },
    chapter: {
      id: row.task_chapter_id,
      plan_id: planId,
      numeral: row.chapter_numeral,
      title: row.chapter_title,
      position: row.chapter_position,
    },
    plan: { id: planId, year: row.plan_year, title: row.plan_title, issuer: row.plan_issuer, created_at: row.plan_created_at },
    period: {
      id: row.period_id,
      plan_id: planId,
      code: row.period_code,
      kind: row.period_kind,
      label: row.period_label,
      starts_on: row.period_starts_on,
      ends_on: row.period_ends_on,
      due_on: row.period_due_on,
      due_set_by_hand: row.period_due_set_by_hand,
      expected_progress: row.period_expected_progress,
    },
    organisation: { id: key.organisationId, name: row.organisation_name },
  };
}

/** The units an item is assigned to, with their role and whether they signed for it. */
const itemLinks = preparedQuery((db, v: { itemId: number }) =>
  db.selectFrom('item_organisations').select(['organisation_id', 'role', 'state']).where('item_id', '=', v.itemId),
);

export async function listItemLinks(db: Executor, itemId: number): Promise<{ organisation_id: number; role: string; state: string }[]> {
  return (await itemLinks(db, { itemId })).rows;
}

/** The newest extension request of a report, if any. */
export async function findLatestExtensionRequest(db: Executor, reportId: number) {
  return db
    .selectFrom('extension_requests')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The report's extension request still waiting for a decision, if any: a report has at most one. */
export async function findPendingExtensionRequest(db: Executor, reportId: number) {
  return db
    .selectFrom('extension_requests')
    .select('id')
    .where('report_id', '=', reportId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
}

/** Records a unit's request for a later due date, pending; returns its id. */
export async function insertExtensionRequest(
  db: Executor,
  request: { reportId: number; dueOn: string; reason: string; createdBy: string; at: string },
): Promise<number> {
  const { id } = await db
    .insertInto('extension_requests')
    .values({
      report_id: request.reportId,
      requested_due_on: request.dueOn,
      reason: request.reason,
      state: 'pending',
      decision_comment: null,
      created_by: request.createdBy,
      created_at: request.at,
      decided_by: null,
      decided_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One extension request by id. */
export async function findExtensionRequest(db: Executor, requestId: number) {
  return db.selectFrom('extension_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
}

/** The office's decision on a pending extension request; false when it was no longer pending (decided meanwhile). */
export async function decideExtensionRequest(
  db: Executor,
  requestId: number,
  decision: { state: 'approved' | 'rejected'; comment: string | null; decidedBy: string; at: string },
): Promise<boolean> {
  // only a pending request: of two decisions at once (PostgreSQL reads both as pending), the second changes nothing
  const result = await db
    .updateTable('extension_requests')
    .set({ state: decision.state, decision_comment: decision.comment, decided_by: decision.decidedBy, decided_at: decision.at })
    .where('id', '=', requestId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
