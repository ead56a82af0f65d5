import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ListOrganisationsQuery,
  ListOrganisationsResponse,
  MergeBody,
  MergeResponse,
  NewOrganisationBody,
  OrganisationDetailResponse,
  OrganisationParams,
  OrganisationRecord,
  SummaryExportQuery,
  SummaryQuery,
  SummaryResponse,
  UpdateOrganisationBody,
} from '../../../contract/organisations.js';
import { getOrganisationDetail } from '../../../services/catalogue.js';
import {
  createOrganisation,
  listOrganisationRecords,
  mergeOrganisations,
  updateOrganisationRecord,
} from '../../../services/organisations.js';
import { buildOrganisationSummary, exportOrganisationSummary, organisationSummaryKey } from '../../../services/summary.js';
import { sendKeptAnswer } from '../../answers.js';
import { sendFile } from '../../download.js';
import { keptAnswerResponses, errorResponses, exportErrors, FileResponse, listErrors, writeErrors } from '../../schemas.js';

export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organisations',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '单位名录',
        tags: ['organisations'],
        querystring: ListOrganisationsQuery,
        response: { 200: ListOrganisationsResponse, ...listErrors },
      },
    },
    async (request) => ({
      organisations: await listOrganisationRecords(request.ctx, { includeMerged: request.query.includeMerged, scope: request.scope }),
    }),
  );

  app.post(
    '/api/organisations',
    {
      config: { policy: 'organisations.manage' },
      schema: {
        summary: '新建单位',
        tags: ['organisations'],
        body: NewOrganisationBody,
        response: { 200: OrganisationRecord, ...writeErrors },
      },
    },
    async (request) => createOrganisation(request.ctx, request.actor, request.body),
  );

  app.patch(
    '/api/organisations/:orgId',
    {
      config: { policy: 'organisations.manage' },
      schema: {
        summary: '修改单位：名称、类型、上级单位、别名、撤销或恢复',
        tags: ['organisations'],
        params: OrganisationParams,
        body: UpdateOrganisationBody,
        response: { 200: OrganisationRecord, ...writeErrors },
      },
    },
    async (request) => {
      const { confirm, ...changes } = request.body;
      return updateOrganisationRecord(request.ctx, request.actor, request.params.orgId, { ...changes, confirmed: confirm === true });
    },
  );

  app.post(
    '/api/organisations/:orgId/merge',
    {
      config: { policy: 'organisations.manage' },
      schema: {
        summary: '把本单位合并到另一单位：事项、报告、账户、令牌等全部移过去，本记录保留为已并入；不带 confirm: true 时只预演',
        tags: ['organisations'],
        params: OrganisationParams,
        body: MergeBody,
        response: { 200: MergeResponse, ...writeErrors },
      },
    },
    async (request) =>
      mergeOrganisations(request.ctx, request.actor, {
        sourceId: request.params.orgId,
        targetId: request.body.into,
        confirmed: request.body.confirm === true,
      }),
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
    async (request) => getOrganisationDetail(request.ctx, request.params.orgId, request.scope),
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
        response: { 200: SummaryResponse, ...keptAnswerResponses, ...errorResponses },
      },
    },
    async (request, reply) => {
      const summary = {
        organisationId: request.params.orgId,
        scope: request.scope,
        planId: request.query.plan,
        periodCode: request.query.period,
      };
      return sendKeptAnswer(request, reply, await organisationSummaryKey(request.ctx, summary), () =>
        buildOrganisationSummary(request.ctx, summary),
      );
    },
  );

  app.get(
    '/api/organisations/:orgId/summary/export',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '下载单位汇总表（docx、xlsx、csv、json）',
        tags: ['organisations'],
        params: OrganisationParams,
        querystring: SummaryExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: FileResponse, ...exportErrors },
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
      return sendFile(reply, file);
    },
  );
};
