import { AppError, notFound } from '../domain/errors.js';
import { ROLE_PERMISSIONS, UNIT_ROLES, type Permission } from '../domain/roles.js';
import type { ReportingActor } from '../domain/reporting.js';
import type { Principal } from './accounts.js';

/** What a route requires: nothing, any signed-in principal, or a permission. Every route declares one. */
export type RoutePolicy = 'public' | 'authenticated' | Permission;

/** Who may read what: the whole city, or one organisation's part of it. */
export type ReadScope = { organisationId: number } | null;

/** How a reader's scope is named in the keys of kept answers: the city's, or one unit's. */
export function scopeKey(scope: ReadScope | undefined): string {
  return scope ? `unit${scope.organisationId}` : 'city';
}

/**
 * What a principal may do: a user by role; an API token reads the catalogue, and with write scope also takes part in
 * reporting for its unit; an anonymous principal nothing.
 */
export function permissionsOf(principal: Principal): readonly Permission[] {
  if (principal.kind === 'user') return ROLE_PERMISSIONS[principal.role];
  // an integration with a write token reports for its unit as a reporter would
  if (principal.kind === 'token') return principal.scope === 'write' ? ['catalogue.read', 'reports.act'] : ['catalogue.read'];
  return [];
}

/** Whether a principal has a permission; which report or step it may act on is decided by the reporting rules. */
export function can(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}

/**
 * How far a principal may read: unit roles and API tokens their own organisation's part, everyone else the whole city
 * (null). Whether it may read at all is the route policy's question, not this one's.
 */
export function readScopeOf(principal: Principal): ReadScope {
  if (principal.kind === 'token') return { organisationId: principal.organisationId };
  if (principal.kind === 'user' && UNIT_ROLES.includes(principal.role)) return { organisationId: principal.organisationId };
  return null;
}

const NOT_FOUND_MESSAGES = {
  plan: '找不到该工作计划，或您无权查看。',
  item: '找不到该事项，或您无权查看。',
  organisation: '找不到该单位，或您无权查看。',
  report: '找不到该报告，或您无权查看。',
  steps: '找不到该单位在此事项上的工作步骤，或您无权查看。',
  attachment: '找不到该佐证材料，或您无权查看。',
  version: '找不到报告的该版本，或您无权查看。',
  extension: '找不到该延期申请。',
  user: '找不到该用户。',
  token: '找不到该令牌。',
  notice: '找不到该督办单，或您无权查看。',
  closure: '找不到该办结销号申请，或您无权查看。',
  bulletin: '找不到该通报。',
  webhook: '找不到该消息推送地址。',
  delivery: '找不到该条发送记录。',
} as const;

export type ObjectKind = keyof typeof NOT_FOUND_MESSAGES;

/**
 * The one 404 of each kind of object: the same status, code and message whether it does not exist, belongs to
 * another organisation, or involves a unit that has no part in it. Nothing in it (no id, no name, no reason)
 * may differ between those cases, or ids could be probed for what exists.
 */
export function notFoundOf(kind: ObjectKind): AppError {
  return notFound(`${kind}_not_found`, NOT_FOUND_MESSAGES[kind]);
}

/** The 403 for a signed-in principal whose role may not do this; for what it may not even see use notFoundOf. */
export function forbidden(): AppError {
  return new AppError(403, 'forbidden', '您的角色无权进行此操作。');
}

/**
 * Enforces a route's policy: 401 (unauthenticated) for an anonymous principal on any non-public route, 403 (forbidden)
 * without the permission. A unit's read scope is not checked here but by the services.
 */
export function authorise(principal: Principal, policy: RoutePolicy): void {
  if (policy === 'public') return;
  if (principal.kind === 'anonymous') throw new AppError(401, 'unauthenticated', '请先登录。');
  if (policy === 'authenticated') return;
  if (!can(principal, policy)) throw forbidden();
}

/** Who acts in the reporting workflow: a user by role, a write token as its unit's reporter. */
export function reportingActorOf(principal: Principal): ReportingActor | undefined {
  if (principal.kind === 'user') return { role: principal.role, organisationId: principal.organisationId };
  if (principal.kind === 'token')
    return { role: principal.scope === 'write' ? 'unit_reporter' : 'viewer', organisationId: principal.organisationId };
  return undefined;
}
