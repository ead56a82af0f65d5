import { AppError, notFound } from '../domain/errors.js';
import { ROLE_PERMISSIONS, UNIT_ROLES, type Permission } from '../domain/roles.js';
import type { ReportingActor } from '../domain/reporting.js';
import type { Principal } from './accounts.js';

/** What a route requires: nothing, any signed-in principal, or a permission. Every route declares one. */
export type RoutePolicy = 'public' | 'authenticated' | Permission;

/** Who may read what: the whole city, or one organisation's part of it. */
export type ReadScope = { organisationId: number } | null;

export function permissionsOf(principal: Principal): readonly Permission[] {
  if (principal.kind === 'user') return ROLE_PERMISSIONS[principal.role];
  // an integration with a write token reports for its unit as a reporter would
  if (principal.kind === 'token') return principal.scope === 'write' ? ['catalogue.read', 'reports.act'] : ['catalogue.read'];
  return [];
}

export function can(principal: Principal, permission: Permission): boolean {
  return permissionsOf(principal).includes(permission);
}

export function readScopeOf(principal: Principal): ReadScope {
  if (principal.kind === 'token') return { organisationId: principal.organisationId };
  if (principal.kind === 'user' && UNIT_ROLES.includes(principal.role)) return { organisationId: principal.organisationId };
  return null;
}

/**
 * The answer when a principal may not see an object of another organisation: the same 404 as for an object that
 * does not exist, so ids cannot be probed.
 */
export function hiddenFromScope(code: string, message: string): AppError {
  return notFound(code, message);
}

export function forbidden(): AppError {
  return new AppError(403, 'forbidden', '您的角色无权进行此操作。');
}

export function authorise(principal: Principal, policy: RoutePolicy): void {
  if (policy === 'public') return;
  if (principal.kind === 'anonymous') throw new AppError(401, 'unauthenticated', '请先登录。');
  if (policy === 'authenticated') return;
  if (!can(principal, policy)) throw forbidden();
}

/** Who acts in the reporting workflow: a user by role, a write token as its unit's reporter. */
export function reportingActorOf(principal: Principal): ReportingActor | undefined {
  if (principal.kind === 'user') return { role: principal.role, organisationId: principal.organisationId };
  if (principal.kind === 'token') return { role: principal.scope === 'write' ? 'unit_reporter' : 'viewer', organisationId: principal.organisationId };
  return undefined;
}
