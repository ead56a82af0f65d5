/**
 * Pure helpers of the import page: client-side file checks, labels, matching warnings to preview rows, and the
 * effect of the person's unit mappings on what confirming will change. No React here, so they can be unit-tested.
 */
import { COLUMN_MEANING_LABELS, COLUMN_MEANINGS, type ColumnMeaningKey } from '../contract/column-meanings.js';
import { chapterRowKey, itemRowKey } from './components/summaryRowKeys.js';
import type {
  ImportChanges,
  ImportColumn as ImportColumnReading,
  ImportConflict,
  ImportOrganisation,
  ImportPreview,
  ImportRow,
  ImportWarning,
  OrganisationMapping,
} from '../contract/imports.js';
import type { ImportFormat as ImportFileFormat } from '../contract/vocabulary.js';

export const ACCEPTED_EXTENSIONS = ['.txt', '.docx', '.xlsx', '.csv', '.json'] as const;
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

/** Why a chosen file cannot be uploaded, in Chinese; undefined when it may be. */
export function checkImportFile(file: { name: string; size: number }): string | undefined {
  const dot = file.name.lastIndexOf('.');
  const extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extension)) {
    return `不支持“${file.name}”的文件类型${extension ? `（${extension}）` : ''}：只能导入 .txt、.docx、.xlsx、.csv 或 .json 文件。`;
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    return `文件“${file.name}”大小为 ${formatBytes(file.size)}，超过 ${formatBytes(MAX_UPLOAD_BYTES)} 的上限：请拆分后分别导入。`;
  }
  if (file.size === 0) return `文件“${file.name}”是空文件，没有可导入的内容。`;
  return undefined;
}

export const FORMAT_LABELS: Record<ImportFileFormat, string> = {
  text: '文本（.txt）',
  docx: 'Word（.docx）',
  xlsx: 'Excel（.xlsx）',
  csv: 'CSV（.csv）',
  json: 'JSON（.json）',
};

export function formatLabel(format: string): string {
  return FORMAT_LABELS[format as ImportFileFormat] ?? format;
}

const COLUMN_LABELS: Record<string, string> = {
  work: '工作任务',
  lead: '牵头单位',
  cooperating: '配合单位',
  number: '序号',
  name: '名称',
  completion: '完成情况',
};

/** The label of a warning's column: the known keys in Chinese, otherwise the column as the server wrote it. */
export function columnLabel(column: string | undefined): string | undefined {
  if (!column) return undefined;
  return COLUMN_LABELS[column] ?? column;
}

/** Where in the file: the reader's location (表 2 第 5 行, Sheet1!C7…) or 第 N 行. */
export function whereLabel(where: { line: number; location?: string }): string {
  return where.location || `第 ${where.line} 行`;
}

/** The preview table row (SummaryTableView key) a source row became, if it is shown in the table. */
export function tableRowKey(row: ImportRow): string | undefined {
  if (row.chapter === undefined) return undefined;
  if (row.kind === 'chapter') return chapterRowKey(row.chapter);
  if ((row.kind === 'task' || row.kind === 'item') && row.task !== undefined) {
    return itemRowKey(row.chapter, row.task, row.item ?? 0);
  }
  return undefined;
}

/** The source row a warning or conflict is about: same line and location, else same location, else same line. */
export function findSourceRow(rows: ImportRow[], where: { line: number; location?: string }): ImportRow | undefined {
  const location = where.location ?? '';
  return (
    rows.find((row) => row.line === where.line && (row.location ?? '') === location) ??
    (location ? rows.find((row) => row.location === location) : undefined) ??
    rows.find((row) => row.line === where.line)
  );
}

export interface Issue {
  kind: 'warning' | 'conflict';
  where: string;
  column?: string;
  message: string;
  /** the preview table row it is attached to */
  rowKey?: string;
}

export function issuesOf(preview: Pick<ImportPreview, 'rows' | 'warnings' | 'conflicts'>): Issue[] {
  const issue = (kind: Issue['kind'], entry: ImportWarning | ImportConflict): Issue => {
    const source = findSourceRow(preview.rows, entry);
    const rowKey = source ? tableRowKey(source) : undefined;
    const column = 'column' in entry ? columnLabel(entry.column) : undefined;
    return {
      kind,
      where: whereLabel(entry),
      message: entry.message,
      ...(column ? { column } : {}),
      ...(rowKey ? { rowKey } : {}),
    };
  };
  return [
    ...preview.warnings.map((warning) => issue('warning', warning)),
    ...preview.conflicts.map((conflict) => issue('conflict', conflict)),
  ];
}

/** Row key → the messages shown in its tooltip. */
export function rowMarks(issues: Issue[]): Map<string, { messages: string[] }> {
  const marks = new Map<string, { messages: string[] }>();
  for (const issue of issues) {
    if (!issue.rowKey) continue;
    const text = `${issue.kind === 'conflict' ? '冲突：' : ''}${issue.column ? `${issue.column}：` : ''}${issue.message}`;
    const mark = marks.get(issue.rowKey);
    if (mark) mark.messages.push(text);
    else marks.set(issue.rowKey, { messages: [text] });
  }
  return marks;
}

/** A person's choice for a new unit: create it, or send it to an existing unit. */
export type MappingChoice = 'create' | number;

export function mappingsOf(
  organisations: ImportOrganisation[],
  choices: Readonly<Record<string, MappingChoice>>,
): Record<string, OrganisationMapping> {
  const mappings: Record<string, OrganisationMapping> = {};
  for (const organisation of organisations) {
    if (organisation.status !== 'new') continue;
    const choice = choices[organisation.name] ?? 'create';
    mappings[organisation.name] = choice === 'create' ? { create: true } : { organisationId: choice };
  }
  return mappings;
}

/**
 * What confirming will change once the mappings are applied: the preview counted every new unit as created; a unit
 * sent to an existing one is not created, and the forms written for it are remembered as that unit's aliases.
 */
export function changesWithMappings(
  changes: ImportChanges,
  organisations: ImportOrganisation[],
  choices: Readonly<Record<string, MappingChoice>>,
): ImportChanges {
  const adjusted = { ...changes };
  for (const organisation of organisations) {
    const choice = choices[organisation.name];
    if (organisation.status !== 'new' || choice === undefined || choice === 'create') continue;
    adjusted.organisations = Math.max(0, adjusted.organisations - 1);
    adjusted.aliases += new Set([...organisation.written, organisation.name]).size;
  }
  return adjusted;
}

export const CHANGE_LABELS: { key: keyof ImportChanges; label: string; unit: string }[] = [
  { key: 'plans', label: '新增计划', unit: '个' },
  { key: 'organisations', label: '新增单位', unit: '个' },
  { key: 'aliases', label: '新增别名', unit: '个' },
  { key: 'chapters', label: '新增章节', unit: '个' },
  { key: 'tasks', label: '新增任务', unit: '项' },
  { key: 'items', label: '新增事项', unit: '个' },
  { key: 'reports', label: '新增报告', unit: '份' },
  { key: 'revisedReports', label: '更新报告', unit: '份' },
];

/** The non-zero changes as labelled counts, e.g. [{ label: '新增任务', text: '2 项' }]. */
export function changeList(changes: ImportChanges): { key: string; label: string; count: number; unit: string }[] {
  return CHANGE_LABELS.filter(({ key }) => changes[key] > 0).map(({ key, label, unit }) => ({
    key,
    label,
    count: changes[key],
    unit,
  }));
}

/** The choices of a column's meaning in the preview, in the order of the list, with their Chinese labels. */
export const COLUMN_MEANING_OPTIONS: { value: ColumnMeaningKey; label: string }[] = COLUMN_MEANINGS.map((meaning) => ({
  value: meaning,
  label: COLUMN_MEANING_LABELS[meaning],
}));

export function columnMeaningLabel(meaning: string): string {
  return (COLUMN_MEANING_LABELS as Record<string, string>)[meaning] ?? meaning;
}

/** The person's choice the preview was read with: the columns read as chosen (a choice sent, or the one remembered). */
export function columnChoiceOf(columns: readonly ImportColumnReading[] | undefined): Record<number, ColumnMeaningKey> {
  const choice: Record<number, ColumnMeaningKey> = {};
  for (const column of columns ?? []) if (column.source === 'chosen') choice[column.position] = column.meaning;
  return choice;
}

/** The choice after one column is read otherwise; the rest of the columns keep the choice the preview was read with. */
export function withColumnMeaning(
  columns: readonly ImportColumnReading[] | undefined,
  position: number,
  meaning: ColumnMeaningKey,
): Record<number, ColumnMeaningKey> {
  return { ...columnChoiceOf(columns), [position]: meaning };
}

const QUARTERS = ['一季度', '二季度', '三季度', '四季度'];

/** The periods of a year a file can report on, as the server codes them (2031-Y, 2031-H1, 2031-Q1, 2031-M01…). */
export function periodOptions(year: number): { value: string; label: string }[] {
  return [
    { value: `${year}-Y`, label: '全年' },
    { value: `${year}-H1`, label: '上半年' },
    { value: `${year}-H2`, label: '下半年' },
    ...QUARTERS.map((label, index) => ({ value: `${year}-Q${index + 1}`, label })),
    ...Array.from({ length: 12 }, (_, index) => ({ value: `${year}-M${String(index + 1).padStart(2, '0')}`, label: `${index + 1}月` })),
  ];
}

/** The same period in another year (a person corrects the year after choosing the period). */
export function periodInYear(code: string | undefined, year: number): string | undefined {
  const match = code ? /^\d{4}-(Y|H[12]|Q[1-4]|M(0[1-9]|1[0-2]))$/.exec(code) : null;
  return match ? `${year}-${match[1]}` : undefined;
}

/** The value a preview refused for want of, when the file did not say it: the person is asked for it in place. */
export function missingField(code: string | undefined): 'year' | 'organisation' | undefined {
  if (code === 'year_missing') return 'year';
  if (code === 'organisation_missing') return 'organisation';
  return undefined;
}
