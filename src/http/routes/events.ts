/**
 * `GET /api/v1/events`: live twin events (readings, alarms, state changes, action status) as SSE for the web
 * explorer and approvals inbox. EventSource cannot send headers, so the key may come as the cookie or `?token=`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { EventName, TwinEvents } from '../../events';
import { router } from '../env';
import { Id, errorResponses, security } from '../schemas';
import { keepAlive, send } from '../sse';

const ALL: EventName[] = ['readings', 'alarm_raised', 'alarm_cleared', 'state_changed', 'action_changed'];

export function eventRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/events',
      tags: ['records'],
      summary: 'Live twin events as server-sent events (readings, alarm_raised, alarm_cleared, state_changed, action_changed)',
      security,
      request: {
        query: z.object({
          twin: Id.optional(),
          asset: Id.optional(),
          types: z.string().max(200).optional().describe('comma-separated event names; default all'),
          token: z.string().max(200).optional().describe('the API key, for EventSource'),
        }),
      },
      responses: { 200: { description: 'event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses },
    }),
    (c) => {
      const q = c.req.valid('query');
      const wanted = q.types ? ALL.filter((n) => q.types!.split(',').includes(n)) : ALL;
      const bus = c.var.deps.bus;
      return streamSSE(c, async (stream) => {
        const stop = keepAlive(stream);
        let queue: Promise<void> = Promise.resolve();
        const offs = wanted.map((name) =>
          bus.subscribe(name, (payload: TwinEvents[typeof name]) => {
            const p = payload as { twin?: string; asset?: string; assets?: string[] };
            if (q.twin && p.twin && p.twin !== q.twin) return;
            if (q.asset && p.asset !== q.asset && !p.assets?.includes(q.asset)) return;
            queue = queue.then(() => send(stream, name, payload));
          }),
        );
        await send(stream, 'hello', { events: wanted });
        await new Promise<void>((resolve) => stream.onAbort(resolve));
        stop();
        for (const off of offs) off();
      });
    },
  );
  return app;
}
