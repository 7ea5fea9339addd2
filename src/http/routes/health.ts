/**
 * Liveness, readiness and Prometheus metrics. These stay open (no key) so load balancers and Prometheus can reach
 * them; they reveal states and counts, never data.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../env';
import { ErrorSchema, json } from '../schemas';

const CHECK_TIMEOUT_MS = 2000;

const Check = z.object({ ok: z.boolean(), detail: z.unknown().optional() });
const Ready = z.object({ ready: z.literal(true), checks: z.record(z.string(), Check) }).openapi('Readiness');

export function healthRoutes() {
  const app = router();

  app.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['ops'], summary: 'Liveness: the process answers', responses: { 200: json(z.object({ ok: z.literal(true) }), 'alive') } }),
    (c) => c.json({ ok: true as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['ops'],
      summary: 'Readiness: store, broker, model and the simulator backfill',
      responses: { 200: json(Ready, 'ready'), 503: json(ErrorSchema, 'not ready; details.checks says what is missing') },
    }),
    async (c) => {
      const results = await Promise.all(
        c.var.deps.readiness.map(async (r) => {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<{ ok: boolean; detail: unknown }>((res) => {
            timer = setTimeout(() => res({ ok: false, detail: 'timed out' }), CHECK_TIMEOUT_MS);
          });
          const res = await Promise.race([r.check().catch((e: unknown) => ({ ok: false, detail: e instanceof Error ? e.message : String(e) })), timeout]);
          clearTimeout(timer);
          return [r.name, res] as const;
        }),
      );
      const checks = Object.fromEntries(results);
      if (results.every(([, r]) => r.ok)) return c.json({ ready: true as const, checks }, 200);
      return c.json({ error: { code: 'unavailable' as const, message: 'not ready', details: { checks } } }, 503);
    },
  );

  app.get('/metrics', async (c) => {
    const reg = c.var.deps.metrics.registry;
    return c.body(await reg.metrics(), 200, { 'content-type': reg.contentType });
  });

  return app;
}
