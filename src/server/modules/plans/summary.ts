import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EXPORT_FORMATS } from '../../../documents/formats.js';
import { buildCitySummary, exportCitySummary, NOT_REPORTED, type CitySummaryRequest } from '../../../services/city-summary.js';
import { REPORT_STATUSES } from '../../../domain/reporting.js';
import { errorResponses, Id, PeriodCode, SummaryColumns } from '../../schemas.js';
import { sendFile } from '../../download.js';

const Filters = {
  period: Type.Optional(PeriodCode),
  chapter: Type.Optional(Type.String({ maxLength: 4, description: '章节序号，如 九' })),
  organisation: Type.Optional(Id),
  status: Type.Optional(Type.String({ enum: [...REPORT_STATUSES, NOT_REPORTED], description: '完成状态或“未报送”' })),
  light: Type.Optional(Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red'), Type.Literal('grey')])),
};
const SummaryQuery = Type.Object(Filters);
const ExportQuery = Type.Object({ ...Filters, format: Type.Union(EXPORT_FORMATS.map((format) => Type.Literal(format))) });

const CityItem = Type.Object({
  id: Type.Integer(),
  work: Type.String(),
  lead: Type.String(),
  cooperating: Type.String(),
  completion: Type.String(),
  status: Type.String(),
  light: Type.String(),
  lightLabel: Type.String(),
  lightReason: Type.String(),
  dueOn: Type.Union([Type.String(), Type.Null()]),
});
const CitySummaryResponse = Type.Object({
  plan: Type.Object({ id: Type.Integer(), year: Type.Integer(), title: Type.String() }),
  period: Type.Object({ code: Type.String(), label: Type.String(), dueOn: Type.Union([Type.String(), Type.Null()]), expectedProgress: Type.Number() }),
  counts: Type.Object({ items: Type.Integer(), reported: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer()), byLight: Type.Record(Type.String(), Type.Integer()) }),
  table: Type.Object({
    title: Type.String(),
    organisation: Type.String(),
    columns: SummaryColumns,
    chapters: Type.Array(
      Type.Object({
        numeral: Type.String(),
        title: Type.String(),
        tasks: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), name: Type.String(), items: Type.Array(CityItem) })),
      }),
    ),
  }),
});

function request(planId: number, query: { period?: string; chapter?: string; organisation?: number; status?: string; light?: string }, scope: CitySummaryRequest['scope']): CitySummaryRequest {
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
        params: Type.Object({ planId: Id }),
        querystring: SummaryQuery,
        response: { 200: CitySummaryResponse, ...errorResponses },
      },
    },
    async (req) => buildCitySummary(req.ctx, request(req.params.planId, req.query, req.scope)),
  );

  app.get(
    '/api/plans/:planId/summary/export',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '下载全市汇总表（docx、xlsx、csv、json、pdf）',
        tags: ['plans'],
        params: Type.Object({ planId: Id }),
        querystring: ExportQuery,
        produces: ['application/octet-stream'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await exportCitySummary(req.ctx, { ...request(req.params.planId, req.query, req.scope), format: req.query.format });
      return sendFile(reply, file);
    },
  );
};
