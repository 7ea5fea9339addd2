/**
 * The web app's own behaviour in a real browser, over the HTTP layer with test doubles: login by URL token (taken
 * once, stripped from the address bar), a 403 on approval shown on the card, hostile twin text kept inert, and
 * screenshots of every page at desktop and phone widths in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { webRoutes } from '../../src/http/routes/web';
import { testDeps, type TestService } from '../helpers/http-doubles';
import { listen } from '../helpers/listen';
import { LOOKS, chromiumMissing, launch } from './browser';
import { installFakePlant } from './fixtures/fake-plant';

if (chromiumMissing) console.warn(`[e2e] ${chromiumMissing}`);

describe.skipIf(!!chromiumMissing)('web app in a browser (HTTP doubles)', { timeout: 300_000 }, () => {
  let svc: TestService;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    svc = testDeps();
    installFakePlant(svc);
    svc.deps.mounts = [{ path: '/', app: webRoutes() }];
    server = await listen(createApp(svc.deps, { log: () => undefined }).fetch);
  });
  afterAll(async () => server?.close());

  it('takes the login token once, strips it from the URL, and rejects a bad key with the login form', async () => {
    const b = await launch();
    try {
      await b.page.goto(`${server.url}/?token=not-a-real-key`);
      await b.page.waitForSelector('form.login-card');
      expect(b.page.url()).not.toContain('token=');
      await b.shot('login-bad-key');
      const key = await svc.keyFor('manager');
      await b.page.fill('#key', key);
      await b.page.click('form.login-card button[type=submit]');
      await b.page.waitForSelector('.mainnav');
      expect(await b.page.textContent('.badge-role')).toBe('manager');
      // The key now lives in an HttpOnly cookie, out of reach of page scripts and out of localStorage.
      expect(await b.page.evaluate(() => document.cookie)).not.toContain(key);
      expect(await b.page.evaluate(() => JSON.stringify(localStorage))).not.toContain(key);

      const b2 = await launch();
      try {
        await b2.page.goto(`${server.url}/?token=${encodeURIComponent(key)}#/twin`);
        await b2.page.waitForSelector('.tree');
        expect(b2.page.url()).not.toContain(key);
      } finally {
        await b2.close();
      }
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('shows a 403 on the action card when the role is too low, and keeps hostile twin text inert', async () => {
    const b = await launch();
    try {
      await b.page.goto(`${server.url}/?token=${encodeURIComponent(await svc.keyFor('viewer'))}`);
      await b.page.click('button.example');
      await b.page.waitForSelector('.answer .action-card');
      await b.page.click('.answer .action-card button:has-text("Approve")');
      const note = await b.page.waitForSelector('.action-card .notice-forbidden');
      expect(await note.textContent()).toMatch(/403/);
      expect(await note.textContent()).toMatch(/manager/);
      expect(svc.audit.rows.some((r) => r.event === 'approval_refused' && r.target.startsWith('act_fake_'))).toBe(true);
      // Not one element came from twin text: no img, no script, no javascript: link; no alert fired.
      expect(await b.page.locator('.answer img, .answer script, .trace img, a[href^="javascript:"]').count()).toBe(0);
      expect(await b.page.textContent('.answer .prose')).toContain('<script>alert(2)</script>');
      await b.shot('forbidden-approval', { fullPage: true });
      await b.page.goto(`${server.url}/#/twin`);
      await b.page.waitForSelector('.alarms li');
      expect(await b.page.locator('.alarms img').count()).toBe(0);
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('renders every page at desktop and phone widths in light and dark', async () => {
    const key = await svc.keyFor('manager');
    for (const look of LOOKS) {
      const b = await launch(look);
      try {
        await b.page.goto(`${server.url}/?token=${encodeURIComponent(key)}`);
        await b.page.waitForSelector('.mainnav');
        await b.shot(`ui-${look.name}-chat-empty`);
        await b.page.click('button.example');
        await b.page.waitForSelector('.answer');
        await b.shot(`ui-${look.name}-chat-answer`, { fullPage: true });
        await b.page.click('.evidence-list a.ev-link');
        await b.page.waitForSelector('.chart-panel[data-prop="vibration_rms"] canvas');
        await b.shot(`ui-${look.name}-asset-evidence`);
        await b.page.goto(`${server.url}/#/twin`);
        await b.page.waitForSelector('.tree');
        await b.shot(`ui-${look.name}-twin`);
        await b.page.goto(`${server.url}/#/approvals`);
        await b.page.waitForSelector('.action-card');
        await b.shot(`ui-${look.name}-approvals`);
        // Nothing may overflow the viewport sideways at any width.
        const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${look.name} overflows`).toBeLessThanOrEqual(1);
        expect(b.errors).toEqual([]);
      } finally {
        await b.close();
      }
    }
  });
});
