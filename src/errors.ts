/**
 * One error type for the whole service. Codes form a zod enum and map to an HTTP status here and only here,
 * so every surface (HTTP, CLI, Slack) reports the same problem the same way.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** Exit code for the CLI: 2 for bad input, 1 for runtime failures. */
export function exitCodeOf(err: unknown): 1 | 2 {
  if (err instanceof AppError && ['bad_request', 'validation_failed', 'not_found', 'payload_too_large', 'unsupported_media_type'].includes(err.code)) return 2;
  return 1;
}

/** A problem in a document, at a path like `assets[3].parent`. */
export interface Problem {
  path: string;
  message: string;
}

export function validationError(message: string, problems: Problem[]): AppError {
  return new AppError('validation_failed', message, { problems });
}
