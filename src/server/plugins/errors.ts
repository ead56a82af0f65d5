import type { FastifyError, FastifyInstance } from 'fastify';
import { isErrorCode, type ErrorCode, type ErrorResponse } from '../../contract/errors.js';
import { AppError } from '../../domain/errors.js';
import type { ValidationIssue } from './validation.js';

export type ErrorBody = ErrorResponse;

/** Fastify's own client errors, given the contract's code and a Chinese message a person can act on. */
const FRAMEWORK_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'fst_err_ctp_invalid_json_body', message: '请求体不是有效的 JSON。' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'fst_err_ctp_empty_json_body', message: '请求体为空，但声明为 JSON。' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'fst_err_ctp_body_too_large', message: '请求体过大。' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'fst_err_ctp_invalid_media_type', message: '不支持的请求内容类型。' },
  FST_REQ_FILE_TOO_LARGE: { code: 'fst_req_file_too_large', message: '上传的文件超过大小上限。' },
};

/** An answer a plugin built itself and threw (the rate limiter's 429), already in the contract's shape. */
function prebuiltAnswer(error: unknown): { status: number; body: ErrorBody } | undefined {
  const candidate = error as { statusCode?: unknown; error?: { code?: unknown; message?: unknown } };
  const inner = candidate.error;
  if (typeof candidate.statusCode !== 'number' || typeof inner !== 'object' || inner === null) return undefined;
  if (!isErrorCode(inner.code) || typeof inner.message !== 'string') return undefined;
  return { status: candidate.statusCode, body: { error: { code: inner.code, message: inner.message } } };
}

const CONTEXT_LABELS: Record<string, string> = { params: '路径参数', querystring: '查询参数', body: '请求体', headers: '请求头' };

const TYPE_WORDS: Record<string, string> = {
  integer: '整数',
  number: '数字',
  string: '文字',
  boolean: '布尔值（true 或 false）',
  array: '数组（列表）',
  object: 'JSON 对象',
  null: 'null',
};

/** One validation failure in words a person can act on: which field, and what it should be. */
export function describeIssue(issue: Pick<ValidationIssue, 'keyword' | 'instancePath' | 'params'>, context: string | undefined): string {
  // a field named in words ends in a full-width bracket, which needs no space before the rest of the sentence
  return describeIssueWords(issue, context).replace('） ', '）');
}

function describeIssueWords(issue: Pick<ValidationIssue, 'keyword' | 'instancePath' | 'params'>, context: string | undefined): string {
  const missing = issue.keyword === 'required' ? String(issue.params.missingProperty ?? '') : '';
  const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || missing || '';
  const label = typeof issue.params.label === 'string' ? `（${issue.params.label}）` : '';
  const where = `${CONTEXT_LABELS[context ?? ''] ?? '参数'}${field ? ` ${field}` : ''}${label}`;
  if (issue.params.received === 'null') {
    return `${where} 不能为 null${issue.keyword === 'type' ? `，应为${TYPE_WORDS[String(issue.params.type)] ?? String(issue.params.type)}` : ''}`;
  }
  switch (issue.keyword) {
    case 'required':
      return `缺少${where}`;
    case 'type':
      return `${where} 应为${TYPE_WORDS[String(issue.params.type)] ?? String(issue.params.type)}`;
    case 'pattern':
    case 'format':
      return `${where} 的格式不正确`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${where} 不能小于 ${String(issue.params.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${where} 不能大于 ${String(issue.params.limit)}`;
    case 'maxLength':
      return `${where} 过长（最多 ${String(issue.params.limit)} 个字符）`;
    case 'minLength':
      return `${where} 过短（至少 ${String(issue.params.limit)} 个字符）`;
    case 'maxItems':
      return `${where} 的项数过多（最多 ${String(issue.params.limit)} 项）`;
    case 'minItems':
      return `${where} 的项数过少（至少 ${String(issue.params.limit)} 项）`;
    case 'minProperties':
      return `${where} 至少要有一个字段`;
    case 'enum':
    case 'const':
    case 'anyOf':
      return `${where} 的取值不在允许范围内`;
    case 'additionalProperties':
      return `${where} 含有不认识的字段“${String(issue.params.additionalProperty ?? '')}”`;
    case 'wellFormed':
      return `${where} 含有无效的 Unicode 字符（不成对的代理项），请删去后重新输入`;
    default:
      return `${where} 无效`;
  }
}

/**
 * One place that turns errors into answers: AppError carries its own status and message; validation and
 * framework client errors become 4xx with a specific message; anything else is logged and answered with a
 * generic 500 that reveals nothing of the internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
      };
      return reply.status(error.status).send(body);
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const detail = fastifyError.validation.map((issue) => describeIssue(issue, fastifyError.validationContext)).join('；');
      return reply.status(400).send({
        error: { code: 'invalid_request', message: `请求参数有误：${detail}。`, details: fastifyError.validation },
      } satisfies ErrorBody);
    }
    const prebuilt = prebuiltAnswer(error);
    if (prebuilt) return reply.status(prebuilt.status).send(prebuilt.body);
    const status = fastifyError.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // a framework code outside the contract's list is answered as the generic bad_request, its name kept in the message
      const known = FRAMEWORK_ERRORS[fastifyError.code];
      const body: ErrorBody = { error: known ?? { code: 'bad_request', message: `请求有误（${fastifyError.code ?? status}）。` } };
      return reply.status(status).send(body);
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal_error', message: '服务器内部错误，已记录。请稍后重试或联系管理员。' } } satisfies ErrorBody);
  });
}
