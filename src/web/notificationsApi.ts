/**
 * Notifications' HTTP API: the signed-in person's inbox (消息) with its unread count, the person's notification
 * preferences, and for the administrator the webhooks (消息推送) and the outbox's failed deliveries (发送失败). The
 * shapes are the contract's (src/contract/notifications.ts), imported as types only since that file loads TypeBox;
 * the word lists and labels come from src/contract/supervision-words.ts, which does not.
 */
import type { Delivery, Inbox, NotificationKind, Preferences, Webhook, WebhookBody } from '../contract/notifications.js';
import { query, requestJson } from './api.js';

export { NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, WEBHOOK_KIND_LABELS, WEBHOOK_KINDS } from '../contract/supervision-words.js';

export type { NotificationKind };
export type WebhookKind = Webhook['kind'];

export const NOTIFICATION_KIND_COLORS: Record<NotificationKind, string> = {
  reminder: 'blue',
  urge: 'orange',
  notice: 'red',
  notice_reply: 'cyan',
  notice_closed: 'green',
  closure_requested: 'purple',
  closure_decided: 'geekblue',
  digest: 'default',
};

export const WEBHOOK_KIND_HELP: Record<WebhookKind, string> = {
  generic: '向该地址 POST JSON；填写密钥时，请求头带 HMAC-SHA256 签名，接收方据此验证来源。',
  dingtalk: '钉钉群设置 → 智能群助手 → 添加机器人 → 自定义，复制 Webhook 地址；安全设置选“加签”时把密钥填在下面。',
  wecom: '企业微信群 → 添加群机器人，复制 Webhook 地址（含 key 参数）；无需密钥。',
};

export interface InboxFilter {
  unread?: boolean;
  kind?: NotificationKind;
  limit?: number;
  offset?: number;
}

export const notificationsApi = {
  inbox: (filter: InboxFilter, signal?: AbortSignal) =>
    requestJson<Inbox>(
      `/api/inbox${query({ unread: filter.unread ? 'true' : undefined, kind: filter.kind, limit: filter.limit, offset: filter.offset })}`,
      { signal },
    ),
  count: (signal?: AbortSignal) => requestJson<{ unread: number }>('/api/inbox/count', { signal }),
  markRead: (body: { ids: number[] } | { all: true }) => requestJson<{ unread: number }>('/api/inbox/read', { method: 'POST', body }),

  preferences: (signal?: AbortSignal) => requestJson<Preferences>('/api/me/notification-preferences', { signal }),
  savePreferences: (preferences: { kind: NotificationKind; email: boolean; webhook: boolean }[]) =>
    requestJson<Preferences>('/api/me/notification-preferences', { method: 'PUT', body: { preferences } }),

  webhooks: (signal?: AbortSignal) => requestJson<{ webhooks: Webhook[] }>('/api/webhooks', { signal }),
  createWebhook: (body: WebhookBody) => requestJson<Webhook>('/api/webhooks', { method: 'POST', body }),
  updateWebhook: (webhookId: number, changes: Partial<WebhookBody>) =>
    requestJson<Webhook>(`/api/webhooks/${webhookId}`, { method: 'PATCH', body: changes }),
  deleteWebhook: (webhookId: number) => requestJson<unknown>(`/api/webhooks/${webhookId}`, { method: 'DELETE' }),
  testWebhook: (webhookId: number) => requestJson<Delivery>(`/api/webhooks/${webhookId}/test`, { method: 'POST' }),

  deliveries: (filter: { state?: Delivery['state']; limit?: number; offset?: number }, signal?: AbortSignal) =>
    requestJson<{ deliveries: Delivery[]; total: number }>(`/api/deliveries${query({ ...filter })}`, { signal }),
  resend: (deliveryId: number) => requestJson<Delivery>(`/api/deliveries/${deliveryId}/resend`, { method: 'POST' }),
};

/** Query keys: everything under `inbox`, so that a read refreshes the page and the badge on the menu alike. */
export const inboxKey = ['inbox'] as const;
export const inboxCountKey = ['inbox', 'count'] as const;
export const preferencesKey = ['notification-preferences'] as const;
export const webhooksKey = ['webhooks'] as const;
export const deliveriesKey = ['deliveries'] as const;
