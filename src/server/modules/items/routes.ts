import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ItemDetailResponse, ItemParams } from '../../../contract/items.js';
import { getItemDetail } from '../../../services/catalogue.js';
import { errorResponses } from '../../schemas.js';

export const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/items/:itemId',
    {
      config: { policy: 'catalogue.read' },
      schema: {
        summary: '事项详情及其各单位各周期的报告',
        tags: ['items'],
        params: ItemParams,
        response: { 200: ItemDetailResponse, ...errorResponses },
      },
    },
    async (request) => getItemDetail(request.ctx, request.params.itemId, request.scope),
  );
};
