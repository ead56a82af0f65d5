import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/schema.js';
import { createServiceContext, importOptions, type Actor, type ImportConfig, type ServiceContext } from '../services/context.js';
import { healthRoutes } from './modules/health/routes.js';
import { importRoutes } from './modules/imports/routes.js';
import { itemRoutes } from './modules/items/routes.js';
import { organisationRoutes } from './modules/organisations/routes.js';
import { planRoutes } from './modules/plans/routes.js';
import { registerErrorHandler } from './plugins/errors.js';
import { ErrorResponse } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: ServiceContext;
    actor: Actor;
  }
}

export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'logLevel' | 'maxUploadBytes' | 'requestTimeoutMs'> & ImportConfig;
  now?: () => Date;
  /** where the built web app is; tests may point elsewhere */
  webRoot?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.config.logLevel === 'silent' ? false : { level: options.config.logLevel },
    requestTimeout: options.config.requestTimeoutMs,
    connectionTimeout: options.config.requestTimeoutMs,
    bodyLimit: 1024 * 1024,
    // our ids are small integers; longer paths or query strings are rejected before routing
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const ctx = createServiceContext(options.db, options.now, importOptions(options.config));
  app.decorateRequest('ctx', null as unknown as ServiceContext);
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    request.ctx = ctx;
    // accounts arrive with issue 4; until then writes are attributed to the source address
    request.actor = { id: 'anonymous', source: `web:${request.ip}` };
  });
  registerErrorHandler(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '落实 luoshi HTTP API', version: '0.1.0', description: '政府工作任务分解、进展报送与汇总表' },
    },
  });
  app.addSchema(ErrorResponse);

  await app.register(healthRoutes, { checkDatabase: async () => void (await sql`select 1`.execute(options.db)) });
  await app.register(planRoutes);
  await app.register(itemRoutes);
  await app.register(organisationRoutes);
  await app.register(fastifyMultipart);
  await app.register(importRoutes, { maxUploadBytes: options.config.maxUploadBytes });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

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
