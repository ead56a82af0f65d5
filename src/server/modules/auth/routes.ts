import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LoginBody, PasswordBody, SessionResponse } from '../../../contract/auth.js';
import { ErrorResponse } from '../../../contract/errors.js';
import { AppError } from '../../../domain/errors.js';
import {
  changePassword,
  currentUser,
  resolveSession,
  SESSION_COOKIE,
  signIn,
  signOut,
  type AuthConfig,
} from '../../../services/accounts.js';
import { sessionCookieOptions } from '../../plugins/auth.js';
import { bodyErrors } from '../../schemas.js';
import { presentSession } from './presenter.js';

export interface AuthRouteOptions {
  auth: AuthConfig;
  cookieSecure: 'auto' | 'always' | 'never';
  loginRateLimitPerMinute: number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse, 500: ErrorResponse, ...bodyErrors };

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, options) => {
  app.post(
    '/api/auth/login',
    {
      config: { policy: 'public', startsSession: true, rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: '登录：用户名和密码，成功后设置会话 Cookie',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: SessionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await signIn(request.ctx, options.auth, {
        username: request.body.username,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      // the session this browser had until now ends: one browser, one signed-in person
      const previous = request.cookies[SESSION_COOKIE];
      const replaced = previous ? await resolveSession(request.ctx, options.auth, previous) : undefined;
      if (replaced) await signOut(request.ctx, replaced.principal, `web:${request.ip}`);
      reply.setCookie(
        SESSION_COOKIE,
        signedIn.sessionToken,
        sessionCookieOptions(request, options.cookieSecure, new Date(signedIn.expiresAt)),
      );
      return presentSession(signedIn.user, signedIn.csrfToken);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { policy: 'authenticated', allowPendingPasswordChange: true },
      schema: { summary: '退出登录', tags: ['auth'], response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await signOut(request.ctx, request.principal, request.actor.source);
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, options.cookieSecure));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { policy: 'authenticated', allowPendingPasswordChange: true },
      schema: { summary: '当前登录的用户', tags: ['auth'], response: { 200: SessionResponse, ...errors } },
    },
    async (request) => {
      if (request.principal.kind !== 'user') throw new AppError(403, 'not_a_user', '访问令牌不代表某个用户。');
      return presentSession(await currentUser(request.ctx, request.principal.userId), request.csrfToken ?? '');
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { policy: 'authenticated', allowPendingPasswordChange: true },
      schema: {
        summary: '修改自己的密码；其他会话随之结束',
        tags: ['auth'],
        body: PasswordBody,
        response: { 200: SessionResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (request.principal.kind !== 'user') throw new AppError(403, 'not_a_user', '访问令牌不能修改密码。');
      const signedIn = await changePassword(request.ctx, options.auth, request.principal, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      // the session this browser had until now ends: one browser, one signed-in person
      const previous = request.cookies[SESSION_COOKIE];
      const replaced = previous ? await resolveSession(request.ctx, options.auth, previous) : undefined;
      if (replaced) await signOut(request.ctx, replaced.principal, `web:${request.ip}`);
      reply.setCookie(
        SESSION_COOKIE,
        signedIn.sessionToken,
        sessionCookieOptions(request, options.cookieSecure, new Date(signedIn.expiresAt)),
      );
      return presentSession(signedIn.user, signedIn.csrfToken);
    },
  );
};
