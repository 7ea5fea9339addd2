/**
 * API keys over HTTP (admin only), so `twin keys` works while a service holds the store. The plaintext key appears
 * once, in the create response.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { Role } from '../../control/roles';
import { AppError } from '../../errors';
import { requireRole } from '../auth';
import { router } from '../env';
import { errorResponses, json, jsonBody, security } from '../schemas';
import { smallBody } from './plans';

const KeyInfo = z
  .object({ id: z.string(), prefix: z.string(), role: Role, name: z.string(), created_at: z.string(), revoked_at: z.string().nullable() })
  .openapi('KeyInfo');
const Created = z.object({ id: z.string(), role: Role, name: z.string(), key: z.string() }).openapi('CreatedKey');

export function keyRoutes() {
  const app = router();
  const admin = requireRole('admin');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/keys',
      tags: ['keys'],
      summary: 'Create a key (admin); the key is shown only in this response',
      security,
      middleware: [admin, smallBody] as const,
      request: { body: jsonBody(z.object({ role: Role, name: z.string().min(1).max(200).optional() })) },
      responses: { 201: json(Created, 'the new key'), ...errorResponses },
    }),
    async (c) => {
      const { role, name } = c.req.valid('json');
      const created = await c.var.deps.keys.create(role, name);
      const { actor } = c.var;
      await c.var.deps.audit.append({ actor: actor.id, role: actor.role, via: actor.via, event: 'key.created', target: created.id, details: { role } });
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/keys', tags: ['keys'], summary: 'List keys (admin); never the secrets', security, middleware: [admin] as const, responses: { 200: json(z.object({ keys: z.array(KeyInfo) }), 'keys'), ...errorResponses } }),
    async (c) => c.json({ keys: await c.var.deps.keys.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/keys/{id}/revoke',
      tags: ['keys'],
      summary: 'Revoke a key (admin); it stops working at once',
      security,
      middleware: [admin] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: json(z.object({ id: z.string(), revoked: z.literal(true) }), 'revoked'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await c.var.deps.keys.revoke(id))) throw new AppError('not_found', `no live key "${id}"`);
      const { actor } = c.var;
      await c.var.deps.audit.append({ actor: actor.id, role: actor.role, via: actor.via, event: 'key.revoked', target: id });
      return c.json({ id, revoked: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags: ['keys'],
      summary: 'Who this key is (the web app shows the role and hides buttons it may not use)',
      security,
      responses: { 200: json(z.object({ id: z.string(), role: Role }), 'the caller'), ...errorResponses },
    }),
    (c) => c.json({ id: c.var.actor.id, role: c.var.actor.role }, 200),
  );

  return app;
}
