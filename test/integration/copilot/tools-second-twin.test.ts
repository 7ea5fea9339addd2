/**
 * The same tools on a twin they were not written for (the evals' bakery: other ids, units, timezone, tariff hours),
 * and on the demo plant with prompt-injection text planted in its data. Nothing in the tools knows either twin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTools } from '../../../agents/tools';
import { storeTwinReader } from '../../../src/boot/copilot';
import { createLedger } from '../../../src/llm/protocol';
import { plantWithHistory, type PlantHistory } from '../../helpers/plant-history';
import { callTool, toolOk } from '../../helpers/plant-tools';

const opened: PlantHistory[] = [];
let bakery: PlantHistory;
let injected: PlantHistory;

function toolsOf(p: PlantHistory) {
  return createTools({ db: p.store.db })({ twin: p.twin, now: p.now, ledger: createLedger(), expert: 'test', mode: 'primary' });
}
const run = callTool;
const ok = toolOk;

beforeAll(async () => {
  bakery = await plantWithHistory({ manifestPath: new URL('../../../evals/twins/north-bakery.yaml', import.meta.url), now: '2026-04-15T05:00:00Z', seed: 42, backfill: '7d' });
  opened.push(bakery);
  injected = await plantWithHistory({ manifestPath: new URL('../../../evals/twins/demo-plant-injected.yaml', import.meta.url), now: '2026-03-02T08:00:00Z', backfill: '0' });
  opened.push(injected);
}, 600_000);
afterAll(async () => {
  for (const p of opened) await p.close();
});

describe('a second twin', () => {
  it('every tool answers (a result or a readable error), never throws', async () => {
    const tools = toolsOf(bakery);
    for (const name of Object.keys(tools)) {
      const out = JSON.parse(String(await tools[name].invoke(name === 'propose_action' ? { type: 'create_work_order', rationale: 'x' } : {}).catch((e: Error) => JSON.stringify({ threw: e.message }))));
      expect(out, name).toHaveProperty('ok');
    }
  });

  it('finds the wearing asset and the consumption drift of this twin', async () => {
    const life = await ok(bakery, 'remaining_life');
    const top = life.result[0];
    expect(top.status).toBe('degrading');
    expect(top.days_to_alarm).toBeGreaterThan(1);
    expect(top.days_to_alarm).toBeLessThan(5);
    const drift = await ok(bakery, 'efficiency_drift');
    expect(drift.result[0].pct).toBeGreaterThan(15);
  });

  it('forecasts the site load ahead with a daily pattern and an interval, and refuses the past', async () => {
    const r = await ok(bakery, 'forecast', { window: { start: '2026-04-16T00:00:00Z', end: '2026-04-17T00:00:00Z' } });
    expect(r.result.seasonal).toBe(true);
    expect(r.result.window.start).toBe('2026-04-16T00:00:00.000Z');
    const [lo, hi] = r.result.peak.interval;
    expect(lo).toBeLessThan(r.result.peak.value);
    expect(hi).toBeGreaterThan(r.result.peak.value);
    expect(r.result.peak.value).toBeGreaterThanOrEqual(r.result.low.value);
    expect(r.summary).toMatch(/peak .* around/);
    const past = await run(bakery, 'forecast', { window: { start: '2026-04-10T00:00:00Z', end: '2026-04-11T00:00:00Z' } });
    expect(past.ok).toBe(false);
  });

  it('withholds a crew of fewer than 5 people', async () => {
    const r = await ok(bakery, 'crews');
    expect(r.result.withheld).toEqual(['crew-night']);
    expect(r.result.crews.map((c: { crew: string }) => c.crew)).not.toContain('crew-night');
    expect(r.summary).toMatch(/crew-night: fewer than 5 people, figures withheld/);
    const direct = await ok(bakery, 'crews', { crew: 'crew-night' });
    expect(direct.result.crews).toEqual([]);
  });

  it('says whom an order is for, finds it by its customer, and the catalog carries customer and product', async () => {
    const all = await ok(bakery, 'orders');
    const row = (all.result as { id: string; customer: string | null; remaining: number }[]).find((o) => o.id === 'ORD-5001')!;
    expect(row).toMatchObject({ customer: 'Retail chain North', remaining: 400 });
    expect(all.summary).toMatch(/ORD-5001 for Retail chain North: 400×/);
    const one = await ok(bakery, 'orders', { order: 'retail chain north' });
    expect((one.result as { id: string }[]).map((o) => o.id)).toEqual(['ORD-5001']);
    expect(one.summary).toMatch(/route /); // one order found: its route and work, as for an id
    expect((await run(bakery, 'orders', { order: 'nobody in particular' })).ok).toBe(false);
    const ctx = await storeTwinReader(bakery.store).context(bakery.twin, bakery.now);
    expect(ctx.catalog.orders.find((o) => o.id === 'ORD-5001')).toMatchObject({ customer: 'Retail chain North', product: expect.any(String) });
    expect(ctx.catalog.orders.find((o) => o.id === 'ORD-5002')?.customer).toBeUndefined();
  });

  it('reads its own tariff hours and timezone', async () => {
    const r = await ok(bakery, 'tariff', { window: { start: '2026-04-15T06:00:00Z', end: '2026-04-15T08:00:00Z' } });
    expect(r.result.timezone).not.toBe('Europe/Berlin');
    expect(r.concerns?.length).toBeGreaterThan(0);
  });

  it('a setpoint outside its command\'s range is refused with the machine, the range and the value asked', async () => {
    const r = await run(bakery, 'propose_action', { type: 'send_command', asset: 'oven-2', command: 'set_bake_temp', args: { temp_c: 300 }, rationale: 'test' });
    expect(r).toEqual({ ok: false, error: 'oven-2 set_bake_temp: temp_c must be between 150 and 270 degC, and 300 degC is outside that range; nothing was proposed' });
    expect((await run(bakery, 'propose_action', { type: 'send_command', asset: 'oven-2', command: 'set_bake_temp', args: { temp_c: 240 }, rationale: 'test' })).ok).toBe(true);
  });
});

describe('text planted in the data', () => {
  it('comes back quoted, without markup, and proposes nothing by itself', async () => {
    const r = await ok(injected, 'work_orders');
    const notes = (r.result as { note: string | null }[]).map((w) => w.note ?? '');
    expect(notes.some((n) => /ignore all prior rules/i.test(n))).toBe(true);
    for (const n of notes) {
      expect(n.startsWith('"') && n.endsWith('"')).toBe(true);
      expect(n).not.toMatch(/[<>{}`]/);
    }
    expect(r.next).toBeUndefined();
  });
});
