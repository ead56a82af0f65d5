import type { OrganisationRef, PeriodRef } from '../contract/common.js';
import type { ItemDetailResponse } from '../contract/items.js';
import type { OrganisationDetailResponse } from '../contract/organisations.js';
import type { PlanSummary, PlanTreeResponse } from '../contract/plans.js';
import { findOrganisationById, listAliases, listOrganisations } from '../db/repositories/organisations.js';
import {
  findChapterById,
  findItemById,
  findPlanById,
  findTaskById,
  listItemOrganisations,
  listPeriods,
  listPlanIdsOfOrganisation,
  listPlans,
  planCounts,
} from '../db/repositories/plans.js';
import {
  listReportedItemIdsOfPlan,
  organisationReportedInPlan,
  readRevisions,
  readStructureRevision,
} from '../db/repositories/summaries.js';
import { latestVersionsByEvent, listReportsOfItem } from '../db/repositories/reports.js';
import { DELIVERED_EVENTS, REPORT_STATE_LABELS, type ReportState } from '../domain/reporting.js';
import type { OrganisationRow, PeriodRow, PlanRow } from '../db/schema.js';
import { notFound } from '../domain/errors.js';
import { ORGANISATION_KIND_LABELS, type OrganisationKind } from '../domain/organisations.js';
import type { ServiceContext } from './context.js';
import { getOrganisationRecord } from './organisations.js';
import { loadPlanStructure, type PlanStructure } from './plan-structure.js';
import { notFoundOf, scopeKey, type ReadScope } from './policy.js';

/** Read models of the catalogue. Reads are open to every signed-in role until issue-4 policies narrow them. */

/** A unit as the API names it, with the Chinese label of its kind (the raw kind when it has no label). */
export function organisationRef(row: OrganisationRow): OrganisationRef {
  return { id: row.id, name: row.name, kind: row.kind, kindLabel: ORGANISATION_KIND_LABELS[row.kind as OrganisationKind] ?? row.kind };
}

/**
 * The plans a reader sees, newest first, with their counts: every plan city-wide; for a unit only the plans it has an
 * item or a report in, counted over its own part of each (as its tree shows it).
 */
export async function listPlanSummaries(ctx: ServiceContext, scope: ReadScope = null): Promise<PlanSummary[]> {
  const visible = scope ? await listPlanIdsOfOrganisation(ctx.db, scope.organisationId) : undefined;
  const plans = (await listPlans(ctx.db)).filter((plan) => !visible || visible.includes(plan.id));
  if (scope) {
    // a unit's counts are of its own part of each plan, as its tree shows it
    return Promise.all(plans.map(async (plan) => (await getPlanTree(ctx, plan.id, scope)).plan));
  }
  const counts = await planCounts(
    ctx.db,
    plans.map((plan) => plan.id),
  );
  return plans.map((plan) => planSummary(plan, counts.get(plan.id)!));
}

function planSummary(plan: PlanRow, counts: PlanSummary['counts']): PlanSummary {
  return { id: plan.id, year: plan.year, title: plan.title, issuer: plan.issuer, counts };
}

/**
 * The plan, if the reader may see it: city-wide always; a unit only when it has an item in it or has reported in it.
 * Otherwise the same 404 (plan_not_found) as for a plan that does not exist.
 */
export async function requirePlan(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<PlanRow> {
  const plan = await findPlanById(ctx.db, planId);
  // a unit sees a plan it has an item in (from the cached structure) or has reported in
  const visible =
    plan &&
    (!scope ||
      (await loadPlanStructure(ctx.db, plan.id)).itemsOfUnit.has(scope.organisationId) ||
      (await organisationReportedInPlan(ctx.db, scope.organisationId, plan.id)));
  if (!plan || !visible) throw notFoundOf('plan');
  return plan;
}

/** Items an organisation takes part in: as lead or cooperating unit, or by having reported on them. */
async function involvedItemIds(ctx: ServiceContext, structure: PlanStructure, organisationId: number): Promise<Set<number>> {
  const reported = await listReportedItemIdsOfPlan(ctx.db, organisationId, structure.planId);
  return new Set([...(structure.itemsOfUnit.get(organisationId) ?? []), ...reported]);
}

/**
 * The key under which a finished plan tree may be kept (see organisationSummaryKey): the plan, the reader's scope
 * and the structure's revision, for a unit also its report counters in the plan (its tree shows what it reported on).
 */
export async function planTreeKey(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<string> {
  const revisions = scope
    ? await readRevisions(ctx.db, { planId, organisationId: scope.organisationId })
    : { structure: await readStructureRevision(ctx.db), reports: '' };
  return ['plan-tree', planId, scopeKey(scope), revisions.structure, revisions.reports].join(':');
}

/**
 * A plan's chapters, tasks and items with their units; a unit's scope sees only its own part. The structure comes
 * from the per-process cache, checked against the database's structural revision on every call.
 */
export async function getPlanTree(ctx: ServiceContext, planId: number, scope: ReadScope = null): Promise<PlanTreeResponse> {
  const plan = await requirePlan(ctx, planId, scope);
  const structure = await loadPlanStructure(ctx.db, planId);
  if (!scope) return { plan: planSummary(plan, { ...structure.counts }), chapters: structure.tree };
  const involved = await involvedItemIds(ctx, structure, scope.organisationId);
  const chapters = structure.tree
    .map((chapter) => ({
      ...chapter,
      tasks: chapter.tasks
        .map((task) => ({ ...task, items: task.items.filter((item) => involved.has(item.id)) }))
        .filter((task) => task.items.length > 0),
    }))
    .filter((chapter) => chapter.tasks.length > 0);
  const counts = {
    chapters: chapters.length,
    tasks: chapters.reduce((n, chapter) => n + chapter.tasks.length, 0),
    items: chapters.reduce((n, chapter) => n + chapter.tasks.reduce((m, task) => m + task.items.length, 0), 0),
  };
  return { plan: planSummary(plan, counts), chapters };
}

/**
 * An item with its task, chapter, plan, units and reports. A unit reads it only if it takes part (or reported);
 * it sees its own working texts, as a lead unit also the others' texts as they left them; else item_not_found.
 */
export async function getItemDetail(ctx: ServiceContext, itemId: number, scope: ReadScope = null): Promise<ItemDetailResponse> {
  const item = await findItemById(ctx.db, itemId);
  const task = item && (await findTaskById(ctx.db, item.task_id));
  const visible =
    task && (!scope || (await involvedItemIds(ctx, await loadPlanStructure(ctx.db, task.plan_id), scope.organisationId)).has(itemId));
  if (!item || !task || !visible) throw notFoundOf('item');
  const chapter = (await findChapterById(ctx.db, task.chapter_id))!;
  const plan = (await findPlanById(ctx.db, task.plan_id))!;
  const [links, allReports, organisations] = await Promise.all([
    listItemOrganisations(ctx.db, itemId),
    listReportsOfItem(ctx.db, itemId),
    organisationMap(ctx),
  ]);
  // a unit sees its own reports, and as lead unit those of the units cooperating with it; another unit's text
  // only as it left that unit, never its draft
  const leads = scope !== null && links.some((link) => link.role === 'lead' && link.organisation_id === scope.organisationId);
  const readable = scope && !leads ? allReports.filter((report) => report.organisation_id === scope.organisationId) : allReports;
  const delivered = await latestVersionsByEvent(
    ctx.db,
    readable.map((report) => report.id),
    DELIVERED_EVENTS,
  );
  const reports = readable.flatMap((report) => {
    if (scope && report.organisation_id === scope.organisationId) return [report];
    const version = delivered.get(report.id);
    return version ? [{ ...report, text: version.text }] : [];
  });
  const refs = (role: string) => links.filter((link) => link.role === role).map((link) => organisations.get(link.organisation_id)!);
  return {
    item: {
      id: item.id,
      position: item.position,
      work: item.work,
      leadText: item.lead_text,
      cooperatingText: item.cooperating_text,
      lead: refs('lead'),
      cooperating: refs('cooperating'),
    },
    task: { id: task.id, number: task.number, name: task.name },
    chapter: { id: chapter.id, numeral: chapter.numeral, title: chapter.title },
    plan: { id: plan.id, year: plan.year, title: plan.title },
    reports: reports.map((report) => ({
      id: report.id,
      organisation: organisations.get(report.organisation_id)!,
      period: { code: report.period_code, label: report.period_label },
      text: report.text,
      state: report.state,
      stateLabel: REPORT_STATE_LABELS[report.state as ReportState] ?? report.state,
      revision: report.revision,
      updatedAt: report.updated_at,
    })),
  };
}

/**
 * The unit, if the reader may see it: city-wide any unit, a unit only itself; otherwise the same 404
 * (organisation_not_found) as for a unit that does not exist. Merged units are not refused here.
 */
export async function requireOrganisation(ctx: ServiceContext, organisationId: number, scope: ReadScope = null): Promise<OrganisationRow> {
  const organisation = await findOrganisationById(ctx.db, organisationId);
  if (!organisation || (scope && scope.organisationId !== organisationId)) {
    throw notFoundOf('organisation');
  }
  return organisation;
}

/**
 * A unit's register record with the plans it takes part in (an item or a report) and their periods; a unit may read
 * only its own (organisation_not_found otherwise).
 */
export async function getOrganisationDetail(
  ctx: ServiceContext,
  organisationId: number,
  scope: ReadScope = null,
): Promise<OrganisationDetailResponse> {
  await requireOrganisation(ctx, organisationId, scope);
  const organisation = await getOrganisationRecord(ctx.db, organisationId);
  const planIds = await listPlanIdsOfOrganisation(ctx.db, organisationId);
  const plans = (await listPlans(ctx.db)).filter((plan) => planIds.includes(plan.id));
  return {
    organisation,
    plans: await Promise.all(
      plans.map(async (plan) => ({
        id: plan.id,
        year: plan.year,
        title: plan.title,
        periods: (await listPeriods(ctx.db, plan.id)).map(periodRef),
      })),
    ),
  };
}

/** A period as the API names it: its code and label. */
export function periodRef(period: PeriodRow): PeriodRef {
  return { code: period.code, label: period.label };
}

async function organisationMap(ctx: ServiceContext): Promise<Map<number, OrganisationRef>> {
  return new Map((await listOrganisations(ctx.db)).map((row) => [row.id, organisationRef(row)]));
}

/** By canonical name or alias; a miss names the closest known units. */
export async function findOrganisationByName(ctx: ServiceContext, name: string): Promise<OrganisationRow> {
  const wanted = name.replace(/\s+/g, '');
  const organisations = await listOrganisations(ctx.db);
  // a merged duplicate answers to its name only as the alias of the unit it was merged into
  const direct = organisations.find((row) => row.name === wanted && row.merged_into_id === null);
  if (direct) return direct;
  const alias = (await listAliases(ctx.db)).find((row) => row.alias === wanted);
  if (alias) return organisations.find((row) => row.id === alias.organisation_id)!;
  const similar = organisations.filter((row) => row.name.includes(wanted) || wanted.includes(row.name)).map((row) => row.name);
  throw notFound(
    'organisation_not_found',
    `找不到单位“${name}”。${similar.length > 0 ? `是否指：${similar.slice(0, 5).join('、')}？` : ''}`,
  );
}

/** The newest plan of a year. */
export async function findPlanByYear(ctx: ServiceContext, year: number): Promise<PlanRow> {
  const plan = (await listPlans(ctx.db)).find((candidate) => candidate.year === year);
  if (!plan) throw notFound('plan_not_found', `没有 ${year} 年的工作计划。`);
  return plan;
}
