import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { ApiToken, NewTokenResponse, UserAccount, UserWithPassword } from '../contract/users.js';
import {
  countUsers,
  findApiToken,
  findApiTokenByHash,
  findSessionWithUser,
  findUserById,
  findUserByUsername,
  insertApiToken,
  insertSession,
  insertUser,
  listApiTokens,
  listUsers,
  recordFailedAttempt,
  revokeSession,
  revokeSessionsOfUser,
  touchSession,
  updateApiToken,
  updateUser,
} from '../db/repositories/accounts.js';
import { appendAuditEvent } from '../db/repositories/audit.js';
import { findOrganisationById, insertOrganisation, listOrganisations } from '../db/repositories/organisations.js';
import type { ApiTokenRow, UserRow } from '../db/schema.js';
import { isPlainAddress } from '../delivery/smtp-url.js';
import { AppError, badInput, confirmationRequired, notFound } from '../domain/errors.js';
import { passwordProblems, type PasswordPolicy } from '../domain/passwords.js';
import { isRole, ROLE_LABELS, type Role } from '../domain/roles.js';
import { lookUpActors, type ActorNames } from './actors.js';
import type { Actor, ServiceContext } from './context.js';
import { notFoundOf } from './policy.js';

export interface AuthConfig {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  passwordPolicy: PasswordPolicy;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: number; username: string; role: Role; organisationId: number; mustChangePassword: boolean; sessionId: string }
  | { kind: 'token'; tokenId: number; organisationId: number; scope: 'read' | 'write' };

// Algorithm is a const enum, which isolated modules cannot read: 2 is its Argon2id member
const argon2Options = { algorithm: 2 as Algorithm.Argon2id };
/** Verified when the user name is unknown, so that a miss takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const TOKEN_PREFIX = 'lst_';
export const SESSION_COOKIE = 'luoshi_session';

/** The actor id the audit trail records for a principal: user:N, token:N, or anonymous. */
export function actorOfPrincipal(principal: Principal, source: string): Actor {
  if (principal.kind === 'user') return { id: `user:${principal.userId}`, source };
  if (principal.kind === 'token') return { id: `token:${principal.tokenId}`, source };
  return { id: 'anonymous', source };
}

/** User names compare without case and surrounding spaces. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** A random password that satisfies any policy up to four classes: printed once, changed at first sign-in. */
export function generatePassword(length = 16): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@^_'];
  const all = classes.join('');
  const chars = classes.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

async function userView(ctx: ServiceContext, user: UserRow): Promise<UserAccount> {
  const organisation = await findOrganisationById(ctx.db, user.organisation_id);
  const role = user.role as Role;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role,
    roleLabel: ROLE_LABELS[role],
    organisation: { id: user.organisation_id, name: organisation?.name ?? '' },
    mustChangePassword: user.must_change_password === 1,
    active: user.active === 1,
    lockedUntil: user.locked_until,
    lastLoginAt: user.last_login_at,
    email: user.email ?? null,
  };
}

function checkPassword(password: string, policy: PasswordPolicy, username: string): void {
  const problems = passwordProblems(password, policy, { username });
  if (problems.length > 0) throw badInput('weak_password', `密码不符合要求：${problems.join('；')}。`);
}

export interface NewUser {
  username: string;
  displayName?: string;
  organisationId: number;
  role: string;
  /** omitted: a random one is generated and returned */
  password?: string;
  mustChangePassword?: boolean;
  /** where notification e-mails go; none: the inbox only */
  email?: string | null;
}

/** An e-mail address as stored: trimmed, one plain address, or null for none. */
function emailOf(email: string | null | undefined): string | null {
  const value = email?.trim() ?? '';
  if (value === '') return null;
  if (!isPlainAddress(value)) throw badInput('bad_request', `“${value.slice(0, 100)}”不是有效的电子邮件地址。`);
  return value.toLowerCase();
}

/** Creates an account (a generated password unless one is given, to be changed at first sign-in by default). */
export async function createUser(ctx: ServiceContext, actor: Actor, auth: AuthConfig, input: NewUser): Promise<UserWithPassword> {
  const username = normaliseUsername(input.username);
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/.test(username)) {
    throw badInput('invalid_username', '用户名须为 2–64 位小写字母、数字或 . _ @ -，以字母或数字开头。');
  }
  if (!isRole(input.role))
    throw badInput(
      'invalid_role',
      `角色“${input.role}”不存在，可选：${Object.entries(ROLE_LABELS)
        .map(([key, label]) => `${key}（${label}）`)
        .join('、')}。`,
    );
  const organisation = await findOrganisationById(ctx.db, input.organisationId);
  if (!organisation) throw notFoundOf('organisation');
  const email = emailOf(input.email);
  const password = input.password ?? generatePassword();
  checkPassword(password, auth.passwordPolicy, username);
  const passwordHash = await hash(password, argon2Options);
  const at = ctx.now().toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) throw new AppError(409, 'username_taken', `用户名“${username}”已被使用。`);
    const userId = await insertUser(trx, {
      organisationId: organisation.id,
      username,
      displayName: input.displayName?.trim() || username,
      role: input.role,
      passwordHash,
      mustChangePassword: input.mustChangePassword ?? true,
      email,
      at,
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: organisation.id,
        source: actor.source,
        action: 'user.create',
        objectType: 'user',
        objectId: userId,
        after: { username, role: input.role, organisationId: organisation.id, mustChangePassword: input.mustChangePassword ?? true },
      },
      at,
    );
    return userId;
  });
  return { user: await userView(ctx, (await findUserById(ctx.db, id))!), password };
}

/** On a database without any account: the first system administrator, with a random password shown once. */
export async function ensureFirstAdmin(ctx: ServiceContext, auth: AuthConfig): Promise<{ username: string; password: string } | undefined> {
  if ((await countUsers(ctx.db)) > 0) return undefined;
  const officeName = '市政府办公室';
  const office =
    (await listOrganisations(ctx.db)).find((row) => row.name === officeName)?.id ??
    (await insertOrganisation(ctx.db, { name: officeName, kind: 'city_government', createdAt: ctx.now().toISOString() }));
  const { password } = await createUser(ctx, { id: 'system', source: 'system' }, auth, {
    username: 'admin',
    displayName: '系统管理员',
    organisationId: office,
    role: 'admin',
    mustChangePassword: true,
  });
  return { username: 'admin', password };
}

export interface SignInRequest {
  username: string;
  password: string;
  ip: string;
  userAgent: string;
}

export interface SignedIn {
  user: UserAccount;
  /** the cookie value; only its hash is stored */
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

/**
 * The one answer to every failed sign-in. Whether the name exists, the account is disabled or locked, or only the
 * password is wrong must not be told apart from outside, or the sign-in form becomes a way to list accounts: so
 * no remaining attempts and no "locked" answer (a lock message only for real accounts would reveal them just the
 * same). The lock is still mentioned to everyone alike, so a locked-out person knows to ask the administrator,
 * who sees the account as locked on the users page; the audit trail keeps the real reason.
 */
export const SIGN_IN_FAILED = '用户名或密码不正确。连续输错多次后账户会被暂时锁定，如仍无法登录，请联系管理员。';

/**
 * Checks a user name and password. Five failures in a row lock the account for fifteen minutes (configurable).
 * Every failure costs one argon2 verification, against a dummy hash when there is no usable account, and gets
 * SIGN_IN_FAILED.
 */
export async function signIn(ctx: ServiceContext, auth: AuthConfig, request: SignInRequest): Promise<SignedIn> {
  const username = normaliseUsername(request.username);
  const now = ctx.now();
  const at = now.toISOString();
  const source = `web:${request.ip}`;
  const user = await findUserByUsername(ctx.db, username);
  const audit = (action: string, extra: Record<string, unknown> = {}) =>
    appendAuditEvent(
      ctx.db,
      {
        actor: user ? `user:${user.id}` : 'anonymous',
        organisationId: user?.organisation_id ?? null,
        source,
        action,
        objectType: 'user',
        objectId: user?.id ?? username,
        after: { username, ...extra },
      },
      at,
    );
  const failed = () => new AppError(401, 'invalid_credentials', SIGN_IN_FAILED);

  if (!user || user.active !== 1) {
    dummyHash ??= hash('not-a-real-password', argon2Options);
    await verify(await dummyHash, request.password);
    await audit('auth.login_failed', { reason: user ? 'inactive' : 'unknown_user' });
    throw failed();
  }
  // verified even when locked, so that a locked account answers as slowly as any other; a right password does not
  // open it early, or guessing could go on through the lock
  const passwordRight = await verify(user.password_hash, request.password);
  if (user.locked_until && user.locked_until > at) {
    await audit('auth.login_refused_locked', { minutesLeft: minutesUntil(user.locked_until, now) });
    throw failed();
  }
  if (!passwordRight) {
    const attempts = await recordFailedAttempt(ctx.db, user.id, at);
    if (attempts >= auth.lockoutAttempts) {
      const lockedUntil = new Date(now.getTime() + auth.lockoutMinutes * 60_000).toISOString();
      await updateUser(ctx.db, user.id, { locked_until: lockedUntil, failed_attempts: 0, updated_at: at });
      await audit('auth.locked', { attempts, lockedUntil });
      throw failed();
    }
    await audit('auth.login_failed', { reason: 'wrong_password', attempts });
    throw failed();
  }
  await updateUser(ctx.db, user.id, { failed_attempts: 0, locked_until: null, last_login_at: at, updated_at: at });
  const session = await startSession(ctx, auth, user.id, request);
  await audit('auth.login');
  return { user: await userView(ctx, (await findUserById(ctx.db, user.id))!), ...session };
}

function minutesUntil(iso: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 60_000));
}

async function startSession(ctx: ServiceContext, auth: AuthConfig, userId: number, request: { ip: string; userAgent: string }) {
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + auth.sessionMaxHours * 3_600_000).toISOString();
  await insertSession(ctx.db, {
    id: sha256(sessionToken),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt,
    ip: request.ip.slice(0, 64),
    user_agent: request.userAgent.slice(0, 300),
    revoked_at: null,
  });
  return { sessionToken, csrfToken, expiresAt };
}

export interface ResolvedSession {
  principal: Extract<Principal, { kind: 'user' }>;
  csrfToken: string;
  user: UserRow;
}

/** A live session for the cookie value: not revoked, within its absolute lifetime and not idle for too long. */
export async function resolveSession(ctx: ServiceContext, auth: AuthConfig, sessionToken: string): Promise<ResolvedSession | undefined> {
  const id = sha256(sessionToken);
  const found = await findSessionWithUser(ctx.db, id);
  if (!found || found.session.revoked_at) return undefined;
  const { session, user } = found;
  const now = ctx.now();
  const at = now.toISOString();
  const idleLimit = new Date(Date.parse(session.last_seen_at) + auth.sessionIdleMinutes * 60_000).toISOString();
  if (session.expires_at <= at || idleLimit <= at) {
    await revokeSession(ctx.db, id, at);
    return undefined;
  }
  if (user.active !== 1) return undefined;
  // one write a minute at most: reads stay cheap while the idle clock stays accurate enough
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) await touchSession(ctx.db, id, at);
  return {
    principal: {
      kind: 'user',
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      organisationId: user.organisation_id,
      mustChangePassword: user.must_change_password === 1,
      sessionId: id,
    },
    csrfToken: session.csrf_token,
    user,
  };
}

/** Whether the request's CSRF token is the session's, compared in constant time. */
export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signed-in user as the web shows them; 401 when the account is gone. */
export async function currentUser(ctx: ServiceContext, userId: number): Promise<UserAccount> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError(401, 'unauthenticated', '请先登录。');
  return userView(ctx, user);
}

/** Ends a person's session and records it; tokens and anonymous principals have none to end. */
export async function signOut(ctx: ServiceContext, principal: Principal, source: string): Promise<void> {
  if (principal.kind !== 'user') return;
  const at = ctx.now().toISOString();
  await revokeSession(ctx.db, principal.sessionId, at);
  await appendAuditEvent(
    ctx.db,
    {
      actor: `user:${principal.userId}`,
      organisationId: principal.organisationId,
      source,
      action: 'auth.logout',
      objectType: 'user',
      objectId: principal.userId,
    },
    at,
  );
}

/** Changes one's own password; every other session of the user ends and a new one starts. */
export async function changePassword(
  ctx: ServiceContext,
  auth: AuthConfig,
  principal: Extract<Principal, { kind: 'user' }>,
  request: { currentPassword: string; newPassword: string; ip: string; userAgent: string },
): Promise<SignedIn> {
  const user = (await findUserById(ctx.db, principal.userId))!;
  if (!(await verify(user.password_hash, request.currentPassword))) throw badInput('wrong_password', '当前密码不正确。');
  if (request.newPassword === request.currentPassword) throw badInput('password_reused', '新密码不能与当前密码相同。');
  checkPassword(request.newPassword, auth.passwordPolicy, user.username);
  const passwordHash = await hash(request.newPassword, argon2Options);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash, must_change_password: 0, password_changed_at: at, updated_at: at });
    await revokeSessionsOfUser(trx, user.id, at);
    await appendAuditEvent(
      trx,
      {
        actor: `user:${user.id}`,
        organisationId: user.organisation_id,
        source: `web:${request.ip}`,
        action: 'user.change_password',
        objectType: 'user',
        objectId: user.id,
      },
      at,
    );
  });
  const session = await startSession(ctx, auth, user.id, request);
  return { user: await userView(ctx, (await findUserById(ctx.db, user.id))!), ...session };
}

/** An administrator's reset: a new random password the user must change, the account unlocked, sessions ended. */
export async function resetPassword(ctx: ServiceContext, actor: Actor, auth: AuthConfig, username: string): Promise<UserWithPassword> {
  const user = await findUserByUsername(ctx.db, normaliseUsername(username));
  if (!user) throw notFound('user_not_found', `找不到用户“${username}”。`);
  const password = generatePassword();
  checkPassword(password, auth.passwordPolicy, user.username);
  const passwordHash = await hash(password, argon2Options);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      must_change_password: 1,
      failed_attempts: 0,
      locked_until: null,
      password_changed_at: at,
      updated_at: at,
    });
    await revokeSessionsOfUser(trx, user.id, at);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: user.organisation_id,
        source: actor.source,
        action: 'user.reset_password',
        objectType: 'user',
        objectId: user.id,
      },
      at,
    );
  });
  return { user: await userView(ctx, (await findUserById(ctx.db, user.id))!), password };
}

/** An administrator's change of a user's role, display name or active state, audited with before and after. */
export async function updateUserAccount(
  ctx: ServiceContext,
  actor: Actor,
  userId: number,
  /** `confirmed`: disabling an account takes an explicit yes, never a stray `active: false` alone */
  changes: { role?: string; displayName?: string; active?: boolean; email?: string | null; confirmed?: boolean },
): Promise<UserAccount> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFoundOf('user');
  if (changes.role !== undefined && !isRole(changes.role)) throw badInput('invalid_role', `角色“${changes.role}”不存在。`);
  if (actor.id === `user:${userId}` && (changes.active === false || (changes.role !== undefined && changes.role !== user.role))) {
    throw new AppError(409, 'cannot_change_self', '不能停用自己的账户或修改自己的角色，请由另一位管理员操作。');
  }
  const before = { role: user.role, displayName: user.display_name, active: user.active === 1, email: user.email ?? null };
  const after = {
    role: changes.role ?? user.role,
    displayName: changes.displayName?.trim() || user.display_name,
    active: changes.active ?? user.active === 1,
    email: changes.email === undefined ? (user.email ?? null) : emailOf(changes.email),
  };
  if (JSON.stringify(before) === JSON.stringify(after)) return userView(ctx, user);
  if (before.active && !after.active && changes.confirmed !== true) throw confirmationRequired(`停用用户“${user.username}”`);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, {
      role: after.role,
      display_name: after.displayName,
      active: after.active ? 1 : 0,
      email: after.email,
      updated_at: at,
    });
    // a deactivated account or a changed role must not keep its open sessions
    if (!after.active || after.role !== before.role) await revokeSessionsOfUser(trx, userId, at);
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: user.organisation_id,
        source: actor.source,
        action: 'user.update',
        objectType: 'user',
        objectId: userId,
        // the address only when it changed: most changes are of a role or a name
        ...(before.email === after.email
          ? { before: { ...before, email: undefined }, after: { ...after, email: undefined } }
          : { before, after }),
      },
      at,
    );
  });
  return userView(ctx, (await findUserById(ctx.db, userId))!);
}

/** Resets a user's password by account id, as resetPassword does by user name. */
export async function resetPasswordById(ctx: ServiceContext, actor: Actor, auth: AuthConfig, userId: number): Promise<UserWithPassword> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw notFoundOf('user');
  return resetPassword(ctx, actor, auth, user.username);
}

/** Every account, by unit and user name. */
export async function listUserViews(ctx: ServiceContext): Promise<UserAccount[]> {
  return Promise.all((await listUsers(ctx.db)).map((user) => userView(ctx, user)));
}

const tokenView = (row: ApiTokenRow, creators: ActorNames): ApiToken => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  organisationId: row.organisation_id,
  scope: row.scope,
  createdBy: row.created_by === 'cli' ? creators.short(row.created_by) : creators.full(row.created_by),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

async function tokenViews(ctx: ServiceContext, rows: ApiTokenRow[]): Promise<ApiToken[]> {
  const creators = await lookUpActors(
    ctx.db,
    rows.map((row) => row.created_by),
  );
  return rows.map((row) => tokenView(row, creators));
}

/** A token for an integration, scoped to one organisation and to reading or writing; shown once, stored hashed. */
export async function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; organisationId: number; scope: string },
): Promise<NewTokenResponse> {
  if (input.scope !== 'read' && input.scope !== 'write') throw badInput('invalid_scope', '令牌范围须为 read（只读）或 write（读写）。');
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw badInput('invalid_token_name', '令牌名称须为 1–100 个字符。');
  const organisation = await findOrganisationById(ctx.db, input.organisationId);
  if (!organisation) throw notFoundOf('organisation');
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const at = ctx.now().toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const tokenId = await insertApiToken(trx, {
      name,
      token_hash: sha256(token),
      prefix: token.slice(0, 10),
      organisation_id: organisation.id,
      scope: input.scope as 'read' | 'write',
      created_by: actor.id,
      created_at: at,
    });
    await appendAuditEvent(
      trx,
      {
        actor: actor.id,
        organisationId: organisation.id,
        source: actor.source,
        action: 'token.create',
        objectType: 'api_token',
        objectId: tokenId,
        after: { name, scope: input.scope },
      },
      at,
    );
    return tokenId;
  });
  return { token, view: (await tokenViews(ctx, [(await findApiToken(ctx.db, id))!]))[0]! };
}

/** Revokes a token for good (once: revoking a revoked token changes and records nothing). */
export async function revokeApiToken(ctx: ServiceContext, actor: Actor, id: number): Promise<ApiToken> {
  const token = await findApiToken(ctx.db, id);
  if (!token) throw notFoundOf('token');
  if (!token.revoked_at) {
    const at = ctx.now().toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      await updateApiToken(trx, id, { revoked_at: at });
      await appendAuditEvent(
        trx,
        {
          actor: actor.id,
          organisationId: token.organisation_id,
          source: actor.source,
          action: 'token.revoke',
          objectType: 'api_token',
          objectId: id,
        },
        at,
      );
    });
  }
  return (await tokenViews(ctx, [(await findApiToken(ctx.db, id))!]))[0]!;
}

/** Every integration token, revoked ones included, without their secrets. */
export async function listApiTokenViews(ctx: ServiceContext): Promise<ApiToken[]> {
  return tokenViews(ctx, await listApiTokens(ctx.db));
}

/** The principal of a bearer token, recording its last use at most once a minute. */
export async function resolveApiToken(ctx: ServiceContext, token: string): Promise<Extract<Principal, { kind: 'token' }> | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await findApiTokenByHash(ctx.db, sha256(token));
  if (!row || row.revoked_at) return undefined;
  const now = ctx.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await updateApiToken(ctx.db, row.id, { last_used_at: now.toISOString() });
  }
  return { kind: 'token', tokenId: row.id, organisationId: row.organisation_id, scope: row.scope };
}
