/**
 * The reporting workflow's HTTP API (src/server/modules/reports): one unit's report on an item for a period, its
 * steps (报送, 撤回, 单位审核, 采纳, 退回), extensions, immutable versions and their comparison, and 我的待办.
 * The shapes are the contract's (src/contract/reports.ts), imported as types only.
 */
import type {
  DueResponse,
  MyWorkResponse,
  ReportContent,
  ReportDiff,
  ReportKey,
  ReportView,
  VersionsResponse,
} from '../contract/reports.js';
import { REPORT_STATUSES, type ReportEvent, type ReportStatus } from '../contract/vocabulary.js';
import { ApiError, requestJson } from './api.js';

export { FIGURES_MAX as REPORT_FIGURES_MAX, TEXT_LIMITS } from '../contract/limits.js';
export { REPORT_STATE_LABELS, reportStateLabel } from '../contract/labels.js';
export { REPORT_STATUSES };

/** What the report page offers besides the workflow's steps: editing, and asking for more time. */
export type ReportAction = ReportEvent | 'edit' | 'request_extension';

const reportUrl = (key: ReportKey) => `/api/items/${key.itemId}/reports/${key.organisationId}/${encodeURIComponent(key.periodCode)}`;

export const reportsApi = {
  /** the report, or an empty draft (id null, revision 0) when nothing is written yet */
  get: (key: ReportKey, signal?: AbortSignal) => requestJson<ReportView>(reportUrl(key), { signal }),
  /** saves the unit's working copy; 409 report_changed (see conflictOf) when it changed since baseRevision */
  save: (key: ReportKey, content: ReportContent, baseRevision: number) =>
    requestJson<ReportView>(reportUrl(key), { method: 'PUT', body: { content, baseRevision } }),
  act: (reportId: number, event: ReportEvent, baseRevision: number, comment?: string) =>
    requestJson<ReportView>(`/api/reports/${reportId}/events`, {
      method: 'POST',
      body: comment ? { event, baseRevision, comment } : { event, baseRevision },
    }),
  requestExtension: (key: ReportKey, dueOn: string, reason: string) =>
    requestJson<ReportView>(`${reportUrl(key)}/extension`, { method: 'POST', body: { dueOn, reason } }),
  decideExtension: (extensionId: number, approve: boolean, comment?: string) =>
    requestJson<ReportView>(`/api/extensions/${extensionId}/decision`, {
      method: 'POST',
      body: comment ? { approve, comment } : { approve },
    }),
  versions: (reportId: number, signal?: AbortSignal) => requestJson<VersionsResponse>(`/api/reports/${reportId}/versions`, { signal }),
  diff: (reportId: number, from: number, to: number, signal?: AbortSignal) =>
    requestJson<ReportDiff>(`/api/reports/${reportId}/diff?from=${from}&to=${to}`, { signal }),
  myWork: (signal?: AbortSignal) => requestJson<MyWorkResponse>('/api/my-work', { signal }),
  /** a page of the reports owed: the signed-in unit's, or for the office one unit's (or every unit's) */
  due: (query: { organisationId?: number; overdueOnly?: boolean; page: number; pageSize: number }, signal?: AbortSignal) => {
    const search = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
    if (query.organisationId !== undefined) search.set('organisationId', String(query.organisationId));
    if (query.overdueOnly) search.set('overdueOnly', 'true');
    return requestJson<DueResponse>(`/api/my-work/due?${search.toString()}`, { signal });
  },
};

/** Query keys; every report write invalidates the `report…` and `my-work` keys (see invalidateReporting). */
export const reportKey = (key: ReportKey) => ['report', key.itemId, key.organisationId, key.periodCode] as const;
export const versionsKey = (reportId: number) => ['report-versions', reportId] as const;
export const myWorkKey = ['my-work'] as const;
/** under myWorkKey, so that whatever refreshes 我的待办 refreshes its pages too */
export const dueKey = (query: { organisationId?: number; overdueOnly?: boolean; page: number; pageSize: number }) =>
  ['my-work', 'due', query.organisationId ?? null, query.overdueOnly ?? false, query.page, query.pageSize] as const;

/** What a 409 report_changed carries: the report as it is now, and the content that was not saved. */
export interface ReportConflict {
  current: ReportView;
  yours: ReportContent | null;
}

export function conflictOf(error: unknown): ReportConflict | undefined {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'report_changed') return undefined;
  const details = error.details as Partial<ReportConflict> | undefined;
  if (!details || typeof details !== 'object' || !details.current) return undefined;
  return { current: details.current, yours: details.yours ?? null };
}

// ---------------------------------------------------------------------------------------------------------------
// Labels and small helpers shared by the pages

export const EMPTY_CONTENT: ReportContent = { progress: '', problems: '', nextSteps: '', status: null, figures: [] };

export const REPORT_STATE_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  returned: 'error',
  accepted: 'success',
};

export const REPORT_STATUS_COLORS: Record<ReportStatus, string> = {
  已完成: 'green',
  序时推进: 'blue',
  进度滞后: 'orange',
  未完成: 'red',
  持续推进: 'geekblue',
};

export const RELATION_LABELS: Record<string, string> = { lead: '牵头', cooperating: '配合' };

/** The content as the server stores it (src/services/reporting.ts normaliseContent), to tell real changes. */
export function normaliseContent(content: ReportContent): ReportContent {
  return {
    progress: content.progress.replace(/\r\n?/g, '\n'),
    problems: content.problems.replace(/\r\n?/g, '\n'),
    nextSteps: content.nextSteps.replace(/\r\n?/g, '\n'),
    status: content.status,
    figures: content.figures.map((figure) => ({ name: figure.name.trim(), value: figure.value, unit: figure.unit.trim() })),
  };
}

export function sameContent(a: ReportContent, b: ReportContent): boolean {
  return JSON.stringify(normaliseContent(a)) === JSON.stringify(normaliseContent(b));
}

export function isContentEmpty(content: ReportContent): boolean {
  return (
    !content.progress.trim() &&
    !content.problems.trim() &&
    !content.nextSteps.trim() &&
    content.status === null &&
    content.figures.length === 0
  );
}

/** 已逾期 3 天 (red) / 今天截止 / 剩 5 天 (orange). */
export function daysLeftTag(daysLeft: number | null): { text: string; color: string } | null {
  if (daysLeft === null) return null;
  if (daysLeft < 0) return { text: `已逾期 ${-daysLeft} 天`, color: 'red' };
  if (daysLeft === 0) return { text: '今天截止', color: 'orange' };
  return { text: `剩 ${daysLeft} 天`, color: 'orange' };
}

/** HH:mm:ss in Beijing time. */
export function clockTime(date: Date): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}
