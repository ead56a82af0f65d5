/**
 * The closed word lists of supervision and notifications, with their Chinese labels: one vocabulary for the
 * server, the documents and the pages. Pure constants (no TypeBox), so the web imports them as values;
 * supervision.ts and notifications.ts build their schemas from them.
 */

/** blue: a deadline is near; yellow: behind 序时进度 or of poor quality; red: overdue and unfinished. */
export const NOTICE_COLOURS = ['blue', 'yellow', 'red'] as const;
export type NoticeColour = (typeof NOTICE_COLOURS)[number];
export const NOTICE_COLOUR_LABELS: Record<NoticeColour, string> = { blue: '蓝色', yellow: '黄色', red: '红色' };

export const NOTICE_STATES = ['open', 'answered', 'closed', 'escalated'] as const;
export const NOTICE_STATE_LABELS: Record<(typeof NOTICE_STATES)[number], string> = {
  open: '待反馈',
  answered: '已反馈',
  closed: '已办结',
  escalated: '已升级',
};

export const CLOSURE_STATES = ['pending', 'approved', 'returned'] as const;
export const CLOSURE_STATE_LABELS: Record<(typeof CLOSURE_STATES)[number], string> = {
  pending: '待审核',
  approved: '已销号',
  returned: '已退回',
};

export const NOTIFICATION_KINDS = [
  'reminder',
  'urge',
  'notice',
  'notice_reply',
  'notice_closed',
  'closure_requested',
  'closure_decided',
  'digest',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  reminder: '报送提醒',
  urge: '催办',
  notice: '督办单',
  notice_reply: '督办单反馈',
  notice_closed: '督办单办结',
  closure_requested: '办结销号申请',
  closure_decided: '办结销号审核',
  digest: '每日督查摘要',
};

export const WEBHOOK_KINDS = ['generic', 'dingtalk', 'wecom'] as const;
export const WEBHOOK_KIND_LABELS: Record<(typeof WEBHOOK_KINDS)[number], string> = {
  generic: '通用 JSON（HMAC-SHA256 签名）',
  dingtalk: '钉钉群机器人',
  wecom: '企业微信群机器人',
};

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'dead'] as const;
export const DELIVERY_STATE_LABELS: Record<(typeof DELIVERY_STATES)[number], string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已送达',
  dead: '发送失败',
};
