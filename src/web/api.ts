/**
 * The HTTP API client of the web UI: response types and one function per endpoint.
 * Every call fetches JSON; a non-2xx answer carries `{ error: { code, message } }` and is thrown as an ApiError
 * whose message is the server's (Chinese) message.
 */

export interface Org {
  id: number;
  name: string;
  kind: string;
  kindLabel: string;
}

export interface PlanCounts {
  chapters: number;
  tasks: number;
  items: number;
}

export interface PlanSummary {
  id: number;
  year: number;
  title: string;
  issuer: string;
  counts: PlanCounts;
}

export interface PlanItem {
  id: number;
  position: number;
  work: string;
  lead: Org[];
  cooperating: Org[];
}

export interface PlanTask {
  id: number;
  number: string;
  name: string;
  items: PlanItem[];
}

export interface PlanChapter {
  id: number;
  numeral: string;
  title: string;
  tasks: PlanTask[];
}

export interface PlansResponse {
  plans: PlanSummary[];
}

export interface PlanResponse {
  plan: PlanSummary;
  chapters: PlanChapter[];
}

export interface Period {
  code: string;
  label: string;
}

export interface Report {
  id: number;
  organisation: Org;
  period: Period;
  text: string;
  state: string;
  stateLabel: string;
  revision: number;
  updatedAt: string;
}

export interface ItemResponse {
  item: {
    id: number;
    position: number;
    work: string;
    leadText: string;
    cooperatingText: string;
    lead: Org[];
    cooperating: Org[];
  };
  task: { id: number; number: string; name: string };
  chapter: { id: number; numeral: string; title: string };
  plan: { id: number; year: number; title: string };
  reports: Report[];
}

export interface OrganisationRow extends Org {
  aliases: string[];
  leadCount: number;
  cooperatingCount: number;
}

export interface OrganisationsResponse {
  organisations: OrganisationRow[];
}

export interface OrganisationResponse {
  organisation: Org & { aliases: string[] };
  plans: { id: number; year: number; title: string; periods: Period[] }[];
}

export interface SummaryColumns {
  number: string;
  name: string;
  work: string;
  lead: string;
  cooperating: string;
  completion: string;
}

export interface SummaryItemRow {
  id: number;
  work: string;
  lead: string;
  cooperating: string;
  completion: string;
}

export interface SummaryTaskRow {
  id: number;
  number: string;
  name: string;
  items: SummaryItemRow[];
}

export interface SummaryChapterRow {
  numeral: string;
  title: string;
  tasks: SummaryTaskRow[];
}

export interface SummaryResponse {
  organisation: Org;
  plan: { id: number; year: number; title: string };
  period: Period;
  table: {
    title: string;
    organisation: string;
    columns: SummaryColumns;
    chapters: SummaryChapterRow[];
  };
}

export type ExportFormat = 'docx' | 'xlsx' | 'csv' | 'json';

/** An error answered by the API (or a network failure, with status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  let body: unknown = undefined;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    const message =
      error && typeof error.message === 'string' && error.message
        ? error.message
        : `服务器返回错误（HTTP ${response.status}）`;
    const code = error && typeof error.code === 'string' ? error.code : `http_${response.status}`;
    throw new ApiError(response.status, code, message);
  }
  if (body === undefined) {
    throw new ApiError(response.status, 'bad_response', '服务器返回的数据无法解析');
  }
  return body as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  plans: (signal?: AbortSignal) => getJson<PlansResponse>('/api/plans', signal),
  plan: (planId: number, signal?: AbortSignal) => getJson<PlanResponse>(`/api/plans/${planId}`, signal),
  item: (itemId: number, signal?: AbortSignal) => getJson<ItemResponse>(`/api/items/${itemId}`, signal),
  organisations: (signal?: AbortSignal) => getJson<OrganisationsResponse>('/api/organisations', signal),
  organisation: (orgId: number, signal?: AbortSignal) =>
    getJson<OrganisationResponse>(`/api/organisations/${orgId}`, signal),
  summary: (orgId: number, params: { plan?: number; period?: string }, signal?: AbortSignal) =>
    getJson<SummaryResponse>(`/api/organisations/${orgId}/summary${query(params)}`, signal),
};

/** The URL of a summary table export; used as a plain download link. */
export function summaryExportUrl(
  orgId: number,
  params: { plan?: number; period?: string; format: ExportFormat },
): string {
  return `/api/organisations/${orgId}/summary/export${query(params)}`;
}
