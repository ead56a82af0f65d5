import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponse, HealthUnavailable } from '../../../contract/common.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ checkDatabase: () => Promise<void> }> = async (app, options) => {
  app.get(
    '/healthz',
    {
      config: { policy: 'public' },
      schema: {
        summary: '健康检查',
        tags: ['system'],
        response: { 200: HealthResponse, 503: HealthUnavailable },
      },
    },
    async (_request, reply) => {
      try {
        await options.checkDatabase();
        return { status: 'ok' as const };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const });
      }
    },
  );
};
