import { Type, type Static } from 'typebox';
import { Id, IsoDate, Named, PeriodCode, PeriodRef, PlanRef, Words } from './common.js';
import { FIGURES_MAX, TEXT_LIMITS, type TextField } from './limits.js';
import { REPORT_EVENTS, REPORT_STATUSES, type ReportStatus } from './vocabulary.js';

/**
 * Reports through their workflow (content, versions, diff, extensions, evidence files), the assignments units
 * sign for with their own steps, and each person's work waiting.
 */
/** A text field with its configured maximum (src/contract/limits.ts), named in Chinese for the API document. */
const Text = (field: TextField, options: { minLength?: number } = {}) =>
  Type.String({
    ...options,
    maxLength: TEXT_LIMITS[field].max,
    description: `${TEXT_LIMITS[field].label}，最多 ${TEXT_LIMITS[field].max} 字`,
  });

export const ReportKeyParams = Type.Object({ itemId: Id, orgId: Id, period: PeriodCode });
export const ReportParams = Type.Object({ reportId: Id });
export const ExtensionParams = Type.Object({ extensionId: Id });
export const ItemParams = Type.Object({ itemId: Id });

export const Figure = Type.Object(
  {
    name: Text('figureName'),
    value: Type.Number(),
    unit: Text('figureUnit'),
  },
  { additionalProperties: false },
);

export const ReportContent = Type.Object(
  {
    progress: Text('progress'),
    problems: Text('problems'),
    nextSteps: Text('nextSteps'),
    status: Type.Union(
      [
        Type.Literal('已完成'),
        Type.Literal('序时推进'),
        Type.Literal('进度滞后'),
        Type.Literal('未完成'),
        Type.Literal('持续推进'),
        Type.Null(),
      ],
      { description: `完成状态：${REPORT_STATUSES.join('、')}` },
    ),
    figures: Type.Array(Figure, { maxItems: FIGURES_MAX }),
  },
  { additionalProperties: false },
);

export const SaveReportBody = Type.Object(
  {
    content: ReportContent,
    baseRevision: Type.Integer({ minimum: 0, description: '编辑所基于的版本号；新报告为 0。与当前版本不符时返回 409' }),
  },
  { additionalProperties: false },
);

export const ReportEventBody = Type.Object(
  {
    event: Words(REPORT_EVENTS, { description: 'submit 报送、withdraw 撤回、approve/reject 单位审核、accept/return 采纳或退回' }),
    comment: Type.Optional(Text('comment')),
    baseRevision: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const ExtensionBody = Type.Object(
  { dueOn: IsoDate, reason: Text('extensionReason', { minLength: 1 }) },
  { additionalProperties: false },
);
export const DecisionBody = Type.Object(
  { approve: Type.Boolean(), comment: Type.Optional(Text('decisionComment')) },
  { additionalProperties: false },
);
export const DiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) });

export const AttachmentView = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  scanState: Type.String(),
  scanLabel: Type.String(),
  createdAt: Type.String(),
});
export const AttachmentsResponse = Type.Object({ attachments: Type.Array(AttachmentView) });
export const AttachmentParams = Type.Object({ reportId: Id, attachmentId: Id });

export const ReportView = Type.Object({
  id: Type.Union([Type.Integer(), Type.Null()]),
  key: Type.Object({ itemId: Type.Integer(), organisationId: Type.Integer(), periodCode: Type.String() }),
  item: Type.Object({
    id: Type.Integer(),
    work: Type.String(),
    leadText: Type.String(),
    cooperatingText: Type.String(),
    task: Type.Object({ id: Type.Integer(), number: Type.String(), name: Type.String() }),
    chapter: Type.Object({ numeral: Type.String(), title: Type.String() }),
  }),
  plan: PlanRef,
  organisation: Named,
  relation: Type.Union([Type.Literal('lead'), Type.Literal('cooperating')]),
  period: Type.Object({
    code: Type.String(),
    label: Type.String(),
    startsOn: Type.String(),
    endsOn: Type.String(),
    dueOn: Type.Union([Type.String(), Type.Null()]),
    expectedProgress: Type.Number(),
  }),
  dueOn: Type.Union([Type.String(), Type.Null()]),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String(),
  stateLabel: Type.String(),
  revision: Type.Integer(),
  content: Type.Union([ReportContent, Type.Null()]),
  contentRevision: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  lastReview: Type.Union([
    Type.Object({
      event: Type.String(),
      eventLabel: Type.String(),
      comment: Type.Union([Type.String(), Type.Null()]),
      by: Type.String(),
      at: Type.String(),
    }),
    Type.Null(),
  ]),
  extension: Type.Union([
    Type.Object({
      id: Type.Integer(),
      requestedDueOn: Type.String(),
      reason: Type.String(),
      state: Type.String(),
      decisionComment: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
    Type.Null(),
  ]),
  attachments: Type.Array(AttachmentView),
  actions: Type.Array(Type.String()),
});

export const VersionView = Type.Object({
  revision: Type.Integer(),
  event: Type.String(),
  eventLabel: Type.String(),
  state: Type.String(),
  stateLabel: Type.String(),
  comment: Type.Union([Type.String(), Type.Null()]),
  by: Type.String(),
  at: Type.String(),
  content: ReportContent,
  attachments: Type.Array(AttachmentView),
});

export const DiffLines = Type.Array(
  Type.Object({ kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]), text: Type.String() }),
);

export const ReportDiff = Type.Object({
  from: VersionView,
  to: VersionView,
  progress: DiffLines,
  problems: DiffLines,
  nextSteps: DiffLines,
  status: Type.Union([
    Type.Object({ from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  figures: Type.Array(
    Type.Object({ name: Type.String(), from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]) }),
  ),
  attachments: Type.Object({ added: Type.Array(Type.String()), removed: Type.Array(Type.String()) }),
});

export const Assignment = Type.Object({
  organisation: Named,
  role: Type.Union([Type.Literal('lead'), Type.Literal('cooperating')]),
  state: Type.String(),
  stateLabel: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: Type.Union([Type.String(), Type.Null()]),
  by: Type.Union([Type.String(), Type.Null()]),
});
export const AssignmentsResponse = Type.Object({ assignments: Type.Array(Assignment) });
export const AnswerBody = Type.Object(
  { answer: Type.Union([Type.Literal('acknowledge'), Type.Literal('return')]), reason: Type.Optional(Text('assignmentReason')) },
  { additionalProperties: false },
);
export const ReassignBody = Type.Object(
  { lead: Type.Array(Id, { minItems: 1, maxItems: 20 }), cooperating: Type.Array(Id, { maxItems: 60 }) },
  { additionalProperties: false },
);

const ItemRef = {
  itemId: Type.Integer(),
  work: Type.String(),
  taskNumber: Type.String(),
  taskName: Type.String(),
  planId: Type.Integer(),
  planTitle: Type.String(),
};
export const ReportTodo = Type.Object({
  ...ItemRef,
  reportId: Type.Union([Type.Integer(), Type.Null()]),
  organisation: Named,
  role: Type.String(),
  period: PeriodRef,
  dueOn: Type.Union([Type.String(), Type.Null()]),
  daysLeft: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String(),
  stateLabel: Type.String(),
  comment: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const MyWorkResponse = Type.Object({
  toAcknowledge: Type.Array(Type.Object({ ...ItemRef, role: Type.String(), organisation: Named })),
  due: Type.Array(ReportTodo, { description: '本单位应报未报的报告的第一页，逾期最久的在前；其余用 /api/my-work/due 分页读取' }),
  dueTotal: Type.Integer({ description: '应报未报的报告总数（含逾期）' }),
  overdueTotal: Type.Integer({ description: '其中已逾期的数量；督查室为全市合计' }),
  overdueUnits: Type.Array(
    Type.Object({ organisation: Named, overdue: Type.Integer(), oldestDueOn: Type.String(), daysOverdue: Type.Integer() }),
    { description: '督查室：有逾期未报报告的单位，逾期最多的在前' },
  ),
  returned: Type.Array(ReportTodo),
  toApprove: Type.Array(ReportTodo),
  toReview: Type.Array(ReportTodo),
  extensions: Type.Array(
    Type.Object({ ...ReportTodo.properties, extensionId: Type.Integer(), requestedDueOn: Type.String(), reason: Type.String() }),
  ),
  returnedAssignments: Type.Array(
    Type.Object({ ...ItemRef, organisation: Named, role: Type.String(), reason: Type.Union([Type.String(), Type.Null()]) }),
  ),
  total: Type.Integer({ description: '待办总数（菜单角标）：每份报告、每项分工各计一项，督查室的逾期单位每个单位计一项' }),
});

export const DueQuery = Type.Object({
  organisationId: Type.Optional(Id),
  overdueOnly: Type.Optional(Type.Boolean({ description: '只列已逾期的' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export const DueResponse = Type.Object({
  rows: Type.Array(ReportTodo),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const StepsParams = Type.Object({ itemId: Id, orgId: Id });
export const Step = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  title: Type.String(),
  dueOn: Type.Union([Type.String(), Type.Null()]),
  doneOn: Type.Union([Type.String(), Type.Null()]),
});
export const StepsResponse = Type.Object({ steps: Type.Array(Step) });
export const StepsBody = Type.Object(
  {
    steps: Type.Array(
      Type.Object(
        {
          title: Text('stepTitle', { minLength: 1 }),
          dueOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
          doneOn: Type.Optional(Type.Union([IsoDate, Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export type Figure = Static<typeof Figure>;
export type ReportContent = Static<typeof ReportContent>;
// the status literals above are the vocabulary's list, written out so the schema keeps one flat union
const _sameStatuses: [ReportStatus | null, ReportContent['status']] extends [ReportContent['status'], ReportStatus | null] ? true : never =
  true;
void _sameStatuses;
export type SaveReportBody = Static<typeof SaveReportBody>;
export type ReportEventBody = Static<typeof ReportEventBody>;
export type ExtensionBody = Static<typeof ExtensionBody>;
export type DecisionBody = Static<typeof DecisionBody>;
export type DiffQuery = Static<typeof DiffQuery>;
export type AttachmentView = Static<typeof AttachmentView>;
export type AttachmentsResponse = Static<typeof AttachmentsResponse>;
export type ReportView = Static<typeof ReportView>;
export type VersionView = Static<typeof VersionView>;
export const VersionsResponse = Type.Object({ versions: Type.Array(VersionView) });
export type VersionsResponse = Static<typeof VersionsResponse>;
export type DiffLines = Static<typeof DiffLines>;
export type ReportDiff = Static<typeof ReportDiff>;
export type Assignment = Static<typeof Assignment>;
export type AssignmentsResponse = Static<typeof AssignmentsResponse>;
export type AnswerBody = Static<typeof AnswerBody>;
export type ReassignBody = Static<typeof ReassignBody>;
export type ReportTodo = Static<typeof ReportTodo>;
export type MyWorkResponse = Static<typeof MyWorkResponse>;
export type DueQuery = Static<typeof DueQuery>;
export type DueResponse = Static<typeof DueResponse>;
export type Step = Static<typeof Step>;
export type StepsResponse = Static<typeof StepsResponse>;
export type StepsBody = Static<typeof StepsBody>;
export type ReportKey = ReportView['key'];
export type ExtensionView = NonNullable<ReportView['extension']>;
export type DiffLine = DiffLines[number];
export type ExtensionTodo = MyWorkResponse['extensions'][number];
export type AcknowledgeTodo = MyWorkResponse['toAcknowledge'][number];
export type ReturnedAssignmentTodo = MyWorkResponse['returnedAssignments'][number];
export type OverdueUnit = MyWorkResponse['overdueUnits'][number];

/**
 * A save or a step answers only id, revision and state when the client sends `Prefer: return=minimal` (RFC 7240):
 * clients that keep their own copy skip re-reading the whole report. Closed to other fields, so that the full view
 * never matches it and is always written out whole.
 */
export const ReportWritten = Type.Object(
  { id: Type.Integer(), revision: Type.Integer(), state: Type.String() },
  { additionalProperties: false },
);
export type ReportWritten = Static<typeof ReportWritten>;
export const ReportWrittenOrView = Type.Union([ReportWritten, ReportView]);
