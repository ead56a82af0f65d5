import type { ErrorCode } from '../contract/errors.js';

export type { ErrorCode };

/**
 * The one error type that carries a user-facing message. `status` follows HTTP semantics because that is the
 * vocabulary every caller shares (the CLI maps it to an exit code); the domain itself does no I/O. `code` is one
 * of the contract's fixed list (src/contract/errors.ts), so the typecheck refuses a code no client knows.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (code: ErrorCode, message: string, details?: unknown) => new AppError(400, code, message, details);
export const notFound = (code: ErrorCode, message: string) => new AppError(404, code, message);
export const conflict = (code: ErrorCode, message: string, details?: unknown) => new AppError(409, code, message, details);
/** A destructive step asked for without the explicit `"confirm": true` that every one of them needs. */
export const confirmationRequired = (what: string) =>
  new AppError(400, 'confirmation_required', `${what}须明确确认：请在请求中加上 "confirm": true。`);
