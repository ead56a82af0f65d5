/**
 * The API client of the two administrative pages: the audit trail (审计日志, the auditor's) and the integration
 * tokens (接口令牌, the system administrator's). Errors are thrown as ApiError and writes carry the CSRF token,
 * both by requestJson of api.ts.
 */
import type { AuditExportQuery, AuditFilters, AuditListQuery, AuditPage } from '../contract/audit.js';
import type { ApiToken, NewTokenBody, NewTokenResponse, TokenScope, TokensResponse } from '../contract/users.js';
import { query, requestJson } from './api.js';

// ---------------------------------------------------------------------------------------------------------------
// 审计日志 (shapes from src/contract/audit.ts)

export const auditApi = {
  list: (filters: AuditFilters & Required<Pick<AuditListQuery, 'limit' | 'offset'>>, signal?: AbortSignal) =>
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
export function auditExportUrl(filters: AuditExportQuery): string {
  return `/api/audit/export${query({ ...filters })}`;
}

// ---------------------------------------------------------------------------------------------------------------
// 接口令牌 (shapes from src/contract/users.ts)

export const TOKEN_SCOPES: { value: TokenScope; label: string; description: string }[] = [
  { value: 'read', label: '只读', description: '只能读取所选单位的工作任务和汇总表' },
  { value: 'write', label: '读写', description: '读取，并可以所选单位的名义写入数据' },
];

export const tokensApi = {
  list: (signal?: AbortSignal) => requestJson<TokensResponse>('/api/tokens', { signal }),
  /** The answer is the only time the token itself is seen: the server keeps only its hash. */
  create: (input: NewTokenBody) => requestJson<NewTokenResponse>('/api/tokens', { method: 'POST', body: input }),
  /** Called once the person has confirmed in the page; the server refuses a revocation without the yes. */
  revoke: (tokenId: number) => requestJson<ApiToken>(`/api/tokens/${tokenId}/revoke`, { method: 'POST', body: { confirm: true } }),
};
