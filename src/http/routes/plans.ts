/**
 * `POST /api/v1/plans`: run the copilot on a task. Plain JSON returns the Answer; `Accept: text/event-stream`
 * streams the PlanEvents as they happen and ends with `answer`. A client that leaves before any action was proposed
 * cancels the run (nothing to keep); once an action is proposed the run always finishes, so the proposal is stored
 * and waits for approval whoever is watching.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import type { PlanEvent } from '../../../agents/answer';
import { AppError } from '../../errors';
import type { CopilotApi } from '../deps';
import { type AppEnv, router } from '../env';
import { toAppError } from '../errors';
import { AnswerSchema, errorResponses, json, jsonBody, security } from '../schemas';
import { keepAlive, send, wantsEventStream } from '../sse';

export const PlanRequest = z
  .object({
    task: z.string().trim().min(1).max(4000).describe('The planning question, in plain language'),
    thread_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional().describe('Continue this thread'),
    at: z.iso.datetime({ offset: true }).optional().describe('Freeze "now" for this run'),
  })
  .openapi('PlanRequest');

export function copilotOf(c: Context<AppEnv>): CopilotApi {
  const cp = c.var.deps.copilot;
  if (!cp) throw new AppError('unavailable', 'the copilot is not available yet');
  return cp;
}

export const smallBody = bodyLimit({
  maxSize: 1024 * 1024,
  onError: () => {
    throw new AppError('payload_too_large', 'request body over 1 MiB');
  },
});

export function planRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/plans',
      tags: ['copilot'],
      summary: 'Ask the copilot; JSON answer, or the steps as SSE with Accept: text/event-stream',
      security,
      middleware: [smallBody] as const,
      request: { body: jsonBody(PlanRequest) },
      responses: {
        200: {
          description: 'The answer; as SSE, events route, expert_started, tool_call, tool_result, review, consensus, action_proposed, then answer (or error)',
          content: { 'application/json': { schema: AnswerSchema }, 'text/event-stream': { schema: z.string() } },
        },
        ...errorResponses,
        503: json(z.unknown(), 'copilot unavailable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const copilot = copilotOf(c);
      const { metrics } = c.var.deps;
      const input = { ...body, actor: c.var.actor };

      if (!wantsEventStream(c.req.header('accept'))) {
        try {
          const answer = await copilot.plan(input);
          metrics.recordAnswer(answer);
          return c.json(answer, 200);
        } catch (err) {
          metrics.plans.inc({ outcome: 'error', provider: copilot.provider?.() ?? 'unknown' });
          throw err;
        }
      }

      return streamSSE(c, async (stream) => {
        const controller = new AbortController();
        let proposed = false;
        let seq = 0;
        stream.onAbort(() => {
          if (!proposed) controller.abort();
        });
        const stop = keepAlive(stream);
        // Events arrive synchronously from the graph; chain the writes so they leave in order.
        let queue: Promise<void> = Promise.resolve();
        const onEvent = (e: PlanEvent) => {
          if (e.type === 'action_proposed') proposed = true;
          if (e.type === 'answer') return; // sent once below, after metrics
          const id = String(++seq);
          queue = queue.then(() => send(stream, e.type, e, id));
        };
        try {
          const answer = await copilot.plan(input, { onEvent, signal: controller.signal });
          metrics.recordAnswer(answer);
          await queue;
          await send(stream, 'answer', { type: 'answer', answer }, String(++seq));
        } catch (err) {
          metrics.plans.inc({ outcome: controller.signal.aborted ? 'cancelled' : 'error', provider: copilot.provider?.() ?? 'unknown' });
          await queue;
          await send(stream, 'error', toAppError(err).toJSON(), String(++seq));
        } finally {
          stop();
        }
      });
    },
  );

  return app;
}
