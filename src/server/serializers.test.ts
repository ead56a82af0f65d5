import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { serializerCompiledOnFirstUse } from './serializers.js';

const ITEM = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
  additionalProperties: false,
} as const;

async function appWith(routes: (app: ReturnType<typeof Fastify>) => void) {
  const app = Fastify({ schemaController: { compilersFactory: serializerCompiledOnFirstUse() } });
  app.addSchema({ $id: 'Item', ...ITEM });
  routes(app);
  await app.ready();
  return app;
}

describe('response serialisers compiled on first use', () => {
  it('serialise as the schema says, shared schemas included: a field the schema does not name is not sent', async () => {
    const app = await appWith((app) => {
      app.get('/item', { schema: { response: { 200: { $ref: 'Item#' } } } }, async () => ({ id: 7, name: '市生态环境局', secret: 'x' }));
      app.get('/items', { schema: { response: { 200: { type: 'array', items: ITEM } } } }, async () => [{ id: 1, name: 'a', extra: true }]);
    });
    for (let round = 0; round < 2; round++) {
      expect((await app.inject('/item')).json()).toEqual({ id: 7, name: '市生态环境局' });
      expect((await app.inject('/items')).json()).toEqual([{ id: 1, name: 'a' }]);
    }
    await app.close();
  });

  it('are not compiled at start: a route whose schema cannot compile starts, and fails only when it answers', async () => {
    // with Fastify's eager compilation, ready() itself would throw on the unresolvable reference
    const app = await appWith((app) => {
      app.get('/broken', { schema: { response: { 200: { $ref: 'Nowhere#' } } } }, async () => ({ id: 1 }));
      app.get('/fine', { schema: { response: { 200: { $ref: 'Item#' } } } }, async () => ({ id: 2, name: 'b' }));
    });
    expect((await app.inject('/fine')).json()).toEqual({ id: 2, name: 'b' });
    expect((await app.inject('/broken')).statusCode).toBe(500);
    expect((await app.inject('/fine')).statusCode).toBe(200);
    await app.close();

    const eager = Fastify();
    eager.get('/broken', { schema: { response: { 200: { $ref: 'Nowhere#' } } } }, async () => ({ id: 1 }));
    await expect(eager.ready()).rejects.toThrow();
  });
});
