/**
 * The eval HTML report opens in Chromium, fetches nothing, and shows its charts (pass rate by suite and expert, cost per
 * case, comparison between runs). The screenshot lands in test/e2e/screenshots/eval-report.png for a person to look at.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../evals/discover';
import { writeReport } from '../../evals/report/write';
import { inProcess, runEval } from '../../evals/runner';
import { loadSuite } from '../../evals/suite';
import type { Mode } from '../../evals/types';
import { recordedHarness, type Responder } from '../unit/evals/recorded-harness';
import { type Browser, chromiumMissing, launch } from './browser';

if (chromiumMissing) console.warn(chromiumMissing);

const suite = loadSuite(resolve(PROJECT_ROOT, 'test/fixtures/evals/mini.yaml'), PROJECT_ROOT);
const answers = (quality: number): Responder => (task, { turn }) => {
  if (/fails next/i.test(task)) {
    return {
      route: 'maintenance',
      reviewers: ['production'],
      answer: 'cnc-a2 reaches its alarm in about 2.8 days.',
      actions: [{ type: 'create_work_order', params: { asset: 'cnc-a2' } }],
      tools: ['remaining_life'],
      usage: { prompt_tokens: 900, completion_tokens: 120, ms: 40 },
    };
  }
  if (/compressed-air/i.test(task)) return { route: quality > 0 ? 'energy' : 'maintenance', answer: 'compressor-1 leak, +15% power', usage: { prompt_tokens: 400, ms: 25 } };
  return { route: 'production', answer: turn ? 'late by 6 h' : 'on time', usage: { prompt_tokens: 600, ms: 30 } };
};
const run = (q: number, mode: Mode) => runEval([suite, { ...suite, name: 'mini-copy' }], inProcess(recordedHarness(answers(q)), { provider: 'offline', mode }), { provider: 'offline', mode, k: 1 });

describe.skipIf(chromiumMissing !== null)('eval HTML report in Chromium', () => {
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-html-'));
    writeReport(dir, await run(0, 'consensus'));
    writeReport(dir, await run(1, 'consensus'), { baseline: await run(0, 'single') });
    file = join(dir, 'index.html');
    browser = await launch({ width: 1280, height: 900 });
  });
  afterAll(async () => browser?.close());

  it('renders the charts with bars and points, offline', async () => {
    const requests: string[] = [];
    browser.page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await browser.page.goto(pathToFileURL(file).href);
    const charts = browser.page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThanOrEqual(4);
    const labels = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels).toEqual(expect.arrayContaining(['Pass rate by suite', 'Pass rate by expert', 'Comparison between runs: pass^1']));
    expect(await browser.page.locator('svg.chart rect.bar').count()).toBeGreaterThan(6);
    expect(await browser.page.locator('svg.chart circle.point').count()).toBeGreaterThanOrEqual(3);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(await browser.page.locator('#pass-rate').textContent()).toBe('100%');
    const path = await browser.shot('eval-report', { fullPage: true });
    console.info(`eval report screenshot: ${path}`);
    expect(requests).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
