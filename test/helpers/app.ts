import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import type { Db } from '../../src/db/schema.js';

/** An app on the given database, quiet, with a fixed clock; the web root may point at a fixture directory. */
export async function buildTestApp(db: Db, options: { webRoot?: string } = {}): Promise<FastifyInstance> {
  const app = await buildApp({
    db,
    config: { ...loadConfig({}), logLevel: 'silent', maxUploadBytes: 1024 * 1024, requestTimeoutMs: 30_000 },
    now: () => new Date('2022-12-31T04:00:00Z'),
    webRoot: options.webRoot ?? '/nonexistent-web-root',
  });
  await app.ready();
  return app;
}
