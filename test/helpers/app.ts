import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { authConfig, loadConfig, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/schema.js';
import { listOrganisations } from '../../src/db/repositories/organisations.js';
import type { Role } from '../../src/domain/roles.js';
import { contextFor } from '../../src/runtime.js';
import { buildApp } from '../../src/server/app.js';
import { createUser } from '../../src/services/accounts.js';

export const TEST_CONFIG: Config = {
  ...loadConfig({}),
  logLevel: 'silent',
  maxUploadBytes: 1024 * 1024,
  requestTimeoutMs: 30_000,
  rateLimitPerMinute: 1_000_000,
  loginRateLimitPerMinute: 1_000_000,
};

/** An app on the given database, quiet, with a fixed clock; the web root may point at a fixture directory. */
export async function buildTestApp(
  db: Db,
  options: { webRoot?: string; config?: Partial<Config>; now?: () => Date } = {},
): Promise<FastifyInstance> {
  const config = { ...TEST_CONFIG, ...options.config };
  // the services as the runtime wires them for the server, with a fixed clock
  const ctx = contextFor(db, config, { now: options.now ?? (() => new Date('2022-12-31T04:00:00Z')) });
  const app = await buildApp({ db, config, ctx, webRoot: options.webRoot ?? '/nonexistent-web-root' });
  await app.ready();
  return app;
}

export const TEST_PASSWORD = 'Test-Passw0rd!';
let counter = 0;

export interface Session {
  cookie: string;
  csrfToken: string;
  username: string;
  /** app.inject with the session cookie and, for writes, the CSRF header */
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * A new user of the given role (in the named organisation, created if missing), signed in through the login
 * route as a browser would.
 */
export async function signInAs(
  app: FastifyInstance,
  db: Db,
  role: Role,
  organisationName = role === 'unit_leader' || role === 'unit_reporter' ? '市生态环境局' : '市政府办公室',
  options: { mustChangePassword?: boolean } = {},
): Promise<Session> {
  const ctx = contextFor(db, TEST_CONFIG);
  let organisation = (await listOrganisations(db)).find((row) => row.name === organisationName);
  if (!organisation) {
    await db
      .insertInto('organisations')
      .values({ name: organisationName, kind: 'city_department', parent_id: null, active: 1, created_at: new Date().toISOString() })
      .execute();
    organisation = (await listOrganisations(db)).find((row) => row.name === organisationName)!;
  }
  const username = `${role.replace('_', '')}${++counter}${Math.random().toString(36).slice(2, 6)}`;
  await createUser(ctx, { id: 'test', source: 'test' }, authConfig(TEST_CONFIG), {
    username,
    organisationId: organisation.id,
    role,
    password: TEST_PASSWORD,
    mustChangePassword: options.mustChangePassword ?? false,
  });
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'luoshi_session')!;
  const csrfToken = response.json().csrfToken as string;
  const header = `luoshi_session=${cookie.value}`;
  return {
    cookie: header,
    csrfToken,
    username,
    inject: (inject) => {
      const method = (inject.method ?? 'GET').toUpperCase();
      const headers = { ...(inject.headers ?? {}), cookie: header, ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }) };
      return app.inject({ ...inject, headers });
    },
  };
}

export interface AuditedWrite<T = any> {
  response: T;
  /** the audit entries the write added, before and after parsed */
  entries: {
    action: string;
    object_type: string;
    object_id: string;
    actor: string;
    organisation_id: number | null;
    before: any;
    after: any;
  }[];
}

/** Runs a write, checks its status, and returns its answer with the audit entries it added. */
export async function auditedWrite(db: Db, write: () => Promise<LightMyRequestResponse>, status = 200): Promise<AuditedWrite> {
  const last = Number(
    (
      await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirstOrThrow()
    ).max ?? 0,
  );
  const response = await write();
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  const entries = await db.selectFrom('audit_events').selectAll().where('id', '>', last).orderBy('id').execute();
  return {
    response: response.body === '' ? undefined : JSON.parse(response.body),
    entries: entries.map((entry) => ({
      ...entry,
      before: entry.before && JSON.parse(entry.before),
      after: entry.after && JSON.parse(entry.after),
    })),
  };
}
