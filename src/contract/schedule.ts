import { Type, type Static } from 'typebox';
import { Id, IsoDate, PeriodCode, PlanRef } from './common.js';

/** Each plan's reporting calendar (kinds of period, due-date rules, periods) and the city's working days. */
export const PeriodKind = Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('half'), Type.Literal('year')]);
export const DueRule = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('day_of_next_month'),
      day: Type.Integer({ minimum: 1, maximum: 28 }),
      moveOffWorkingDays: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, description: '次月某日（遇节假日默认顺延）' },
  ),
  Type.Object(
    { kind: Type.Literal('working_days_after_end'), days: Type.Integer({ minimum: 1, maximum: 60 }) },
    { additionalProperties: false, description: '期末后第 N 个工作日' },
  ),
]);

export const Schedule = Type.Object({
  plan: PlanRef,
  scheduled: Type.Boolean({ description: '督查室已设置报送周期；未设置时只有“全年”一期，且没有截止日期' }),
  kinds: Type.Array(Type.Object({ kind: PeriodKind, label: Type.String(), dueRule: DueRule, description: Type.String() })),
  periods: Type.Array(
    Type.Object({
      code: Type.String(),
      kind: Type.String(),
      label: Type.String(),
      startsOn: Type.String(),
      endsOn: Type.String(),
      dueOn: Type.Union([Type.String(), Type.Null()]),
      dueSetByHand: Type.Boolean({ description: '截止日期为人工设置，规则或日历变化时不重算' }),
      ruleDueOn: Type.Union([Type.String(), Type.Null()], { description: '按规则计算的截止日期' }),
      inSchedule: Type.Boolean({ description: '该类周期在报送安排中；已取消的类别因已有报告而保留的周期为 false' }),
      dueOnDayOff: Type.Boolean({ description: '截止日期按工作日历为休息日（未调休的周末或节假日）' }),
      dueDayOffReason: Type.Union([Type.String(), Type.Null()], { description: '休息日的原因：节假日名称，或“周六”“周日”' }),
      phase: Type.Union(
        [Type.Literal('not_started'), Type.Literal('open'), Type.Literal('no_due_date'), Type.Literal('reporting'), Type.Literal('closed')],
        {
          description: '今天所处阶段：未开始、进行中、截止日期未定、报送中、已截止；没有截止日期的周期不会“已截止”',
        },
      ),
      phaseLabel: Type.String(),
      expectedProgress: Type.Number(),
      reports: Type.Integer(),
    }),
  ),
});
export const CalendarDay = Type.Object(
  { day: IsoDate, kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String({ maxLength: 50 }) },
  { additionalProperties: false },
);
export const PeriodParams = Type.Object({ planId: Id, code: PeriodCode });
export const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
export const ScheduleBody = Type.Object(
  {
    kinds: Type.Array(Type.Object({ kind: PeriodKind, dueRule: Type.Optional(DueRule) }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 4,
    }),
  },
  { additionalProperties: false },
);
export const PeriodBody = Type.Object(
  { dueOn: Type.Optional(Type.Union([IsoDate, Type.Null()])), expectedProgress: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })) },
  { additionalProperties: false, minProperties: 1 },
);
export const CalendarResponse = Type.Object({ days: Type.Array(CalendarDay) });
export const CalendarBody = Type.Object({ days: Type.Array(CalendarDay, { maxItems: 200 }) }, { additionalProperties: false });

export type PeriodKind = Static<typeof PeriodKind>;
export type DueRule = Static<typeof DueRule>;
export type Schedule = Static<typeof Schedule>;
export type SchedulePeriod = Schedule['periods'][number];
export type ScheduleKind = Schedule['kinds'][number];
export type CalendarDay = Static<typeof CalendarDay>;
export type ScheduleBody = Static<typeof ScheduleBody>;
export type PeriodBody = Static<typeof PeriodBody>;
export type CalendarResponse = Static<typeof CalendarResponse>;
export type CalendarBody = Static<typeof CalendarBody>;
export type PeriodPhase = SchedulePeriod['phase'];
export type CalendarDayKind = CalendarDay['kind'];
