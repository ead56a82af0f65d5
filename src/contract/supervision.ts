import { Type, type Static } from 'typebox';
import { Id, IsoDate, Named, PeriodCode, Words } from './common.js';
import { CLOSURE_STATES, NOTICE_COLOURS, NOTICE_STATES } from './supervision-words.js';
import { LIGHTS } from './vocabulary.js';

export {
  CLOSURE_STATE_LABELS,
  CLOSURE_STATES,
  NOTICE_COLOUR_LABELS,
  NOTICE_COLOURS,
  NOTICE_STATE_LABELS,
  NOTICE_STATES,
} from './supervision-words.js';

/**
 * Supervision (督查督办): 催办, the three-colour 督办单 with the units' answers, 办结销号, the 通报 of a period, an
 * item's activity timeline, and the office's reminder and notice settings of a plan.
 */

const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

export const ItemParams = Type.Object({ itemId: Id });
export const NoticeParams = Type.Object({ noticeId: Id });
export const ClosureParams = Type.Object({ closureId: Id });
export const BulletinParams = Type.Object({ bulletinId: Id });

export const UrgeBody = Type.Object(
  {
    organisationId: Id,
    periodCode: Type.Optional(PeriodCode),
    message: Text(2000, '催办内容'),
  },
  { additionalProperties: false },
);
export const Urge = Type.Object({
  id: Type.Integer(),
  itemId: Type.Integer(),
  organisation: Named,
  period: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
  message: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  notified: Type.Integer({ description: '收到通知的人数' }),
});

export const NoticeBody = Type.Object(
  {
    organisationId: Id,
    colour: Words(NOTICE_COLOURS, { description: '蓝色：临近期限；黄色：滞后或质量不高；红色：逾期未完成' }),
    periodCode: Type.Optional(PeriodCode),
    reason: Text(2000, '督办事由'),
    requirement: Type.Optional(Type.String({ maxLength: 2000, description: '办理要求；不填时用默认要求' })),
    replyDueOn: IsoDate,
  },
  { additionalProperties: false },
);
export const NoticeReplyBody = Type.Object({ text: Text(5000, '反馈的办理情况') }, { additionalProperties: false });
export const NoticeCloseBody = Type.Object(
  { comment: Type.String({ maxLength: 2000, description: '办结意见' }) },
  { additionalProperties: false },
);
export const NoticeEscalateBody = Type.Object(
  { reason: Text(2000, '升级的理由'), replyDueOn: IsoDate, requirement: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const NoticeListQuery = Type.Object(
  {
    planId: Type.Optional(Id),
    state: Type.Optional(Words(NOTICE_STATES)),
    colour: Type.Optional(Words(NOTICE_COLOURS)),
    organisationId: Type.Optional(Id),
    itemId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const DocumentQuery = Type.Object({ format: Type.Optional(Words(['docx', 'pdf'] as const)) }, { additionalProperties: false });

export const NoticeSummary = Type.Object({
  id: Type.Integer(),
  numberText: Type.String({ description: '文号，如 〔2026〕第12号' }),
  year: Type.Integer(),
  number: Type.Integer(),
  colour: Words(NOTICE_COLOURS),
  colourLabel: Type.String(),
  state: Words(NOTICE_STATES),
  stateLabel: Type.String(),
  source: Words(['rule', 'office'] as const),
  plan: Type.Object({ id: Type.Integer(), title: Type.String() }),
  item: Type.Object({ id: Type.Integer(), work: Type.String(), taskNumber: Type.String() }),
  organisation: Named,
  period: Type.Union([Type.Object({ code: Type.String(), label: Type.String() }), Type.Null()]),
  reason: Type.String(),
  replyDueOn: Type.String(),
  overdue: Type.Boolean({ description: '已过反馈时限仍未反馈' }),
  createdAt: Type.String(),
});
export const Notice = Type.Object({
  ...NoticeSummary.properties,
  requirement: Type.String(),
  createdBy: Type.String(),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closeComment: Type.Union([Type.String(), Type.Null()]),
  escalatedFrom: Type.Union([Type.Object({ id: Type.Integer(), numberText: Type.String() }), Type.Null()]),
  escalatedTo: Type.Union([Type.Object({ id: Type.Integer(), numberText: Type.String() }), Type.Null()]),
  replies: Type.Array(Type.Object({ id: Type.Integer(), text: Type.String(), createdBy: Type.String(), createdAt: Type.String() })),
  actions: Type.Array(Words(['reply', 'close', 'escalate'] as const), { description: '当前用户可进行的操作' }),
});
export const NoticeList = Type.Object({ notices: Type.Array(NoticeSummary) });

export const ClosureBody = Type.Object(
  { organisationId: Type.Optional(Id), evidence: Text(5000, '完成情况和佐证说明') },
  { additionalProperties: false },
);
export const ClosureDecisionBody = Type.Object(
  { decision: Words(['approve', 'return'] as const), comment: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false },
);
export const ClosureListQuery = Type.Object(
  { state: Type.Optional(Words(CLOSURE_STATES)), planId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const ClosureRequest = Type.Object({
  id: Type.Integer(),
  item: Type.Object({ id: Type.Integer(), work: Type.String(), taskNumber: Type.String(), planId: Type.Integer() }),
  organisation: Named,
  evidence: Type.String(),
  state: Words(CLOSURE_STATES),
  stateLabel: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  decisionComment: Type.Union([Type.String(), Type.Null()]),
});
export const ClosureList = Type.Object({ closures: Type.Array(ClosureRequest) });

export const TIMELINE_KINDS = [
  'assigned',
  'acknowledged',
  'assignment_returned',
  'report',
  'review',
  'reminder',
  'urge',
  'notice',
  'notice_reply',
  'notice_closed',
  'light',
  'closure_requested',
  'closure_decided',
] as const;
export const TimelineEvent = Type.Object({
  at: Type.String(),
  kind: Words(TIMELINE_KINDS),
  label: Type.String({ description: '事件名称，如 催办、黄色督办单' }),
  organisation: Type.Union([Named, Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()], { description: '操作人姓名；系统自动产生时为空' }),
  text: Type.String(),
  light: Type.Optional(Words(LIGHTS)),
  noticeId: Type.Optional(Type.Integer()),
});
export const Timeline = Type.Object({
  item: Type.Object({
    id: Type.Integer(),
    work: Type.String(),
    closed: Type.Boolean(),
    closedAt: Type.Union([Type.String(), Type.Null()]),
  }),
  events: Type.Array(TimelineEvent),
});

/** When reminders go out and which lights raise a 督办单 by themselves; the office's settings of a plan. */
export const SupervisionSettings = Type.Object(
  {
    remindDaysBefore: Type.Integer({ minimum: 0, maximum: 30, description: '截止前几天提醒（0：不提前提醒）' }),
    remindOnDueDay: Type.Boolean({ description: '截止当天提醒' }),
    remindEveryDaysAfter: Type.Integer({ minimum: 0, maximum: 30, description: '逾期后每隔几天提醒（0：不提醒）' }),
    autoNotices: Type.Object(
      {
        blue: Type.Boolean({ description: '临近截止仍未报送时自动发蓝色督办单' }),
        yellow: Type.Boolean({ description: '滞后（黄灯）时自动发黄色督办单' }),
        red: Type.Boolean({ description: '逾期未报送或逾期未完成（红灯）时自动发红色督办单' }),
      },
      { additionalProperties: false },
    ),
    replyDays: Type.Integer({ minimum: 1, maximum: 60, description: '自动督办单的反馈时限（天）' }),
    issuer: Type.String({ minLength: 1, maxLength: 100, description: '督办单、通报的发文机关' }),
  },
  { additionalProperties: false },
);
/** What the office sends: only the settings it changes, each colour of autoNotices on its own. */
export const SupervisionSettingsUpdate = Type.Object(
  {
    ...Type.Partial(SupervisionSettings).properties,
    autoNotices: Type.Optional(Type.Partial(SupervisionSettings.properties.autoNotices, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const BulletinCreateBody = Type.Object({ periodCode: PeriodCode }, { additionalProperties: false });
export const BulletinUpdateBody = Type.Object(
  {
    title: Type.Optional(Text(200, '标题')),
    intro: Type.Optional(Type.String({ maxLength: 10_000 })),
    closing: Type.Optional(Type.String({ maxLength: 10_000 })),
  },
  { additionalProperties: false },
);
export const BulletinDocumentQuery = Type.Object(
  { format: Type.Optional(Words(['docx', 'xlsx'] as const)) },
  { additionalProperties: false },
);
const Rate = Type.Union([Type.Number(), Type.Null()]);
export const Bulletin = Type.Object({
  id: Type.Integer(),
  plan: Type.Object({ id: Type.Integer(), title: Type.String() }),
  period: Type.Object({ code: Type.String(), label: Type.String() }),
  numberText: Type.Union([Type.String(), Type.Null()], { description: '印发后才有文号' }),
  state: Words(['draft', 'issued'] as const),
  title: Type.String(),
  intro: Type.String(),
  closing: Type.String(),
  units: Type.Array(
    Type.Object({
      unit: Type.String(),
      items: Type.Integer(),
      reported: Type.Integer(),
      onTime: Type.Integer(),
      completed: Type.Integer(),
      onTimeRate: Rate,
      completionRate: Rate,
    }),
  ),
  lagging: Type.Array(
    Type.Object({ unit: Type.String(), taskNumber: Type.String(), work: Type.String(), lightLabel: Type.String(), reason: Type.String() }),
  ),
  notices: Type.Array(
    Type.Object({ number: Type.String(), colourLabel: Type.String(), unit: Type.String(), work: Type.String(), stateLabel: Type.String() }),
  ),
  createdAt: Type.String(),
  issuedAt: Type.Union([Type.String(), Type.Null()]),
});
export const BulletinList = Type.Object({
  bulletins: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      period: Type.Object({ code: Type.String(), label: Type.String() }),
      state: Words(['draft', 'issued'] as const),
      numberText: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ),
});

export type UrgeBody = Static<typeof UrgeBody>;
export type Urge = Static<typeof Urge>;
export type NoticeBody = Static<typeof NoticeBody>;
export type NoticeSummary = Static<typeof NoticeSummary>;
export type Notice = Static<typeof Notice>;
export type NoticeListQuery = Static<typeof NoticeListQuery>;
export type ClosureRequest = Static<typeof ClosureRequest>;
export type TimelineEvent = Static<typeof TimelineEvent>;
export type Timeline = Static<typeof Timeline>;
export type SupervisionSettings = Static<typeof SupervisionSettings>;
export type SupervisionSettingsUpdate = Static<typeof SupervisionSettingsUpdate>;
export type Bulletin = Static<typeof Bulletin>;
export type BulletinList = Static<typeof BulletinList>;
