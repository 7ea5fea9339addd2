/**
 * Read-only records for the web app: the audit trail, chat threads (one thread's messages too) and eval runs
 * (for the trend chart).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors';
import { router } from '../env';
import { Id, Limit, errorResponses, json, security } from '../schemas';
import { copilotOf } from './plans';

const Row = z.record(z.string(), z.unknown());

export function recordRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags: ['records'],
      summary: 'The append-only audit trail, newest first',
      security,
      request: { query: z.object({ limit: Limit, target: Id.optional(), before: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ audit: z.array(Row) }), 'audit rows'), ...errorResponses },
    }),
    async (c) => c.json({ audit: (await c.var.deps.audit.list(c.req.valid('query'))) as Record<string, unknown>[] }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/threads',
      tags: ['records'],
      summary: 'Copilot threads, most recent first (the web chat list)',
      security,
      request: { query: z.object({ limit: Limit }) },
      responses: { 200: json(z.object({ threads: z.array(Row) }), 'threads'), ...errorResponses },
    }),
    async (c) => {
      const list = c.var.deps.threads ?? c.var.deps.copilot?.threads?.bind(c.var.deps.copilot);
      if (!list) throw new AppError('unavailable', 'thread listing is not available');
      return c.json({ threads: await list(c.req.valid('query').limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/threads/{id}',
      tags: ['records'],
      summary: 'One thread: its latest answer and its turns (the web chat reopens it)',
      security,
      request: { params: z.object({ id: Id }) },
      responses: { 200: json(Row, 'the thread'), ...errorResponses },
    }),
    async (c) => {
      const cp = copilotOf(c);
      const { id } = c.req.valid('param');
      // The service's copilot gives the whole thread; any other gives at least its last answer.
      const last = !cp.thread && cp.answer ? await cp.answer(id) : null;
      const t = cp.thread ? await cp.thread(id) : last && { thread_id: id, answer: last, turns: [{ task: '', answer: last }] };
      if (!t) throw new AppError('not_found', `thread "${id}" not found`);
      return c.json(t as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/evals/runs',
      tags: ['records'],
      summary: 'Eval runs, newest first (pass rate and cost over time)',
      security,
      request: { query: z.object({ limit: Limit }) },
      responses: { 200: json(z.object({ runs: z.array(Row) }), 'eval runs'), ...errorResponses },
    }),
    async (c) => {
      const list = c.var.deps.evalRuns;
      return c.json({ runs: list ? ((await list(c.req.valid('query').limit)) as Record<string, unknown>[]) : [] }, 200);
    },
  );

  return app;
}
