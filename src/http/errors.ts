/**
 * Every failure leaves the service as `{error:{code,message,details}}` with the status of src/errors.ts. Validation
 * failures list each problem with its path; unknown errors become a bare 500 with no stack or message leaked.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode, type Problem, statusOf } from '../errors';

export function errorBody(code: ErrorCode, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

export function errorResponse(c: Context, err: AppError): Response {
  return c.json(err.toJSON(), err.status as 400);
}

export function zodProblems(error: ZodError): Problem[] {
  return error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** defaultHook for every OpenAPIHono router: a failed zod validation is a 422 (400 for a malformed path/query). */
export function validationHook(
  result: { success: boolean; target: string; error?: unknown },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const problems = zodProblems(result.error as ZodError);
  return c.json(errorBody('validation_failed', `invalid ${result.target}`, { target: result.target, problems }), 422);
}

/** Map a thrown value to the error shape. HTTPExceptions come from Hono itself (malformed JSON, body limit). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const s = err.status;
    if (s === 413) return new AppError('payload_too_large', 'request body too large');
    if (s === 415) return new AppError('unsupported_media_type', err.message || 'unsupported content type');
    if (s === 401) return new AppError('unauthorized', err.message || 'unauthorized');
    if (s === 403) return new AppError('forbidden', err.message || 'forbidden');
    if (s === 404) return new AppError('not_found', err.message || 'not found');
    if (s === 429) return new AppError('rate_limited', err.message || 'too many requests');
    if (s >= 400 && s < 500) return new AppError('bad_request', err.message || 'bad request');
  }
  if (err instanceof SyntaxError) return new AppError('bad_request', 'malformed JSON in request body');
  return new AppError('internal', 'internal error');
}

export function onError(log: (err: unknown) => void) {
  return (err: unknown, c: Context): Response => {
    const app = toAppError(err);
    if (app.code === 'internal') log(err);
    return c.json(app.toJSON(), statusOf(app.code) as 500);
  };
}
