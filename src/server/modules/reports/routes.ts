import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addAttachment, ATTACHMENT_EXTENSIONS, listAttachments, readAttachment, removeAttachment } from '../../../services/attachments.js';
import { answerAssignment, getAssignments, reassignItem } from '../../../services/assignments.js';
import { getMyWork, listDueReports } from '../../../services/my-work.js';
import { listSteps, setSteps } from '../../../services/steps.js';
import {
  actOnReport,
  decideExtension,
  diffReportVersions,
  getReport,
  getReportById,
  listReportVersions,
  requestExtension,
  saveReport,
} from '../../../services/reporting.js';
import { ErrorResponse } from '../../../contract/errors.js';
import { errorResponses, FileResponse, listErrors, uploadErrors, writeErrors } from '../../schemas.js';
import { readUpload } from '../../upload.js';
import { sendFile } from '../../download.js';
import {
  AnswerBody,
  AttachmentParams,
  AttachmentsResponse,
  AssignmentsResponse,
  DecisionBody,
  DiffQuery,
  DueQuery,
  DueResponse,
  ExtensionBody,
  ExtensionParams,
  ItemParams,
  MyWorkResponse,
  ReassignBody,
  ReportDiff,
  ReportEventBody,
  ReportKeyParams,
  ReportParams,
  ReportView,
  ReportWrittenOrView,
  SaveReportBody,
  StepsBody,
  StepsParams,
  StepsResponse,
  VersionView,
  VersionsResponse,
} from '../../../contract/reports.js';

const answerOf = (
  request: { headers: Record<string, string | string[] | undefined> },
  reply: { header(name: string, value: string): unknown },
) => {
  const prefer = request.headers.prefer;
  if (
    !(Array.isArray(prefer) ? prefer.join(',') : (prefer ?? ''))
      .split(/[,;]/)
      .some((token) => token.trim().toLowerCase() === 'return=minimal')
  )
    return 'view';
  reply.header('preference-applied', 'return=minimal');
  return 'written';
};

/** Reports through their workflow, the assignments units sign for, and each person's work waiting. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ maxUploadBytes: number }> = async (app, options) => {
  const keyOf = (params: { itemId: number; orgId: number; period: string }) => ({
    itemId: params.itemId,
    organisationId: params.orgId,
    periodCode: params.period,
  });

  app.get(
    '/api/items/:itemId/reports/:orgId/:period',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '某单位某周期对该事项的报告（尚未填报时为空报告）',
        tags: ['reports'],
        params: ReportKeyParams,
        response: { 200: ReportView, ...errorResponses },
      },
    },
    async (request) => getReport(request.ctx, request.principal, keyOf(request.params)),
  );

  app.put(
    '/api/items/:itemId/reports/:orgId/:period',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary:
          '保存报告草稿（自动保存也用此接口）；版本号过期时返回 409，附当前报告和您的内容；请求头 Prefer: return=minimal 时只返回 id、revision 和 state',
        tags: ['reports'],
        params: ReportKeyParams,
        body: SaveReportBody,
        response: { 200: ReportWrittenOrView, ...writeErrors },
      },
    },
    async (request, reply) =>
      saveReport(request.ctx, request.principal, request.actor, keyOf(request.params), request.body, answerOf(request, reply)),
  );

  app.post(
    '/api/items/:itemId/reports/:orgId/:period/extension',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '申请延期',
        tags: ['reports'],
        params: ReportKeyParams,
        body: ExtensionBody,
        response: { 200: ReportView, ...writeErrors },
      },
    },
    async (request) => requestExtension(request.ctx, request.principal, request.actor, keyOf(request.params), request.body),
  );

  app.get(
    '/api/reports/:reportId',
    {
      config: { policy: 'catalogue.read' },
      schema: { summary: '报告', tags: ['reports'], params: ReportParams, response: { 200: ReportView, ...errorResponses } },
    },
    async (request) => getReportById(request.ctx, request.principal, request.params.reportId),
  );

  app.post(
    '/api/reports/:reportId/events',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary:
          '报告流转：报送、撤回、单位审核通过或退回、采纳或退回（退回须写明意见）；请求头 Prefer: return=minimal 时只返回 id、revision 和 state',
        tags: ['reports'],
        params: ReportParams,
        body: ReportEventBody,
        response: { 200: ReportWrittenOrView, ...writeErrors },
      },
    },
    async (request, reply) =>
      actOnReport(request.ctx, request.principal, request.actor, request.params.reportId, request.body, answerOf(request, reply)),
  );

  app.get(
    '/api/reports/:reportId/attachments',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '报告的佐证材料',
        tags: ['reports'],
        params: ReportParams,
        response: { 200: AttachmentsResponse, ...errorResponses },
      },
    },
    async (request) => ({ attachments: await listAttachments(request.ctx, request.principal, request.params.reportId) }),
  );

  app.post(
    '/api/reports/:reportId/attachments',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: `上传佐证材料（multipart，字段 file；${ATTACHMENT_EXTENSIONS.map((extension) => `.${extension}`).join('、')}）`,
        tags: ['reports'],
        params: ReportParams,
        consumes: ['multipart/form-data'],
        response: { 200: AttachmentsResponse, ...uploadErrors, 422: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => {
      const { file } = await readUpload(request, options.maxUploadBytes, { fields: 0 });
      return { attachments: await addAttachment(request.ctx, request.principal, request.actor, request.params.reportId, file) };
    },
  );

  app.get(
    '/api/reports/:reportId/attachments/:attachmentId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '下载佐证材料',
        tags: ['reports'],
        params: AttachmentParams,
        produces: ['application/octet-stream'],
        response: { 200: FileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await readAttachment(request.ctx, request.principal, request.params.reportId, request.params.attachmentId);
      return sendFile(reply.header('x-content-sha256', file.sha256), file);
    },
  );

  app.delete(
    '/api/reports/:reportId/attachments/:attachmentId',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '删除佐证材料（已报送的版本仍保留它）',
        tags: ['reports'],
        params: AttachmentParams,
        response: { 200: AttachmentsResponse, ...writeErrors },
      },
    },
    async (request) => ({
      attachments: await removeAttachment(
        request.ctx,
        request.principal,
        request.actor,
        request.params.reportId,
        request.params.attachmentId,
      ),
    }),
  );

  app.get(
    '/api/reports/:reportId/versions',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '报告的历次版本（每次报送、审核、退回、采纳各留一版，不可更改）',
        tags: ['reports'],
        params: ReportParams,
        response: { 200: VersionsResponse, ...errorResponses },
      },
    },
    async (request) => ({ versions: await listReportVersions(request.ctx, request.principal, request.params.reportId) }),
  );

  app.get(
    '/api/reports/:reportId/diff',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '比较报告的两个版本',
        tags: ['reports'],
        params: ReportParams,
        querystring: DiffQuery,
        response: { 200: ReportDiff, ...errorResponses },
      },
    },
    async (request) => diffReportVersions(request.ctx, request.principal, request.params.reportId, request.query.from, request.query.to),
  );

  app.post(
    '/api/extensions/:extensionId/decision',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '审批延期申请',
        tags: ['reports'],
        params: ExtensionParams,
        body: DecisionBody,
        response: { 200: ReportView, ...writeErrors },
      },
    },
    async (request) => decideExtension(request.ctx, request.principal, request.actor, request.params.extensionId, request.body),
  );

  app.get(
    '/api/items/:itemId/assignments',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '事项的分工及各单位签收情况',
        tags: ['assignments'],
        params: ItemParams,
        response: { 200: AssignmentsResponse, ...errorResponses },
      },
    },
    async (request) => ({ assignments: await getAssignments(request.ctx, request.principal, request.params.itemId) }),
  );

  app.post(
    '/api/items/:itemId/assignment',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '本单位签收或退回（须写明理由）对该事项的分工',
        tags: ['assignments'],
        params: ItemParams,
        body: AnswerBody,
        response: { 200: AssignmentsResponse, ...writeErrors },
      },
    },
    async (request) => ({
      assignments: await answerAssignment(request.ctx, request.principal, request.actor, request.params.itemId, request.body),
    }),
  );

  app.put(
    '/api/items/:itemId/assignments',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '督查室重新分配事项的牵头和配合单位',
        tags: ['assignments'],
        params: ItemParams,
        body: ReassignBody,
        response: { 200: AssignmentsResponse, ...writeErrors },
      },
    },
    async (request) => ({ assignments: await reassignItem(request.ctx, request.actor, request.params.itemId, request.body) }),
  );

  app.get(
    '/api/items/:itemId/steps/:orgId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '单位对该事项的再分解步骤和节点',
        tags: ['assignments'],
        params: StepsParams,
        response: { 200: StepsResponse, ...errorResponses },
      },
    },
    async (request) => ({ steps: await listSteps(request.ctx, request.principal, request.params.itemId, request.params.orgId) }),
  );

  app.put(
    '/api/items/:itemId/steps/:orgId',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '设置本单位对该事项的再分解步骤（整体替换，按顺序）',
        tags: ['assignments'],
        params: StepsParams,
        body: StepsBody,
        response: { 200: StepsResponse, ...writeErrors },
      },
    },
    async (request) => ({
      steps: await setSteps(request.ctx, request.principal, request.actor, request.params.itemId, request.params.orgId, request.body.steps),
    }),
  );

  app.get(
    '/api/my-work',
    {
      config: { policy: 'authenticated' },
      schema: { summary: '我的待办', tags: ['reports'], response: { 200: MyWorkResponse, ...listErrors } },
    },
    async (request) => getMyWork(request.ctx, request.principal),
  );

  app.get(
    '/api/my-work/due',
    {
      config: { policy: 'authenticated' },
      schema: {
        summary: '应报未报的报告，逾期最久的在前，分页；单位看本单位的，督查室可按单位查看',
        tags: ['reports'],
        querystring: DueQuery,
        response: { 200: DueResponse, ...errorResponses },
      },
    },
    async (request) => listDueReports(request.ctx, request.principal, request.query),
  );
};
