/**
 * zod schemas shared by several routes and by /openapi.json. The answer and action shapes are agents/answer.ts's own
 * schemas, registered here under component names, so the REST contract and the copilot's cannot drift apart.
 */
import { z } from '@hono/zod-openapi';
import { Action, ActionStatus, Answer, Evidence } from '../../agents/answer';
import { ErrorCode } from '../errors';

export const ErrorSchema = z
  .object({ error: z.object({ code: ErrorCode, message: z.string(), details: z.unknown() }) })
  .openapi('Error');

export const AnswerSchema = Answer.openapi('Answer');
export const ActionSchema = Action.openapi('Action');
export const EvidenceSchema = Evidence.openapi('Evidence');
export { ActionStatus };

/** The error responses every authenticated JSON route can give, for the OpenAPI document. */
export const errorResponses = {
  400: { description: 'Malformed request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing, invalid or revoked API key', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The key\'s role may not do this', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'Validation failed; details.problems lists each problem with its path', content: { 'application/json': { schema: ErrorSchema } } },
  429: { description: 'Rate limited (per key)', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

/** A property of an asset type as the manifest defines it (without the simulator's hints). */
export const PropertyDefSchema = z
  .object({
    kind: z.enum(['telemetry', 'setpoint', 'state', 'attribute']),
    type: z.string(),
    description: z.string().optional(),
    unit: z.string().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    warn: z.number().optional(),
    alarm: z.number().optional(),
    direction: z.enum(['above', 'below']).optional(),
    hysteresis: z.number().optional(),
    values: z.array(z.string()).optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .openapi('PropertyDef');

export const HealthSchema = z
  .object({ index: z.number().describe('0 (failed) to 100 (healthy)'), grade: z.enum(['good', 'watch', 'poor', 'critical']), summary: z.string() })
  .openapi('Health');

export const security = [{ bearer: [] as string[] }];

/** Path parameters are ids from manifests: bounded, printable. */
export const Id = z.string().min(1).max(200);

export const Limit = z.coerce.number().int().min(1).max(1000).default(100);

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}
