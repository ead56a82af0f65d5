import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getPlanTree, listPlanSummaries } from '../../../services/catalogue.js';
import { errorResponses } from '../../schemas.js';
import { presentPlans, presentPlanTree } from './presenter.js';
import { ListPlansResponse, PlanParams, PlanTreeResponse } from './schemas.js';

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/plans',
    { config: { policy: 'catalogue.read' }, schema: { summary: '工作计划列表（按年份从新到旧）', tags: ['plans'], response: { 200: ListPlansResponse } } },
    async (request) => presentPlans(await listPlanSummaries(request.ctx, request.scope)),
  );

  app.get(
    '/api/plans/:planId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '工作计划的章节、任务、事项树',
        tags: ['plans'],
        params: PlanParams,
        response: { 200: PlanTreeResponse, ...errorResponses },
      },
    },
    async (request) => presentPlanTree(await getPlanTree(request.ctx, request.params.planId, request.scope)),
  );
};
