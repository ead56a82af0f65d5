import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BoundedCache, type CacheLimits } from '../services/cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** finished JSON answers of the heavy reads, by the revisions they were built at (see sendKeptAnswer) */
    answers: BoundedCache<string, KeptAnswer>;
  }
}

export interface KeptAnswer {
  /** the answer as UTF-8 bytes: encoded once, then written to every socket as it is, with nothing copied per request */
  body: Buffer;
  etag: string;
}

/** A few dozen summary tables and trees of a city; the largest, the city-wide table, is about 1.4 MB in memory. */
export const ANSWER_CACHE_LIMITS: CacheLimits = { maxEntries: 2_000, maxBytes: 48 * 1024 * 1024 };

export function registerAnswerCache(app: FastifyInstance, limits: CacheLimits = ANSWER_CACHE_LIMITS): void {
  app.decorate('answers', new BoundedCache<string, KeptAnswer>(limits));
}

function keep(cache: BoundedCache<string, KeptAnswer>, key: string | undefined, json: string): KeptAnswer {
  const body = Buffer.from(json, 'utf8');
  const answer = {
    body,
    etag: `"${createHash('sha1')
      .update(key ?? body)
      .digest('base64url')}"`,
  };
  if (key !== undefined) cache.set(key, answer, body.length + 2 * key.length + 64);
  return answer;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Answers a read from its finished bytes when they were built at the same revisions, or builds, serialises (with the
 * route's response schema, as any answer) and keeps them. `key` names everything the answer depends on: the route
 * and its parameters, the reader's scope and the database's revisions read just now (services' `…Key` functions),
 * so that a kept answer is right on every server of one database without any of them telling the others; reading
 * the revisions before building makes a kept answer at least as new as its key. Undefined: build, keep nothing.
 * The ETag lets a browser that has the answer be told so in a few bytes (304).
 */
export async function sendKeptAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  key: string | undefined,
  build: () => Promise<unknown>,
): Promise<FastifyReply> {
  const cache = request.server.answers;
  const kept = key === undefined ? undefined : cache.get(key);
  const answer = kept ?? keep(cache, key, String(reply.serialize(await build())));
  // private: the answer depends on who asks
  reply.header('cache-control', 'private, no-cache').header('etag', answer.etag);
  if (request.headers['if-none-match'] === answer.etag) return reply.code(304).send();
  return reply.type(JSON_TYPE).send(answer.body);
}
