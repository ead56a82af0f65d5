import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { auditFacets, exportAuditEvents, listAuditEvents, type AuditQuery } from '../../../services/audit.js';
import { ErrorResponse } from '../../schemas.js';
import { sendFile } from '../../download.js';

const Filters = {
  from: Type.Optional(Type.String({ format: 'date-time', description: '起始时间（含），ISO 8601' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: '截止时间（不含），ISO 8601' })),
  actor: Type.Optional(Type.String({ maxLength: 100, description: '操作者，如 user:17、cli、token:3' })),
  action: Type.Optional(Type.String({ maxLength: 100, description: '操作前缀，如 auth.、import.' })),
  objectType: Type.Optional(Type.String({ maxLength: 50 })),
  objectId: Type.Optional(Type.String({ maxLength: 100, description: '对象编号，与对象类型一起使用，如 user 的 17' })),
  organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
};
const ListQuery = Type.Object({
  ...Filters,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  facets: Type.Optional(Type.Boolean({ description: '同时返回整个日志中出现过的操作、对象类型、操作者和单位（供筛选选项用）' })),
});
const ExportQuery = Type.Object({ ...Filters, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) });

const AuditEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  actorName: Type.String({ description: '操作者名称：用户为“显示名称（用户名）”，令牌为令牌名称，其他同 actor' }),
  organisationId: Type.Union([Type.Integer(), Type.Null()]),
  organisationName: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
  action: Type.String(),
  actionLabel: Type.String({ description: '操作的中文名称；未知的操作代码原样返回' }),
  objectType: Type.String(),
  objectTypeLabel: Type.String({ description: '对象类型的中文名称' }),
  objectId: Type.String(),
  objectName: Type.Union([Type.String(), Type.Null()], {
    description: '对象现在的名称：用户为“显示名称（用户名）”，报告为“事项 · 单位 · 报送期”，单位、计划为其名称；找不到时为 null',
  }),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

const Facets = Type.Object({
  actions: Type.Array(Type.String()),
  objectTypes: Type.Array(Type.String()),
  actors: Type.Array(Type.Object({ actor: Type.String(), name: Type.String() })),
  organisations: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});

function filters(query: Static<typeof ListQuery> | Static<typeof ExportQuery>): AuditQuery {
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
        querystring: ListQuery,
        response: { 200: Type.Object({ total: Type.Integer(), events: Type.Array(AuditEvent), facets: Type.Optional(Facets) }), 400: ErrorResponse },
      },
    },
    async (request) => {
      const page = await listAuditEvents(request.ctx, { ...filters(request.query), limit: request.query.limit, offset: request.query.offset });
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
        querystring: ExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const bytes = await exportAuditEvents(request.ctx, filters(request.query), request.query.format);
      const type = request.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return sendFile(reply, { fileName: `审计日志.${request.query.format}`, contentType: type, bytes });
    },
  );
};
