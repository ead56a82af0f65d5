import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getOrganisationDetail, listOrganisationSummaries } from '../../../services/catalogue.js';
import { buildOrganisationSummary, exportOrganisationSummary } from '../../../services/summary.js';
import { errorResponses } from '../../schemas.js';
import { contentDisposition, presentOrganisation, presentOrganisations, presentSummary } from './presenter.js';
import {
  ExportQuery,
  ListOrganisationsResponse,
  OrganisationDetailResponse,
  OrganisationParams,
  SummaryQuery,
  SummaryResponse,
} from './schemas.js';

export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organisations',
    { config: { policy: 'catalogue.read' }, schema: { summary: '责任单位列表', tags: ['organisations'], response: { 200: ListOrganisationsResponse } } },
    async (request) => presentOrganisations(await listOrganisationSummaries(request.ctx)),
  );

  app.get(
    '/api/organisations/:orgId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '单位详情及其参与的工作计划和报送周期',
        tags: ['organisations'],
        params: OrganisationParams,
        response: { 200: OrganisationDetailResponse, ...errorResponses },
      },
    },
    async (request) => presentOrganisation(await getOrganisationDetail(request.ctx, request.params.orgId, request.scope)),
  );

  app.get(
    '/api/organisations/:orgId/summary',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '单位汇总表（牵头或配合的全部事项及本单位报告）',
        tags: ['organisations'],
        params: OrganisationParams,
        querystring: SummaryQuery,
        response: { 200: SummaryResponse, ...errorResponses },
      },
    },
    async (request) =>
      presentSummary(
        await buildOrganisationSummary(request.ctx, {
          organisationId: request.params.orgId,
          scope: request.scope,
          planId: request.query.plan,
          periodCode: request.query.period,
        }),
      ),
  );

  app.get(
    '/api/organisations/:orgId/summary/export',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '下载单位汇总表（docx、xlsx、csv、json）',
        tags: ['organisations'],
        params: OrganisationParams,
        querystring: ExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await exportOrganisationSummary(request.ctx, {
        organisationId: request.params.orgId,
        scope: request.scope,
        planId: request.query.plan,
        periodCode: request.query.period,
        format: request.query.format,
      });
      return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).send(file.bytes);
    },
  );
};
