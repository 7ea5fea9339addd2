/**
 * Debian's Chromium driven by playwright-core for the browser end-to-end tests. `chromiumMissing` is the printed
 * reason these tests skip on a machine without /usr/bin/chromium (CI installs it). Screenshots go to
 * test/e2e/screenshots/ (git-ignored) so a person can look at every page at desktop and phone widths, light and dark.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install -y chromium); browser e2e tests skipped`;
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  ctx: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (a test asserts there are none it did not expect). */
  errors: string[];
  shotsDir: string;
  shot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function launch(opts: { width?: number; height?: number; dark?: boolean } = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'twinpilot-e2e-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    ctx,
    page,
    errors,
    shotsDir: SHOTS,
    async shot(name, o = {}) {
      const path = join(SHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: o.fullPage ?? false });
      return path;
    },
    async close() {
      await ctx.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Desktop and phone, light and dark: the four looks every page must read well in. */
export const LOOKS = [
  { name: 'desktop-light', width: 1280, height: 860, dark: false },
  { name: 'desktop-dark', width: 1280, height: 860, dark: true },
  { name: 'phone-light', width: 390, height: 844, dark: false },
  { name: 'phone-dark', width: 390, height: 844, dark: true },
] as const;
