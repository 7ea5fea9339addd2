/**
 * The API reference at /docs (Scalar), rendered from /openapi.json with its script served by this service: the
 * browser bundle of `@scalar/api-reference` (a pinned dependency) at /docs/scalar.js, so the page works offline. Its
 * fonts, telemetry and hosted extras are off for the same reason: nothing on the page reaches beyond this host.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { AppError } from '../../errors';
import type { AppEnv } from '../env';

export const SCALAR_SCRIPT_PATH = '/docs/scalar.js';

/** The standalone browser bundle inside the installed package (its exports do not list it, so found from the entry). */
function standalonePath(): string {
  const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return join(dirname(entry), 'browser', 'standalone.js');
}

interface Script {
  raw: Buffer;
  gzipped: Buffer;
  etag: string;
}

export function docsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Read and compress once, on the first request (about 5 MB raw, under 1.5 MB gzipped).
  let script: Promise<Script> | null = null;
  const load = async (): Promise<Script> => {
    const raw = await readFile(standalonePath());
    const gzipped = await promisify(gzip)(raw);
    return { raw, gzipped, etag: `"scalar-${raw.length.toString(36)}-${gzipped.length.toString(36)}"` };
  };

  app.get(SCALAR_SCRIPT_PATH, async (c) => {
    script ??= load();
    let s: Script;
    try {
      s = await script;
    } catch {
      script = null;
      throw new AppError('unavailable', 'the API reference script is not installed (npm install @scalar/api-reference)');
    }
    const headers: Record<string, string> = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', etag: s.etag, vary: 'accept-encoding' };
    if (c.req.header('if-none-match') === s.etag) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(new Uint8Array(s.gzipped), 200, { ...headers, 'content-encoding': 'gzip' });
    return c.body(new Uint8Array(s.raw), 200, headers);
  });

  app.get(
    '/docs',
    Scalar({
      url: '/openapi.json',
      pageTitle: 'Twinpilot API',
      cdn: SCALAR_SCRIPT_PATH,
      withDefaultFonts: false,
      telemetry: false,
      // Scalar's hosted extras (its AI agent, developer tools on localhost) need its servers; an offline page hides them.
      showDeveloperTools: 'never',
      agent: { disabled: true },
    }),
  );
  return app;
}
