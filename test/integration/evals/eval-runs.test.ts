/** Eval runs go into the store's eval_runs table and come back as the history the HTML report compares with. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config';
import { PROJECT_ROOT } from '../../../evals/discover';
import { inProcess, runEval } from '../../../evals/runner';
import { readStoredHistory, recordRun } from '../../../evals/store-history';
import { loadSuite } from '../../../evals/suite';
import { recordedHarness } from '../../unit/evals/recorded-harness';

const suite = loadSuite(resolve(PROJECT_ROOT, 'test/fixtures/evals/mini.yaml'), PROJECT_ROOT);

describe('eval_runs', () => {
  it('records a run and its baseline, and reads them back newest first', { timeout: 300_000 }, async () => {
    // An unused port: no service answers there, so the embedded store in DATA_DIR is opened directly.
    const config = parseConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'eval-runs-')), PORT: '9' });
    const harness = recordedHarness(() => ({ route: 'maintenance', answer: 'cnc-a2 in 3 days' }));
    const run = await runEval([suite], inProcess(harness, { provider: 'offline', mode: 'consensus' }), { provider: 'offline', mode: 'consensus', k: 1 });
    const single = await runEval([suite], inProcess(harness, { provider: 'offline', mode: 'single' }), { provider: 'offline', mode: 'single', k: 1 });
    expect(await recordRun(config, [run, single])).toBeNull();
    const history = await readStoredHistory(config);
    expect(history.map((h) => h.mode).sort()).toEqual(['consensus', 'single']);
    const h = history.find((x) => x.mode === 'consensus')!;
    expect(h).toMatchObject({ provider: 'offline', cases: 3, k: 1 });
    expect(h.pass_rate).toBeCloseTo(run.suites[0]!.cases.filter((c) => c.passed).length / 3, 4);
    expect(Object.keys(h.outcomes!)).toEqual(['mini/m-route', 'mini/m-energy', 'mini/m-followup']);
  });
});
