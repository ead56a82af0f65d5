import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CitySummaryExportQuery, CitySummaryResponse, CitySummaryQuery, PlanParams } from '../../../contract/plans.js';
import { buildCitySummary, citySummaryKey, exportCitySummary, type CitySummaryRequest } from '../../../services/city-summary.js';
import { sendKeptAnswer } from '../../answers.js';
import { keptAnswerResponses, errorResponses, exportErrors, FileResponse } from '../../schemas.js';
import { sendFile } from '../../download.js';

function request(
  planId: number,
  query: { period?: string; chapter?: string; organisation?: number; status?: string; light?: string },
  scope: CitySummaryRequest['scope'],
): CitySummaryRequest {
  return {
    planId,
    scope,
    periodCode: query.period,
    chapter: query.chapter,
    organisationId: query.organisation,
    status: query.status as CitySummaryRequest['status'],
    light: query.light as CitySummaryRequest['light'],
  };
}

/** The city-wide summary table of a plan for a period. */
export const citySummaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/plans/:planId/summary',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '全市汇总表：每个事项一行，牵头单位的汇总报告、完成状态和预警灯；可按章节、单位、状态、灯筛选',
        tags: ['plans'],
        params: PlanParams,
        querystring: CitySummaryQuery,
        response: { 200: CitySummaryResponse, ...keptAnswerResponses, ...errorResponses },
      },
    },
    async (req, reply) => {
      const summary = request(req.params.planId, req.query, req.scope);
      return sendKeptAnswer(req, reply, await citySummaryKey(req.ctx, summary), () => buildCitySummary(req.ctx, summary));
    },
  );

  app.get(
    '/api/plans/:planId/summary/export',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '下载全市汇总表（docx、xlsx、csv、json、pdf）',
        tags: ['plans'],
        params: PlanParams,
        querystring: CitySummaryExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: FileResponse, ...exportErrors },
      },
    },
    async (req, reply) => {
      const file = await exportCitySummary(req.ctx, { ...request(req.params.planId, req.query, req.scope), format: req.query.format });
      return sendFile(reply, file);
    },
  );
};
