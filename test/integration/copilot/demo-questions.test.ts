/**
 * The four demo questions of demo-plant.md on the offline model, over the demo plant with 7 days of simulated
 * history, real tools and the store's action adapter: the right expert, the facts from the data, evidence behind
 * every recommendation, and proposals that wait for a person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../../agents/answer';
import { demoCopilot } from './demo-plant';

let ctx: Awaited<ReturnType<typeof demoCopilot>>;
const MANAGER = { id: 'm-1', role: 'manager', via: 'cli' } as const;

beforeAll(async () => {
  ctx = await demoCopilot();
}, 600_000);
afterAll(() => ctx?.plant.close());

function text(a: Answer): string {
  return [a.answer, ...a.recommendations.map((r) => r.text)].join('\n');
}
function backedByEvidence(a: Answer) {
  const ids = new Set(a.evidence.map((e) => e.id));
  expect(a.recommendations.length).toBeGreaterThan(0);
  for (const r of a.recommendations) {
    expect(r.evidence.length).toBeGreaterThan(0);
    for (const id of r.evidence) expect(ids.has(id)).toBe(true);
  }
}

describe('the demo questions on the offline model', () => {
  it('which machine fails next, and when to service it without missing PO-1042', async () => {
    const a = await ctx.copilot.ask({ task: 'Which machine is most likely to fail next, and when should we service it without missing PO-1042?', actor: MANAGER });
    expect(a.provider).toBe('offline');
    expect(a.route.primary).toBe('maintenance');
    expect(a.route.reviewers).toContain('production');
    const t = text(a);
    expect(t).toContain('cnc-a2');
    expect(t).toContain('PO-1042');
    // About 2 to 4 days to the alarm threshold (or the same in hours).
    const days = [...t.matchAll(/(\d+(?:\.\d+)?)\s*(?:days?|d)\b/g)].map((m) => Number(m[1]));
    const hours = [...t.matchAll(/(\d+(?:\.\d+)?)\s*(?:hours?|h)\b/g)].map((m) => Number(m[1]) / 24);
    expect([...days, ...hours].some((d) => d >= 2 && d <= 4)).toBe(true);
    const wo = a.actions.find((x) => x.type === 'create_work_order');
    expect(wo).toMatchObject({ params: { asset: 'cnc-a2' }, status: 'pending_approval' });
    const crew = String(wo!.params.crew ?? '');
    expect(['crew-a', 'crew-c']).toContain(crew); // a crew with a maintenance technician, not the tired crew-b
    expect(a.actions.every((x) => x.status === 'pending_approval')).toBe(true);
    expect(ctx.executed).toEqual([]);
    backedByEvidence(a);
  });

  it('why compressed-air energy is up this week', async () => {
    const a = await ctx.copilot.ask({ task: 'Why is our compressed-air energy up this week?', actor: MANAGER });
    expect(a.route.primary).toBe('energy');
    const t = text(a);
    expect(t).toContain('compressor-1');
    expect(t).toMatch(/1[0-9](\.\d+)?\s*%/); // about 15 % above its usual level
    expect(t).toMatch(/leak/i);
    expect(a.actions.filter((x) => x.type === 'send_command')).toEqual([]);
    backedByEvidence(a);
  });

  it('moving the oven pre-heat out of the peak window, and the saving per month', async () => {
    const a = await ctx.copilot.ask({ task: 'Can we move the oven pre-heat out of the peak window, and what does it save per month?', actor: MANAGER });
    expect(a.route.primary).toBe('energy');
    const t = text(a);
    expect(t).toContain('oven-b1');
    expect(t).toMatch(/\d[\d,.]*\s*EUR\s*(\/|per\s*)month/i);
    backedByEvidence(a);
  });

  it('who should do the cnc-a2 bearing job, given crew fatigue', async () => {
    const a = await ctx.copilot.ask({ task: 'Who should do the cnc-a2 bearing job, given crew fatigue?', actor: MANAGER });
    expect(a.route.primary).toBe('workforce');
    const t = text(a);
    expect(t).toMatch(/crew-a|crew-c/);
    expect(t).toMatch(/not crew-b|crew-b[^.\n]*overtime/);
    for (const x of a.actions) expect(x.params.crew).not.toBe('crew-b');
    backedByEvidence(a);
  });
});
