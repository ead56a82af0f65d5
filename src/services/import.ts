import { createHash } from 'node:crypto';
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
import { deleteColumnMapping, findColumnMapping, saveColumnMapping } from '../db/repositories/import-mappings.js';
import { insertImportRecord } from '../db/repositories/imports.js';
import { COLUMN_MEANING_LABELS, isColumnMeaning, type ColumnMeaningKey } from '../contract/column-meanings.js';
import type { ImportChanges, ImportOrganisation, ImportPreview, ImportUnlinkedRow } from '../contract/imports.js';
import type { Executor, ItemRow } from '../db/schema.js';
import type { ColumnMeaning, RowInterpretation } from '../documents/grid.js';
import type { ImportFormat } from '../documents/index.js';
import { AppError, badInput } from '../domain/errors.js';
import { findIllFormedText } from '../domain/unicode.js';
import { chapterNumeralValue } from '../domain/numerals.js';
import {
  classifyOrganisation,
  isBareDepartmentName,
  nameSimilarity,
  organisationNameProblem,
  ORGANISATION_KIND_LABELS,
  resolveOrganisationList,
  splitOrganisationListDetailed,
  similarNames,
  type NameResolution,
} from '../domain/organisations.js';
import { parsePeriodCode, periodFromHeading, periodSpec, yearFromText, type PeriodSpec } from '../domain/periods.js';
import { countTable, type ImportWarning, type SummaryItem, type SummaryTable } from '../domain/summary-table.js';
import type { Actor, ServiceContext } from './context.js';

/** What a person decided for a unit the file names but the registry does not know. */
export type OrganisationMapping = { organisationId: number } | { create: true };

export interface ImportProgress {
  phase: 'parse' | 'resolve' | 'write';
  done: number;
  total: number;
}

export interface ImportRequest {
  bytes: Uint8Array;
  fileName: string;
  format?: ImportFormat;
  dryRun?: boolean;
  /** Overrides for files that do not say it themselves (a CSV has no title row). */
  year?: number;
  organisation?: string;
  /** by the canonical name shown in the preview */
  mappings?: Record<string, OrganisationMapping>;
  /**
   * What to do with a text of the filing unit on a row where it is neither a lead nor a cooperating unit: add it as
   * a cooperating unit of that item and file the text, or leave the text out. A confirming import with such rows
   * needs the choice; a dry run reports them.
   */
  unlinked?: UnlinkedChoice;
  /**
   * A person's reading of the table's columns, by position: it replaces what the headings say. A confirmed import
   * remembers it for the table's headings; an empty choice goes back to the headings and forgets what was remembered.
   */
  columns?: Record<number, ColumnMeaning>;
  /** The period the file reports on, a code of the file's year (2031-Y, 2031-H1, 2031-Q1, 2031-M04): replaces the one read from the headings or the title. */
  period?: string;
  onProgress?: (progress: ImportProgress) => void;
}

export const UNLINKED_CHOICES = ['cooperate', 'omit'] as const;
export type UnlinkedChoice = (typeof UNLINKED_CHOICES)[number];

/**
 * The report of an import; with dryRun, exactly what confirming would write, computed and rolled back: the preview
 * the API answers, with what only the command line and the demo read besides.
 */
export interface ImportSummary extends ImportPreview {
  /** how written names were read, where the canonical name differs */
  resolutions: { written: string; canonical: string; rule: string }[];
  dryRun: boolean;
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
    .replace(
      /(上半年|下半年|[一二三四]季度|\d{1,2}月份?|1[-—~至到]\d{1,2}月|全年)?(工作)?(完成情况|进展情况|落实情况)?(汇总表|统计表|一览表|表)$/,
      '',
    )
    .replace(/(重点)?(工作)?任务?(责任)?分工方案$|任务分解方案$|责任分工$/, '工作任务')
    .trim();
  return stripped !== '' && stripped.includes(String(year)) ? stripped : `${year}年度市政府工作任务`;
}

function issuerFromTitle(title: string): string {
  return /市政府|市人民政府/.test(title) ? '市人民政府' : '';
}

/** Thrown inside the transaction of a dry run so that everything it wrote is rolled back. */
class DryRunRollback extends Error {}

/**
 * Imports a summary table or a task-decomposition document: the plan, chapters, tasks and items it names, the
 * organisations it names, and the reporting unit's completion texts as its reports for the table's period.
 *
 * All or nothing, and idempotent: what is already there is matched, not written again (the same 序号 is the same
 * task; the same work text within a task is the same item; an unchanged report is not rewritten). What differs
 * from what is stored (a task's name, a chapter's title, an item whose text is close to a stored one) is reported
 * as a conflict and never overwritten. A dry run does the same work in a transaction that is rolled back, so the
 * preview shows exactly what confirming would change.
 */
export async function importSummaryTable(ctx: ServiceContext, actor: Actor, request: ImportRequest): Promise<ImportSummary> {
  const progress = request.onProgress ?? (() => {});
  progress({ phase: 'parse', done: 0, total: 1 });
  const reading = await readColumnsAsChosen(ctx, request);
  const { document } = reading;
  progress({ phase: 'parse', done: 1, total: 1 });
  const { table } = document;
  const sourceOf = sourceLines(document.rows);
  refuseIllFormedText(table, sourceOf);
  const warnings = [...document.warnings];
  const counts = countTable(table);
  if (counts.items === 0) throw badInput('table_empty', '文件中没有可导入的任务事项。');

  const hasCompletions = table.chapters.some((chapter) => chapter.tasks.some((task) => task.items.some(hasReportText)));
  const fromFileName = fileNameStem(request.fileName);
  let year = request.year ?? yearFromText(table.title);
  if (year === undefined) {
    year = yearFromFileName(fromFileName);
    if (year !== undefined)
      warnings.push({ line: 1, column: 'year', message: `年份取自文件名：${year}（文件标题中没有写明年份，请核对）。` });
  }
  if (year === undefined) {
    throw badInput('year_missing', '无法从标题或文件名中识别年份（如“2022年度……”）。请在标题中写明年份，或导入时指定年份。', {
      field: 'year',
      flag: '--year',
    });
  }
  const period =
    request.period !== undefined
      ? chosenPeriod(request.period, year)
      : (periodFromHeading(table.columns.completion, year) ?? periodFromHeading(table.title, year));
  const resolvedPeriod: PeriodSpec = period ?? periodSpec(year, 'year');
  if (!period && hasCompletions) {
    warnings.push({ line: 1, message: `未能从“${table.columns.completion}”或标题识别报送周期，按“全年”处理。` });
  }
  const title = table.title || `${year}年度市政府工作任务完成情况汇总表`;
  const planTitle = planTitleFromTableTitle(title, year);

  progress({ phase: 'resolve', done: 0, total: 1 });
  const registry = await loadRegistry(ctx.db);
  let writtenUnit = request.organisation ?? table.organisation;
  if (writtenUnit.trim() === '' && hasCompletions) {
    // the texts need a unit to belong to: a file without a 填报单位 line is often named after its unit
    const named = unitFromFileName(fromFileName, registry);
    if (named !== undefined) {
      writtenUnit = named;
      warnings.push({ line: 1, column: 'organisation', message: `填报单位取自文件名：${named}（文件中没有写明填报单位，请核对）。` });
    }
  }
  if (writtenUnit.trim() === '' && hasCompletions) {
    throw badInput(
      'organisation_missing',
      `文件中有${table.columns.completion ? `“${table.columns.completion}”等` : '完成情况等'}报告文字，但文件和文件名都没有写明填报单位，这些文字没有可归属的单位，未写入任何内容。请在文件中写明填报单位，或导入时指定填报单位。`,
      { field: 'organisation', flag: '--org' },
    );
  }
  const names = resolveNames(registry, table, writtenUnit.replace(/\s+/g, ''), request.mappings ?? {});
  warnings.push(...unpairedBracketWarnings(table, writtenUnit, sourceOf));
  if (names.reportingUnit && !hasCompletions && document.layout === 'table') {
    warnings.push({ line: 1, message: `表中没有“${table.columns.completion || '完成情况'}”内容，未为${names.reportingUnit}生成报告。` });
  }

  // a unit's text on a row of an item it has no part in: the person decides whether it cooperates or the text stays out
  const unlinkedItems = new Set<SummaryItem>();
  const unlinked: ImportUnlinkedRow[] = [];
  const reportingUnit = names.reportingUnit;
  if (reportingUnit !== undefined) {
    const kindOfUnit = registry.kinds.get(reportingUnit) ?? classifyOrganisation(reportingUnit);
    table.chapters.forEach((chapter, chapterIndex) => {
      chapter.tasks.forEach((task, taskIndex) => {
        task.items.forEach((item, itemIndex) => {
          if (!hasReportText(item)) return;
          const resolved = names.itemNames.get(item)!;
          const parts = [...resolved.lead, ...resolved.cooperating];
          if (parts.includes(reportingUnit) || parts.some((name) => collectiveCovers(name, kindOfUnit))) return;
          unlinkedItems.add(item);
          const row = sourceOf(chapterIndex, taskIndex, itemIndex);
          const where = { line: row?.line ?? 1, ...(row?.location ? { location: row.location } : {}) };
          unlinked.push({ ...where, task: task.number, work: item.work });
          const decided =
            request.unlinked === 'cooperate'
              ? `已按选择把${reportingUnit}加为此事项的配合单位，并导入这段文字。`
              : request.unlinked === 'omit'
                ? '已按选择不导入这段文字。'
                : '请选择把它加为配合单位，或不导入这段文字。';
          warnings.push({
            ...where,
            column: 'lead',
            message: `序号 ${task.number}：填报单位${reportingUnit}不是此事项的牵头或配合单位；${decided}`,
          });
        });
      });
    });
  }
  if (unlinked.length > 0 && request.unlinked === undefined && request.dryRun !== true) {
    const numbers = [...new Set(unlinked.map((row) => row.task))].join('、');
    throw badInput(
      'unlinked_choice_required',
      `有 ${unlinked.length} 行（序号 ${numbers}）的文字属于填报单位${reportingUnit}，但${reportingUnit}不是这些事项的牵头或配合单位，未写入任何内容。请选择：把${reportingUnit}加为这些事项的配合单位并导入文字（cooperate），或不导入这些文字（omit）。`,
      { field: 'unlinked', flag: '--unlinked', options: [...UNLINKED_CHOICES], count: unlinked.length, rows: unlinked },
    );
  }
  /** the filing unit joins these items as a cooperating unit */
  const cooperates = (item: SummaryItem) => request.unlinked === 'cooperate' && unlinkedItems.has(item);
  /** the filing unit's text on this row is filed as its report */
  const files = (item: SummaryItem) =>
    reportingUnit !== undefined && hasReportText(item) && (!unlinkedItems.has(item) || request.unlinked === 'cooperate');
  const understood: ImportPreview['understood'] = table.chapters.flatMap((chapter) =>
    chapter.tasks.flatMap((task) =>
      task.items.map((item) => {
        const resolved = names.itemNames.get(item)!;
        return {
          task: task.number,
          name: task.name,
          work: item.work,
          leads: [...resolved.lead],
          cooperating: cooperates(item) ? [...resolved.cooperating, reportingUnit!] : [...resolved.cooperating],
          reports: files(item) ? [{ organisation: reportingUnit!, period: resolvedPeriod.code }] : [],
        };
      }),
    ),
  );
  progress({ phase: 'resolve', done: 1, total: 1 });

  const summary: ImportSummary = {
    fileName: request.fileName,
    format: document.format,
    layout: document.layout,
    title,
    year,
    organisation: names.reportingUnit ?? '',
    period: { code: resolvedPeriod.code, label: resolvedPeriod.label },
    counts,
    table,
    rows: document.rows,
    warnings,
    conflicts: [],
    organisations: names.organisations,
    resolutions: names.resolutions,
    dryRun: request.dryRun === true,
    changes: emptyChanges(),
    planId: null,
    ...(document.filing ? { filing: document.filing } : {}),
    unlinked,
    understood,
    columns: document.columns ?? [],
    columnsSource: reading.source,
    ...(document.headerSignature !== undefined ? { headerSignature: document.headerSignature } : {}),
  };

  const sha256 = createHash('sha256').update(request.bytes).digest('hex');
  const at = ctx.now().toISOString();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const changes = summary.changes;
      const conflict = (where: { line: number; location?: string } | undefined, message: string) =>
        summary.conflicts.push({ line: where?.line ?? 1, ...(where?.location ? { location: where.location } : {}), message });

      const plan = await findPlanByYearTitle(trx, year, planTitle);
      const planId = plan?.id ?? (await insertPlan(trx, { year, title: planTitle, issuer: issuerFromTitle(title), createdAt: at }));
      if (!plan) changes.plans++;
      summary.planId = planId;
      const periodId = await ensurePeriod(trx, planId, resolvedPeriod);
      if (resolvedPeriod.kind !== 'year') await ensurePeriod(trx, planId, periodSpec(year, 'year'));

      const organisationIds = new Map(registry.ids);
      for (const organisation of names.organisations) {
        if (!organisationIds.has(organisation.name)) {
          organisationIds.set(
            organisation.name,
            await insertOrganisation(trx, { name: organisation.name, kind: organisation.kind, createdAt: at }),
          );
          changes.organisations++;
        }
      }
      for (const [alias, canonical] of names.newAliases) {
        if (!registry.aliases.has(alias) && !organisationIds.has(alias)) {
          await insertAlias(trx, { organisationId: organisationIds.get(canonical)!, alias, createdAt: at });
          changes.aliases++;
        }
      }
      const reportingUnitId = names.reportingUnit ? organisationIds.get(names.reportingUnit) : undefined;
      // a table with completion texts records work the units already did: their parts count as signed for; a plan
      // without them assigns new work, which each unit signs for (签收) or returns
      const linkState = hasCompletions ? 'acknowledged' : 'assigned';

      /** the items the filing unit joined as a cooperating unit by the person's choice, for the audit trail */
      const cooperations: { itemId: number; task: string; work: string }[] = [];
      let done = 0;
      for (const [chapterIndex, chapter] of table.chapters.entries()) {
        const chapterRow = await findChapter(trx, planId, chapter.numeral);
        if (chapterRow && chapterRow.title !== chapter.title) {
          conflict(
            sourceOf(chapterIndex),
            `章节“${chapter.numeral}”已有标题“${chapterRow.title}”，与本文件的“${chapter.title}”不同：保留原标题。`,
          );
        }
        const chapterId =
          chapterRow?.id ??
          (await insertChapter(trx, {
            planId,
            numeral: chapter.numeral,
            title: chapter.title,
            position: chapterNumeralValue(chapter.numeral),
          }));
        if (!chapterRow) changes.chapters++;

        for (const [taskIndex, task] of chapter.tasks.entries()) {
          const taskRow = await findTask(trx, planId, task.number);
          if (taskRow && taskRow.name !== task.name) {
            conflict(
              sourceOf(chapterIndex, taskIndex, 0),
              `序号 ${task.number} 已有任务“${taskRow.name}”，与本文件的“${task.name}”不同：未覆盖，请核对序号。`,
            );
          }
          if (taskRow && taskRow.chapter_id !== chapterId) {
            conflict(
              sourceOf(chapterIndex, taskIndex, 0),
              `序号 ${task.number} 已在另一章节中，本文件把它列在“${chapter.numeral}、${chapter.title}”下：保留原章节。`,
            );
          }
          const taskId =
            taskRow?.id ??
            (await insertTask(trx, { planId, chapterId, number: task.number, sortKey: sortKeyOf(task.number), name: task.name }));
          if (!taskRow) changes.tasks++;

          const storedItems = await listItemsOfTask(trx, taskId);
          const storedBefore = [...storedItems];
          for (const [itemIndex, item] of task.items.entries()) {
            const itemId = await matchOrInsertItem(trx, taskId, storedItems, storedBefore, item, changes, (message) =>
              conflict(sourceOf(chapterIndex, taskIndex, itemIndex), `序号 ${task.number}：${message}`),
            );
            await linkOrganisations(trx, itemId, names.itemNames.get(item)!, organisationIds, linkState);
            if (reportingUnitId !== undefined && cooperates(item)) {
              if (await addCooperatingUnit(trx, itemId, reportingUnitId, linkState))
                cooperations.push({ itemId, task: task.number, work: item.work });
            }
            if (reportingUnitId !== undefined && files(item)) {
              await upsertReport(trx, { itemId, organisationId: reportingUnitId, periodId }, item, {
                source: `import:${document.format}`,
                createdBy: actor.id,
                at,
                changes,
              });
            }
            progress({ phase: 'write', done: ++done, total: counts.items });
          }
        }
      }

      // a confirmed choice of columns is remembered for these headings; going back to the headings forgets it
      const mappingChanged =
        request.dryRun || request.columns === undefined ? false : await rememberColumns(trx, document, reading.choice, actor, at);
      if (Object.values(changes).some((count) => count > 0) || cooperations.length > 0 || mappingChanged) {
        const id = await insertImportRecord(trx, {
          plan_id: planId,
          organisation_id: reportingUnitId ?? null,
          period_id: periodId,
          file_name: request.fileName,
          format: document.format,
          sha256,
          // who filed the table and when, as its lines say: the record of the import keeps them
          summary: JSON.stringify({
            ...counts,
            changes,
            conflicts: summary.conflicts.length,
            ...(document.filing ? { filing: document.filing } : {}),
          }),
          created_by: actor.id,
          created_at: at,
        });
        await appendAuditEvent(
          trx,
          {
            actor: actor.id,
            organisationId: reportingUnitId ?? null,
            source: actor.source,
            action: 'import.summary_table',
            objectType: 'import',
            objectId: id,
            after: {
              planId,
              fileName: request.fileName,
              sha256,
              period: resolvedPeriod.code,
              changes,
              mappings: request.mappings ?? {},
              ...(unlinked.length > 0 ? { unlinked: { choice: request.unlinked, rows: unlinked.length, cooperating: cooperations } } : {}),
              columnsSource: reading.source,
              ...(reading.source === 'heading' ? {} : { columns: reading.choice }),
              ...(mappingChanged ? { columnMapping: Object.keys(reading.choice).length > 0 ? 'remembered' : 'forgotten' } : {}),
            },
          },
          at,
        );
      }
      if (request.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    // a plan created only inside the rolled-back transaction does not exist
    if (summary.changes.plans > 0) summary.planId = null;
  }
  return summary;
}

type ParsedDocument = Awaited<ReturnType<ServiceContext['parse']>>;

/**
 * Parses the file with the person's reading of its columns, or the one remembered for its headings. The headings'
 * own reading comes first, so that a choice is checked against the real header: its positions must be columns of
 * it, each meaning chosen once, and the table must still be found there with its 序号 and 名称 or 工作任务.
 * A remembered mapping that no longer reads the table is left aside with a warning; a person's is refused.
 */
async function readColumnsAsChosen(
  ctx: ServiceContext,
  request: ImportRequest,
): Promise<{ document: ParsedDocument; source: ImportSummary['columnsSource']; choice: Record<number, ColumnMeaning> }> {
  const parse = (columns?: Record<number, ColumnMeaning>) =>
    ctx.parse({
      bytes: request.bytes,
      fileName: request.fileName,
      format: request.format,
      limits: ctx.readerLimits,
      ...(columns ? { columns } : {}),
    });
  const given = request.columns === undefined ? undefined : checkColumnMeanings(request.columns);
  const plain = await parse();
  if (given !== undefined && Object.keys(given).length === 0) return { document: plain, source: 'heading', choice: {} };
  if (given !== undefined) {
    // what the headings already say needs no choice: only the columns read otherwise are kept (and remembered)
    const choice = changesFromHeadings(plain, given);
    if (Object.keys(choice).length === 0) return { document: plain, source: 'heading', choice };
    return { document: await parseWithChoice(parse, plain, choice), source: 'chosen', choice };
  }
  if (plain.headerSignature === undefined) return { document: plain, source: 'heading', choice: {} };
  const remembered = await findColumnMapping(ctx.db, plain.headerSignature);
  if (!remembered) return { document: plain, source: 'heading', choice: {} };
  try {
    const choice = checkColumnMeanings(JSON.parse(remembered.columns) as Record<number, ColumnMeaning>);
    if (Object.keys(choice).length === 0) return { document: plain, source: 'heading', choice: {} };
    return { document: await parseWithChoice(parse, plain, choice), source: 'remembered', choice };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invalid_column_mapping') throw error;
    plain.warnings.push({
      line: plain.rows[0]?.line ?? 1,
      column: 'columns',
      message: `上次为此表头保存的列对应关系已不适用（${error.message}），已按表头文字识别各列。`,
    });
    return { document: plain, source: 'heading', choice: {} };
  }
}

const invalidColumns = (message: string, details?: unknown) => badInput('invalid_column_mapping', message, details);

/** Positions are whole numbers, meanings come from the fixed list. */
function checkColumnMeanings(columns: Record<number, ColumnMeaning>): Record<number, ColumnMeaning> {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns))
    throw invalidColumns('列对应关系应为“列位置 → 含义”的对象。');
  const checked: Record<number, ColumnMeaning> = {};
  for (const [key, meaning] of Object.entries(columns)) {
    if (!/^(0|[1-9]\d*)$/.test(key)) throw invalidColumns(`列对应关系中的列位置“${key}”不是列的序数（从 0 起的整数）。`, { position: key });
    if (!isColumnMeaning(meaning)) {
      throw invalidColumns(
        `第 ${Number(key) + 1} 列的含义“${String(meaning)}”不在可选范围内（${Object.values(COLUMN_MEANING_LABELS).join('、')}）。`,
        { position: Number(key) },
      );
    }
    checked[Number(key)] = meaning;
  }
  return checked;
}

function changesFromHeadings(plain: ParsedDocument, choice: Record<number, ColumnMeaning>): Record<number, ColumnMeaning> {
  const read = new Map((plain.columns ?? []).map((reading) => [reading.position, reading.meaning]));
  if (plain.layout !== 'table' || plain.columns === undefined) return choice;
  return Object.fromEntries(Object.entries(choice).filter(([position, meaning]) => read.get(Number(position)) !== meaning));
}

async function parseWithChoice(
  parse: (columns?: Record<number, ColumnMeaning>) => Promise<ParsedDocument>,
  plain: ParsedDocument,
  choice: Record<number, ColumnMeaning>,
): Promise<ParsedDocument> {
  const headings = plain.columns;
  if (plain.layout !== 'table' || headings === undefined || plain.headerSignature === undefined) {
    throw invalidColumns('此文件不是表格（是任务分解方案的段落），没有可对应的列。');
  }
  const headingAt = (position: number) => headings.find((reading) => reading.position === position)?.heading;
  const seen = new Map<ColumnMeaning, number>();
  for (const [key, meaning] of Object.entries(choice)) {
    const position = Number(key);
    if (headingAt(position) === undefined) {
      throw invalidColumns(`列对应关系中的第 ${position + 1} 列不是表头中有标题的列（表头共有 ${headings.length} 个有标题的列）。`, {
        position,
      });
    }
    if (meaning === 'extra' || meaning === 'ignore') continue;
    const other = seen.get(meaning);
    if (other !== undefined) {
      throw invalidColumns(
        `“${headingAt(other)}”和“${headingAt(position)}”两列都选为“${COLUMN_MEANING_LABELS[meaning as ColumnMeaningKey]}”：每种含义只能对应一列。`,
        { position },
      );
    }
    seen.set(meaning, position);
  }
  const missing = () =>
    invalidColumns('按所选的列对应关系，表头中没有“序号”列和“名称”或“工作任务”列，无法识别任务：请为这两类各保留一列。', {
      field: 'columns',
    });
  // the reader applies a choice to the header the headings found, so no other row (a title) can become the header
  try {
    return await parse(choice);
  } catch (error) {
    if (error instanceof AppError && error.code === 'table_header_missing') throw missing();
    throw error;
  }
}

/** Stores a confirmed choice for the file's headings (an empty one forgets it); answers whether anything changed. */
async function rememberColumns(
  db: Executor,
  document: ParsedDocument,
  columns: Record<number, ColumnMeaning>,
  actor: Actor,
  at: string,
): Promise<boolean> {
  if (document.headerSignature === undefined) return false;
  if (Object.keys(columns).length === 0) return deleteColumnMapping(db, document.headerSignature);
  const stored = await findColumnMapping(db, document.headerSignature);
  const text = JSON.stringify(columns);
  if (stored && stored.columns === text) return false;
  const headings = document.headerSignature.split('\u0000');
  for (const reading of document.columns ?? []) headings[reading.position] = reading.heading;
  await saveColumnMapping(db, { signature: document.headerSignature, headings, columns, chosenBy: actor.id, chosenAt: at });
  return true;
}

/** A period code of the file's year, as the person chose it. */
function chosenPeriod(code: string, year: number): PeriodSpec {
  const spec = parsePeriodCode(code.trim());
  if (!spec || spec.year !== year) {
    throw badInput(
      'invalid_period',
      `报送周期“${code}”无效：应为 ${year} 年的周期，如 ${year}-Y（全年）、${year}-H1（上半年）、${year}-Q1（一季度）或 ${year}-M03（3月）。`,
      { field: 'period' },
    );
  }
  return spec;
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

/**
 * The same work text is the same item; a text close to one stored before this import is added, and reported as a
 * likely conflict (items of the same file are expected to resemble each other).
 */
async function matchOrInsertItem(
  db: Executor,
  taskId: number,
  stored: ItemRow[],
  storedBefore: ItemRow[],
  item: SummaryItem,
  changes: ImportChanges,
  conflict: (message: string) => void,
): Promise<number> {
  const same = stored.find((existing) => existing.work === item.work);
  if (same) return same.id;
  const close = storedBefore.find((existing) => nameSimilarity(existing.work, item.work) >= 0.85);
  if (close)
    conflict(`事项“${truncate(item.work)}”与已有事项“${truncate(close.work)}”相近但文字不同：已作为新事项导入，请核对是否为同一事项。`);
  const position = stored.reduce((max, existing) => Math.max(max, existing.position), 0) + 1;
  const extra = JSON.stringify({
    ...(item.deadline ? { deadline: item.deadline } : {}),
    ...(item.leader ? { leader: item.leader } : {}),
    ...(item.extra && Object.keys(item.extra).length > 0 ? { columns: item.extra } : {}),
  });
  const id = await insertItem(db, { taskId, position, work: item.work, leadText: item.lead, cooperatingText: item.cooperating, extra });
  stored.push({ id, task_id: taskId, position, work: item.work, lead_text: item.lead, cooperating_text: item.cooperating, extra });
  changes.items++;
  return id;
}

/** A row says something for the filing unit's report: its progress, its problems or its next steps. */
function hasReportText(item: SummaryItem): boolean {
  return item.completion !== '' || (item.problems ?? '') !== '' || (item.nextSteps ?? '') !== '';
}

async function upsertReport(
  db: Executor,
  keys: { itemId: number; organisationId: number; periodId: number },
  item: SummaryItem,
  meta: { source: string; createdBy: string; at: string; changes: ImportChanges },
): Promise<void> {
  const report = await findReport(db, keys.itemId, keys.organisationId, keys.periodId);
  const status = item.status ? item.status : null;
  // 存在问题 and 下步打算 are the report's own fields; a table without those columns leaves stored ones alone
  const problems = item.problems ?? report?.problems ?? '';
  const nextSteps = item.nextSteps ?? report?.next_steps ?? '';
  const version = {
    state: 'accepted',
    text: item.completion,
    status,
    problems,
    nextSteps,
    source: meta.source,
    createdBy: meta.createdBy,
    at: meta.at,
  };
  if (!report) {
    await insertReport(db, keys, version);
    meta.changes.reports++;
  } else if (
    report.text !== item.completion ||
    (status !== null && report.status !== status) ||
    report.problems !== problems ||
    report.next_steps !== nextSteps
  ) {
    await reviseReport(db, report, version);
    meta.changes.revisedReports++;
  }
}

/** Adds the unit as the item's last cooperating unit unless it already has a part in it; true when it was added. */
async function addCooperatingUnit(
  db: Executor,
  itemId: number,
  organisationId: number,
  state: 'assigned' | 'acknowledged',
): Promise<boolean> {
  const existing = await listItemOrganisations(db, itemId);
  if (existing.some((link) => link.organisation_id === organisationId)) return false;
  const position = existing.filter((link) => link.role === 'cooperating').reduce((max, link) => Math.max(max, link.position), 0) + 1;
  await insertItemOrganisation(db, { itemId, organisationId, role: 'cooperating', position, state });
  return true;
}

/**
 * A collective name (各区人民政府, 市各有关部门) stands for several units: a unit of the kind it names has its part
 * through it, so its text on such a row is its own report as before.
 */
function collectiveCovers(name: string, kind: string): boolean {
  if (classifyOrganisation(name) !== 'collective') return false;
  if (/(政府|县|区)/.test(name)) return kind === 'county_level_government';
  if (/部门/.test(name)) return kind === 'city_department';
  return /单位/.test(name);
}

/** The file's name without folders and extension. */
function fileNameStem(fileName: string): string {
  return fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .normalize('NFKC')
    .trim();
}

/** 2031年一季度重点工作进展-市水务局, 市水务局2031年上半年, 2031_Q1_市数据局 → 2031 */
export function yearFromFileName(stem: string): number | undefined {
  const match = /(?<!\d)((?:19|20)\d{2})(?!\d)/.exec(stem);
  return match ? Number(match[1]) : undefined;
}

/** What separates the parts of a file's name: punctuation, and the year and period words. */
const FILE_NAME_SEPARATORS =
  /(?<!\d)(?:19|20)\d{2}(?!\d)\s*(?:年度|年)?|前三季度|第?[一二三四1-4]季度|[上下]半年|全年|年度|(?<![A-Za-z])[QqHh][1-4](?![0-9A-Za-z])|\d{1,2}[-—~至到]\d{1,2}月份?|\d{1,2}月份?|[-_—–·•\s（）()【】[\]、，,。.+＋]+/g;
/** Words of a file's name that say what it is, not who filed it. */
const FILE_NAME_WORDS =
  /^(?:重点|工作|任务|目标|进展|进度|完成|落实|推进|情况|汇总|统计|一览|报表|表|报送|填报|材料|报告|附件\d*)+|(?:重点|工作|任务|目标|进展|进度|完成|落实|推进|情况|汇总|统计|一览|报表|表|报送|填报|材料|报告)+$/g;

/**
 * The filing unit named by the file's name: a part of it that is a known unit or alias first, then a part that
 * reads as a unit's name (a department, a district government, a management committee, a state enterprise).
 */
export function unitFromFileName(stem: string, registry: Pick<Registry, 'names' | 'aliases' | 'kinds'>): string | undefined {
  const parts = stem
    .split(FILE_NAME_SEPARATORS)
    .map((part) => part.replace(FILE_NAME_WORDS, '').trim())
    .filter((part) => part.length >= 2);
  const canonical = (name: string) => registry.aliases.get(name) ?? name;
  const eligible = (name: string) =>
    !['collective', 'city_government'].includes(registry.kinds.get(canonical(name)) ?? classifyOrganisation(name));
  const known = [...registry.names, ...registry.aliases.keys()]
    .filter((name) => name.length >= 3 && eligible(name))
    .sort((a, b) => b.length - a.length);
  for (const part of parts) {
    if (known.includes(part)) return canonical(part);
  }
  for (const part of parts) {
    const inside = known.find((name) => part.includes(name));
    if (inside !== undefined) return canonical(inside);
  }
  const unitKinds = ['city_department', 'county_level_government', 'management_committee', 'state_enterprise'];
  return parts.find((part) => unitKinds.includes(classifyOrganisation(part)) && organisationNameProblem(part) === undefined);
}

async function linkOrganisations(
  db: Executor,
  itemId: number,
  resolved: { lead: string[]; cooperating: string[] },
  ids: Map<string, number>,
  state: 'assigned' | 'acknowledged',
): Promise<void> {
  const existing = await listItemOrganisations(db, itemId);
  for (const role of ['lead', 'cooperating'] as const) {
    const linked = existing.filter((link) => link.role === role);
    let position = linked.reduce((max, link) => Math.max(max, link.position), 0);
    const seen = new Set(existing.filter((link) => link.role === role).map((link) => link.organisation_id));
    for (const name of resolved[role]) {
      const organisationId = ids.get(name)!;
      if (seen.has(organisationId)) continue;
      seen.add(organisationId);
      await insertItemOrganisation(db, { itemId, organisationId, role, position: ++position, state });
    }
  }
}

function sortKeyOf(number: string): number {
  return /^\d+$/.test(number) ? Number(number) : 1_000_000;
}

function truncate(text: string, length = 24): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Finds the source row of a chapter, task or item, for conflicts reported at their place. */
const TABLE_FIELDS: Record<string, string> = {
  title: '标题',
  organisation: '填报单位',
  columns: '表头',
  numeral: '章节序号',
  name: '名称',
  number: '序号',
  work: '工作内容',
  lead: '牵头单位',
  cooperating: '配合单位',
  completion: '完成情况',
  deadline: '完成时限',
  status: '进展状态',
  leader: '责任领导',
  problems: '存在问题',
  nextSteps: '下步打算',
  extra: '其他列',
};

/**
 * A bracket without its other half leaves where a unit's name ends to a guess (the list is split outside the
 * paired brackets only), so each one is reported at its row and column for the person to check before confirming.
 */
function unpairedBracketWarnings(table: SummaryTable, writtenUnit: string, sourceOf: ReturnType<typeof sourceLines>): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  const headingOf = (field: 'lead' | 'cooperating') => table.columns[field] || TABLE_FIELDS[field]!;
  for (const problem of splitOrganisationListDetailed(writtenUnit).problems) {
    warnings.push({ line: 1, column: 'organisation', message: `填报单位“${writtenUnit.trim()}”：${problem.message}` });
  }
  table.chapters.forEach((chapter, chapterIndex) => {
    chapter.tasks.forEach((task, taskIndex) => {
      task.items.forEach((item, itemIndex) => {
        for (const field of ['lead', 'cooperating'] as const) {
          const problems = splitOrganisationListDetailed(item[field]).problems;
          if (problems.length === 0) continue;
          const row = sourceOf(chapterIndex, taskIndex, itemIndex);
          const where = { line: row?.line ?? 1, ...(row?.location ? { location: row.location } : {}), column: field };
          for (const problem of problems) {
            warnings.push({ ...where, message: `序号 ${task.number} 的“${headingOf(field)}”：${problem.message}` });
          }
        }
      });
    });
  });
  return warnings;
}

/**
 * Text that is not well-formed Unicode (a lone surrogate from a JSON "\ud800" escape or an XML "&#xD800;"
 * reference) cannot be stored as UTF-8: the whole file is refused before anything is written, saying where.
 */
function refuseIllFormedText(table: SummaryTable, sourceOf: ReturnType<typeof sourceLines>): void {
  const pointer = findIllFormedText(table);
  if (pointer === undefined) return;
  const parts = pointer.split('/').slice(1);
  const index = (name: string) => {
    const at = parts.indexOf(name);
    return at >= 0 && parts[at + 1] !== undefined ? Number(parts[at + 1]) : undefined;
  };
  const [chapter, task, item] = [index('chapters'), index('tasks'), index('items')];
  const field = [...parts].reverse().find((part) => TABLE_FIELDS[part] !== undefined);
  const place = [
    chapter === undefined ? '' : `第 ${chapter + 1} 章`,
    task === undefined ? '' : `第 ${task + 1} 项任务`,
    item === undefined ? '' : `第 ${item + 1} 个事项`,
  ].join('');
  const row = chapter === undefined ? undefined : task === undefined ? sourceOf(chapter) : sourceOf(chapter, task, item ?? 0);
  const where = [
    row ? `第 ${row.line} 行${row.location ? `（${row.location}）` : ''}` : '',
    place,
    field ? `的“${TABLE_FIELDS[field]}”` : '',
  ].join('');
  throw badInput(
    'invalid_text',
    `文件中${where || '的文字'}含有无效的 Unicode 字符（不成对的代理项），无法导入，未写入任何内容。请在原文件中删去该字符后重新导入。`,
    { pointer },
  );
}

function sourceLines(rows: RowInterpretation[]) {
  const index = new Map<string, RowInterpretation>();
  for (const row of rows) {
    if (row.kind === 'chapter') index.set(`${row.chapter}`, row);
    if (row.kind === 'task' || row.kind === 'item') index.set(`${row.chapter}/${row.task}/${row.item}`, row);
  }
  return (chapter: number, task?: number, item?: number) => index.get(task === undefined ? `${chapter}` : `${chapter}/${task}/${item}`);
}

interface Registry {
  names: Set<string>;
  ids: Map<string, number>;
  kinds: Map<string, string>;
  /** alias → canonical name */
  aliases: Map<string, string>;
}

async function loadRegistry(db: Executor): Promise<Registry> {
  // merged duplicates are known by their names only as aliases of the units they were merged into
  const organisations = (await listOrganisations(db)).filter((row) => row.merged_into_id === null);
  const byId = new Map(organisations.map((row) => [row.id, row.name]));
  const aliases = new Map((await listAliases(db)).map((row) => [row.alias, byId.get(row.organisation_id)!]));
  return {
    names: new Set(byId.values()),
    ids: new Map(organisations.map((row) => [row.name, row.id])),
    kinds: new Map(organisations.map((row) => [row.name, row.kind])),
    aliases,
  };
}

interface ResolvedNames {
  reportingUnit: string | undefined;
  organisations: ImportOrganisation[];
  resolutions: ImportSummary['resolutions'];
  /** written or previewed name → canonical name, to remember as aliases */
  newAliases: Map<string, string>;
  itemNames: Map<SummaryItem, { lead: string[]; cooperating: string[] }>;
}

/**
 * Resolves every name in the file: the registry and its aliases first, then the full names written elsewhere in
 * the same file (so 生态环境局 becomes 市生态环境局 when 市生态环境局 is written too), then the carry-over 市 rule.
 * The person's mappings then send a new name to an existing unit; the forms written for it become its aliases.
 */
function resolveNames(
  registry: Registry,
  table: SummaryTable,
  writtenUnit: string,
  mappings: Record<string, OrganisationMapping>,
): ResolvedNames {
  const writtenFullNames = new Set<string>();
  const noteFullNames = (raw: string) => {
    for (const resolution of resolveOrganisationList(raw, () => undefined)) {
      if (!isBareDepartmentName(resolution.written)) writtenFullNames.add(resolution.written);
    }
  };
  noteFullNames(writtenUnit);
  for (const chapter of table.chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        noteFullNames(item.lead);
        noteFullNames(item.cooperating);
      }
    }
  }
  const lookup = (name: string) => {
    if (registry.names.has(name)) return name;
    return registry.aliases.get(name) ?? (writtenFullNames.has(name) ? name : undefined);
  };

  const idToName = new Map([...registry.ids].map(([name, id]) => [id, name]));
  const mapped = new Map<string, string>();
  for (const [name, mapping] of Object.entries(mappings)) {
    if ('organisationId' in mapping) {
      const target = idToName.get(mapping.organisationId);
      if (!target) throw badInput('mapping_unknown_organisation', `对应关系中的单位编号 ${mapping.organisationId} 不存在。`);
      mapped.set(name, target);
    }
  }

  const byName = new Map<string, ImportOrganisation>();
  const resolutions = new Map<string, { written: string; canonical: string; rule: string }>();
  const newAliases = new Map<string, string>();
  const note = (resolution: NameResolution): string => {
    const previewName = resolution.canonical;
    const canonical = mapped.get(previewName) ?? previewName;
    let entry = byName.get(canonical);
    if (!entry) {
      const known = registry.names.has(canonical);
      const kind = registry.kinds.get(canonical) ?? classifyOrganisation(canonical);
      entry = {
        name: canonical,
        written: [],
        status: known ? 'known' : 'new',
        organisationId: registry.ids.get(canonical) ?? null,
        kind,
        kindLabel: ORGANISATION_KIND_LABELS[kind as keyof typeof ORGANISATION_KIND_LABELS] ?? kind,
        suggestions: [],
      };
      byName.set(canonical, entry);
    }
    if (!entry.written.includes(resolution.written)) entry.written.push(resolution.written);
    const rule = canonical !== previewName ? 'mapping' : resolution.rule;
    if (rule && !resolutions.has(resolution.written)) resolutions.set(resolution.written, { written: resolution.written, canonical, rule });
    if (rule && rule !== 'alias') newAliases.set(resolution.written, canonical);
    if (canonical !== previewName && previewName !== resolution.written) newAliases.set(previewName, canonical);
    return canonical;
  };

  const reportingUnit = writtenUnit === '' ? undefined : note(resolveOrganisationList(writtenUnit, lookup)[0]!);
  const itemNames = new Map<SummaryItem, { lead: string[]; cooperating: string[] }>();
  for (const chapter of table.chapters) {
    for (const task of chapter.tasks) {
      for (const item of task.items) {
        itemNames.set(item, {
          lead: resolveOrganisationList(item.lead, lookup).map(note),
          cooperating: resolveOrganisationList(item.cooperating, lookup).map(note),
        });
      }
    }
  }

  for (const name of Object.keys(mappings)) {
    const previewed = [...byName.values()].some((entry) => entry.name === name || mapped.get(name) === entry.name);
    if (!previewed) throw badInput('mapping_unknown_name', `对应关系中的单位“${name}”没有出现在此文件中。`);
  }
  const knownNames = [...registry.names, ...registry.aliases.keys()];
  for (const entry of byName.values()) {
    if (entry.status !== 'new') continue;
    entry.suggestions = similarNames(entry.name, knownNames)
      .map((similar) => {
        const name = registry.aliases.get(similar) ?? similar;
        const kind = registry.kinds.get(name)!;
        return {
          id: registry.ids.get(name)!,
          name,
          kindLabel: ORGANISATION_KIND_LABELS[kind as keyof typeof ORGANISATION_KIND_LABELS] ?? kind,
        };
      })
      .filter((suggestion, index, all) => all.findIndex((other) => other.id === suggestion.id) === index);
  }
  return { reportingUnit, organisations: [...byName.values()], resolutions: [...resolutions.values()], newAliases, itemNames };
}
