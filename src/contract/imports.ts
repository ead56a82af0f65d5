import { Type, type Static } from 'typebox';
import type { ColumnMeaningKey } from './column-meanings.js';
import { PeriodRef, PlanCounts, summaryItemFields, summaryTableOf } from './common.js';

/** Importing a summary table or a 责任分工方案: the preview, the confirmed result, and the form's fields. */
const Optional = Type.Optional;

const TableItem = Type.Object(summaryItemFields);

export const ColumnMeaning = Type.Union(
  [
    Type.Literal('number'),
    Type.Literal('name'),
    Type.Literal('work'),
    Type.Literal('lead'),
    Type.Literal('cooperating'),
    Type.Literal('responsible'),
    Type.Literal('completion'),
    Type.Literal('problems'),
    Type.Literal('nextSteps'),
    Type.Literal('deadline'),
    Type.Literal('leader'),
    Type.Literal('status'),
    Type.Literal('extra'),
    Type.Literal('ignore'),
  ],
  {
    description:
      '列的含义：number 序号、name 名称、work 工作任务、lead 牵头单位、cooperating 主要配合单位、responsible 责任单位（首个为牵头）、completion 完成情况/进展、problems 存在问题、nextSteps 下步打算、deadline 完成时限、leader 责任领导、status 完成状态、extra 保留为其他列、ignore 不导入',
  },
);

// the schema and the choice list of the preview name the same meanings
const _sameMeanings: [Static<typeof ColumnMeaning>, ColumnMeaningKey] extends [ColumnMeaningKey, Static<typeof ColumnMeaning>]
  ? true
  : never = true;
void _sameMeanings;

const Location = { line: Type.Integer(), location: Optional(Type.String()) };

export const ImportPreview = Type.Object({
  fileName: Type.String(),
  format: Type.String(),
  layout: Type.String({ description: 'table（表格）或 decomposition（任务分解方案）' }),
  title: Type.String(),
  year: Type.Integer(),
  organisation: Type.String({ description: '填报单位的规范名称；全市表为空' }),
  period: PeriodRef,
  counts: PlanCounts,
  table: summaryTableOf(Type.Object({ number: Type.String(), name: Type.String(), items: Type.Array(TableItem) })),
  rows: Type.Array(
    Type.Object({
      ...Location,
      kind: Type.String(),
      chapter: Optional(Type.Integer()),
      task: Optional(Type.Integer()),
      item: Optional(Type.Integer()),
    }),
  ),
  warnings: Type.Array(Type.Object({ ...Location, column: Optional(Type.String()), message: Type.String() })),
  conflicts: Type.Array(Type.Object({ ...Location, message: Type.String() })),
  organisations: Type.Array(
    Type.Object({
      name: Type.String(),
      written: Type.Array(Type.String()),
      status: Type.Union([Type.Literal('known'), Type.Literal('new')]),
      organisationId: Type.Union([Type.Integer(), Type.Null()]),
      kind: Type.String(),
      kindLabel: Type.String(),
      suggestions: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), kindLabel: Type.String() })),
    }),
  ),
  changes: Type.Object({
    plans: Type.Integer(),
    organisations: Type.Integer(),
    aliases: Type.Integer(),
    chapters: Type.Integer(),
    tasks: Type.Integer(),
    items: Type.Integer(),
    reports: Type.Integer(),
    revisedReports: Type.Integer(),
  }),
  planId: Type.Union([Type.Integer(), Type.Null()]),
  unlinked: Type.Array(
    Type.Object({ ...Location, task: Type.String({ description: '序号' }), work: Type.String({ description: '工作任务' }) }),
    { description: '填报单位不是牵头或配合单位、却写有其报告文字的行；确认导入须在表单字段 unlinked 中选择 cooperate 或 omit' },
  ),
  understood: Type.Array(
    Type.Object({
      task: Type.String({ description: '序号' }),
      name: Type.String({ description: '名称' }),
      work: Type.String({ description: '工作任务' }),
      leads: Type.Array(Type.String(), { description: '牵头单位，按将保存的规范名称' }),
      cooperating: Type.Array(Type.String(), { description: '配合单位，按将保存的规范名称' }),
      reports: Type.Array(Type.Object({ organisation: Type.String(), period: Type.String({ description: '报送周期代码，如 2031-Y' }) }), {
        description: '本次导入为此事项写入的报告',
      }),
    }),
    { description: '按文件顺序，每个事项导入后的样子' },
  ),
  filing: Optional(
    Type.Object(
      {
        organisation: Type.String({ description: '填报单位，如文件所写（去掉“盖章”）' }),
        date: Optional(Type.String({ description: '填报时间，yyyy-mm-dd' })),
        contact: Optional(Type.String({ description: '联系人' })),
        phone: Optional(Type.String({ description: '电话' })),
      },
      { description: '文件表头上方的填报单位、填报时间、联系人和电话' },
    ),
  ),
  columns: Type.Array(
    Type.Object({
      position: Type.Integer({ minimum: 0, description: '列在表中的位置，从 0 起' }),
      heading: Type.String({ description: '表头文字，如文件所写' }),
      meaning: ColumnMeaning,
      source: Type.Union([Type.Literal('heading'), Type.Literal('chosen')], { description: 'heading 按表头文字识别，chosen 按人的选择' }),
    }),
    { description: '表格各列的识别结果（任务分解方案为空）' },
  ),
  columnsSource: Type.Union([Type.Literal('heading'), Type.Literal('remembered'), Type.Literal('chosen')], {
    description: 'heading 按表头文字识别；remembered 按上次为相同表头保存的选择；chosen 按本次请求的 columns',
  }),
  headerSignature: Optional(Type.String({ description: '表头签名（去掉空白的各列标题，以 U+0000 连接）：列对应关系按它保存' })),
});

export const PreviewResponse = Type.Object({ preview: ImportPreview });
export const ImportResponse = Type.Object({ result: ImportPreview });

/** The text fields of the multipart form, validated after the upload is read. */
export const ImportFields = Type.Object(
  {
    year: Optional(Type.String({ pattern: '^(19|20)\\d{2}$' })),
    organisation: Optional(Type.String({ minLength: 1, maxLength: 100 })),
    mappings: Optional(Type.String({ maxLength: 200_000 })),
    unlinked: Optional(Type.Union([Type.Literal('cooperate'), Type.Literal('omit')])),
    columns: Optional(Type.String({ maxLength: 20_000 })),
    period: Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const Mappings = Type.Record(
  Type.String({ minLength: 1, maxLength: 100 }),
  Type.Union([
    Type.Object({ organisationId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    Type.Object({ create: Type.Literal(true) }, { additionalProperties: false }),
  ]),
);

/** position (from 0) → meaning; {} goes back to what the headings say */
export const ColumnChoice = Type.Record(Type.String({ pattern: '^(0|[1-9][0-9]{0,2})$' }), ColumnMeaning, { additionalProperties: false });

export type ColumnMeaning = Static<typeof ColumnMeaning>;
export type ImportPreview = Static<typeof ImportPreview>;
export type PreviewResponse = Static<typeof PreviewResponse>;
export type ImportResponse = Static<typeof ImportResponse>;
export type ImportFields = Static<typeof ImportFields>;
export type Mappings = Static<typeof Mappings>;
export type ColumnChoice = Static<typeof ColumnChoice>;
export type ImportOrganisation = ImportPreview['organisations'][number];
export type ImportColumn = ImportPreview['columns'][number];
/** The form fields of an import, for the API document. */
export const MULTIPART_DESCRIPTION =
  'multipart/form-data：file（必填，.txt/.docx/.xlsx/.csv/.json）；year（可选，文件未写明年份时）；organisation（可选，填报单位）；period（可选，报送周期代码，如 2031-Q1、2031-H1、2031-Y）；columns（可选，JSON：{"列位置": "含义"}，按人的选择识别各列，确认导入时为相同表头保存；{} 恢复按表头识别）；unlinked（可选，cooperate 或 omit：填报单位不是某事项的牵头或配合单位时，把它加为配合单位，或不导入这段文字）';
export type ImportRow = ImportPreview['rows'][number];
export type ImportWarning = ImportPreview['warnings'][number];
export type ImportUnlinkedRow = ImportPreview['unlinked'][number];
export type OrganisationMapping = Mappings[string];
/** A person's reading of a table's columns, by position (sent as JSON in the form's columns field). */
export type ImportColumnsChoice = Record<number, ColumnMeaningKey>;
export type ImportChanges = ImportPreview['changes'];
export type ImportConflict = ImportPreview['conflicts'][number];
export type ImportFiling = NonNullable<ImportPreview['filing']>;
