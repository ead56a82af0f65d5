import { preparedQuery } from '../prepared.js';
import type { ApiTokenRow, Executor, SessionRow, UserRow } from '../schema.js';
import { inChunks } from './chunks.js';

/** How many accounts there are, active or not. */
export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account with this (normalised) user name. */
export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The account with this id. */
export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every account, by unit and user name. */
export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('organisation_id').orderBy('username').execute();
}

/** Adds an account; returns its id. */
export async function insertUser(
  db: Executor,
  values: {
    organisationId: number;
    username: string;
    displayName: string;
    role: string;
    passwordHash: string;
    mustChangePassword: boolean;
    email?: string | null;
    at: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      organisation_id: values.organisationId,
      username: values.username,
      display_name: values.displayName,
      role: values.role,
      password_hash: values.passwordHash,
      must_change_password: values.mustChangePassword ? 1 : 0,
      failed_attempts: 0,
      locked_until: null,
      active: 1,
      password_changed_at: values.at,
      last_login_at: null,
      email: values.email ?? null,
      created_at: values.at,
      updated_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes an account's columns given. */
export async function updateUser(
  db: Executor,
  id: number,
  values: Partial<
    Pick<
      UserRow,
      | 'role'
      | 'email'
      | 'display_name'
      | 'password_hash'
      | 'must_change_password'
      | 'failed_attempts'
      | 'locked_until'
      | 'active'
      | 'password_changed_at'
      | 'last_login_at'
      | 'updated_at'
    >
  >,
): Promise<void> {
  await db.updateTable('users').set(values).where('id', '=', id).execute();
}

/** Counts a failed sign-in in one statement, so concurrent attempts cannot lose a count. */
export async function recordFailedAttempt(db: Executor, id: number, at: string): Promise<number> {
  await db
    .updateTable('users')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .execute();
  const row = await db.selectFrom('users').select('failed_attempts').where('id', '=', id).executeTakeFirstOrThrow();
  return row.failed_attempts;
}

/** Records a new session. */
export async function insertSession(db: Executor, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/**
 * The session with this id and its user, in one statement: every signed-in request asks this first, so it is one
 * round trip rather than two.
 */
const sessionWithUser = preparedQuery((db, v: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.user_id as session_user_id',
      'sessions.csrf_token as session_csrf_token',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.expires_at as session_expires_at',
      'sessions.ip as session_ip',
      'sessions.user_agent as session_user_agent',
      'sessions.revoked_at as session_revoked_at',
    ])
    .where('sessions.id', '=', v.id),
);

export async function findSessionWithUser(db: Executor, id: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = (await sessionWithUser(db, { id })).rows[0];
  if (!row) return undefined;
  const {
    session_id,
    session_user_id,
    session_csrf_token,
    session_created_at,
    session_last_seen_at,
    session_expires_at,
    session_ip,
    session_user_agent,
    session_revoked_at,
    ...user
  } = row;
  return {
    session: {
      id: session_id,
      user_id: session_user_id,
      csrf_token: session_csrf_token,
      created_at: session_created_at,
      last_seen_at: session_last_seen_at,
      expires_at: session_expires_at,
      ip: session_ip,
      user_agent: session_user_agent,
      revoked_at: session_revoked_at,
    },
    user,
  };
}

/** Records that a session was just used. */
export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Ends a session unless it has already ended. */
export async function revokeSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Ends every open session of a user, but for the one given as kept. */
export async function revokeSessionsOfUser(db: Executor, userId: number, at: string, except?: string): Promise<void> {
  let query = db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (except) query = query.where('id', '!=', except);
  await query.execute();
}

/** Adds an integration token (its hash, never its secret); returns its id. */
export async function insertApiToken(db: Executor, values: Omit<ApiTokenRow, 'id' | 'last_used_at' | 'revoked_at'>): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({ ...values, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The token whose secret has this SHA-256. */
export async function findApiTokenByHash(db: Executor, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** The token with this id. */
export async function findApiToken(db: Executor, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every token, revoked ones included, oldest first. */
export async function listApiTokens(db: Executor): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('id').execute();
}

/** Records a token's last use or its revocation. */
export async function updateApiToken(
  db: Executor,
  id: number,
  values: Partial<Pick<ApiTokenRow, 'last_used_at' | 'revoked_at'>>,
): Promise<void> {
  await db.updateTable('api_tokens').set(values).where('id', '=', id).execute();
}

/** The names of the users with these ids, however many: for naming the actors of the audit trail and of reports. */
export async function findUserNames(
  db: Executor,
  ids: Iterable<number>,
): Promise<{ id: number; username: string; display_name: string }[]> {
  return inChunks(ids, (chunk) => db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', chunk).execute());
}

/** The names of the API tokens with these ids, however many, revoked ones included: the trail still names them. */
export async function findApiTokenNames(db: Executor, ids: Iterable<number>): Promise<{ id: number; name: string }[]> {
  return inChunks(ids, (chunk) => db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', chunk).execute());
}
