/**
 * The Hono app: open ops routes, then key-protected API routes by area, the OpenAPI document built from the routes'
 * zod schemas, and the mounts other parts of the service bring (telemetry, Slack, the web app). Building it connects
 * to nothing; tests call `app.request()` on it with test doubles in `deps`.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { matchedRoutes } from 'hono/route';
import { AppError } from '../errors';
import { loginFromQuery, perKeyRateLimit, requireKey } from './auth';
import type { HttpDeps } from './deps';
import type { AppEnv } from './env';
import { onError, validationHook } from './errors';
import { actionRoutes } from './routes/actions';
import { docsRoutes } from './routes/docs';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { keyRoutes } from './routes/keys';
import { openaiRoutes } from './routes/openai';
import { planRoutes, smallBody } from './routes/plans';
import { recordRoutes } from './routes/records';
import { sessionRoutes } from './routes/session';
import { twinCatalogRoutes } from './routes/twin-catalog';
import { twinRoutes } from './routes/twins';

const BIG_BODIES = new Set(['/api/v1/twins', '/api/v1/telemetry']);

export interface AppOptions {
  /** Where unexpected errors are logged (never sent to the client). */
  log?: (err: unknown) => void;
}

function routeLabel(c: Parameters<typeof matchedRoutes>[0]): string {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  return routes.length ? routes[routes.length - 1].path : 'unmatched';
}

export function createApp(deps: HttpDeps, opts: AppOptions = {}): OpenAPIHono<AppEnv> {
  const log = opts.log ?? ((err: unknown) => console.error('[http] unexpected error:', err));
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.onError(onError(log));
  app.notFound((c) => c.json(new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`).toJSON(), 404));

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    const t0 = performance.now();
    await next();
    deps.metrics.requestDuration.observe({ method: c.req.method, route: routeLabel(c), status: String(c.res.status) }, (performance.now() - t0) / 1000);
  });
  app.use('*', loginFromQuery());

  // Open: liveness, readiness, metrics, the API description, browser login.
  app.route('/', healthRoutes());
  app.route('/', sessionRoutes());
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`twin keys create --role ROLE`). Browsers may use the session cookie; GET may pass ?token=.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Twinpilot API', version: '1', description: 'A copilot for digital twins. Errors are always {"error":{"code","message","details"}}.' },
  });
  app.route('/', docsRoutes());

  // Everything else under /api and /v1 needs a key: there is no "auth off", on loopback neither.
  const limit = perKeyRateLimit(deps.config.RATE_LIMIT_PER_MINUTE);
  for (const prefix of ['/api/*', '/v1/*']) app.use(prefix, requireKey(), limit);
  // One body cap for every API route, except the two that take big documents and set their own. GET and HEAD carry
  // no body: skipping them matters, since asking a request for its body makes the Node adapter build a whole Request.
  app.use('*', async (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || BIG_BODIES.has(c.req.path) ? next() : smallBody(c, next)));

  app.route('/', twinRoutes());
  app.route('/', twinCatalogRoutes());
  app.route('/', planRoutes());
  app.route('/', actionRoutes());
  app.route('/', recordRoutes());
  app.route('/', eventRoutes());
  app.route('/', keyRoutes());
  app.route('/', openaiRoutes());
  for (const m of deps.mounts ?? []) app.route(m.path, m.app);

  return app;
}
