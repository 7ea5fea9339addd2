import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config';
import { PROJECT_ROOT } from '../../../evals/discover';
import { inProcess, runEval } from '../../../evals/runner';
import { createJudge, judgePrompt, judgeWith } from '../../../evals/scorers/judge';
import { loadSuite } from '../../../evals/suite';
import { summarize } from '../../../evals/summary';
import { recordedHarness } from './recorded-harness';

const suite = loadSuite(resolve(PROJECT_ROOT, 'test/fixtures/evals/mini.yaml'), PROJECT_ROOT);

describe('the faithfulness judge', () => {
  it('does not run on the offline provider', async () => {
    expect(await createJudge(parseConfig({}), 'offline')).toBeNull();
  });

  it('is reported beside the deterministic scores and never changes whether a case passed', async () => {
    const run = await runEval([suite], inProcess(recordedHarness(() => ({ route: 'energy', answer: 'compressor-1 leak' })), { provider: 'openai', mode: 'consensus' }), { provider: 'openai', mode: 'consensus', k: 1 });
    const before = summarize(run);
    const seen: string[] = [];
    const { mean, judged } = await judgeWith({ judge: async (i) => (seen.push(judgePrompt(i)), { score: 0.5, unsupported: ['x'] }) }, run);
    expect(judged).toBe(3);
    expect(mean).toBe(0.5);
    expect(seen[0]).toMatch(/EVIDENCE:\n- ev1 readings x\/y: recorded/);
    expect(summarize(run)).toEqual(before);
    expect(run.suites[0]!.cases[0]!.trials[0]!.judge).toEqual({ score: 0.5, unsupported: ['x'] });
  });
});
