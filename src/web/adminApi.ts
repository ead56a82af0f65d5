/**
 * The API client of the two administrative pages: the audit trail (审计日志, the auditor's) and the integration
 * tokens (接口令牌, the system administrator's). Errors are thrown as ApiError and writes carry the CSRF token,
 * both by requestJson of api.ts.
 */
import { query, requestJson } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// 审计日志

export interface AuditEvent {
  id: number;
  /** ISO 8601, UTC */
  at: string;
  /** e.g. user:17, token:3, cli, anonymous */
  actor: string;
  /** the person or token behind the actor, e.g. 张三（zhang.san）; the actor itself when there is none */
  actorName: string;
  organisationId: number | null;
  organisationName: string | null;
  /** e.g. web:10.0.0.8, cli, system */
  source: string;
  action: string;
  /** the action in words, from src/contract/audit-labels.ts */
  actionLabel: string;
  objectType: string;
  objectTypeLabel: string;
  objectId: string;
  /** what the object is called now (a user's name, a report's item · unit · period); null when it is gone */
  objectName: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFacets {
  actions: string[];
  objectTypes: string[];
  actors: { actor: string; name: string }[];
  organisations: { id: number; name: string }[];
}

export interface AuditFilters {
  /** ISO 8601 instants, `to` exclusive */
  from?: string;
  to?: string;
  actor?: string;
  /** a prefix: auth. matches every sign-in entry */
  action?: string;
  objectType?: string;
  objectId?: string;
  organisationId?: number;
}

export interface AuditPage {
  total: number;
  events: AuditEvent[];
  facets?: AuditFacets;
}

export const auditApi = {
  list: (filters: AuditFilters & { limit: number; offset: number }, signal?: AbortSignal) =>
    requestJson<AuditPage>(`/api/audit${query({ ...filters })}`, { signal }),
  /** What occurs in the whole trail, for the choices of the filters (one entry is read along with it). */
  facets: async (signal?: AbortSignal) =>
    (await requestJson<AuditPage>(`/api/audit${query({ limit: 1, facets: 'true' })}`, { signal })).facets ?? {
      actions: [],
      objectTypes: [],
      actors: [],
      organisations: [],
    },
};

/** The URL of an export of the filtered trail; used as a plain download link. */
export function auditExportUrl(filters: AuditFilters & { format: 'csv' | 'xlsx' }): string {
  return `/api/audit/export${query({ ...filters })}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 接口令牌

export type TokenScope = 'read' | 'write';

export interface ApiToken {
  id: number;
  name: string;
  /** the first characters of the token, to recognise it by */
  prefix: string;
  organisationId: number;
  scope: TokenScope;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const TOKEN_SCOPES: { value: TokenScope; label: string; description: string }[] = [
  { value: 'read', label: '只读', description: '只能读取所选单位的工作任务和汇总表' },
  { value: 'write', label: '读写', description: '读取，并可以所选单位的名义写入数据' },
];

export const tokensApi = {
  list: (signal?: AbortSignal) => requestJson<{ tokens: ApiToken[] }>('/api/tokens', { signal }),
  /** The answer is the only time the token itself is seen: the server keeps only its hash. */
  create: (input: { name: string; organisationId: number; scope: TokenScope }) =>
    requestJson<{ token: string; view: ApiToken }>('/api/tokens', { method: 'POST', body: input }),
  /** Called once the person has confirmed in the page; the server refuses a revocation without the yes. */
  revoke: (tokenId: number) => requestJson<ApiToken>(`/api/tokens/${tokenId}/revoke`, { method: 'POST', body: { confirm: true } }),
};
