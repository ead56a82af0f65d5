import { hostname } from 'node:os';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Delivery,
  DeliveryList,
  DeliveryParams,
  DeliveryQuery,
  Inbox,
  InboxCount,
  OrganisationParams,
  UnitPreferences,
  InboxQuery,
  MarkReadBody,
  Preferences,
  PreferencesBody,
  Webhook,
  WebhookBody,
  WebhookList,
  WebhookParams,
  WebhookUpdateBody,
} from '../../../contract/notifications.js';
import {
  changeWebhook,
  countUnread,
  createWebhook,
  getPreferences,
  getUnitPreferences,
  setUnitPreferences,
  listDeliveryViews,
  listWebhookViews,
  markRead,
  readInbox,
  removeWebhook,
  resendDelivery,
  setPreferences,
  testWebhook,
} from '../../../services/notifications.js';
import { errorResponses, listErrors, writeErrors } from '../../schemas.js';

/** The signed-in person's inbox and preferences; the administrator's webhooks and the outbox's dead letters. */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['notifications'];
  // a test message is sent by the server that was asked, under its own lease
  const owner = `${hostname()}:${process.pid}`;

  app.get(
    '/api/inbox',
    {
      config: { policy: 'authenticated' },
      schema: { summary: '我的消息', tags, querystring: InboxQuery, response: { 200: Inbox, ...listErrors } },
    },
    async (request) => readInbox(request.ctx, request.principal, request.query),
  );
  app.get(
    '/api/inbox/count',
    { config: { policy: 'authenticated' }, schema: { summary: '未读消息数', tags, response: { 200: InboxCount, ...listErrors } } },
    async (request) => countUnread(request.ctx, request.principal),
  );
  app.post(
    '/api/inbox/read',
    {
      config: { policy: 'authenticated' },
      schema: { summary: '标为已读（指定的，或 all: true 全部）', tags, body: MarkReadBody, response: { 200: InboxCount, ...writeErrors } },
    },
    async (request) => markRead(request.ctx, request.principal, request.body),
  );
  app.get(
    '/api/me/notification-preferences',
    { config: { policy: 'authenticated' }, schema: { summary: '我的通知设置', tags, response: { 200: Preferences, ...listErrors } } },
    async (request) => getPreferences(request.ctx, request.principal),
  );
  app.put(
    '/api/me/notification-preferences',
    {
      config: { policy: 'authenticated' },
      schema: { summary: '修改我的通知设置', tags, body: PreferencesBody, response: { 200: Preferences, ...writeErrors } },
    },
    async (request) => setPreferences(request.ctx, request.principal, request.body.preferences),
  );

  app.get(
    '/api/organisations/:organisationId/notification-preferences',
    {
      config: { policy: 'notifications.manage' },
      schema: {
        summary: '单位的通知设置（成员的邮件默认值、单位群推送）',
        tags,
        params: OrganisationParams,
        response: { 200: UnitPreferences, ...errorResponses },
      },
    },
    async (request) => getUnitPreferences(request.ctx, request.params.organisationId),
  );
  app.put(
    '/api/organisations/:organisationId/notification-preferences',
    {
      config: { policy: 'notifications.manage' },
      schema: {
        summary: '修改单位的通知设置',
        tags,
        params: OrganisationParams,
        body: PreferencesBody,
        response: { 200: UnitPreferences, ...writeErrors },
      },
    },
    async (request) => setUnitPreferences(request.ctx, request.actor, request.params.organisationId, request.body.preferences),
  );

  app.get(
    '/api/webhooks',
    {
      config: { policy: 'notifications.manage' },
      schema: { summary: '消息推送地址（钉钉、企业微信、通用）', tags, response: { 200: WebhookList, ...listErrors } },
    },
    async (request) => listWebhookViews(request.ctx),
  );
  app.post(
    '/api/webhooks',
    {
      config: { policy: 'notifications.manage' },
      schema: { summary: '添加消息推送地址（经 SSRF 检查）', tags, body: WebhookBody, response: { 200: Webhook, ...writeErrors } },
    },
    async (request) => createWebhook(request.ctx, request.actor, request.body),
  );
  app.patch(
    '/api/webhooks/:webhookId',
    {
      config: { policy: 'notifications.manage' },
      schema: {
        summary: '修改消息推送地址',
        tags,
        params: WebhookParams,
        body: WebhookUpdateBody,
        response: { 200: Webhook, ...writeErrors },
      },
    },
    async (request) => changeWebhook(request.ctx, request.actor, request.params.webhookId, request.body),
  );
  app.delete(
    '/api/webhooks/:webhookId',
    {
      config: { policy: 'notifications.manage' },
      schema: { summary: '删除消息推送地址', tags, params: WebhookParams, response: { 200: WebhookList, ...writeErrors } },
    },
    async (request) => {
      await removeWebhook(request.ctx, request.actor, request.params.webhookId);
      return listWebhookViews(request.ctx);
    },
  );
  app.post(
    '/api/webhooks/:webhookId/test',
    {
      config: { policy: 'notifications.manage' },
      schema: { summary: '立即发送一条测试消息', tags, params: WebhookParams, response: { 200: Delivery, ...writeErrors } },
    },
    async (request) => testWebhook(request.ctx, request.actor, request.params.webhookId, owner),
  );
  app.get(
    '/api/deliveries',
    {
      config: { policy: 'notifications.manage' },
      schema: {
        summary: '邮件和推送的发送记录（state=dead 为发送失败的）',
        tags,
        querystring: DeliveryQuery,
        response: { 200: DeliveryList, ...listErrors },
      },
    },
    async (request) => listDeliveryViews(request.ctx, request.query),
  );
  app.post(
    '/api/deliveries/:deliveryId/resend',
    {
      config: { policy: 'notifications.manage' },
      schema: { summary: '重新发送一条发送失败的消息', tags, params: DeliveryParams, response: { 200: Delivery, ...writeErrors } },
    },
    async (request) => resendDelivery(request.ctx, request.actor, request.params.deliveryId),
  );
};
