import { createHash } from 'node:crypto';
import type { Executor } from '../db/schema.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import {
  findChapter,
  findTask,
  insertChapter,
  insertItem,
  insertItemOrganisation,
  insertPeriod,
  insertTask,
  listItemsOfTask,
} from '../db/repositories/catalogue.js';
import { insertAlias, insertOrganisation, listAliases, listOrganisations } from '../db/repositories/organisations.js';
import { findPeriodByCode, findPlanByYearTitle, insertPlan, listItemOrganisations } from '../db/repositories/plans.js';
import { findReport, insertReport, reviseReport } from '../db/repositories/reports.js';
import { readSummaryDocument, type ImportFormat } from '../documents/index.js';
import { badInput } from '../domain/errors.js';
import { chapterNumeralValue } from '../domain/numerals.js';
import {
  classifyOrganisation,
  isBareDepartmentName,
  resolveOrganisationList,
  type NameResolution,
} from '../domain/organisations.js';
import { periodFromHeading, periodSpec, yearFromText, type PeriodSpec } from '../domain/periods.js';
import { countTable, type ImportWarning, type SummaryTable } from '../domain/summary-table.js';
import type { Actor, ServiceContext } from './context.js';

export interface ImportRequest {
  bytes: Uint8Array;
  fileName: string;
  format?: ImportFormat;
  dryRun?: boolean;
  /** Overrides for files that do not say it themselves (a CSV has no title row). */
  year?: number;
  organisation?: string;
}

/** The report of an import; with dryRun, exactly what would be written. Shape fixed by the CLI contract. */
export interface ImportSummary {
  title: string;
  year: number;
  organisation: string;
  period: { code: string; label: string };
  format: ImportFormat;
  chapters: number;
  tasks: number;
  items: number;
  organisations: string[];
  warnings: ImportWarning[];
  /** How the written names were read, where the canonical name differs. */
  resolutions: { written: string; canonical: string; rule: string }[];
  dryRun: boolean;
  /** What was written: all zeros when the same table had been imported before. */
  changes: ImportChanges;
  planId: number | null;
}

export interface ImportChanges {
  plans: number;
  organisations: number;
  aliases: number;
  chapters: number;
  tasks: number;
  items: number;
  reports: number;
  revisedReports: number;
}

interface ResolvedItem {
  lead: NameResolution[];
  cooperating: NameResolution[];
}

const emptyChanges = (): ImportChanges => ({
  plans: 0,
  organisations: 0,
  aliases: 0,
  chapters: 0,
  tasks: 0,
  items: 0,
  reports: 0,
  revisedReports: 0,
});

/** 2022年度市政府工作任务完成情况汇总表 → 2022年度市政府工作任务 */
export function planTitleFromTableTitle(title: string, year: number): string {
  const stripped = title
    .replace(/[（(][^）)]*[）)]$/, '')
    .replace(/(上半年|下半年|[一二三四]季度|\d{1,2}月份?|1[-—~至到]\d{1,2}月|全年)?(工作)?(完成情况|进展情况|落实情况)?(汇总表|统计表|一览表|表)$/, '')
    .trim();
  return stripped !== '' && stripped.includes(String(year)) ? stripped : `${year}年度市政府工作任务`;
}

function issuerFromTitle(title: string): string {
  return /市政府|市人民政府/.test(title) ? '市人民政府' : '';
}

/**
 * Imports a summary table: the plan, chapters, tasks and items it names, the organisations it names, and the
 * reporting unit's completion texts as its reports for the table's period. All or nothing, and idempotent: what
 * is already there is matched, not written again (the same 序号 is the same task; the same work text within a task
 * is the same item). A task whose name differs from the stored one is reported, never overwritten.
 */
export async function importSummaryTable(ctx: ServiceContext, actor: Actor, request: ImportRequest): Promise<ImportSummary> {
  const document = await readSummaryDocument(request.bytes, request.fileName, request.format);
  const { table } = document;
  const warnings = [...document.warnings];

  const year = request.year ?? yearFromText(table.title);
  if (year === undefined) {
    throw badInput('year_missing', '无法从表格标题中识别年份（如“2022年度……”）。请在标题中写明年份，或导入时指定年份。');
  }
  const period = periodFromHeading(table.columns.completion, year) ?? periodFromHeading(table.title, year);
  const resolvedPeriod: PeriodSpec = period ?? periodSpec(year, 'year');
  if (!period) warnings.push({ line: 1, message: `未能从“${table.columns.completion}”识别报送周期，按“全年”处理。` });
  const title = table.title || `${year}年度市政府工作任务完成情况汇总表`;
  const planTitle = planTitleFromTableTitle(title, year);

  const registry = await loadRegistry(ctx.db);
  const writtenOrganisation = (request.organisation ?? table.organisation).replace(/\s+/g, '');
  const lookup = buildLookup(registry, table, writtenOrganisation);
  const reportingUnit = writtenOrganisation === '' ? undefined : resolveOrganisationList(writtenOrganisation, lookup)[0]?.canonical;

  const resolvedItems = new Map<object, ResolvedItem>();
  const organisations: string[] = [];
  const resolutions = new Map<string, { written: string; canonical: string; rule: string }>();
  const noteName = (resolution: NameResolution) => {
    if (!organisations.includes(resolution.canonical)) organisations.push(resolution.canonical);
    if (resolution.rule && !resolutions.has(resolution.written)) {
      resolutions.set(resolution.written, { written: resolution.written, canonical: resolution.canonical, rule: resolution.rule });
    }
  };
  if (reportingUnit) noteName({ written: reportingUnit, canonical: reportingUnit });
  for (const chapter of table.chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        const resolved = { lead: resolveOrganisationList(item.lead, lookup), cooperating: resolveOrganisationList(item.cooperating, lookup) };
        resolved.lead.forEach(noteName);
        resolved.cooperating.forEach(noteName);
        resolvedItems.set(item, resolved);
      }
    }
  }
  for (const name of organisations) {
    if (!registry.names.has(name) && classifyOrganisation(name) === 'other') {
      warnings.push({ line: 1, message: `单位名称“${name}”不像常见的机关、政府、管委会或企业名称，请核对。` });
    }
  }

  const counts = countTable(table);
  const summary: ImportSummary = {
    title,
    year,
    organisation: reportingUnit ?? '',
    period: { code: resolvedPeriod.code, label: resolvedPeriod.label },
    format: document.format,
    ...counts,
    organisations,
    warnings,
    resolutions: [...resolutions.values()],
    dryRun: request.dryRun === true,
    changes: emptyChanges(),
    planId: null,
  };
  if (counts.items === 0) throw badInput('table_empty', '表格中没有可导入的任务事项。');
  if (request.dryRun) {
    const existing = await findPlanByYearTitle(ctx.db, year, planTitle);
    summary.planId = existing?.id ?? null;
    return summary;
  }

  const sha256 = createHash('sha256').update(request.bytes).digest('hex');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const changes = summary.changes;
    let plan = await findPlanByYearTitle(trx, year, planTitle);
    const planId = plan?.id ?? (await insertPlan(trx, { year, title: planTitle, issuer: issuerFromTitle(title), createdAt: at }));
    if (!plan) changes.plans++;
    summary.planId = planId;

    const periodId = await ensurePeriod(trx, planId, resolvedPeriod);
    if (resolvedPeriod.kind !== 'year') await ensurePeriod(trx, planId, periodSpec(year, "year"));

    const organisationIds = new Map(registry.ids);
    for (const name of organisations) {
      if (!organisationIds.has(name)) {
        organisationIds.set(name, await insertOrganisation(trx, { name, kind: classifyOrganisation(name), createdAt: at }));
        changes.organisations++;
      }
    }
    for (const resolution of resolutions.values()) {
      if (resolution.rule !== 'alias' && !registry.aliases.has(resolution.written) && !organisationIds.has(resolution.written)) {
        await insertAlias(trx, { organisationId: organisationIds.get(resolution.canonical)!, alias: resolution.written, createdAt: at });
        changes.aliases++;
      }
    }
    const reportingUnitId = reportingUnit ? organisationIds.get(reportingUnit) : undefined;

    for (const chapter of table.chapters) {
      let chapterRow = await findChapter(trx, planId, chapter.numeral);
      if (chapterRow && chapterRow.title !== chapter.title) {
        warnings.push({ line: 1, message: `章节“${chapter.numeral}”已存在，标题为“${chapterRow.title}”，与本表“${chapter.title}”不同，保留原标题。` });
      }
      const chapterId =
        chapterRow?.id ??
        (await insertChapter(trx, { planId, numeral: chapter.numeral, title: chapter.title, position: chapterNumeralValue(chapter.numeral) }));
      if (!chapterRow) changes.chapters++;

      for (const task of chapter.tasks) {
        const taskRow = await findTask(trx, planId, task.number);
        if (taskRow && taskRow.name !== task.name) {
          warnings.push({ line: 1, message: `序号 ${task.number} 已存在，名称为“${taskRow.name}”，与本表“${task.name}”不同：未覆盖，请核对。` });
        }
        const taskId =
          taskRow?.id ??
          (await insertTask(trx, { planId, chapterId, number: task.number, sortKey: sortKeyOf(task.number), name: task.name }));
        if (!taskRow) changes.tasks++;

        const existingItems = await listItemsOfTask(trx, taskId);
        let nextPosition = existingItems.reduce((max, item) => Math.max(max, item.position), 0) + 1;
        for (const item of task.items) {
          let itemId = existingItems.find((existing) => existing.work === item.work)?.id;
          if (itemId === undefined) {
            itemId = await insertItem(trx, {
              taskId,
              position: nextPosition++,
              work: item.work,
              leadText: item.lead,
              cooperatingText: item.cooperating,
            });
            existingItems.push({ id: itemId, task_id: taskId, position: nextPosition - 1, work: item.work, lead_text: item.lead, cooperating_text: item.cooperating, extra: '{}' });
            changes.items++;
          }
          await linkOrganisations(trx, itemId, resolvedItems.get(item)!, organisationIds);

          if (reportingUnitId !== undefined && item.completion !== '') {
            const report = await findReport(trx, itemId, reportingUnitId, periodId);
            const version = { state: 'accepted', text: item.completion, status: null, source: `import:${document.format}`, createdBy: actor.id, at };
            if (!report) {
              await insertReport(trx, { itemId, organisationId: reportingUnitId, periodId }, version);
              changes.reports++;
            } else if (report.text !== item.completion) {
              await reviseReport(trx, report, version);
              changes.revisedReports++;
            }
          }
        }
      }
    }

    const changed = Object.values(changes).some((count) => count > 0);
    if (changed) {
      const { id } = await trx
        .insertInto('imports')
        .values({
          plan_id: planId,
          organisation_id: reportingUnitId ?? null,
          period_id: periodId,
          file_name: request.fileName,
          format: document.format,
          sha256,
          summary: JSON.stringify({ chapters: counts.chapters, tasks: counts.tasks, items: counts.items, changes }),
          created_by: actor.id,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAuditEvent(
        trx,
        {
          actor: actor.id,
          organisationId: reportingUnitId ?? null,
          source: actor.source,
          action: 'import.summary_table',
          objectType: 'import',
          objectId: id,
          after: { planId, fileName: request.fileName, sha256, period: resolvedPeriod.code, changes },
        },
        at,
      );
    }
  });
  return summary;
}

async function ensurePeriod(db: Executor, planId: number, spec: PeriodSpec): Promise<number> {
  const existing = await findPeriodByCode(db, planId, spec.code);
  if (existing) return existing.id;
  return insertPeriod(db, {
    plan_id: planId,
    code: spec.code,
    kind: spec.kind,
    label: spec.label,
    starts_on: spec.startsOn,
    ends_on: spec.endsOn,
    due_on: null,
    expected_progress: spec.expectedProgress,
  });
}

async function linkOrganisations(db: Executor, itemId: number, resolved: ResolvedItem, ids: Map<string, number>): Promise<void> {
  const existing = await listItemOrganisations(db, itemId);
  for (const role of ['lead', 'cooperating'] as const) {
    const linked = existing.filter((link) => link.role === role);
    let position = linked.reduce((max, link) => Math.max(max, link.position), 0);
    const seen = new Set(linked.map((link) => link.organisation_id));
    for (const resolution of resolved[role]) {
      const organisationId = ids.get(resolution.canonical)!;
      if (seen.has(organisationId)) continue;
      seen.add(organisationId);
      await insertItemOrganisation(db, { itemId, organisationId, role, position: ++position });
    }
  }
}

function sortKeyOf(number: string): number {
  return /^\d+$/.test(number) ? Number(number) : 1_000_000;
}

interface Registry {
  names: Set<string>;
  ids: Map<string, number>;
  /** alias → canonical name */
  aliases: Map<string, string>;
}

async function loadRegistry(db: Executor): Promise<Registry> {
  const organisations = await listOrganisations(db);
  const byId = new Map(organisations.map((row) => [row.id, row.name]));
  const aliases = new Map((await listAliases(db)).map((row) => [row.alias, byId.get(row.organisation_id)!]));
  return { names: new Set(byId.values()), ids: new Map(organisations.map((row) => [row.name, row.id])), aliases };
}

/**
 * Known names for resolving short forms: the registry, its aliases, and the full names written anywhere in this
 * table (so 生态环境局 becomes 市生态环境局 when 市生态环境局 is written elsewhere in the same file).
 */
function buildLookup(registry: Registry, table: SummaryTable, reportingUnit: string): (name: string) => string | undefined {
  const written = new Set<string>();
  const add = (raw: string) => {
    for (const resolution of resolveOrganisationList(raw, () => undefined)) {
      if (!isBareDepartmentName(resolution.written)) written.add(resolution.written);
    }
  };
  if (reportingUnit) add(reportingUnit);
  for (const chapter of table.chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        add(item.lead);
        add(item.cooperating);
      }
    }
  }
  return (name) => {
    if (registry.names.has(name)) return name;
    const alias = registry.aliases.get(name);
    if (alias !== undefined) return alias;
    return written.has(name) ? name : undefined;
  };
}
