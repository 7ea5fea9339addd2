/**
 * Twins and their assets: load a manifest (admin), list twins and assets, one asset, its relations up to N hops,
 * and its readings in raw, 1-minute or 1-hour buckets. The store does the work; this file only maps HTTP to it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { parse as parseYaml } from 'yaml';
import { resolveTime } from '../../clock';
import { AppError } from '../../errors';
import type { TwinsApi } from '../deps';
import { requireRole } from '../auth';
import { type AppEnv, router } from '../env';
import { HealthSchema, Id, PropertyDefSchema, errorResponses, json, security } from '../schemas';
import type { Context } from 'hono';

const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

const LoadResultSchema = z.object({ twin: z.string(), created: z.number(), updated: z.number(), retired: z.number() }).openapi('LoadResult');
const AssetSchema = z
  .looseObject({
    id: z.string(),
    type: z.string(),
    properties: z.record(z.string(), PropertyDefSchema).optional().describe("the type's properties with inheritance resolved: kind, unit, warn/alarm thresholds"),
    commands: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    health: HealthSchema.nullable().optional().describe('from the latest reported values against the thresholds, and open alarms; null when nothing can be judged'),
  })
  .openapi('Asset');
type AssetBody = z.infer<typeof AssetSchema>;
const TwinParams = z.object({ twin: Id });
const AssetParams = z.object({ twin: Id, id: Id });
const TimeText = z.string().max(64).describe('ISO time or a duration relative to now, e.g. -24h');

export function twinsOf(c: Context<AppEnv>): TwinsApi {
  const t = c.var.deps.twins;
  if (!t) throw new AppError('unavailable', 'the twin store is not available');
  return t;
}

export function found<T>(v: T | null, what: string): T {
  if (v === null || v === undefined) throw new AppError('not_found', `${what} not found`);
  return v;
}

export function twinRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/twins',
      tags: ['twins'],
      summary: 'Load or update a twin manifest (YAML or JSON); admin only',
      security,
      middleware: [requireRole('admin'), bodyLimit({ maxSize: MANIFEST_MAX_BYTES, onError: () => { throw new AppError('payload_too_large', `manifest over ${MANIFEST_MAX_BYTES} bytes`); } })] as const,
      request: {
        body: {
          description: 'A manifest (see the manifest spec)',
          content: {
            'application/json': { schema: z.record(z.string(), z.unknown()) },
            'application/yaml': { schema: z.string() },
            'text/yaml': { schema: z.string() },
          },
        },
      },
      responses: { 200: json(LoadResultSchema, 'created/updated/retired counts'), ...errorResponses },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      let manifest: unknown;
      if (/yaml/i.test(type)) {
        try {
          manifest = parseYaml(await c.req.text(), { logLevel: 'error' });
        } catch (e) {
          throw new AppError('bad_request', `manifest is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : ''}`);
        }
      } else {
        manifest = c.req.valid('json');
      }
      if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
        throw new AppError('validation_failed', 'a manifest must be an object', { problems: [{ path: '', message: 'expected an object' }] });
      }
      return c.json(await twinsOf(c).load(manifest, c.var.actor), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/twins', tags: ['twins'], summary: 'Twins in the store', security, responses: { 200: json(z.object({ twins: z.array(z.record(z.string(), z.unknown())) }), 'twins'), ...errorResponses } }),
    async (c) => c.json({ twins: (await twinsOf(c).listTwins()) as Record<string, unknown>[] }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/assets',
      tags: ['twins'],
      summary: 'Assets of a twin, optionally by type or parent',
      security,
      request: { params: TwinParams, query: z.object({ type: Id.optional(), parent: Id.optional() }) },
      responses: { 200: json(z.object({ assets: z.array(AssetSchema) }), 'assets'), ...errorResponses },
    }),
    async (c) => {
      const { twin } = c.req.valid('param');
      const assets = found(await twinsOf(c).listAssets(twin, c.req.valid('query')), `twin "${twin}"`);
      return c.json({ assets: assets as AssetBody[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/assets/{id}',
      tags: ['twins'],
      summary: 'One asset with its reported and desired state',
      security,
      request: { params: AssetParams },
      responses: { 200: json(AssetSchema, 'the asset'), ...errorResponses },
    }),
    async (c) => {
      const { twin, id } = c.req.valid('param');
      return c.json(found(await twinsOf(c).getAsset(twin, id), `asset "${id}" in twin "${twin}"`) as AssetBody, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/assets/{id}/relations',
      tags: ['twins'],
      summary: 'Relations of an asset up to N hops, both directions',
      security,
      request: { params: AssetParams, query: z.object({ depth: z.coerce.number().int().min(1).max(10).default(1) }) },
      responses: { 200: json(z.object({ relations: z.array(z.record(z.string(), z.unknown())) }), 'relations'), ...errorResponses },
    }),
    async (c) => {
      const { twin, id } = c.req.valid('param');
      const rel = found(await twinsOf(c).relations(twin, id, c.req.valid('query').depth), `asset "${id}" in twin "${twin}"`);
      return c.json({ relations: rel as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/assets/{id}/readings',
      tags: ['twins'],
      summary: 'History of an asset: raw, 1m or 1h buckets (from the rollups where they cover the range)',
      security,
      request: {
        params: AssetParams,
        query: z.object({
          property: Id.optional(),
          from: TimeText.optional().describe('default -24h'),
          to: TimeText.optional().describe('default now'),
          bucket: z.enum(['raw', '1m', '1h']).default('1m'),
        }),
      },
      responses: { 200: json(z.object({ readings: z.array(z.record(z.string(), z.unknown())) }), 'readings'), ...errorResponses },
    }),
    async (c) => {
      const { twin, id } = c.req.valid('param');
      const q = c.req.valid('query');
      const now = c.var.deps.clock.now();
      const from = resolveTime(q.from ?? '-24h', now);
      const to = resolveTime(q.to ?? '0s', now);
      const problems = [
        ...(from ? [] : [{ path: 'from', message: 'not an ISO time or duration' }]),
        ...(to ? [] : [{ path: 'to', message: 'not an ISO time or duration' }]),
        ...(from && to && from > to ? [{ path: 'from', message: 'from is after to' }] : []),
      ];
      if (problems.length) throw new AppError('validation_failed', 'invalid query', { target: 'query', problems });
      const rows = found(await twinsOf(c).readings(twin, id, { property: q.property, from: from!, to: to!, bucket: q.bucket }), `asset "${id}" in twin "${twin}"`);
      return c.json({ readings: rows as Record<string, unknown>[] }, 200);
    },
  );

  return app;
}
