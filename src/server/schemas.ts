import { Type } from 'typebox';
import { ErrorResponse } from '../contract/errors.js';

/**
 * The error answers each kind of route can give, for the response schemas: every status a route sends has a
 * schema, so Fastify writes it with its compiled serialiser and the OpenAPI document lists it. Every API route
 * passes the auth plugin (401 without a principal, 403 without the permission) and the error handler (500).
 */
const always = { 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse, 500: ErrorResponse };

/** A public route: no principal needed, so no 401 or 403 from the auth plugin. */
export const publicErrors = { 400: ErrorResponse, 429: ErrorResponse, 500: ErrorResponse };
/** A read of a list: the query may be refused. */
export const listErrors = { 400: ErrorResponse, ...always };
/** A read of one object: missing (or outside the reader's scope) answers 404. */
export const errorResponses = { 400: ErrorResponse, 404: ErrorResponse, ...always };
/** A body the framework refuses before the route runs: too large (413) or of a type not accepted (415). */
export const bodyErrors = { 413: ErrorResponse, 415: ErrorResponse };
/** A write: it may also conflict with the current state (409). */
export const writeErrors = { ...errorResponses, 409: ErrorResponse, ...bodyErrors };
/** An upload (multipart): the same answers as any write. */
export const uploadErrors = writeErrors;
/** A file written on request: the PDF writer answers 503 when its font is missing. */
export const exportErrors = { ...errorResponses, 503: ErrorResponse };

/** A read answered from kept bytes (src/server/answers.ts): 304 with no body to a browser that has this version. */
export const keptAnswerResponses = {
  304: Type.Null({ description: '未改变：浏览器已有这一版（If-None-Match 与 ETag 相同），不再重发' }),
};

/** A file answered as bytes under its name (src/server/download.ts). */
export const FileResponse = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });
