/**
 * The HTTP API client of the web UI: one function per endpoint, typed by the contract (src/contract), whose
 * types are imported as types only so that no schema code reaches the bundle.
 * Every call fetches JSON; a non-2xx answer carries `{ error: { code, message } }` and is thrown as an ApiError
 * whose message is the server's (Chinese) message. Writes carry the session's CSRF token (see setCsrfToken).
 */
import type { SessionResponse } from '../contract/auth.js';
import type { ImportColumnsChoice, OrganisationMapping, PreviewResponse, ImportResponse } from '../contract/imports.js';
import type { ItemDetailResponse } from '../contract/items.js';
import type {
  ListOrganisationsResponse,
  OrganisationDetailResponse,
  SummaryExportQuery,
  SummaryQuery,
  SummaryResponse,
} from '../contract/organisations.js';
import type { ListPlansResponse, PlanTreeResponse } from '../contract/plans.js';
import type { NewUserBody, UpdateUserBody, UserAccount, UsersResponse, UserWithPassword } from '../contract/users.js';
import type { Role } from '../contract/vocabulary.js';

/** An error answered by the API (or a network failure, with status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** the answer's `error.details`, when it has them (a 409 report_changed carries the current report and yours) */
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The session lives in an HttpOnly cookie the browser sends by itself; what the client keeps is the session's CSRF
 * token, which every write (fetch and the XHR uploads) carries in `x-csrf-token`, and a listener that the auth
 * provider installs to hear that the server ended the session (401: expired, signed out elsewhere) or wants the
 * password changed first (403 password_change_required).
 */
let csrfToken: string | undefined;

export interface SessionListener {
  unauthenticated(): void;
  passwordChangeRequired(): void;
}

let sessionListener: SessionListener | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token || undefined;
}

export function getCsrfToken(): string | undefined {
  return csrfToken;
}

/** Installs the listener; returns the function that removes it. */
export function setSessionListener(listener: SessionListener): () => void {
  sessionListener = listener;
  return () => {
    if (sessionListener === listener) sessionListener = undefined;
  };
}

/** Paths whose 401 is an answer about the credentials or the session check itself, not an ended session. */
const NOT_A_SESSION_END = new Set(['/api/auth/login', '/api/auth/me']);

function noteFailure(path: string, status: number, code: string): void {
  const pathname = path.split('?')[0] ?? path;
  if (status === 401 && !NOT_A_SESSION_END.has(pathname)) sessionListener?.unauthenticated();
  else if (status === 403 && code === 'password_change_required') sessionListener?.passwordChangeRequired();
}

function writeHeaders(method: string): Record<string, string> {
  return method !== 'GET' && method !== 'HEAD' && csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export async function requestJson<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...writeHeaders(method),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  let body: unknown;
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
      error && typeof error.message === 'string' && error.message ? error.message : `服务器返回错误（HTTP ${response.status}）`;
    const code = error && typeof error.code === 'string' ? error.code : `http_${response.status}`;
    noteFailure(path, response.status, code);
    throw new ApiError(response.status, code, message, error?.details);
  }
  if (response.status === 204) return undefined as T;
  if (body === undefined) {
    throw new ApiError(response.status, 'bad_response', '服务器返回的数据无法解析');
  }
  return body as T;
}

function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { signal });
}

export const authApi = {
  /** 401 (nobody signed in) is thrown as an ApiError like any other answer; the auth provider turns it into null. */
  me: (signal?: AbortSignal) => requestJson<SessionResponse>('/api/auth/me', { signal }),
  login: (username: string, password: string) =>
    requestJson<SessionResponse>('/api/auth/login', { method: 'POST', body: { username, password } }),
  logout: () => requestJson<void>('/api/auth/logout', { method: 'POST' }),
  changePassword: (currentPassword: string, newPassword: string) =>
    requestJson<SessionResponse>('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } }),
};

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  plans: (signal?: AbortSignal) => getJson<ListPlansResponse>('/api/plans', signal),
  plan: (planId: number, signal?: AbortSignal) => getJson<PlanTreeResponse>(`/api/plans/${planId}`, signal),
  item: (itemId: number, signal?: AbortSignal) => getJson<ItemDetailResponse>(`/api/items/${itemId}`, signal),
  organisations: (signal?: AbortSignal) => getJson<ListOrganisationsResponse>('/api/organisations', signal),
  organisation: (orgId: number, signal?: AbortSignal) => getJson<OrganisationDetailResponse>(`/api/organisations/${orgId}`, signal),
  summary: (orgId: number, params: SummaryQuery, signal?: AbortSignal) =>
    getJson<SummaryResponse>(`/api/organisations/${orgId}/summary${query(params)}`, signal),
};

/** The URL of a summary table export; used as a plain download link. */
export function summaryExportUrl(orgId: number, params: SummaryExportQuery): string {
  return `/api/organisations/${orgId}/summary/export${query(params)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Imports: preview and confirm an uploaded file (multipart/form-data, sent with XMLHttpRequest for upload progress)

export interface ImportInput {
  file: File;
  /** for files that do not say it themselves */
  year?: number;
  organisation?: string;
  /** a person's reading of the columns, by position; {} goes back to the headings */
  columns?: ImportColumnsChoice;
  /** a period code of the file's year, e.g. 2031-Q1 */
  period?: string;
  /** what to do with the texts of rows the filing unit has no part in */
  unlinked?: 'cooperate' | 'omit';
}

export interface UploadProgress {
  /** uploading the bytes, then waiting for the server to parse (and write) */
  phase: 'upload' | 'server';
  /** 0–100 while uploading */
  percent: number;
}

function importForm(input: ImportInput, mappings?: Record<string, OrganisationMapping>): FormData {
  const form = new FormData();
  // text fields first: the server reads the parts in order
  if (input.year !== undefined) form.append('year', String(input.year));
  const organisation = input.organisation?.trim();
  if (organisation) form.append('organisation', organisation);
  if (mappings && Object.keys(mappings).length > 0) form.append('mappings', JSON.stringify(mappings));
  // an empty choice is sent too: it goes back to the headings' reading
  if (input.columns !== undefined) form.append('columns', JSON.stringify(input.columns));
  if (input.period) form.append('period', input.period);
  if (input.unlinked) form.append('unlinked', input.unlinked);
  form.append('file', input.file, input.file.name);
  return form;
}

/** POSTs a form with XMLHttpRequest, so that the upload reports its progress; errors are thrown as ApiError. */
function postForm<T>(path: string, form: FormData, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('上传已取消', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(writeHeaders('POST'))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress?.({ phase: 'upload', percent: Math.min(100, Math.round((event.loaded / event.total) * 100)) });
      }
    };
    xhr.upload.onload = () => onProgress?.({ phase: 'server', percent: 100 });
    xhr.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'));
    xhr.ontimeout = () => reject(new ApiError(0, 'timeout', '服务器响应超时，请稍后重试'));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    xhr.onload = () => {
      let body: unknown;
      if (xhr.responseText) {
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = undefined;
        }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
        const fallback = xhr.status === 413 ? '上传的文件超过服务器允许的大小。' : `服务器返回错误（HTTP ${xhr.status}）`;
        const message = error && typeof error.message === 'string' && error.message ? error.message : fallback;
        const code = error && typeof error.code === 'string' ? error.code : `http_${xhr.status}`;
        noteFailure(path, xhr.status, code);
        reject(new ApiError(xhr.status, code, message));
        return;
      }
      if (body === undefined) {
        reject(new ApiError(xhr.status, 'bad_response', '服务器返回的数据无法解析'));
        return;
      }
      resolve(body as T);
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    onProgress?.({ phase: 'upload', percent: 0 });
    xhr.send(form);
  });
}

export const importApi = {
  /** Parses the file and reports what importing it would do; nothing is written. */
  preview: (input: ImportInput, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal) =>
    postForm<PreviewResponse>('/api/imports/preview', importForm(input), onProgress, signal),
  /** Imports the file (all or nothing), with the person's decisions for the new units. */
  confirm: (
    input: ImportInput,
    mappings: Record<string, OrganisationMapping>,
    onProgress?: (progress: UploadProgress) => void,
    signal?: AbortSignal,
  ) => postForm<ImportResponse>('/api/imports', importForm(input, mappings), onProgress, signal),
};

export const ROLE_OPTIONS = [
  { value: 'admin', label: '系统管理员' },
  { value: 'supervisor', label: '督查室' },
  { value: 'unit_leader', label: '单位负责人' },
  { value: 'unit_reporter', label: '单位填报员' },
  { value: 'viewer', label: '领导查阅' },
  { value: 'auditor', label: '审计员' },
] as const satisfies readonly { value: Role; label: string }[];

export const usersApi = {
  list: () => requestJson<UsersResponse>('/api/users'),
  create: (input: NewUserBody) => requestJson<UserWithPassword>('/api/users', { method: 'POST', body: input }),
  /** `confirm`: the server disables an account only with this explicit yes */
  update: (userId: number, changes: UpdateUserBody) => requestJson<UserAccount>(`/api/users/${userId}`, { method: 'PATCH', body: changes }),
  /** Called once the person has confirmed in the page; the server refuses a reset without the yes. */
  resetPassword: (userId: number) =>
    requestJson<UserWithPassword>(`/api/users/${userId}/reset-password`, { method: 'POST', body: { confirm: true } }),
};
