import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ListPlansResponse, PlanParams, PlanTreeResponse } from '../../../contract/plans.js';
import { getPlanTree, listPlanSummaries, planTreeKey } from '../../../services/catalogue.js';
import { sendKeptAnswer } from '../../answers.js';
import { keptAnswerResponses, errorResponses, listErrors } from '../../schemas.js';

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/plans',
    {
      config: { policy: 'catalogue.read' },
      schema: { summary: '工作计划列表（按年份从新到旧）', tags: ['plans'], response: { 200: ListPlansResponse, ...listErrors } },
    },
    // the list schema keeps exactly the fields of a plan's summary
    async (request) => ({ plans: await listPlanSummaries(request.ctx, request.scope) }),
  );

  app.get(
    '/api/plans/:planId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '工作计划的章节、任务、事项树',
        tags: ['plans'],
        params: PlanParams,
        response: { 200: PlanTreeResponse, ...keptAnswerResponses, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKeptAnswer(request, reply, await planTreeKey(request.ctx, request.params.planId, request.scope), () =>
        getPlanTree(request.ctx, request.params.planId, request.scope),
      ),
  );
};
