import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { authConfig, type Config } from '../config.js';
import type { Db } from '../db/schema.js';
import { pingDatabase } from '../db/repositories/health.js';
import { contextFor } from '../runtime.js';
import type { Actor, ServiceContext } from '../services/context.js';
import { citySummaryRoutes } from './modules/plans/summary.js';
import { reportRoutes } from './modules/reports/routes.js';
import { scheduleRoutes } from './modules/schedule/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { importRoutes } from './modules/imports/routes.js';
import { itemRoutes } from './modules/items/routes.js';
import { organisationRoutes } from './modules/organisations/routes.js';
import { planRoutes } from './modules/plans/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { supervisionRoutes } from './modules/supervision/routes.js';
import { authPlugin } from './plugins/auth.js';
import { registerErrorHandler } from './plugins/errors.js';
import { registerValidation } from './plugins/validation.js';
import { ErrorResponse } from '../contract/errors.js';
import { serializerCompiledOnFirstUse } from './serializers.js';
import { registerAnswerCache } from './answers.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: ServiceContext;
    actor: Actor;
  }
}

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface AppOptions {
  db: Db;
  config: Config;
  now?: () => Date;
  /** where the built web app is; tests may point elsewhere */
  webRoot?: string;
  /** the services to use, from the runtime; by default made from db and config */
  ctx?: ServiceContext;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.config.logLevel === 'silent' ? false : { level: options.config.logLevel },
    requestTimeout: options.config.requestTimeoutMs,
    connectionTimeout: options.config.requestTimeoutMs,
    bodyLimit: 1024 * 1024,
    // our ids are small integers; longer paths or query strings are rejected before routing
    routerOptions: { maxParamLength: 200 },
    schemaController: { compilersFactory: serializerCompiledOnFirstUse() },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx = options.ctx ?? contextFor(options.db, options.config, { now: options.now });
  app.decorateRequest('ctx', null as unknown as ServiceContext);
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    request.ctx = ctx;
  });
  registerErrorHandler(app);
  registerValidation(app);
  registerAnswerCache(app);

  await app.register(fastifyHelmet, {
    // HSTS belongs to the TLS-terminating proxy; on plain HTTP it would only confuse browsers
    hsts: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its component styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyRateLimit, {
    max: options.config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: { code: 'rate_limited', message: `请求过于频繁，请在 ${Math.ceil(context.ttl / 1000)} 秒后再试。` },
    }),
  });
  await app.register(authPlugin, { auth: authConfig(options.config), cookieSecure: options.config.cookieSecure });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '落实 luoshi HTTP API', version: '0.1.0', description: '政府工作任务分解、进展报送与汇总表' },
    },
  });
  app.addSchema(ErrorResponse);

  await app.register(authRoutes, {
    auth: authConfig(options.config),
    cookieSecure: options.config.cookieSecure,
    loginRateLimitPerMinute: options.config.loginRateLimitPerMinute,
  });
  await app.register(healthRoutes, { checkDatabase: () => pingDatabase(options.db) });
  await app.register(planRoutes);
  await app.register(itemRoutes);
  await app.register(organisationRoutes);
  await app.register(fastifyMultipart);
  await app.register(citySummaryRoutes);
  await app.register(reportRoutes, { maxUploadBytes: options.config.maxUploadBytes });
  await app.register(scheduleRoutes);
  await app.register(supervisionRoutes);
  await app.register(notificationRoutes);
  await app.register(auditRoutes);
  await app.register(userRoutes, { auth: authConfig(options.config) });
  await app.register(importRoutes, { maxUploadBytes: options.config.maxUploadBytes });

  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const webRoot = options.webRoot ?? WEB_ROOT;
  const webBuilt = existsSync(`${webRoot}/index.html`);
  if (webBuilt) {
    // wildcard: serve the files as they are on disk now, so a rebuilt app needs no restart
    await app.register(fastifyStatic, { root: webRoot, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/') || path === '/api' || request.method !== 'GET') {
      return reply.status(404).send({ error: { code: 'not_found', message: `没有这个接口：${request.method} ${path}` } });
    }
    if (/\.[a-z0-9]+$/i.test(path)) {
      // a missing asset must not be answered with the page: the browser would report a confusing MIME error
      return reply.status(404).type('text/plain; charset=utf-8').send(`文件不存在：${path}`);
    }
    if (!webBuilt) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('网页尚未构建：请先运行 npm run build:web（npm start 会自动构建）。\nThe web app is not built: run npm run build:web.');
    }
    // client-side routes of the single-page app
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
  return app;
}
