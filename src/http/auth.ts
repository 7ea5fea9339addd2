/**
 * Bearer-key authentication, roles and per-key rate limiting. There is no "auth off": every API route needs a key,
 * on loopback too. A key arrives as `Authorization: Bearer`, as the cookie the web login sets, or as `?token=` on GET
 * (EventSource cannot send headers).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { rateLimiter } from 'hono-rate-limiter';
import { AppError } from '../errors';
import { type Role, atLeast } from '../control/roles';
import type { AppEnv } from './env';

export const COOKIE = 'twinpilot_key';

export function presentedKey(c: Context): string | null {
  const h = c.req.header('authorization');
  if (h) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return m ? m[1] : null;
  }
  const fromCookie = getCookie(c, COOKIE);
  if (fromCookie) return fromCookie;
  if (c.req.method === 'GET') return c.req.query('token') ?? null;
  return null;
}

/** Resolve the caller or answer 401. `via` tells the audit trail which surface acted. */
export function requireKey(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = presentedKey(c);
    if (!key) throw new AppError('unauthorized', 'an API key is required (Authorization: Bearer KEY)');
    // c.get, not c.var: in Hono, every read of c.var copies all variables into a new object (hot path).
    const found = await c.get('deps').keys.verify(key);
    if (!found) throw new AppError('unauthorized', 'invalid or revoked API key');
    const via = c.req.header('authorization') ? 'api' : 'web';
    c.set('actor', { id: found.id, role: found.role, via });
    c.set('keyId', found.id);
    await next();
  };
}

export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (!atLeast(actor.role, role)) {
      throw new AppError('forbidden', `this needs the ${role} role; your key is ${actor.role}`, { needed: role, role: actor.role });
    }
    await next();
  };
}

/** Share of a key's minute left below which responses carry the RateLimit headers (every 429 carries them too). */
const HEADERS_BELOW = 0.1;

function setRateHeaders(c: Context, windowMs: number, limited: boolean): void {
  const info = c.get('rateLimit' as never) as { limit: number; remaining: number; resetTime?: Date } | undefined;
  if (!info || (!limited && info.remaining > info.limit * HEADERS_BELOW)) return;
  const reset = Math.max(0, Math.ceil(((info.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
  c.header('RateLimit-Policy', `${info.limit};w=${Math.ceil(windowMs / 1000)}`);
  c.header('RateLimit-Limit', String(info.limit));
  c.header('RateLimit-Remaining', String(info.remaining));
  c.header('RateLimit-Reset', String(reset));
  if (limited) c.header('Retry-After', String(reset));
}

/**
 * Per-key limit (hono-rate-limiter, in-memory fixed window per replica). The draft-6 RateLimit headers are sent once a
 * key has used 90% of its minute, and on every 429 with Retry-After: setting headers on every response made each
 * authenticated read build a Headers object, a fifth of its cost.
 */
export function perKeyRateLimit(limitPerMinute: number): MiddlewareHandler<AppEnv> {
  const windowMs = 60_000;
  const limiter = rateLimiter<AppEnv>({
    windowMs,
    limit: limitPerMinute,
    standardHeaders: false,
    keyGenerator: (c) => c.get('keyId'),
    handler: (c) => {
      setRateHeaders(c, windowMs, true);
      throw new AppError('rate_limited', `more than ${limitPerMinute} requests a minute for this key`);
    },
  }) as MiddlewareHandler<AppEnv>;
  return (c, next) =>
    limiter(c, async () => {
      setRateHeaders(c, windowMs, false);
      await next();
    });
}

/** Web login (`/?token=KEY`, Jupyter-style): a valid key becomes an HttpOnly cookie and leaves the URL. */
export function loginFromQuery(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = c.req.method === 'GET' ? c.req.query('token') : undefined;
    if (!token || c.req.path.startsWith('/api/') || c.req.path.startsWith('/v1/')) return next();
    const found = await c.get('deps').keys.verify(token);
    if (!found) return next();
    setSessionCookie(c, token);
    const url = new URL(c.req.url);
    url.searchParams.delete('token');
    return c.redirect(`${url.pathname}${url.search}`, 302);
  };
}

export function setSessionCookie(c: Context, key: string): void {
  setCookie(c, COOKIE, key, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 60 * 60 * 24 * 30,
  });
}
