import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlanParams } from '../../../contract/plans.js';
import {
  CalendarBody,
  CalendarResponse,
  PeriodBody,
  PeriodParams,
  Schedule,
  ScheduleBody,
  YearParams,
} from '../../../contract/schedule.js';
import { getSchedule, listCalendarDays, setCalendarDays, setSchedule, updatePeriod } from '../../../services/schedule.js';
import { errorResponses, writeErrors } from '../../schemas.js';

/** The reporting calendar of each plan and the city's working days. */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/plans/:planId/schedule',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '工作计划的报送周期、截止规则和序时进度',
        tags: ['schedule'],
        params: PlanParams,
        response: { 200: Schedule, ...errorResponses },
      },
    },
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
        body: ScheduleBody,
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
        body: PeriodBody,
        response: { 200: Schedule, ...writeErrors },
      },
    },
    async (request) => updatePeriod(request.ctx, request.actor, request.params.planId, request.params.code, request.body),
  );

  app.get(
    '/api/calendar/:year',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '某年的节假日和调休上班日',
        tags: ['schedule'],
        params: YearParams,
        response: { 200: CalendarResponse, ...errorResponses },
      },
    },
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
        body: CalendarBody,
        response: { 200: CalendarResponse, ...writeErrors },
      },
    },
    async (request) => ({ days: await setCalendarDays(request.ctx, request.actor, request.params.year, request.body.days) }),
  );
};
