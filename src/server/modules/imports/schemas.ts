import { Type } from 'typebox';
import { SummaryColumns, summaryItemFields } from '../../schemas.js';

const Optional = Type.Optional;

const TableItem = Type.Object({
  ...summaryItemFields,
  problems: Optional(Type.String({ description: '存在问题' })),
  nextSteps: Optional(Type.String({ description: '下步打算' })),
});

const TableColumns = Type.Object({
  ...SummaryColumns.properties,
  problems: Optional(Type.String()),
  nextSteps: Optional(Type.String()),
});

const Location = { line: Type.Integer(), location: Optional(Type.String()) };

export const ImportPreview = Type.Object({
  fileName: Type.String(),
  format: Type.String(),
  layout: Type.String({ description: 'table（表格）或 decomposition（任务分解方案）' }),
  title: Type.String(),
  year: Type.Integer(),
  organisation: Type.String({ description: '填报单位的规范名称；全市表为空' }),
  period: Type.Object({ code: Type.String(), label: Type.String() }),
  counts: Type.Object({ chapters: Type.Integer(), tasks: Type.Integer(), items: Type.Integer() }),
  table: Type.Object({
    title: Type.String(),
    organisation: Type.String(),
    columns: TableColumns,
    chapters: Type.Array(
      Type.Object({
        numeral: Type.String(),
        title: Type.String(),
        tasks: Type.Array(Type.Object({ number: Type.String(), name: Type.String(), items: Type.Array(TableItem) })),
      }),
    ),
  }),
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

export const MULTIPART_DESCRIPTION =
  'multipart/form-data：file（必填，.txt/.docx/.xlsx/.csv/.json）；year（可选，文件未写明年份时）；organisation（可选，填报单位）；unlinked（可选，cooperate 或 omit：填报单位不是某事项的牵头或配合单位时，把它加为配合单位，或不导入这段文字）';
