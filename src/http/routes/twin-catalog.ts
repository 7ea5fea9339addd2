/**
 * What a twin's assets are and how they are doing: the asset types with inheritance resolved (each property's kind,
 * unit and warn/alarm thresholds; the commands), and the twin's alarms, open by default. The twin explorer reads both.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../env';
import { Id, Limit, PropertyDefSchema, errorResponses, json, security } from '../schemas';
import { found, twinsOf } from './twins';
import { AppError } from '../../errors';

const AssetTypeSchema = z
  .object({
    id: z.string(),
    extends: z.string().nullable(),
    description: z.string().nullable(),
    chain: z.array(z.string()).describe('the type and its ancestors, nearest first'),
    properties: z.record(z.string(), PropertyDefSchema).describe('with inheritance resolved'),
    commands: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .openapi('AssetType');

const AlarmSchema = z
  .object({
    id: z.number(),
    twin: z.string(),
    asset: z.string(),
    property: z.string(),
    level: z.enum(['warn', 'alarm']),
    message: z.string(),
    value: z.number(),
    threshold: z.number().nullable(),
    raised_at: z.string(),
    cleared_at: z.string().nullable(),
  })
  .openapi('Alarm');

export function twinCatalogRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/types',
      tags: ['twins'],
      summary: 'Asset types of a twin with inheritance resolved: property kinds, units, thresholds, commands',
      security,
      request: { params: z.object({ twin: Id }) },
      responses: { 200: json(z.object({ types: z.array(AssetTypeSchema) }), 'asset types'), ...errorResponses },
    }),
    async (c) => {
      const { twin } = c.req.valid('param');
      const api = twinsOf(c);
      if (!api.types) throw new AppError('unavailable', 'asset types are not available');
      const types = found(await api.types(twin), `twin "${twin}"`);
      return c.json({ types: types as z.infer<typeof AssetTypeSchema>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/twins/{twin}/alarms',
      tags: ['twins'],
      summary: 'Alarms of a twin: open ones (default), or all, newest first',
      security,
      request: {
        params: z.object({ twin: Id }),
        query: z.object({ state: z.enum(['open', 'all']).default('open'), asset: Id.optional(), limit: Limit }),
      },
      responses: { 200: json(z.object({ alarms: z.array(AlarmSchema) }), 'alarms'), ...errorResponses },
    }),
    async (c) => {
      const { twin } = c.req.valid('param');
      const api = twinsOf(c);
      if (!api.alarms) throw new AppError('unavailable', 'alarms are not available');
      const alarms = found(await api.alarms(twin, c.req.valid('query')), `twin "${twin}"`);
      return c.json({ alarms: alarms as z.infer<typeof AlarmSchema>[] }, 200);
    },
  );

  return app;
}
