/**
 * The closed word lists the API accepts and answers with: roles, organisation kinds, report statuses and steps,
 * export formats. The contract owns them so request schemas and the web need nothing from the server side;
 * src/contract/vocabulary.test.ts proves the domain and documents layers use the very same lists.
 * Pure constants: this folder imports nothing from the rest of src.
 */

export const ROLES = ['admin', 'supervisor', 'unit_leader', 'unit_reporter', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The roles of a unit's own members: they see their unit's work first. */
export const UNIT_ROLES: readonly Role[] = ['unit_reporter', 'unit_leader'];

export const ORGANISATION_KINDS = [
  'city_government',
  'city_department',
  'county_level_government',
  'management_committee',
  'state_enterprise',
  'collective',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Whether a kind read from an answer (a plain string there) is one a request may send back. */
export function isOrganisationKind(value: string): value is OrganisationKind {
  return (ORGANISATION_KINDS as readonly string[]).includes(value);
}

/** What a report says of its item at the end of the period. */
export const REPORT_STATUSES = ['已完成', '序时推进', '进度滞后', '未完成', '持续推进'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The city table's status filter word for an item whose lead report has not arrived. */
export const NOT_REPORTED = '未报送';

/** The steps a person takes on a report (create and import are written by the system). */
export const REPORT_EVENTS = ['submit', 'withdraw', 'approve', 'reject', 'accept', 'return'] as const;
export type ReportEvent = (typeof REPORT_EVENTS)[number];

/** The formats an imported file may be read as. */
export const IMPORT_FORMATS = ['text', 'docx', 'xlsx', 'csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const EXPORT_FORMATS = ['docx', 'xlsx', 'csv', 'json', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The warning lights of the city table. */
export const LIGHTS = ['green', 'yellow', 'red', 'grey'] as const;
export type Light = (typeof LIGHTS)[number];
