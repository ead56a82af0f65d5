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
  plan_schedules: PlanScheduleTable;
  calendar_days: CalendarDayTable;
  extension_requests: ExtensionRequestTable;
  item_steps: ItemStepTable;
  attachments: AttachmentTable;
  attachment_blobs: AttachmentBlobTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  import_column_mappings: ImportColumnMappingTable;
  structure_revision: StructureRevisionTable;
  report_revisions: ReportRevisionTable;
  job_slots: JobSlotTable;
  jobs: JobTable;
  warning_rules: WarningRulesTable;
  item_lights: ItemLightTable;
  light_changes: LightChangeTable;
  reminders: ReminderTable;
  urges: UrgeTable;
  document_counters: DocumentCounterTable;
  notices: NoticeTable;
  notice_replies: NoticeReplyTable;
  closure_requests: ClosureRequestTable;
  bulletins: BulletinTable;
  notifications: NotificationTable;
  webhooks: WebhookTable;
  notification_preferences: NotificationPreferenceTable;
  deliveries: DeliveryTable;
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
  email: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** set when the office approved the lead unit's request to close the item (办结销号) */
  closed_at: ColumnType<string | null, string | null | undefined, string | null>;
  closed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ItemOrganisationTable {
  item_id: number;
  organisation_id: number;
  role: 'lead' | 'cooperating';
  position: number;
  /** assigned (待签收), acknowledged (已签收) or returned (已退回, with the reason) by the unit */
  state: ColumnType<string, string | undefined, string>;
  state_reason: string | null;
  state_at: string | null;
  state_by: string | null;
}

/** How a plan's periods of one kind fall due: a DueRule as JSON. */
export interface PlanScheduleTable {
  plan_id: number;
  kind: string;
  due_rule: string;
}

/** Exceptions to the Monday–Friday week: public holidays, and weekend days that are worked (调休). */
export interface CalendarDayTable {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface ExtensionRequestTable {
  id: Generated<number>;
  report_id: number;
  requested_due_on: string;
  reason: string;
  state: 'pending' | 'approved' | 'rejected';
  decision_comment: string | null;
  created_by: string;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: string | null;
}

/** A unit's own breakdown of an item into steps with milestones. */
export interface ItemStepTable {
  id: Generated<number>;
  item_id: number;
  organisation_id: number;
  position: number;
  title: string;
  due_on: string | null;
  done_on: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

/**
 * Evidence attached to a report. A file belongs to the versions from the revision it was added in until the one
 * it was removed in, so that every submitted version keeps the files it was submitted with.
 */
export interface AttachmentTable {
  id: Generated<number>;
  report_id: number;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  scan_state: string;
  added_revision: number;
  removed_revision: number | null;
  created_by: string;
  created_at: CreatedAt;
}

/** File contents by checksum: the same file attached twice is stored once. */
export interface AttachmentBlobTable {
  sha256: string;
  size: number;
  bytes: Uint8Array;
  created_at: string;
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
  /** 1 when a person set the due date; 0 when the plan's rule computes it */
  due_set_by_hand: ColumnType<number, number | undefined, number>;
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
  /** 进展情况 (the completion text of a year-end table) */
  text: string;
  problems: ColumnType<string, string | undefined, string>;
  next_steps: ColumnType<string, string | undefined, string>;
  /** ReportFigure[] as JSON */
  figures: ColumnType<string, string | undefined, string>;
  status: string | null;
  /** bumped by every change: a save based on an older revision is refused */
  revision: number;
  /** set when an extension was granted; otherwise the period's due date applies */
  due_on: string | null;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: string;
}

export interface ReportVersionTable {
  id: Generated<number>;
  report_id: number;
  revision: number;
  state: string;
  text: string;
  problems: ColumnType<string, string | undefined, string>;
  next_steps: ColumnType<string, string | undefined, string>;
  figures: ColumnType<string, string | undefined, string>;
  status: string | null;
  source: string;
  /** what made this version: import, submit, approve, reject, accept, return, withdraw */
  event: string | null;
  /** the reviewer's comment of a return or an acceptance */
  comment: string | null;
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

/** A person's reading of a table's columns, remembered for the next file with the same headings. */
export interface ImportColumnMappingTable {
  /** SHA-256 (hex) of the header signature: the headings without white space, joined by U+0000 */
  header_key: string;
  /** JSON text: the headings as written, by position */
  headings: string;
  /** JSON text: position → meaning (a ColumnMeaning) */
  columns: string;
  chosen_by: string;
  chosen_at: string;
}

/**
 * One row: the revision of every plan's structure, bumped by database triggers on each write to what a plan tree
 * or summary table shows, so that a cached structure is checked against it on every read.
 */
export interface StructureRevisionTable {
  id: number;
  revision: number;
}

/** One counter per period and unit, bumped by triggers on every write to the unit's reports of it (migration 0007). */
export interface ReportRevisionTable {
  period_id: number;
  organisation_id: number;
  revision: number;
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

/**
 * The ledger of periodic jobs (migration 0008): a run's row is inserted in the transaction of its effects, so each
 * (job, slot) is committed once across all servers.
 */
export interface JobSlotTable {
  job: string;
  slot: string;
  ran_at: string;
  ran_by: string;
  /** JSON: what the run did, as `luoshi jobs run` prints it */
  result: string;
}

/** The in-process runner's queue on SQLite; PostgreSQL uses pg-boss's own tables. */
export interface JobTable {
  id: Generated<number>;
  name: string;
  singleton_key: string | null;
  data: string;
  state: 'created' | 'active' | 'completed' | 'failed';
  start_after: string;
  attempts: ColumnType<number, number | undefined, number>;
  retry_limit: number;
  retry_delay_seconds: number;
  retry_backoff: number;
  expire_seconds: number;
  locked_until: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  completed_at: string | null;
}

/** The office's warning rules of a plan: only what it changed from the defaults, JSON. */
export interface WarningRulesTable {
  plan_id: number;
  rules: string;
  updated_by: string;
  updated_at: string;
}

/** Each item's current light in a period, as the lights job last found it. */
export interface ItemLightTable {
  period_id: number;
  item_id: number;
  light: string;
  reason: string;
  rule: string;
  since: string;
}

export interface LightChangeTable {
  id: Generated<number>;
  period_id: number;
  item_id: number;
  from_light: string | null;
  to_light: string;
  reason: string;
  rule: string;
  at: string;
}

/** An automatic reminder: one per item, unit, period, kind (before, due, after) and day. */
export interface ReminderTable {
  id: Generated<number>;
  item_id: number;
  organisation_id: number;
  period_id: number;
  kind: 'before' | 'due' | 'after';
  day: string;
  due_on: string;
  created_at: CreatedAt;
}

/** 催办: the office urging a unit on an item, with its message. */
export interface UrgeTable {
  id: Generated<number>;
  item_id: number;
  organisation_id: number;
  period_id: number | null;
  message: string;
  created_by: string;
  created_at: CreatedAt;
}

/** The last number given in a year to a series of documents (notices, bulletins). */
export interface DocumentCounterTable {
  series: 'notice' | 'bulletin';
  year: number;
  last: number;
}

/** A three-colour 督办单, numbered per year. */
export interface NoticeTable {
  id: Generated<number>;
  plan_id: number;
  year: number;
  number: number;
  colour: 'blue' | 'yellow' | 'red';
  item_id: number;
  organisation_id: number;
  period_id: number | null;
  reason: string;
  requirement: string;
  reply_due_on: string;
  state: 'open' | 'answered' | 'closed' | 'escalated';
  source: 'rule' | 'office';
  rule_key: string | null;
  escalated_from_id: number | null;
  created_by: string;
  created_at: CreatedAt;
  closed_by: string | null;
  closed_at: string | null;
  close_comment: string | null;
}

/** A unit's answer (反馈) to a notice. */
export interface NoticeReplyTable {
  id: Generated<number>;
  notice_id: number;
  text: string;
  created_by: string;
  created_at: CreatedAt;
}

/** 办结销号: the lead unit asks to close a finished item; the office approves or returns it. */
export interface ClosureRequestTable {
  id: Generated<number>;
  item_id: number;
  organisation_id: number;
  evidence: string;
  state: 'pending' | 'approved' | 'returned';
  created_by: string;
  created_at: CreatedAt;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

/** A periodic 通报: wording edited by the office; the tables frozen as JSON when issued. */
export interface BulletinTable {
  id: Generated<number>;
  plan_id: number;
  period_id: number;
  year: number;
  number: number | null;
  title: string;
  intro: string;
  closing: string;
  state: 'draft' | 'issued';
  content: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: string;
  issued_by: string | null;
  issued_at: string | null;
}

/** The in-app inbox: one row per person and cause (a reminder, an urge, a notice, a reply...). */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  body: string;
  item_id: number | null;
  organisation_id: number | null;
  notice_id: number | null;
  link: string | null;
  cause: string;
  created_at: CreatedAt;
  read_at: string | null;
}

export interface WebhookTable {
  id: Generated<number>;
  /** null: the office's own (every unit's events) */
  organisation_id: number | null;
  name: string;
  kind: 'generic' | 'dingtalk' | 'wecom';
  url: string;
  secret: string | null;
  /** JSON list of notification kinds; empty: every kind */
  events: string;
  active: number;
  created_by: string;
  created_at: CreatedAt;
}

/** Whether a person (`user:17`) or a unit (`organisation:5`) gets a kind of notification by e-mail or webhook. */
export interface NotificationPreferenceTable {
  subject: string;
  kind: string;
  email: number;
  webhook: number;
}

/** The outbox: one e-mail or webhook call, with its attempts; `dead` is the dead-letter list. */
export interface DeliveryTable {
  id: Generated<number>;
  notification_id: number | null;
  channel: 'email' | 'webhook';
  webhook_id: number | null;
  /** the e-mail address, or the webhook's URL as it was when the delivery was made */
  target: string;
  kind: string;
  subject: string;
  body: string;
  link: string | null;
  cause: string;
  state: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: CreatedAt;
}

export type Db = Kysely<Database>;
/** Repositories take either the database or a transaction; the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type OrganisationRow = Selectable<OrganisationTable>;
export type PlanRow = Selectable<PlanTable>;
export type ChapterRow = Selectable<ChapterTable>;
export type TaskRow = Selectable<TaskTable>;
/** An item as the plan writes it; its closure (办结销号) is read on its own where it matters. */
export type ItemRow = Omit<Selectable<ItemTable>, 'closed_at' | 'closed_by'>;
export type PeriodRow = Selectable<PeriodTable>;
export type ReportRow = Selectable<ReportTable>;
export type ReportVersionRow = Selectable<ReportVersionTable>;
export type ExtensionRequestRow = Selectable<ExtensionRequestTable>;
export type ItemStepRow = Selectable<ItemStepTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type ImportColumnMappingRow = Selectable<ImportColumnMappingTable>;
