import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getSchedule, listCalendarDays, setCalendarDays, setSchedule, updatePeriod } from '../../../services/schedule.js';
import { ErrorResponse, errorResponses, Id, IsoDate, PeriodCode } from '../../schemas.js';

const PeriodKind = Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('half'), Type.Literal('year')]);
const DueRule = Type.Union([
  Type.Object(
    { kind: Type.Literal('day_of_next_month'), day: Type.Integer({ minimum: 1, maximum: 28 }), moveOffWorkingDays: Type.Optional(Type.Boolean()) },
    { additionalProperties: false, description: '次月某日（遇节假日默认顺延）' },
  ),
  Type.Object({ kind: Type.Literal('working_days_after_end'), days: Type.Integer({ minimum: 1, maximum: 60 }) }, { additionalProperties: false, description: '期末后第 N 个工作日' }),
]);

const Schedule = Type.Object({
  plan: Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String() }),
  scheduled: Type.Boolean({ description: '督查室已设置报送周期；未设置时只有“全年”一期，且没有截止日期' }),
  kinds: Type.Array(Type.Object({ kind: Type.String(), label: Type.String(), dueRule: DueRule, description: Type.String() })),
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
      phase: Type.Union([Type.Literal('not_started'), Type.Literal('open'), Type.Literal('no_due_date'), Type.Literal('reporting'), Type.Literal('closed')], {
        description: '今天所处阶段：未开始、进行中、截止日期未定、报送中、已截止；没有截止日期的周期不会“已截止”',
      }),
      phaseLabel: Type.String(),
      expectedProgress: Type.Number(),
      reports: Type.Integer(),
    }),
  ),
});
const CalendarDay = Type.Object(
  { day: IsoDate, kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String({ maxLength: 50 }) },
  { additionalProperties: false },
);
const PlanParams = Type.Object({ planId: Id });
const PeriodParams = Type.Object({ planId: Id, code: PeriodCode });
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const writeErrors = { ...errorResponses, 403: ErrorResponse, 409: ErrorResponse };

/** The reporting calendar of each plan and the city's working days. */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/plans/:planId/schedule',
    { config: { policy: 'catalogue.read' }, schema: { summary: '工作计划的报送周期、截止规则和序时进度', tags: ['schedule'], params: PlanParams, response: { 200: Schedule, ...errorResponses } } },
    async (request) => getSchedule(request.ctx, request.params.planId, request.scope),
  );

  app.put(
    '/api/plans/:planId/schedule',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '设置报送周期（月报、季报、半年报、年报，可任意组合）及各自的截止规则',
        tags: ['schedule'],
        params: PlanParams,
        body: Type.Object({ kinds: Type.Array(Type.Object({ kind: PeriodKind, dueRule: Type.Optional(DueRule) }, { additionalProperties: false }), { minItems: 1, maxItems: 4 }) }, { additionalProperties: false }),
        response: { 200: Schedule, ...writeErrors },
      },
    },
    async (request) => setSchedule(request.ctx, request.actor, request.params.planId, request.body.kinds),
  );

  app.patch(
    '/api/plans/:planId/periods/:code',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '单独设置某周期的截止日期（null 恢复按规则计算）或序时进度',
        tags: ['schedule'],
        params: PeriodParams,
        body: Type.Object(
          { dueOn: Type.Optional(Type.Union([IsoDate, Type.Null()])), expectedProgress: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Schedule, ...writeErrors },
      },
    },
    async (request) => updatePeriod(request.ctx, request.actor, request.params.planId, request.params.code, request.body),
  );

  app.get(
    '/api/calendar/:year',
    { config: { policy: 'catalogue.read' }, schema: { summary: '某年的节假日和调休上班日', tags: ['schedule'], params: YearParams, response: { 200: Type.Object({ days: Type.Array(CalendarDay) }), ...errorResponses } } },
    async (request) => ({ days: await listCalendarDays(request.ctx, request.params.year) }),
  );

  app.put(
    '/api/calendar/:year',
    {
      config: { policy: 'calendar.manage' },
      schema: {
        summary: '设置某年的节假日和调休上班日（按国务院办公厅放假安排），截止日期随之重算',
        tags: ['schedule'],
        params: YearParams,
        body: Type.Object({ days: Type.Array(CalendarDay, { maxItems: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ days: Type.Array(CalendarDay) }), ...writeErrors },
      },
    },
    async (request) => ({ days: await setCalendarDays(request.ctx, request.actor, request.params.year, request.body.days) }),
  );
};
