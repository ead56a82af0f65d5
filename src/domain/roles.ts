/** The roles of issue 4. A user has exactly one, within one organisation. */

import { ROLES, type Role } from '../contract/vocabulary.js';

// the API's closed list is the one the rules use
export { ROLES, type Role };

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  supervisor: '督查室',
  unit_leader: '单位负责人',
  unit_reporter: '单位填报员',
  viewer: '领导查阅',
  auditor: '审计员',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * What a role may do. Unit roles (and API tokens) see only their own organisation's part of the city's plans;
 * the system administrator manages accounts but reads no audit trail and edits no reports; the audit reader reads
 * only the audit trail. The administrator also keeps the outbound channels (webhooks) and the dead-letter list of
 * notifications that could not be sent. The organisation register is master data both the administrator and the supervision office
 * keep, since the office meets new and renamed units first, when it assigns items. `reports.act` lets a role take
 * part in the reporting workflow at all; which report and which step is decided by the rules of domain/reporting.
 */
export const PERMISSIONS = [
  'catalogue.read',
  'imports.write',
  'organisations.manage',
  'reports.act',
  'plans.manage',
  'calendar.manage',
  'users.manage',
  'audit.read',
  'notifications.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['catalogue.read', 'users.manage', 'organisations.manage', 'calendar.manage', 'notifications.manage'],
  supervisor: ['catalogue.read', 'imports.write', 'organisations.manage', 'reports.act', 'plans.manage', 'calendar.manage'],
  unit_leader: ['catalogue.read', 'reports.act'],
  unit_reporter: ['catalogue.read', 'reports.act'],
  viewer: ['catalogue.read'],
  auditor: ['audit.read'],
};

/** Roles whose reading is limited to their own organisation. */
export const UNIT_ROLES: readonly Role[] = ['unit_leader', 'unit_reporter'];
