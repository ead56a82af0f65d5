/**
 * The reporting workflow's HTTP API (src/server/modules/reports): one unit's report on an item for a period, its
 * steps (报送, 撤回, 单位审核, 采纳, 退回), extensions, immutable versions and their comparison, and 我的待办.
 * Response types follow src/server/modules/reports/schemas.ts.
 */
import { ApiError, requestJson } from './api.js';

export { FIGURES_MAX as REPORT_FIGURES_MAX, TEXT_LIMITS } from '../contract/limits.js';
export { REPORT_STATE_LABELS, reportStateLabel } from '../contract/labels.js';

export const REPORT_STATUSES = ['已完成', '序时推进', '进度滞后', '未完成', '持续推进'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface ReportFigure {
  name: string;
  value: number;
  unit: string;
}

/** What a unit writes: 进展情况, 存在问题, 下一步计划, 完成状态 and 指标数据. */
export interface ReportContent {
  progress: string;
  problems: string;
  nextSteps: string;
  status: ReportStatus | null;
  figures: ReportFigure[];
}

export type ReportEvent = 'submit' | 'withdraw' | 'approve' | 'reject' | 'accept' | 'return';
export type ReportAction = ReportEvent | 'edit' | 'request_extension';
export type ReportState = 'draft' | 'submitted' | 'approved' | 'returned' | 'accepted';

export interface ReportKey {
  itemId: number;
  organisationId: number;
  periodCode: string;
}

export interface AttachmentView {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  scanState: string;
  scanLabel: string;
  createdAt: string;
}

export interface ExtensionView {
  id: number;
  requestedDueOn: string;
  reason: string;
  state: 'pending' | 'approved' | 'rejected' | string;
  decisionComment: string | null;
  createdAt: string;
}

export interface ReportView {
  /** null for a report nobody has written yet (an empty draft) */
  id: number | null;
  key: ReportKey;
  item: {
    id: number;
    work: string;
    leadText: string;
    cooperatingText: string;
    task: { id: number; number: string; name: string };
    chapter: { numeral: string; title: string };
  };
  plan: { id: number; year: number; title: string };
  organisation: { id: number; name: string };
  relation: 'lead' | 'cooperating';
  period: { code: string; label: string; startsOn: string; endsOn: string; dueOn: string | null; expectedProgress: number };
  /** the due date that applies: an extension's, else the period's */
  dueOn: string | null;
  /** days from today (Asia/Shanghai) to the due date; negative when overdue */
  daysLeft: number | null;
  state: ReportState | string;
  stateLabel: string;
  revision: number;
  /** null when the reader may not see this unit's text yet (it has not left the unit) */
  content: ReportContent | null;
  contentRevision: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
  lastReview: { event: string; eventLabel: string; comment: string | null; by: string; at: string } | null;
  extension: ExtensionView | null;
  attachments: AttachmentView[];
  /** what the signed-in person may do now */
  actions: ReportAction[];
}

export interface VersionView {
  revision: number;
  event: string;
  eventLabel: string;
  state: string;
  stateLabel: string;
  comment: string | null;
  by: string;
  at: string;
  content: ReportContent;
  attachments: AttachmentView[];
}

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface ReportDiff {
  from: VersionView;
  to: VersionView;
  progress: DiffLine[];
  problems: DiffLine[];
  nextSteps: DiffLine[];
  status: { from: string | null; to: string | null } | null;
  figures: { name: string; from: string | null; to: string | null }[];
  attachments: { added: string[]; removed: string[] };
}

interface WorkItemRef {
  itemId: number;
  work: string;
  taskNumber: string;
  taskName: string;
  planId: number;
  planTitle: string;
}

export interface ReportTodo extends WorkItemRef {
  reportId: number | null;
  organisation: { id: number; name: string };
  role: 'lead' | 'cooperating' | string;
  period: { code: string; label: string };
  dueOn: string | null;
  daysLeft: number | null;
  state: string;
  stateLabel: string;
  /** the latest comment of a return (退回) */
  comment: string | null;
  /** when and by whom the report last changed: in a review queue, when it was sent */
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ExtensionTodo extends ReportTodo {
  extensionId: number;
  requestedDueOn: string;
  reason: string;
}

export interface AcknowledgeTodo extends WorkItemRef {
  role: 'lead' | 'cooperating' | string;
  organisation: { id: number; name: string };
}

export interface ReturnedAssignmentTodo extends WorkItemRef {
  organisation: { id: number; name: string };
  role: 'lead' | 'cooperating' | string;
  reason: string | null;
}

/** For the office: a unit with overdue reports not filed. */
export interface OverdueUnit {
  organisation: { id: number; name: string };
  overdue: number;
  oldestDueOn: string;
  daysOverdue: number;
}

export interface DuePage {
  rows: ReportTodo[];
  total: number;
  page: number;
  pageSize: number;
}

export interface MyWork {
  toAcknowledge: AcknowledgeTodo[];
  /** the first page of the reports owed, the most overdue first; the rest through reportsApi.due */
  due: ReportTodo[];
  dueTotal: number;
  overdueTotal: number;
  overdueUnits: OverdueUnit[];
  returned: ReportTodo[];
  toApprove: ReportTodo[];
  toReview: ReportTodo[];
  extensions: ExtensionTodo[];
  returnedAssignments: ReturnedAssignmentTodo[];
  /** everything waiting, as the menu's badge shows it */
  total: number;
}

const reportUrl = (key: ReportKey) => `/api/items/${key.itemId}/reports/${key.organisationId}/${encodeURIComponent(key.periodCode)}`;

export const reportsApi = {
  /** the report, or an empty draft (id null, revision 0) when nothing is written yet */
  get: (key: ReportKey, signal?: AbortSignal) => requestJson<ReportView>(reportUrl(key), { signal }),
  /** saves the unit's working copy; 409 report_changed (see conflictOf) when it changed since baseRevision */
  save: (key: ReportKey, content: ReportContent, baseRevision: number) =>
    requestJson<ReportView>(reportUrl(key), { method: 'PUT', body: { content, baseRevision } }),
  act: (reportId: number, event: ReportEvent, baseRevision: number, comment?: string) =>
    requestJson<ReportView>(`/api/reports/${reportId}/events`, { method: 'POST', body: comment ? { event, baseRevision, comment } : { event, baseRevision } }),
  requestExtension: (key: ReportKey, dueOn: string, reason: string) =>
    requestJson<ReportView>(`${reportUrl(key)}/extension`, { method: 'POST', body: { dueOn, reason } }),
  decideExtension: (extensionId: number, approve: boolean, comment?: string) =>
    requestJson<ReportView>(`/api/extensions/${extensionId}/decision`, { method: 'POST', body: comment ? { approve, comment } : { approve } }),
  versions: (reportId: number, signal?: AbortSignal) => requestJson<{ versions: VersionView[] }>(`/api/reports/${reportId}/versions`, { signal }),
  diff: (reportId: number, from: number, to: number, signal?: AbortSignal) =>
    requestJson<ReportDiff>(`/api/reports/${reportId}/diff?from=${from}&to=${to}`, { signal }),
  myWork: (signal?: AbortSignal) => requestJson<MyWork>('/api/my-work', { signal }),
  /** a page of the reports owed: the signed-in unit's, or for the office one unit's (or every unit's) */
  due: (query: { organisationId?: number; overdueOnly?: boolean; page: number; pageSize: number }, signal?: AbortSignal) => {
    const search = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
    if (query.organisationId !== undefined) search.set('organisationId', String(query.organisationId));
    if (query.overdueOnly) search.set('overdueOnly', 'true');
    return requestJson<DuePage>(`/api/my-work/due?${search.toString()}`, { signal });
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
  return !content.progress.trim() && !content.problems.trim() && !content.nextSteps.trim() && content.status === null && content.figures.length === 0;
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
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
}
