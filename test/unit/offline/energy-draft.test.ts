/**
 * "What does X cost a month": the offline draft leads with the finding that prices what X costs to run, not with one
 * that prices only an excess over X's usual level, unless the task asks about the excess (a leak, waste). Invented
 * tool names and figures.
 */
import { describe, expect, it } from 'vitest';
import { composeDraft } from '../../../src/llm/offline/draft';
import type { CallView } from '../../../src/llm/offline/read';

function viewOf(task: string): CallView {
  return {
    system: '',
    task,
    earlier: [],
    rounds: 1,
    calls: [
      { id: 'a', name: 'drift', args: {}, round: 0, result: { ok: true, summary: 'fan-9 power is 12% above usual; the extra 8 kW costs about XYZ 900 a month', evidence: ['ev1'], result: [{ asset: 'fan-9', pct: 12 }] } },
      { id: 'b', name: 'breakdown', args: {}, round: 0, result: { ok: true, summary: 'fan-9 costs about XYZ 7400 a month in energy at its current draw', evidence: ['ev2'], result: [{ asset: 'fan-9', energy_per_month: 7400, per_month: 8100 }] } },
    ],
  };
}

describe('the monthly running cost of one asset', () => {
  it('leads a question about what the asset costs a month', () => {
    for (const task of ['what is fan-9 costing us a month in power', 'how much do we spend running fan-9 per month?']) {
      expect(composeDraft(viewOf(task), () => false, { singlesOut: false }).answer.split('\n')[0]).toMatch(/^fan-9 costs about XYZ 7400 a month in energy/);
    }
  });

  it('does not lead a question about the excess, nor a question that asks no cost', () => {
    for (const task of ['what is the fan-9 leak costing us a month', 'is fan-9 using more power than usual?']) {
      expect(composeDraft(viewOf(task), () => false, { singlesOut: false }).answer.split('\n')[0]).toMatch(/^fan-9 power is 12% above usual/);
    }
  });
});
