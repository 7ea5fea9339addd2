/**
 * Web sessions: the web app trades a key for an HttpOnly cookie (also done by `/?token=KEY`) and can log out.
 * The cookie holds the key itself, so revoking the key ends every session that uses it at once.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie } from 'hono/cookie';
import { Role } from '../../control/roles';
import { AppError } from '../../errors';
import { COOKIE, setSessionCookie } from '../auth';
import { router } from '../env';
import { errorResponses, json, jsonBody } from '../schemas';
import { smallBody } from './plans';

export function sessionRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/session',
      tags: ['keys'],
      summary: 'Log in the browser: sets the session cookie for a valid key',
      middleware: [smallBody] as const,
      request: { body: jsonBody(z.object({ token: z.string().min(1).max(200) })) },
      responses: { 200: json(z.object({ id: z.string(), role: Role }), 'logged in'), ...errorResponses },
    }),
    async (c) => {
      const { token } = c.req.valid('json');
      const found = await c.var.deps.keys.verify(token);
      if (!found) throw new AppError('unauthorized', 'invalid or revoked API key');
      setSessionCookie(c, token);
      return c.json({ id: found.id, role: found.role }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/v1/session', tags: ['keys'], summary: 'Log out the browser', responses: { 200: json(z.object({ ok: z.literal(true) }), 'logged out') } }),
    (c) => {
      deleteCookie(c, COOKIE, { path: '/' });
      return c.json({ ok: true as const }, 200);
    },
  );
  return app;
}
