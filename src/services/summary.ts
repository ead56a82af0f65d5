import type { SummaryResponse } from '../contract/organisations.js';
import { findPeriodByCode, listPeriods, listPlanIdsOfOrganisation, listPlans } from '../db/repositories/plans.js';
import { listUnitReportsOfPeriod, readRevisions } from '../db/repositories/summaries.js';
import { DELIVERED_EVENTS } from '../domain/reporting.js';
import type { PeriodRow, PlanRow } from '../db/schema.js';
import { EXPORT_MEDIA, type ExportFormat } from '../documents/formats.js';
import { notFound } from '../domain/errors.js';
import { canonicalTable, DEFAULT_COLUMNS } from '../domain/summary-table.js';
import { organisationRef, periodRef, requireOrganisation, requirePlan } from './catalogue.js';
import type { ServiceContext } from './context.js';
import { loadPlanStructure, versionContents } from './plan-structure.js';
import { scopeKey, type ReadScope } from './policy.js';

export interface SummaryRequest {
  organisationId: number;
  /** a unit may read only its own summary */
  scope?: ReadScope;
  /** default: the newest plan the unit takes part in */
  planId?: number;
  /** default: the plan's year-end period */
  periodCode?: string;
}

/** The heading of the completion column: 全年完成情况 for a year period, else the period's 进展情况. */
export function completionHeading(period: Pick<PeriodRow, 'kind' | 'label'>): string {
  return period.kind === 'year' ? '全年完成情况' : `${period.label}进展情况`;
}

/** The title printed above a 汇总表: the plan's 完成情况汇总表 for a year period, else its 进展情况汇总表 of the period. */
export function summaryTitle(plan: Pick<PlanRow, 'title'>, period: Pick<PeriodRow, 'kind' | 'label'>): string {
  return period.kind === 'year' ? `${plan.title}完成情况汇总表` : `${plan.title}${period.label}进展情况汇总表`;
}

/**
 * The key under which a finished summary of a unit may be kept and served again (see the server's kept answers):
 * the request, the reader's scope and the revisions it depends on, the structure's and the unit's reports' in the
 * plan (what the table prints, and what decides whether the unit may see the plan). Undefined without a plan id,
 * since the default plan is itself a question to the database.
 */
export async function organisationSummaryKey(ctx: ServiceContext, request: SummaryRequest): Promise<string | undefined> {
  if (request.planId === undefined) return undefined;
  const revisions = await readRevisions(ctx.db, { planId: request.planId, organisationId: request.organisationId });
  return [
    'organisation-summary',
    request.organisationId,
    request.planId,
    request.periodCode ?? '',
    scopeKey(request.scope),
    revisions.structure,
    revisions.reports,
  ].join(':');
}

/**
 * The per-organisation summary table (like the sample): every item the unit leads or cooperates on, or has
 * reported on, with the unit's own report text for the period, grouped by chapter in city-wide order.
 */
export async function buildOrganisationSummary(ctx: ServiceContext, request: SummaryRequest): Promise<SummaryResponse> {
  const organisation = await requireOrganisation(ctx, request.organisationId, request.scope ?? null);
  const plan =
    request.planId !== undefined
      ? await requirePlan(ctx, request.planId, request.scope ?? null)
      : await newestPlanOf(ctx, organisation.id, organisation.name);
  const period = await resolvePeriod(ctx, plan, request.periodCode);

  // only the unit's reports of the period: the table costs the unit's share of the plan, not the plan's reports
  const reports = await listUnitReportsOfPeriod(ctx.db, organisation.id, period.id, DELIVERED_EVENTS);
  // the unit reads its own working texts; anyone else reads them as they left the unit
  const own = request.scope?.organisationId === organisation.id;
  const delivered = own
    ? undefined
    : await versionContents(
        ctx.db,
        reports.flatMap((report) => (report.version_id === null ? [] : [report.version_id])),
      );
  const reportText = new Map(
    reports.flatMap((report) => {
      const version = delivered
        ? report.version_id === null
          ? undefined
          : delivered.get(report.version_id)
        : { text: report.text, problems: report.problems, nextSteps: report.next_steps };
      return version ? [[report.item_id, { text: version.text, problems: version.problems, nextSteps: version.nextSteps }] as const] : [];
    }),
  );
  // the unit's items from the plan's cached structure: its own links, and whatever else it reported on
  const structure = await loadPlanStructure(ctx.db, plan.id);
  const involved = new Set([...(structure.itemsOfUnit.get(organisation.id) ?? []), ...reportText.keys()]);
  // 存在问题 and 下步打算 are printed only when the unit wrote some, so a table of progress alone (the sample) is unchanged
  const texts = [...reportText.values()];
  const withProblems = texts.some((report) => report.problems !== '');
  const withNextSteps = texts.some((report) => report.nextSteps !== '');

  const table: SummaryResponse['table'] = {
    title: summaryTitle(plan, period),
    organisation: organisation.name,
    columns: {
      ...DEFAULT_COLUMNS,
      completion: completionHeading(period),
      ...(withProblems ? { problems: '存在问题' } : {}),
      ...(withNextSteps ? { nextSteps: '下步打算' } : {}),
    },
    chapters: [],
  };
  for (const chapter of structure.chapters) {
    const tasks = (structure.tasksOfChapter.get(chapter.id) ?? []).flatMap((task) => {
      const items = (structure.itemsOfTask.get(task.id) ?? [])
        .filter((item) => involved.has(item.id))
        .map((item) => {
          const report = reportText.get(item.id);
          return {
            id: item.id,
            work: item.work,
            lead: item.leadText,
            cooperating: item.cooperatingText,
            completion: report?.text ?? '',
            ...(withProblems ? { problems: report?.problems ?? '' } : {}),
            ...(withNextSteps ? { nextSteps: report?.nextSteps ?? '' } : {}),
          };
        });
      return items.length > 0 ? [{ id: task.id, number: task.number, name: task.name, items }] : [];
    });
    if (tasks.length > 0) table.chapters.push({ numeral: chapter.numeral, title: chapter.title, tasks });
  }
  return {
    organisation: organisationRef(organisation),
    plan: { id: plan.id, year: plan.year, title: plan.title },
    period: periodRef(period),
    table,
  };
}

export interface ExportedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * A unit's 汇总表 as a file of an export format (docx, xlsx, csv, json, pdf) named after the unit, year and period,
 * dated today (Asia/Shanghai); refuses what buildOrganisationSummary refuses.
 */
export async function exportOrganisationSummary(
  ctx: ServiceContext,
  request: SummaryRequest & { format: ExportFormat },
): Promise<ExportedFile> {
  const summary = await buildOrganisationSummary(ctx, request);
  const media = EXPORT_MEDIA[request.format];
  const bytes = await ctx.writeDocument({ table: canonicalTable(summary.table), format: request.format, date: chineseDate(ctx.now()) });
  return {
    fileName: `${summary.organisation.name}-${summary.plan.year}-${summary.period.label}-汇总表.${media.extension}`,
    contentType: media.contentType,
    bytes,
  };
}

/** 2022年12月31日, in Asia/Shanghai */
export function chineseDate(date: Date): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日`;
}

async function newestPlanOf(ctx: ServiceContext, organisationId: number, name: string): Promise<PlanRow> {
  const planIds = await listPlanIdsOfOrganisation(ctx.db, organisationId);
  const plan = (await listPlans(ctx.db)).find((candidate) => planIds.includes(candidate.id));
  if (!plan) throw notFound('no_plan_for_organisation', `单位“${name}”在任何工作计划中都没有任务。`);
  return plan;
}

/**
 * The plan's period of that code (period_not_found if it has none); without a code its year period, or failing that the one
 * that ends last (period_not_found when the plan has no periods yet).
 */
export async function resolvePeriod(ctx: ServiceContext, plan: PlanRow, code: string | undefined): Promise<PeriodRow> {
  if (code !== undefined) {
    const period = await findPeriodByCode(ctx.db, plan.id, code);
    if (!period) throw notFound('period_not_found', `工作计划“${plan.title}”没有报送周期“${code}”。`);
    return period;
  }
  const periods = await listPeriods(ctx.db, plan.id);
  const period = periods.find((candidate) => candidate.kind === 'year') ?? periods.at(-1);
  if (!period) throw notFound('period_not_found', `工作计划“${plan.title}”还没有报送周期。`);
  return period;
}
