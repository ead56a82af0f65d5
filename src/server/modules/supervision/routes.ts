import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PlanParams } from '../../../contract/plans.js';
import {
  Bulletin,
  BulletinCreateBody,
  BulletinDocumentQuery,
  BulletinList,
  BulletinParams,
  BulletinUpdateBody,
  ClosureBody,
  ClosureDecisionBody,
  ClosureList,
  ClosureListQuery,
  ClosureParams,
  ClosureRequest,
  DocumentQuery,
  ItemParams,
  Notice,
  NoticeBody,
  NoticeCloseBody,
  NoticeEscalateBody,
  NoticeList,
  NoticeListQuery,
  NoticeParams,
  NoticeReplyBody,
  SupervisionSettings,
  SupervisionSettingsUpdate,
  Timeline,
  Urge,
  UrgeBody,
} from '../../../contract/supervision.js';
import { WarningRulesResponse, WarningRulesUpdate } from '../../../contract/warning-rules.js';
import { EXPORT_MEDIA } from '../../../documents/formats.js';
import { noticeTitle, noticeNumberText } from '../../../domain/supervision.js';
import {
  bulletinDocumentOf,
  createBulletin,
  getBulletin,
  issueBulletin,
  listBulletinsOfPlan,
  updateBulletin,
} from '../../../services/bulletins.js';
import {
  closeNotice,
  decideClosure,
  escalateNotice,
  getNotice,
  getSupervisionSettings,
  getWarningRules,
  itemTimeline,
  listClosures,
  listNoticesFor,
  noticeDocumentOf,
  raiseNotice,
  replyToNotice,
  requestClosure,
  setSupervisionSettings,
  setWarningRules,
  urgeUnit,
} from '../../../services/supervision.js';
import { sendFile } from '../../download.js';
import { errorResponses, exportErrors, FileResponse, listErrors, writeErrors } from '../../schemas.js';

/** 督查督办: warning rules and settings, 催办, 督办单, 办结销号, 通报 and each item's timeline. */
export const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['supervision'];

  app.get(
    '/api/plans/:planId/warning-rules',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '工作计划的预警规则（含默认值和逐条说明）',
        tags,
        params: PlanParams,
        response: { 200: WarningRulesResponse, ...errorResponses },
      },
    },
    async (request) => getWarningRules(request.ctx, request.params.planId, request.scope),
  );
  app.put(
    '/api/plans/:planId/warning-rules',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '修改预警规则（只需提交要改的项）',
        tags,
        params: PlanParams,
        body: WarningRulesUpdate,
        response: { 200: WarningRulesResponse, ...writeErrors },
      },
    },
    async (request) => setWarningRules(request.ctx, request.actor, request.params.planId, request.body),
  );
  app.get(
    '/api/plans/:planId/supervision-settings',
    {
      config: { policy: 'catalogue.read' },
      schema: { summary: '提醒和自动督办单的设置', tags, params: PlanParams, response: { 200: SupervisionSettings, ...errorResponses } },
    },
    async (request) => getSupervisionSettings(request.ctx, request.params.planId, request.scope),
  );
  app.put(
    '/api/plans/:planId/supervision-settings',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '修改提醒和自动督办单的设置（只需提交要改的项）',
        tags,
        params: PlanParams,
        body: SupervisionSettingsUpdate,
        response: { 200: SupervisionSettings, ...writeErrors },
      },
    },
    async (request) => setSupervisionSettings(request.ctx, request.actor, request.params.planId, request.body),
  );

  app.post(
    '/api/items/:itemId/urges',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '催办：督查室就某事项催促责任单位',
        tags,
        params: ItemParams,
        body: UrgeBody,
        response: { 200: Urge, ...writeErrors },
      },
    },
    async (request) => urgeUnit(request.ctx, request.actor, request.params.itemId, request.body),
  );
  app.get(
    '/api/items/:itemId/timeline',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '事项的办理过程：交办、签收、报送、审核、提醒、催办、督办、反馈、办结',
        tags,
        params: ItemParams,
        response: { 200: Timeline, ...errorResponses },
      },
    },
    async (request) => itemTimeline(request.ctx, request.principal, request.params.itemId),
  );

  app.get(
    '/api/notices',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '督办单列表（单位只看到发给本单位的）',
        tags,
        querystring: NoticeListQuery,
        response: { 200: NoticeList, ...listErrors },
      },
    },
    async (request) => listNoticesFor(request.ctx, request.principal, request.query),
  );
  app.post(
    '/api/items/:itemId/notices',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '发督办单（蓝色、黄色、红色）',
        tags,
        params: ItemParams,
        body: NoticeBody,
        response: { 200: Notice, ...writeErrors },
      },
    },
    async (request) => raiseNotice(request.ctx, request.principal, request.actor, request.params.itemId, request.body),
  );
  app.get(
    '/api/notices/:noticeId',
    {
      config: { policy: 'catalogue.read' },
      schema: { summary: '督办单及其反馈', tags, params: NoticeParams, response: { 200: Notice, ...errorResponses } },
    },
    async (request) => getNotice(request.ctx, request.principal, request.params.noticeId),
  );
  app.post(
    '/api/notices/:noticeId/replies',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '责任单位反馈办理情况',
        tags,
        params: NoticeParams,
        body: NoticeReplyBody,
        response: { 200: Notice, ...writeErrors },
      },
    },
    async (request) => replyToNotice(request.ctx, request.principal, request.actor, request.params.noticeId, request.body.text),
  );
  app.post(
    '/api/notices/:noticeId/close',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '督查室确认办结督办单',
        tags,
        params: NoticeParams,
        body: NoticeCloseBody,
        response: { 200: Notice, ...writeErrors },
      },
    },
    async (request) => closeNotice(request.ctx, request.principal, request.actor, request.params.noticeId, request.body.comment),
  );
  app.post(
    '/api/notices/:noticeId/escalate',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '督办单升级为下一颜色（蓝→黄→红），原督办单标为已升级',
        tags,
        params: NoticeParams,
        body: NoticeEscalateBody,
        response: { 200: Notice, ...writeErrors },
      },
    },
    async (request) => escalateNotice(request.ctx, request.principal, request.actor, request.params.noticeId, request.body),
  );
  app.get(
    '/api/notices/:noticeId/document',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '督办单公文（Word 或 PDF）',
        tags,
        params: NoticeParams,
        querystring: DocumentQuery,
        response: { 200: FileResponse, ...exportErrors },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'docx';
      const notice = await noticeDocumentOf(request.ctx, request.principal, request.params.noticeId);
      const bytes = await request.ctx.writeSupervision({ kind: 'notice', notice, format });
      return sendFile(reply, {
        fileName: `${noticeTitle(notice.colour)}${noticeNumberText(notice.year, notice.number)}-${notice.unit}.${format}`,
        contentType: EXPORT_MEDIA[format].contentType,
        bytes,
      });
    },
  );

  app.post(
    '/api/items/:itemId/closure',
    {
      config: { policy: 'reports.act' },
      schema: {
        summary: '牵头单位申请办结销号',
        tags,
        params: ItemParams,
        body: ClosureBody,
        response: { 200: ClosureRequest, ...writeErrors },
      },
    },
    async (request) => requestClosure(request.ctx, request.principal, request.actor, request.params.itemId, request.body),
  );
  app.get(
    '/api/closures',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '办结销号申请（单位只看到本单位的）',
        tags,
        querystring: ClosureListQuery,
        response: { 200: ClosureList, ...listErrors },
      },
    },
    async (request) => listClosures(request.ctx, request.principal, request.query),
  );
  app.post(
    '/api/closures/:closureId/decision',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '督查室批准或退回办结销号申请',
        tags,
        params: ClosureParams,
        body: ClosureDecisionBody,
        response: { 200: ClosureRequest, ...writeErrors },
      },
    },
    async (request) => decideClosure(request.ctx, request.actor, request.params.closureId, request.body),
  );

  app.get(
    '/api/plans/:planId/bulletins',
    {
      config: { policy: 'plans.manage' },
      schema: { summary: '工作计划的通报', tags, params: PlanParams, response: { 200: BulletinList, ...errorResponses } },
    },
    async (request) => listBulletinsOfPlan(request.ctx, request.params.planId),
  );
  app.post(
    '/api/plans/:planId/bulletins',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '起草某周期的通报',
        tags,
        params: PlanParams,
        body: BulletinCreateBody,
        response: { 200: Bulletin, ...writeErrors },
      },
    },
    async (request) => createBulletin(request.ctx, request.actor, request.params.planId, request.body.periodCode),
  );
  app.get(
    '/api/bulletins/:bulletinId',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '通报（草稿按当前数据计算，印发后为印发时的数据）',
        tags,
        params: BulletinParams,
        response: { 200: Bulletin, ...errorResponses },
      },
    },
    async (request) => getBulletin(request.ctx, request.params.bulletinId),
  );
  app.patch(
    '/api/bulletins/:bulletinId',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '修改通报草稿的标题和文字',
        tags,
        params: BulletinParams,
        body: BulletinUpdateBody,
        response: { 200: Bulletin, ...writeErrors },
      },
    },
    async (request) => updateBulletin(request.ctx, request.actor, request.params.bulletinId, request.body),
  );
  app.post(
    '/api/bulletins/:bulletinId/issue',
    {
      config: { policy: 'plans.manage' },
      schema: { summary: '印发通报：编号并固定其中的数据', tags, params: BulletinParams, response: { 200: Bulletin, ...writeErrors } },
    },
    async (request) => issueBulletin(request.ctx, request.actor, request.params.bulletinId),
  );
  app.get(
    '/api/bulletins/:bulletinId/document',
    {
      config: { policy: 'plans.manage' },
      schema: {
        summary: '通报公文（Word）或表格（Excel）',
        tags,
        params: BulletinParams,
        querystring: BulletinDocumentQuery,
        response: { 200: FileResponse, ...exportErrors },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'docx';
      const bulletin = await bulletinDocumentOf(request.ctx, request.params.bulletinId);
      const bytes = await request.ctx.writeSupervision({ kind: 'bulletin', bulletin, format });
      return sendFile(reply, { fileName: `${bulletin.title}.${format}`, contentType: EXPORT_MEDIA[format].contentType, bytes });
    },
  );
};
