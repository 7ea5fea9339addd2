/**
 * Serves the browser app at `/`: index.html (never cached, so a new bundle is picked up at once), the content-hashed
 * JS and CSS under /assets/ (cached for a year, immutable), with a strict Content-Security-Policy. The bundle is built
 * on first use when it is missing or older than its sources, so a fresh clone's first `npm start` serves it.
 * Public by design: the page holds no data; every API call it makes needs a key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { DEFAULT_DIST, ensureWebBundle, type WebManifest } from '../../web/build';

export interface WebRoutesOptions {
  /** Where the bundle lives (tests use a temporary directory). */
  distDir?: string;
  /** Build when missing or stale (default true). Off: serve what is there, 503 when nothing is. */
  build?: boolean;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export function webRoutes(opts: WebRoutesOptions = {}): Hono {
  const distDir = opts.distDir ?? DEFAULT_DIST;
  const app = new Hono();
  let ready: Promise<WebManifest | null> | null = null;
  const files = new Map<string, { body: Uint8Array<ArrayBuffer>; etag: string }>();

  // Built (or checked) once per process; a failed build is retried on the next request.
  const bundle = (): Promise<WebManifest | null> => {
    ready ??= (opts.build === false ? readManifestOrNull(distDir) : ensureWebBundle({ distDir })).catch((err: unknown) => {
      ready = null;
      throw err;
    });
    return ready;
  };

  // Start building as the service starts, not when the first person opens the page.
  bundle().catch(() => undefined);

  const load = async (name: string) => {
    let f = files.get(name);
    if (!f) {
      const body = new Uint8Array(await readFile(join(distDir, name)));
      f = { body, etag: `"${name.replace(/[^\w.-]/g, '')}-${body.byteLength}"` };
      files.set(name, f);
    }
    return f;
  };

  const index = async (c: import('hono').Context) => {
    let m: WebManifest | null;
    try {
      m = await bundle();
    } catch (err) {
      return c.json({ error: { code: 'internal', message: `the web app could not be built: ${err instanceof Error ? err.message : String(err)}`, details: null } }, 503);
    }
    if (!m) return c.json({ error: { code: 'unavailable', message: 'the web app is not built; run npm run build:web', details: null } }, 503);
    const html = await readFile(join(distDir, 'index.html'));
    return c.body(new Uint8Array(html), 200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  };

  app.get('/', index);
  app.get('/index.html', index);

  app.get('/assets/:file', async (c) => {
    const name = c.req.param('file');
    const ext = name.split('.').pop() ?? '';
    let m: WebManifest | null = null;
    try {
      m = await bundle();
    } catch {
      /* fall through to 404 */
    }
    // Only the files the current manifest names are served: no path is ever taken from the request.
    if (!m || (name !== m.js && name !== m.css) || !TYPES[ext]) return c.json({ error: { code: 'not_found', message: 'no such asset', details: null } }, 404);
    const f = await load(name);
    const headers = { ...SECURITY_HEADERS, 'Content-Type': TYPES[ext]!, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: f.etag };
    if (c.req.header('if-none-match') === f.etag) return new Response(null, { status: 304, headers });
    return c.body(f.body, 200, headers);
  });

  return app;
}

async function readManifestOrNull(distDir: string): Promise<WebManifest | null> {
  const { readManifest } = await import('../../web/build');
  return readManifest(distDir);
}
