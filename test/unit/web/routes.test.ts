/** webRoutes(): builds a missing bundle, serves it with the right caching and security headers, and nothing else. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../../../src/http/routes/web';
import { buildWeb, isStale, readManifest } from '../../../src/web/build';

const dist = mkdtempSync(join(tmpdir(), 'twinpilot-web-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('webRoutes', () => {
  it('builds on first use and serves index.html uncached with a strict CSP', async () => {
    expect(isStale(dist)).toBe(true);
    const app = webRoutes({ distDir: dist });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    const m = readManifest(dist)!;
    expect(html).toContain(`/assets/${m.js}`);
    expect(html).toContain(`/assets/${m.css}`);
    expect(html).not.toMatch(/(src|href)=["']https?:/); // no CDN: everything comes from this service
    expect(isStale(dist)).toBe(false);
  });

  it('serves the hashed bundle as immutable, answers 304 to its ETag, and 404s anything else', async () => {
    const app = webRoutes({ distDir: dist });
    const m = readManifest(dist)!;
    const js = await app.request(`/assets/${m.js}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const body = await js.text();
    expect(body.length).toBeGreaterThan(10_000);
    const again = await app.request(`/assets/${m.js}`, { headers: { 'If-None-Match': js.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const css = await app.request(`/assets/${m.css}`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    for (const p of ['/assets/manifest.json', '/assets/..%2Fmanifest.json', '/assets/app-OLD.js', '/assets/index.html']) expect((await app.request(p)).status).toBe(404);
  });

  it('rebuilds when a source changed since the bundle was made', async () => {
    const m = readManifest(dist)!;
    const manifestPath = join(dist, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify({ ...m, sourceHash: 'stale' }));
    expect(isStale(dist)).toBe(true);
    const app = webRoutes({ distDir: dist });
    expect((await app.request('/')).status).toBe(200);
    expect(JSON.parse(readFileSync(manifestPath, 'utf8')).sourceHash).not.toBe('stale');
  });

  it('answers 503 with the error shape when told not to build and nothing is built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'twinpilot-web-empty-'));
    try {
      const res = await webRoutes({ distDir: empty, build: false }).request('/');
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBeTypeOf('string');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('builds the same bundle twice over (content-hashed names)', async () => {
    const a = await buildWeb({ distDir: dist });
    const b = await buildWeb({ distDir: dist });
    expect(a.js).toBe(b.js);
    expect(a.sourceHash).toBe(b.sourceHash);
  });
});
