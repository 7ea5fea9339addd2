/**
 * The API reference renders offline: /docs in Chromium with every request beyond this host refused. The page's
 * script comes from the service (/docs/scalar.js, the pinned @scalar/api-reference bundle), not from a CDN, and the
 * operations of /openapi.json show up, the new twin routes among them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { testDeps } from '../helpers/http-doubles';
import { listen } from '../helpers/listen';
import { chromiumMissing, launch } from './browser';

if (chromiumMissing) console.warn(`[e2e] ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('API reference in a browser, offline', { timeout: 300_000 }, () => {
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await listen(createApp(testDeps().deps, { log: () => undefined }).fetch);
  });
  afterAll(async () => server?.close());

  it('renders /docs from local assets with the network blocked beyond localhost', async () => {
    const b = await launch();
    const blocked: string[] = [];
    const local: { url: string; status: number }[] = [];
    try {
      await b.ctx.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
        blocked.push(url.href);
        return route.abort('internetdisconnected');
      });
      b.page.on('response', (r) => local.push({ url: r.url(), status: r.status() }));
      await b.page.goto(`${server.url}/docs`);
      // Scalar draws the document's title and one entry per operation once its script has run.
      await b.page.getByRole('heading', { name: 'Twinpilot API' }).first().waitFor({ timeout: 120_000 });
      await b.page.getByText('Open Group - twins').first().click();
      await b.page.getByText('Alarms of a twin', { exact: false }).first().waitFor({ timeout: 60_000 });
      await b.shot('api-docs-offline');
      const text = await b.page.evaluate(() => document.body.innerText);
      expect(text).not.toContain('Developer Tools');

      const html = await (await fetch(`${server.url}/docs`)).text();
      expect(html).toContain('src="/docs/scalar.js"');
      expect(html).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
      expect(local.find((r) => r.url.endsWith('/docs/scalar.js'))?.status).toBe(200);
      expect(local.find((r) => r.url.endsWith('/openapi.json'))?.status).toBe(200);
      // Nothing on the page needed the outside world (fonts and telemetry are off).
      expect(blocked).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('serves the script compressed and cacheable', async () => {
    const gz = await fetch(`${server.url}/docs/scalar.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-type')).toMatch(/javascript/);
    expect((await gz.text()).length).toBeGreaterThan(100_000); // fetch decompresses
    const etag = gz.headers.get('etag')!;
    expect((await fetch(`${server.url}/docs/scalar.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});
