import { listLeadReportsOfPeriod, readRevisions } from '../db/repositories/summaries.js';
import { EXPORT_MEDIA, type ExportFormat } from '../documents/formats.js';
import { LIGHT_LABELS, lightOf, type Light, type LightRules } from '../domain/lights.js';
import { lightRulesOfPlan } from './warning-rules.js';
import { DELIVERED_EVENTS, REPORT_STATUSES, type ReportFigure, type ReportStatus } from '../domain/reporting.js';
import { canonicalTable, DEFAULT_COLUMNS } from '../domain/summary-table.js';
import { requirePlan } from './catalogue.js';
import type { ServiceContext } from './context.js';
import { loadPlanStructure, versionContents, type StructureItem } from './plan-structure.js';
import { scopeKey, type ReadScope } from './policy.js';
import type { CityItem, CitySummaryResponse } from '../contract/plans.js';
import { NOT_REPORTED } from '../contract/vocabulary.js';
import { shanghaiDate } from './reporting.js';
import { chineseDate, completionHeading, resolvePeriod, summaryTitle, type ExportedFile } from './summary.js';

/**
 * The city-wide summary table of a plan for a period: one row per item with the lead unit's consolidated report
 * as it left the unit, its status and warning light, filterable by chapter, unit, status and light.
 */

export { NOT_REPORTED };

export interface CitySummaryRequest {
  planId: number;
  periodCode?: string;
  scope?: ReadScope;
  /** a chapter's numeral, e.g. 九 */
  chapter?: string;
  /** items this unit leads or cooperates on */
  organisationId?: number;
  status?: ReportStatus | typeof NOT_REPORTED;
  light?: Light;
  rules?: LightRules;
}

/**
 * The key under which a finished city-wide table may be kept (see organisationSummaryKey): the request with its
 * filters, the reader's scope, the structure's revision, the report counters of the period (of the whole plan when
 * no period is named, since the default period is the database's to say), for a unit also its own counters in the
 * plan (which decide whether it may see the plan), and today's date in Asia/Shanghai, since lights turn with the
 * calendar. Undefined with rules of the caller's own.
 */
export async function citySummaryKey(ctx: ServiceContext, request: CitySummaryRequest): Promise<string | undefined> {
  if (request.rules) return undefined;
  const revisions = await readRevisions(ctx.db, { planId: request.planId, periodCode: request.periodCode });
  const own = request.scope
    ? (await readRevisions(ctx.db, { planId: request.planId, organisationId: request.scope.organisationId })).reports
    : '';
  return [
    'city-summary',
    request.planId,
    request.periodCode ?? '',
    request.chapter ?? '',
    request.organisationId ?? '',
    request.status ?? '',
    request.light ?? '',
    scopeKey(request.scope),
    revisions.structure,
    revisions.reports,
    own,
    shanghaiDate(ctx.now()),
  ].join(':');
}

/**
 * The city-wide 汇总表 of a plan for a period (by default its year period): each item's lead units' newest delivered
 * texts, status and warning light, never a draft. A unit's scope sees only the items it leads or cooperates on.
 * The counts are of the rows after the chapter, unit, status and light filters.
 */
export async function buildCitySummary(ctx: ServiceContext, request: CitySummaryRequest): Promise<CitySummaryResponse> {
  const scope = request.scope ?? null;
  const plan = await requirePlan(ctx, request.planId, scope);
  const period = await resolvePeriod(ctx, plan, request.periodCode);
  const structure = await loadPlanStructure(ctx.db, plan.id);
  // only the lead units' reports of the period, and of their newest delivered versions only the printed parts
  const reports = await listLeadReportsOfPeriod(ctx.db, period.id, DELIVERED_EVENTS);
  const delivered = await versionContents(
    ctx.db,
    reports.flatMap((report) => (report.version_id === null ? [] : [report.version_id])),
  );
  const reportOf = new Map(reports.map((report) => [`${report.item_id}:${report.organisation_id}`, report]));
  const today = shanghaiDate(ctx.now());
  const rules = request.rules ?? (await lightRulesOfPlan(ctx.db, plan.id));
  const organisationNames = new Map([...structure.organisations.values()].map((organisation) => [organisation.id, organisation.name]));
  // counted by Light, which names every key, where the answer's plain record would leave each count possibly missing
  const byLight: Record<Light, number> = { green: 0, yellow: 0, red: 0, grey: 0 };
  const counts: CitySummaryResponse['counts'] = {
    items: 0,
    reported: 0,
    byStatus: Object.fromEntries([...REPORT_STATUSES, NOT_REPORTED].map((status) => [status, 0])),
    byLight,
  };
  const row = (item: StructureItem): CityItem => {
    const leads = item.leadIds;
    // the consolidated report is the lead's; with several leads each one's text, named
    const leadReports = leads.flatMap((organisationId) => {
      const report = reportOf.get(`${item.id}:${organisationId}`);
      const version = report?.version_id != null ? delivered.get(report.version_id) : undefined;
      return version ? [{ organisationId, version }] : [];
    });
    const text =
      leadReports.length > 1
        ? leadReports.map(({ organisationId, version }) => `【${organisationNames.get(organisationId)}】${version.text}`).join('\n')
        : (leadReports[0]?.version.text ?? '');
    const first = leadReports.find(({ version }) => version.status) ?? leadReports[0];
    const status = (first?.version.status as ReportStatus | null | undefined) ?? null;
    const leadReport = reportOf.get(`${item.id}:${leads[0]}`);
    const dueOn = leadReport?.due_on ?? period.due_on;
    const { light, reason, rule } = lightOf(
      {
        reported: leadReports.length > 0,
        status,
        figures: first ? (JSON.parse(first.version.figures) as ReportFigure[]) : [],
        expectedProgress: period.expected_progress,
        dueOn,
        today,
        returned: leadReport?.state === 'returned',
        closed: item.closed,
      },
      rules,
    );
    return {
      id: item.id,
      work: item.work,
      lead: item.leadText,
      cooperating: item.cooperatingText,
      completion: text,
      status: leadReports.length > 0 ? (status ?? '') : NOT_REPORTED,
      light,
      lightLabel: LIGHT_LABELS[light],
      lightReason: reason,
      lightRule: rule,
      closed: item.closed,
      dueOn,
    };
  };

  const unitsOf = structure.unitsOfItem;
  const wanted = (item: StructureItem) =>
    (!scope || unitsOf.get(item.id)?.has(scope.organisationId)) &&
    (request.organisationId === undefined || unitsOf.get(item.id)?.has(request.organisationId));
  const table: CitySummaryResponse['table'] = {
    title: summaryTitle(plan, period),
    organisation: '',
    columns: { ...DEFAULT_COLUMNS, completion: completionHeading(period), status: '完成状态', extra: ['预警'] },
    chapters: [],
  };
  for (const chapter of structure.chapters) {
    if (request.chapter !== undefined && chapter.numeral !== request.chapter) continue;
    const chapterTasks = (structure.tasksOfChapter.get(chapter.id) ?? [])
      .map((task) => ({
        id: task.id,
        number: task.number,
        name: task.name,
        items: (structure.itemsOfTask.get(task.id) ?? [])
          .filter(wanted)
          .map(row)
          .filter(
            (item) =>
              (request.status === undefined || item.status === request.status) &&
              (request.light === undefined || item.light === request.light),
          ),
      }))
      .filter((task) => task.items.length > 0);
    if (chapterTasks.length > 0) table.chapters.push({ numeral: chapter.numeral, title: chapter.title, tasks: chapterTasks });
  }
  for (const item of table.chapters.flatMap((chapter) => chapter.tasks.flatMap((task) => task.items))) {
    counts.items++;
    if (item.status !== NOT_REPORTED) counts.reported++;
    if (item.status in counts.byStatus) counts.byStatus[item.status]!++;
    byLight[item.light]++;
  }
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title },
    period: { code: period.code, label: period.label, dueOn: period.due_on, expectedProgress: period.expected_progress },
    counts,
    table,
  };
}

/**
 * The city-wide 汇总表 as a file of an export format (docx, xlsx, csv, json, pdf) named plan-period-全市汇总表, with the
 * warning light as an extra 预警 column, blank for grey items (not reported, or no status) and 已销号 for closed ones;
 * dated today (Asia/Shanghai).
 */
export async function exportCitySummary(
  ctx: ServiceContext,
  request: CitySummaryRequest & { format: ExportFormat },
): Promise<ExportedFile> {
  const summary = await buildCitySummary(ctx, request);
  const table = {
    ...summary.table,
    chapters: summary.table.chapters.map((chapter) => ({
      ...chapter,
      tasks: chapter.tasks.map((task) => ({
        ...task,
        items: task.items.map((item) => ({
          ...item,
          extra: { 预警: item.closed ? '已销号' : item.light === 'grey' ? '' : item.lightLabel },
        })),
      })),
    })),
  };
  const media = EXPORT_MEDIA[request.format];
  return {
    fileName: `${summary.plan.title}-${summary.period.label}-全市汇总表.${media.extension}`,
    contentType: media.contentType,
    bytes: await ctx.writeDocument({ table: canonicalTable(table), format: request.format, date: chineseDate(ctx.now()) }),
  };
}
