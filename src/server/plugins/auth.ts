import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../domain/errors.js';
import {
  actorOfPrincipal,
  csrfMatches,
  resolveApiToken,
  resolveSession,
  SESSION_COOKIE,
  type AuthConfig,
  type Principal,
} from '../../services/accounts.js';
import { authorise, readScopeOf, type ReadScope, type RoutePolicy } from '../../services/policy.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** every API route declares who may call it; the app refuses to start otherwise */
    policy?: RoutePolicy;
    /** answered even while the user must still change an initial password */
    allowPendingPasswordChange?: boolean;
    /**
     * signing in: answered whoever the cookie says is signed in, without the CSRF check a session's writes need,
     * since a second sign-in (another tab, another person at the desk) must not fail on the first one's cookie
     */
    startsSession?: boolean;
  }
  interface FastifyRequest {
    principal: Principal;
    /** what the principal may read: the whole city or its own organisation */
    scope: ReadScope;
    /** the CSRF token of the cookie session, for /api/auth/me */
    csrfToken: string | undefined;
  }
}

export interface AuthPluginOptions {
  auth: AuthConfig;
  cookieSecure: 'auto' | 'always' | 'never';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes outside the API (the web app's files) are public; every API route must say who may call it. */
function isApiRoute(url: string): boolean {
  return url.startsWith('/api/') || url === '/healthz';
}

export function sessionCookieOptions(request: FastifyRequest, cookieSecure: AuthPluginOptions['cookieSecure'], expires?: Date) {
  const secure = cookieSecure === 'always' || (cookieSecure === 'auto' && request.protocol === 'https');
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, ...(expires ? { expires } : {}) };
}

/**
 * Authentication and authorisation for every request, in one place: the session cookie or a bearer token gives the
 * principal; a cookie-authenticated write must carry the session's CSRF token; the route's declared policy decides.
 */
export const authPlugin = fp<AuthPluginOptions>(async (app: FastifyInstance, options) => {
  await app.register(fastifyCookie);
  app.decorateRequest('principal', null as never);
  app.decorateRequest('scope', null);
  app.decorateRequest('csrfToken', undefined);

  app.addHook('onRoute', (route) => {
    if (!isApiRoute(route.url)) return;
    if (route.config?.policy === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no policy: every API route must say who may call it`);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const policy: RoutePolicy = request.routeOptions.config?.policy ?? 'public';
    const principal: Principal = request.routeOptions.config?.startsSession
      ? { kind: 'anonymous' }
      : await authenticate(request, reply, options);
    request.principal = principal;
    request.scope = readScopeOf(principal);
    request.actor = actorOfPrincipal(principal, `web:${request.ip}`);
    if (policy === 'public') return;
    authorise(principal, policy);
    if (principal.kind === 'user' && principal.mustChangePassword && !request.routeOptions.config?.allowPendingPasswordChange) {
      throw new AppError(403, 'password_change_required', '首次登录或密码被重置后，须先修改密码。');
    }
    if (principal.kind === 'token' && principal.scope === 'read' && !SAFE_METHODS.has(request.method)) {
      throw new AppError(403, 'token_read_only', '此令牌只有读取权限。');
    }
  });
});

async function authenticate(request: FastifyRequest, reply: FastifyReply, options: AuthPluginOptions): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const principal = match ? await resolveApiToken(request.ctx, match[1]!) : undefined;
    if (!principal) throw new AppError(401, 'invalid_token', '访问令牌无效或已被撤销。');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return { kind: 'anonymous' };
  const session = await resolveSession(request.ctx, options.auth, cookie);
  if (!session) {
    // an expired or revoked session: forget the cookie so the browser stops sending it
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, options.cookieSecure));
    return { kind: 'anonymous' };
  }
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(session.csrfToken, request.headers['x-csrf-token'] as string | undefined)) {
    throw new AppError(403, 'csrf_failed', '请求缺少有效的防跨站令牌（CSRF），请刷新页面后重试。');
  }
  request.csrfToken = session.csrfToken;
  return session.principal;
}
