import { writeSummaryDocument } from '../src/documents/index.js';
import { appendAuditEvent } from '../src/db/repositories/audit.js';
import { insertVersion, insertWorkingCopy, updateReportAtRevision, type ReportVersionInput } from '../src/db/repositories/reports.js';
import type { Executor } from '../src/db/schema.js';
import type { Principal } from '../src/services/accounts.js';
import { findOrganisationByName, getPlanTree } from '../src/services/catalogue.js';
import type { ServiceContext } from '../src/services/context.js';
import { importSummaryTable } from '../src/services/import.js';
import { actOnReport, saveReport } from '../src/services/reporting.js';
import { setSchedule } from '../src/services/schedule.js';
import { nextState, type ReportState } from '../src/domain/reporting.js';
import type { GeneratedCity, GeneratedReport } from './city.js';

export interface LoadedCity {
  planId: number;
  /** reports written, by the state they were left in */
  states: Record<ReportState, number>;
}

const ACTOR = { id: 'bench', source: 'bench' };
const person = (role: 'unit_reporter' | 'unit_leader' | 'supervisor', organisationId: number): Principal => ({
  kind: 'user',
  userId: 1,
  username: 'bench',
  role,
  organisationId,
  mustChangePassword: false,
  sessionId: 'bench',
});

/** The workflow steps that take a fresh draft to each state, with who takes them. */
const STEPS: Record<ReportState, { event: 'submit' | 'approve' | 'accept'; by: 'unit_reporter' | 'unit_leader' | 'supervisor' }[]> = {
  draft: [],
  submitted: [{ event: 'submit', by: 'unit_reporter' }],
  approved: [
    { event: 'submit', by: 'unit_reporter' },
    { event: 'approve', by: 'unit_leader' },
  ],
  accepted: [
    { event: 'submit', by: 'unit_reporter' },
    { event: 'approve', by: 'unit_leader' },
    { event: 'accept', by: 'supervisor' },
  ],
  returned: [],
};

interface PlanKeys {
  planId: number;
  itemId(report: GeneratedReport): number;
  organisationId(name: string): Promise<number>;
  periodCode(report: GeneratedReport): string;
}

/** The plan imported as a file and its monthly schedule set, through the services: both paths start here. */
async function importPlan(ctx: ServiceContext, city: GeneratedCity): Promise<PlanKeys> {
  const imported = await importSummaryTable(ctx, ACTOR, {
    bytes: await writeSummaryDocument(city.table, 'json'),
    fileName: `${city.year}-plan.json`,
  });
  const planId = imported.planId!;
  await setSchedule(ctx, ACTOR, planId, [{ kind: 'month' }]);

  const tree = await getPlanTree(ctx, planId);
  const itemIds = new Map<string, number>();
  for (const chapter of tree.chapters) {
    for (const task of chapter.tasks)
      task.items.forEach((item, position) => {
        itemIds.set(`${task.number}/${position}`, item.id);
      });
  }
  const organisationIds = new Map<string, number>();
  return {
    planId,
    itemId: (report) => {
      const itemId = itemIds.get(`${report.task}/${report.item}`);
      if (itemId === undefined) throw new Error(`task ${report.task} item ${report.item} was not imported`);
      return itemId;
    },
    organisationId: async (name) => {
      let id = organisationIds.get(name);
      if (id === undefined) organisationIds.set(name, (id = (await findOrganisationByName(ctx, name)).id));
      return id;
    },
    periodCode: (report) => `${city.year}-M${String(report.month).padStart(2, '0')}`,
  };
}

const contentOfReport = (report: GeneratedReport) => ({
  progress: report.progress,
  problems: '',
  nextSteps: '',
  status: report.status,
  figures: [],
});

/**
 * Loads a generated city the way people would make it: the plan imported as a file, a monthly schedule set, and
 * every report saved by its unit's reporter and taken through the workflow by the unit's leader and the office, each
 * step a service call in its own transaction with its audit entry. Slow at city scale by design, since it is the
 * reference that any faster loading path must give the same database as.
 */
export async function loadCityThroughServices(
  ctx: ServiceContext,
  city: GeneratedCity,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<LoadedCity> {
  const keys = await importPlan(ctx, city);
  const states: Record<ReportState, number> = { draft: 0, submitted: 0, approved: 0, returned: 0, accepted: 0 };
  let done = 0;
  for (const report of city.reports) {
    const itemId = keys.itemId(report);
    const unit = await keys.organisationId(report.organisation);
    let view = await saveReport(
      ctx,
      person('unit_reporter', unit),
      ACTOR,
      { itemId, organisationId: unit, periodCode: keys.periodCode(report) },
      { content: contentOfReport(report), baseRevision: 0 },
    );
    for (const step of STEPS[report.state]) {
      view = await actOnReport(ctx, person(step.by, unit), ACTOR, view.id!, { event: step.event, baseRevision: view.revision });
    }
    states[report.state]++;
    onProgress(++done, city.reports.length);
  }
  return { planId: keys.planId, states };
}

/** Reports written in one transaction by the bulk path: large enough to amortise the commit, small enough for the WAL. */
const BULK_BATCH = 2000;

/**
 * The same database as {@link loadCityThroughServices}, fast enough for the province scale: the plan and schedule
 * still go through the services, and every report is written by the same repository functions with the same
 * values, in the same order, as the save and the workflow steps write them; what is left out is what writes nothing
 * (the permission checks, which the generator satisfies by construction, and the views each call re-reads), and
 * the commit of every call, replaced by one per batch. bench/city.test.ts proves the two databases equal.
 */
export async function loadCityInBulk(
  ctx: ServiceContext,
  city: GeneratedCity,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<LoadedCity> {
  const keys = await importPlan(ctx, city);
  const periodIds = new Map(
    (await ctx.db.selectFrom('periods').select(['id', 'code']).where('plan_id', '=', keys.planId).execute()).map((period) => [
      period.code,
      period.id,
    ]),
  );
  const states: Record<ReportState, number> = { draft: 0, submitted: 0, approved: 0, returned: 0, accepted: 0 };
  const organisationIds = new Map<string, number>();
  for (const name of new Set(city.reports.map((report) => report.organisation))) organisationIds.set(name, await keys.organisationId(name));
  const organisations = city.reports.map((report) => organisationIds.get(report.organisation)!);
  for (let start = 0; start < city.reports.length; start += BULK_BATCH) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let index = start; index < Math.min(start + BULK_BATCH, city.reports.length); index++) {
        const report = city.reports[index]!;
        await writeReportInBulk(
          trx,
          ctx,
          { itemId: keys.itemId(report), organisationId: organisations[index]!, periodId: periodIds.get(keys.periodCode(report))! },
          report,
        );
        states[report.state]++;
      }
    });
    onProgress(Math.min(start + BULK_BATCH, city.reports.length), city.reports.length);
  }
  return { planId: keys.planId, states };
}

/** What saveReport and then each actOnReport write for one report, in their order. */
async function writeReportInBulk(
  trx: Executor,
  ctx: ServiceContext,
  key: { itemId: number; organisationId: number; periodId: number },
  report: GeneratedReport,
): Promise<void> {
  const content = contentOfReport(report);
  const version = (state: string, at: string, event?: string): ReportVersionInput => ({
    state,
    text: content.progress,
    problems: content.problems,
    nextSteps: content.nextSteps,
    status: content.status,
    figures: JSON.stringify(content.figures),
    source: ACTOR.source,
    event,
    comment: null,
    createdBy: ACTOR.id,
    at,
  });
  let at = ctx.now().toISOString();
  const reportId = await insertWorkingCopy(trx, key, version('draft', at));
  await appendAuditEvent(
    trx,
    {
      actor: ACTOR.id,
      organisationId: key.organisationId,
      source: ACTOR.source,
      action: 'report.save',
      objectType: 'report',
      objectId: reportId,
      before: null,
      after: content,
    },
    at,
  );
  let state: ReportState = 'draft';
  let revision = 1;
  for (const step of STEPS[report.state]) {
    at = ctx.now().toISOString();
    const next: ReportState = nextState(state, step.event)!;
    const written = version(next, at, step.event);
    if (!(await updateReportAtRevision(trx, { id: reportId, baseRevision: revision }, { state: next, version: written })))
      throw new Error(`report ${reportId} changed during the bulk load`);
    await insertVersion(trx, reportId, revision + 1, written);
    await appendAuditEvent(
      trx,
      {
        actor: ACTOR.id,
        organisationId: key.organisationId,
        source: ACTOR.source,
        action: `report.${step.event}`,
        objectType: 'report',
        objectId: reportId,
        before: { state, revision },
        after: { state: next, revision: revision + 1 },
      },
      at,
    );
    state = next;
    revision++;
  }
}

/**
 * Drafts for every unit on every item of the plan in the given periods, written as saveReport writes a first save:
 * the reports W1 submits, prepared before its timed phase so that it measures submissions only.
 */
export async function saveDraftsInBulk(
  ctx: ServiceContext,
  planId: number,
  periodCodes: string[],
): Promise<{ reportId: number; organisationId: number }[]> {
  const links = await ctx.db
    .selectFrom('item_organisations')
    .innerJoin('items', 'items.id', 'item_organisations.item_id')
    .innerJoin('tasks', 'tasks.id', 'items.task_id')
    .select(['item_organisations.item_id', 'item_organisations.organisation_id'])
    .where('tasks.plan_id', '=', planId)
    .orderBy('item_organisations.item_id')
    .orderBy('item_organisations.organisation_id')
    .execute();
  const periods = await ctx.db
    .selectFrom('periods')
    .select(['id', 'code'])
    .where('plan_id', '=', planId)
    .where('code', 'in', periodCodes)
    .execute();
  const drafts: { reportId: number; organisationId: number }[] = [];
  const draft = {
    task: '',
    item: 0,
    organisation: '',
    month: 0,
    progress: '按计划推进，本期完成阶段目标，正在组织验收。',
    status: '序时推进',
    state: 'draft',
  } as const;
  for (const period of periods) {
    await ctx.db.transaction().execute(async (trx) => {
      for (const link of links) {
        await writeReportInBulk(trx, ctx, { itemId: link.item_id, organisationId: link.organisation_id, periodId: period.id }, draft);
      }
    });
  }
  const rows = await ctx.db
    .selectFrom('reports')
    .select(['id', 'organisation_id'])
    .where(
      'period_id',
      'in',
      periods.map((period) => period.id),
    )
    .where('state', '=', 'draft')
    .orderBy('id')
    .execute();
  for (const row of rows) drafts.push({ reportId: row.id, organisationId: row.organisation_id });
  return drafts;
}
