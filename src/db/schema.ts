import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/**
 * Table types. Times are ISO-8601 strings in UTC on both dialects and JSON is stored as text, so that every value
 * binds the same way in better-sqlite3 and pg. Booleans are 0/1 integers.
 */
export interface Database {
  organisations: OrganisationTable;
  organisation_aliases: OrganisationAliasTable;
  plans: PlanTable;
  chapters: ChapterTable;
  tasks: TaskTable;
  items: ItemTable;
  item_organisations: ItemOrganisationTable;
  periods: PeriodTable;
  reports: ReportTable;
  report_versions: ReportVersionTable;
  imports: ImportTable;
  audit_events: AuditEventTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
}

export interface UserTable {
  id: Generated<number>;
  organisation_id: number;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  failed_attempts: number;
  locked_until: string | null;
  active: number;
  password_changed_at: string;
  last_login_at: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: string;
  expires_at: string;
  ip: string;
  user_agent: string;
  revoked_at: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  prefix: string;
  organisation_id: number;
  scope: 'read' | 'write';
  created_by: string;
  created_at: CreatedAt;
  last_used_at: string | null;
  revoked_at: string | null;
}

type CreatedAt = ColumnType<string, string, never>;

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  kind: string;
  parent_id: number | null;
  active: number;
  /** set when this record was found to be a duplicate and everything moved to that one; it stays, retired */
  merged_into_id: number | null;
  created_at: CreatedAt;
  updated_at: string | null;
}

export interface OrganisationAliasTable {
  id: Generated<number>;
  organisation_id: number;
  alias: string;
  created_at: CreatedAt;
}

export interface PlanTable {
  id: Generated<number>;
  year: number;
  title: string;
  issuer: string;
  created_at: CreatedAt;
}

export interface ChapterTable {
  id: Generated<number>;
  plan_id: number;
  numeral: string;
  title: string;
  position: number;
}

export interface TaskTable {
  id: Generated<number>;
  plan_id: number;
  chapter_id: number;
  number: string;
  /** numeric value of 序号 for city-wide order; tasks without a number sort after numbered ones */
  sort_key: number;
  name: string;
}

export interface ItemTable {
  id: Generated<number>;
  task_id: number;
  position: number;
  work: string;
  /** lead and cooperating units exactly as written, for printing the table back cell for cell */
  lead_text: string;
  cooperating_text: string;
  /** unknown columns kept from imports, JSON object as text */
  extra: string;
}

export interface ItemOrganisationTable {
  item_id: number;
  organisation_id: number;
  role: 'lead' | 'cooperating';
  position: number;
}

export interface PeriodTable {
  id: Generated<number>;
  plan_id: number;
  code: string;
  kind: string;
  label: string;
  starts_on: string;
  ends_on: string;
  due_on: string | null;
  expected_progress: number;
}

/**
 * One report per item × organisation × period. Its text is the current version's; every submitted version is kept
 * unchanged in report_versions and only superseded by a newer revision.
 */
export interface ReportTable {
  id: Generated<number>;
  item_id: number;
  organisation_id: number;
  period_id: number;
  state: string;
  text: string;
  status: string | null;
  revision: number;
  created_at: CreatedAt;
  updated_at: string;
}

export interface ReportVersionTable {
  id: Generated<number>;
  report_id: number;
  revision: number;
  state: string;
  text: string;
  status: string | null;
  source: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface ImportTable {
  id: Generated<number>;
  plan_id: number;
  organisation_id: number | null;
  period_id: number | null;
  file_name: string;
  format: string;
  sha256: string;
  summary: string;
  created_by: string;
  created_at: CreatedAt;
}

/** Append-only: the application has no update or delete path, and database triggers refuse both. */
export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor: string;
  organisation_id: number | null;
  source: string;
  action: string;
  object_type: string;
  object_id: string;
  before: string | null;
  after: string | null;
}

export type Db = Kysely<Database>;
/** Repositories take either the database or a transaction; the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type OrganisationRow = Selectable<OrganisationTable>;
export type PlanRow = Selectable<PlanTable>;
export type ChapterRow = Selectable<ChapterTable>;
export type TaskRow = Selectable<TaskTable>;
export type ItemRow = Selectable<ItemTable>;
export type PeriodRow = Selectable<PeriodTable>;
export type ReportRow = Selectable<ReportTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
