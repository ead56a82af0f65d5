import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ImportResponse, MULTIPART_DESCRIPTION, PreviewResponse } from '../../../contract/imports.js';
import { importSummaryTable } from '../../../services/import.js';
import { uploadErrors } from '../../schemas.js';
import { readImportForm } from './form.js';
import { presentImport } from './presenter.js';

export const importRoutes: FastifyPluginAsyncTypebox<{ maxUploadBytes: number }> = async (app, options) => {
  app.post(
    '/api/imports/preview',
    {
      config: { policy: 'imports.write' },
      schema: {
        summary: '预览导入：解析上传的文件，报告将导入的内容、警告、冲突和新单位；不写入任何数据',
        description: MULTIPART_DESCRIPTION,
        tags: ['imports'],
        consumes: ['multipart/form-data'],
        response: { 200: PreviewResponse, ...uploadErrors },
      },
    },
    async (request) => {
      const form = await readImportForm(request, options.maxUploadBytes);
      const summary = await importSummaryTable(request.ctx, request.actor, { ...form, dryRun: true });
      return { preview: presentImport(summary) };
    },
  );

  app.post(
    '/api/imports',
    {
      config: { policy: 'imports.write' },
      schema: {
        summary: '确认导入：全部成功或全部不写；重复导入不产生变化',
        description: `${MULTIPART_DESCRIPTION}；mappings（可选，JSON：{"新单位名称": {"organisationId": 编号} | {"create": true}}）`,
        tags: ['imports'],
        consumes: ['multipart/form-data'],
        response: { 200: ImportResponse, ...uploadErrors },
      },
    },
    async (request) => {
      const form = await readImportForm(request, options.maxUploadBytes);
      const summary = await importSummaryTable(request.ctx, request.actor, form);
      return { result: presentImport(summary) };
    },
  );
};
