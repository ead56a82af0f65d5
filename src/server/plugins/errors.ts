import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Fastify's own client errors, given a Chinese message a person can act on. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON。',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空，但声明为 JSON。',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求体过大。',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的请求内容类型。',
  FST_REQ_FILE_TOO_LARGE: '上传的文件超过大小上限。',
};

/**
 * One place that turns errors into answers: AppError carries its own status and message; validation and
 * framework client errors become 4xx with a specific message; anything else is logged and answered with a
 * generic 500 that reveals nothing of the internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
      return reply.status(error.status).send(body);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const detail = fastifyError.validation
        .map((issue) => `${issue.instancePath || fastifyError.validationContext || ''} ${issue.message ?? ''}`.trim())
        .join('；');
      return reply.status(400).send({ error: { code: 'invalid_request', message: `请求参数有误：${detail}` } } satisfies ErrorBody);
    }
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = FRAMEWORK_MESSAGES[fastifyError.code] ?? `请求有误（${fastifyError.code ?? status}）。`;
      return reply.status(status).send({ error: { code: (fastifyError.code ?? 'bad_request').toLowerCase(), message } } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: '服务器内部错误，已记录。请稍后重试或联系管理员。' } } satisfies ErrorBody);
  });
}
