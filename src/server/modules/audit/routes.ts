import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditExportQuery, AuditListQuery, AuditPage } from '../../../contract/audit.js';
import { auditFacets, exportAuditEvents, listAuditEvents, type AuditQuery } from '../../../services/audit.js';
import { FileResponse, listErrors } from '../../schemas.js';
import { sendFile } from '../../download.js';

function filters(query: AuditListQuery | AuditExportQuery): AuditQuery {
  const { from, to, actor, action, objectType, objectId, organisationId } = query;
  return { from, to, actor, action, objectType, objectId, organisationId };
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { policy: 'audit.read' },
      schema: {
        summary: '审计日志（只读，新的在前）',
        tags: ['audit'],
        querystring: AuditListQuery,
        response: { 200: AuditPage, ...listErrors },
      },
    },
    async (request) => {
      const page = await listAuditEvents(request.ctx, {
        ...filters(request.query),
        limit: request.query.limit,
        offset: request.query.offset,
      });
      return request.query.facets ? { ...page, facets: await auditFacets(request.ctx) } : page;
    },
  );

  app.get(
    '/api/audit/export',
    {
      config: { policy: 'audit.read' },
      schema: {
        summary: '导出审计日志（CSV 或 XLSX）',
        tags: ['audit'],
        querystring: AuditExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: FileResponse, ...listErrors },
      },
    },
    async (request, reply) => {
      const bytes = await exportAuditEvents(request.ctx, filters(request.query), request.query.format);
      const type =
        request.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return sendFile(reply, { fileName: `审计日志.${request.query.format}`, contentType: type, bytes });
    },
  );
};
