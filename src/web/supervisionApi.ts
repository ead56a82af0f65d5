/**
 * Supervision's HTTP API (督查督办): 催办, the three-colour 督办单 with the units' answers, 办结销号, an item's
 * timeline, a plan's supervision settings and warning rules, and the 通报 of a period. The shapes are the contract's
 * (src/contract/supervision.ts, warning-rules.ts), imported as types only since those files load TypeBox; the word
 * lists and labels come from src/contract/supervision-words.ts, which does not.
 */
import type {
  Bulletin,
  BulletinList,
  ClosureRequest,
  Notice,
  NoticeBody,
  NoticeListQuery,
  NoticeSummary,
  SupervisionSettings,
  Timeline,
  Urge,
  UrgeBody,
} from '../contract/supervision.js';
import type { WarningRulesResponse, WarningRulesUpdate } from '../contract/warning-rules.js';
import { query, requestJson } from './api.js';

export { NOTICE_COLOUR_LABELS, NOTICE_COLOURS, NOTICE_STATE_LABELS, NOTICE_STATES } from '../contract/supervision-words.js';

export type NoticeColour = NoticeSummary['colour'];
export type NoticeState = NoticeSummary['state'];
export type ClosureState = ClosureRequest['state'];

/** when each colour is used (the contract's description of NoticeBody.colour) */
export const NOTICE_COLOUR_MEANINGS: Record<NoticeColour, string> = {
  blue: '临近期限',
  yellow: '滞后或质量不高',
  red: '逾期未完成',
};
/** antd Tag colours */
export const NOTICE_COLOUR_TAGS: Record<NoticeColour, string> = { blue: 'blue', yellow: 'gold', red: 'red' };
export const NEXT_COLOUR: Record<NoticeColour, NoticeColour | null> = { blue: 'yellow', yellow: 'red', red: null };

export const NOTICE_STATE_TAGS: Record<NoticeState, string> = {
  open: 'processing',
  answered: 'warning',
  closed: 'success',
  escalated: 'default',
};
export const CLOSURE_STATE_TAGS: Record<ClosureState, string> = { pending: 'processing', approved: 'success', returned: 'error' };

export const LIGHT_LABELS: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '不亮灯' };

export interface ClosureList {
  closures: ClosureRequest[];
}

export const supervisionApi = {
  urge: (itemId: number, body: UrgeBody) => requestJson<Urge>(`/api/items/${itemId}/urges`, { method: 'POST', body }),
  timeline: (itemId: number, signal?: AbortSignal) => requestJson<Timeline>(`/api/items/${itemId}/timeline`, { signal }),

  notices: (filter: NoticeListQuery, signal?: AbortSignal) =>
    requestJson<{ notices: NoticeSummary[] }>(`/api/notices${query({ ...filter })}`, { signal }),
  raiseNotice: (itemId: number, body: NoticeBody) => requestJson<Notice>(`/api/items/${itemId}/notices`, { method: 'POST', body }),
  notice: (noticeId: number, signal?: AbortSignal) => requestJson<Notice>(`/api/notices/${noticeId}`, { signal }),
  reply: (noticeId: number, text: string) => requestJson<Notice>(`/api/notices/${noticeId}/replies`, { method: 'POST', body: { text } }),
  closeNotice: (noticeId: number, comment: string) =>
    requestJson<Notice>(`/api/notices/${noticeId}/close`, { method: 'POST', body: { comment } }),
  escalate: (noticeId: number, body: { reason: string; replyDueOn: string; requirement?: string }) =>
    requestJson<Notice>(`/api/notices/${noticeId}/escalate`, { method: 'POST', body }),

  requestClosure: (itemId: number, body: { organisationId?: number; evidence: string }) =>
    requestJson<ClosureRequest>(`/api/items/${itemId}/closure`, { method: 'POST', body }),
  closures: (filter: { state?: ClosureState; planId?: number }, signal?: AbortSignal) =>
    requestJson<ClosureList>(`/api/closures${query({ ...filter })}`, { signal }),
  decideClosure: (closureId: number, decision: 'approve' | 'return', comment: string) =>
    requestJson<ClosureRequest>(`/api/closures/${closureId}/decision`, { method: 'POST', body: { decision, comment } }),

  settings: (planId: number, signal?: AbortSignal) =>
    requestJson<SupervisionSettings>(`/api/plans/${planId}/supervision-settings`, { signal }),
  saveSettings: (planId: number, changes: Partial<SupervisionSettings>) =>
    requestJson<SupervisionSettings>(`/api/plans/${planId}/supervision-settings`, { method: 'PUT', body: changes }),
  warningRules: (planId: number, signal?: AbortSignal) =>
    requestJson<WarningRulesResponse>(`/api/plans/${planId}/warning-rules`, { signal }),
  saveWarningRules: (planId: number, changes: WarningRulesUpdate) =>
    requestJson<WarningRulesResponse>(`/api/plans/${planId}/warning-rules`, { method: 'PUT', body: changes }),

  bulletins: (planId: number, signal?: AbortSignal) => requestJson<BulletinList>(`/api/plans/${planId}/bulletins`, { signal }),
  createBulletin: (planId: number, periodCode: string) =>
    requestJson<Bulletin>(`/api/plans/${planId}/bulletins`, { method: 'POST', body: { periodCode } }),
  bulletin: (bulletinId: number, signal?: AbortSignal) => requestJson<Bulletin>(`/api/bulletins/${bulletinId}`, { signal }),
  updateBulletin: (bulletinId: number, changes: { title?: string; intro?: string; closing?: string }) =>
    requestJson<Bulletin>(`/api/bulletins/${bulletinId}`, { method: 'PATCH', body: changes }),
  issueBulletin: (bulletinId: number) => requestJson<Bulletin>(`/api/bulletins/${bulletinId}/issue`, { method: 'POST' }),
};

/** Plain download links: the server answers the file under its name. */
export const noticeDocumentUrl = (noticeId: number, format: 'docx' | 'pdf') => `/api/notices/${noticeId}/document?format=${format}`;
export const bulletinDocumentUrl = (bulletinId: number, format: 'docx' | 'xlsx') =>
  `/api/bulletins/${bulletinId}/document?format=${format}`;

/** Query keys; a supervision write invalidates the `notices`, `closures`, `timeline` and `inbox` keys it touches. */
export const timelineKey = (itemId: number) => ['timeline', itemId] as const;
export const noticesKey = ['notices'] as const;
export const noticeKey = (noticeId: number) => ['notices', noticeId] as const;
export const closuresKey = ['closures'] as const;
export const bulletinsKey = (planId: number) => ['bulletins', planId] as const;
export const bulletinKey = (bulletinId: number) => ['bulletin', bulletinId] as const;
export const settingsKey = (planId: number) => ['supervision-settings', planId] as const;
export const warningRulesKey = (planId: number) => ['warning-rules', planId] as const;

/** A percentage of a rate between 0 and 1 (null: nothing to count). */
export function percent(rate: number | null): string {
  if (rate === null) return '—';
  const value = rate <= 1 ? rate * 100 : rate;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** Today in Beijing, YYYY-MM-DD, plus some days. */
export function beijingDate(plusDays = 0): string {
  const now = new Date(Date.now() + 8 * 3600_000 + plusDays * 86_400_000);
  return now.toISOString().slice(0, 10);
}
