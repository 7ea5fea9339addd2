/**
 * Proposed actions and the human decision on them. Approving or rejecting is checked against the action's risk
 * (canApprove); a refusal is 403 and leaves an audit row, so attempts above one's role are visible afterwards.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ActionStatus } from '../../../agents/answer';
import { AppError } from '../../errors';
import type { ActionsApi } from '../deps';
import { type AppEnv, router } from '../env';
import { zodProblems } from '../errors';
import { ActionSchema, Id, Limit, errorResponses, json, security } from '../schemas';
import { decideChecked } from '../approval';
import { copilotOf, smallBody } from './plans';

const Decision = z.object({ comment: z.string().max(2000).optional() }).openapi('Decision');

/** The optional decision body: empty means no comment; anything else must be `{comment?}` JSON. */
async function decisionOf(c: Context<AppEnv>): Promise<z.infer<typeof Decision>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'malformed JSON in request body');
  }
  const parsed = Decision.safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', 'invalid json', { target: 'json', problems: zodProblems(parsed.error) });
  return parsed.data;
}

function actionsOf(c: Context<AppEnv>): ActionsApi {
  const a = c.var.deps.actions;
  if (!a) throw new AppError('unavailable', 'actions are not available yet');
  return a;
}

export function actionRoutes() {
  const app = router();
  const Params = z.object({ id: Id });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/actions',
      tags: ['actions'],
      summary: 'Proposed actions, newest first, optionally by status',
      security,
      request: { query: z.object({ status: ActionStatus.optional(), limit: Limit }) },
      responses: { 200: json(z.object({ actions: z.array(ActionSchema) }), 'actions'), ...errorResponses },
    }),
    async (c) => c.json({ actions: await actionsOf(c).list(c.req.valid('query')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/actions/{id}',
      tags: ['actions'],
      summary: 'One action',
      security,
      request: { params: Params },
      responses: { 200: json(ActionSchema, 'the action'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const a = await actionsOf(c).get(id);
      if (!a) throw new AppError('not_found', `action "${id}" not found`);
      return c.json(a, 200);
    },
  );

  for (const approve of [true, false]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/actions/{id}/${approve ? 'approve' : 'reject'}`,
        tags: ['actions'],
        summary: approve
          ? 'Approve a pending action (operator: low risk; manager/admin: any); resumes the paused run'
          : 'Reject a pending action with an optional comment (same role rule as approving)',
        security,
        middleware: [smallBody] as const,
        // A plain JSON Schema here: the body is optional and an empty POST is common, so it is parsed by hand below.
        request: { params: Params, body: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { comment: { type: 'string', maxLength: 2000 } } } } } } },
        responses: { 200: json(ActionSchema, 'the action after the decision'), 409: json(z.unknown(), 'not pending'), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { comment } = await decisionOf(c);
        return c.json(await decideChecked({ actions: actionsOf(c), audit: c.var.deps.audit, copilot: copilotOf(c) }, { actionId: id, approve, comment, actor: c.var.actor }), 200);
      },
    );
  }

  return app;
}
