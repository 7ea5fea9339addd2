/**
 * The copilot's tools over the demo plant with 7 days of simulated history (seed 42, now 2026-03-02T08:00Z), read
 * through the real store: the facts demo-plant.md promises must come out of the tools, and propose_action must
 * validate against the twin and never execute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTools } from '../../../agents/tools';
import { createLedger } from '../../../src/llm/protocol';
import { plantWithHistory, type PlantHistory } from '../../helpers/plant-history';
import { callTool, toolOk } from '../../helpers/plant-tools';

let plant: PlantHistory;
const call = (name: string, args: Record<string, unknown>) => callTool(plant, name, args);
const ok = (name: string, args: Record<string, unknown> = {}) => toolOk(plant, name, args);

beforeAll(async () => {
  plant = await plantWithHistory({ manifestPath: new URL('../../../twins/demo-plant.yaml', import.meta.url), now: '2026-03-02T08:00:00Z', seed: 42, backfill: '7d' });
}, 600_000);
afterAll(async () => plant?.close());

describe('demo plant facts through the tools', () => {
  it('cnc-a2 reaches its vibration alarm in 2–4 days; the other CNCs are not degrading', async () => {
    const r = await ok('remaining_life', { type: 'cnc_mill' });
    const [top, ...rest] = r.result as { asset: string; property: string; status: string; days_to_alarm: number }[];
    expect(top).toMatchObject({ asset: 'cnc-a2', property: 'vibration_rms', status: 'degrading' });
    expect(top.days_to_alarm).toBeGreaterThanOrEqual(2);
    expect(top.days_to_alarm).toBeLessThanOrEqual(4);
    expect(rest.map((x) => [x.asset, x.status])).toEqual([['cnc-a1', 'not_degrading'], ['cnc-a3', 'not_degrading']]);
    expect(r.summary).toMatch(/cnc-a2 is the most likely to fail next/);
    expect(r.next?.[0]).toMatchObject({ tool: 'maintenance_window', args: { asset: 'cnc-a2' } });
    expect(r.evidence.length).toBeGreaterThan(0);
  });

  it('the work orders of one asset are quoted in full, their notes as data', async () => {
    const r = await ok('work_orders', { asset: 'compressor-2' });
    expect(r.summary).toMatch(/WO-77 preventive on compressor-2, open, due .*, 4 h, note \(data\): "?Annual service/);
  });

  it('asked for the remaining life of a property with no alarm limit, trends the ones that have one and says so', async () => {
    const r = await ok('remaining_life', { asset: 'cnc-a2', property: 'serial_no' });
    expect((r.result as { property: string }[])[0]?.property).toBe('vibration_rms');
    expect(r.summary).toMatch(/serial_no has no alarm limit/);
  });

  it('PO-1042 is on time with three CNCs and late if cnc-a2 is lost for 48 h', async () => {
    const orders = await ok('orders', { order: 'PO-1042' });
    expect(orders.result[0]).toMatchObject({ id: 'PO-1042', late: false });
    const lost = await ok('simulate_schedule', { asset: 'cnc-a2', hours: 48 });
    expect(lost.result.new_late_orders).toContain('PO-1042');
    expect(lost.concerns?.join(' ')).toMatch(/PO-1042 late/);
    // The arithmetic behind it: 1,080 gears × 6 min on the two CNCs left is 54 h.
    expect(lost.summary).toMatch(/PO-1042 late by [\d.]+ h.*needs 54 h of milling on 2 of 3 station/);
  });

  it('a breakdown of unknown length says how long the machine may stay down before an order goes late', async () => {
    const r = await ok('simulate_schedule', { asset: 'cnc-a2', hours: 24 });
    expect(r.result.new_late_orders).toEqual([]);
    const m = /PO-1042 goes late if cnc-a2 is down more than about (\d+) h/.exec(r.summary);
    expect(m).not.toBeNull();
    const tolerance = Number(m![1]);
    expect(tolerance).toBeGreaterThan(24);
    expect(tolerance).toBeLessThan(48);
    // And it holds: one hour past it, the order is late.
    const past = await ok('simulate_schedule', { asset: 'cnc-a2', hours: tolerance + 2 });
    expect(past.result.new_late_orders).toContain('PO-1042');
  });

  it('an order read names its route and busiest station; capacity takes a product', async () => {
    const o = await ok('orders', { order: 'PO-1043' });
    expect(o.summary).toMatch(/route press-b1 → oven-b1 → pack-b1, busiest oven-b1/);
    const c = await ok('capacity', { sku: 'SKU-GEAR-40' });
    expect(c.summary).toMatch(/bottleneck for SKU-GEAR-40: cnc-a\d/);
  });

  it('a line or site stands for the machines under it: its bottleneck and its work orders', async () => {
    const line = await ok('capacity', { asset: 'line-b' });
    expect(line.summary).toMatch(/^bottleneck on line-b: (press-b1|oven-b1|pack-b1) at/);
    const site = await ok('work_orders', { asset: 'plant', status: 'open' });
    expect(site.summary).toMatch(/WO-77 preventive on compressor-2, open/);
    expect((await ok('work_orders', { asset: 'line-a' })).summary).toBe('no work orders for line-a');
  });

  it('a crew\'s overtime is stated against its limit, with the hours left', async () => {
    const c = await ok('crews');
    expect(c.summary).toMatch(/h overtime of the \d+(\.\d+)? h limit, \d+(\.\d+)? h left/);
    expect(c.summary).toMatch(/crew-b[^;]*over the \d+(\.\d+)? h limit/);
  });

  it('more overtime asked is checked against every crew\'s limit, and the crew closest to its limit is named', async () => {
    const c = await ok('crews', { extra_hours: 4 });
    expect(c.summary).toMatch(/closest to its overtime limit: crew-b \(12 of 10 h, over it\)/);
    expect(c.summary).toMatch(/4 h more overtime this week: within the limit for crew-a \(10 h left\), crew-c \(10 h left\); would exceed it for crew-b \(only 0 h left, 16 h in all\)/);
    expect(c.result.closest_to_limit).toBe('crew-b');
    expect(c.result.headroom).toEqual([
      { crew: 'crew-a', fits: true, left: 10, after: 4 },
      { crew: 'crew-b', fits: false, left: 0, after: 16 },
      { crew: 'crew-c', fits: true, left: 10, after: 4 },
    ]);
    expect((await ok('crews', { crew: 'crew-a', extra_hours: 10 })).summary).toMatch(/10 h more overtime this week: within the limit for crew-a \(10 h left\)$/);
  });

  it('compressor-1 draws about 15% more power than usual, with sagging pressure; compressor-2 does not', async () => {
    const r = await ok('efficiency_drift', { type: 'air_compressor' });
    const rows = r.result as { asset: string; pct: number; related: string[] }[];
    const c1 = rows.find((x) => x.asset === 'compressor-1')!;
    expect(c1.pct).toBeGreaterThan(10);
    expect(c1.pct).toBeLessThan(20);
    expect(c1.related.join(' ')).toMatch(/outlet_pressure_bar.*leak/s);
    expect(Math.abs(rows.find((x) => x.asset === 'compressor-2')!.pct)).toBeLessThan(5);
    // The excess is priced at the tariff, and the leak is seen from the pressure side too.
    expect(r.summary).toMatch(/the extra [\d.]+ kW costs about EUR \d+ a month/);
    const fromPressure = await ok('efficiency_drift', { asset: 'compressor-1', property: 'outlet_pressure_bar' });
    expect(fromPressure.summary).toMatch(/below its usual level.*consistent with a leak/s);
  });

  it('one asset\'s breakdown says what it costs a month at its current draw, with its share of the demand charge, each figure with its period', async () => {
    const r = await ok('energy_breakdown', { asset: 'compressor-1' });
    expect(r.summary).toMatch(/^compressor-1 costs about EUR \d+ a month in energy at its current draw \(about [\d.]+ kW since [A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d\d:\d\d\); about EUR \d+ a month with its share of the demand charge \([\d.]+ kW of the site's [\d.]+ kW peak demand at .* × 14 EUR\/kW = EUR \d+ a month\)\. Over .* \(7 days\) it used \d+ kWh, costing EUR \d+/);
    const [row] = r.result as { energy_per_month: number; energy_cost: number; days: number; current_kw: number; demand_share_kw: number; per_month: number }[];
    // Priced at the raised draw since the leak began: more than the week's cost scaled to a month.
    expect(row.energy_per_month).toBeGreaterThan((row.energy_cost * 30.44) / row.days);
    expect(row.current_kw).toBeGreaterThan(45);
    expect(row.per_month).toBeCloseTo(row.energy_per_month + row.demand_share_kw * 14, 6);
  });

  it('the site breakdown names the peak demand, when the site comes near it, and the load that lifts it', async () => {
    const r = await ok('energy_breakdown');
    expect(r.summary).toMatch(/peak \(maximum\) demand \d+ kW at .*near it \(within 3%\) on .*1[6-9]:\d\d–(19|20):\d\d/);
    expect(r.summary).toMatch(/the peak is driven by oven-b1 \([\d.]+ kW at the peak, [\d.]+ kW above its usual/);
    expect(r.summary).toMatch(/largest loads over the same days: compressor-1/);
  });

  it('moving the oven pre-heat out of the peak window saves EUR per month', async () => {
    const r = await ok('load_shift');
    expect(r.result.asset).toBe('oven-b1');
    expect(r.result.starts).toMatch(/^16:(15|30|45)$/);
    expect(r.result.currency).toBe('EUR');
    expect(r.result.options[0].saving_per_month).toBeGreaterThan(100);
    expect(r.summary).toMatch(/saves about \d+ EUR\/month/);
  });

  it('the maintenance window keeps the orders on time, avoids the tired crew and suggests a work order', async () => {
    const r = await ok('maintenance_window', { asset: 'cnc-a2' });
    expect(r.result.crew).not.toBe('crew-b');
    const best = r.result.ranked[0];
    expect(best.feasible).toBe(true);
    expect(best.newLateOrders).toEqual([]);
    expect(Date.parse(best.end)).toBeLessThanOrEqual(Date.parse(r.result.deadline));
    expect(r.next?.[0]).toMatchObject({ tool: 'propose_action', args: { type: 'create_work_order', asset: 'cnc-a2' } });
    const p = await ok('propose_action', r.next![0].args);
    expect(p.result).toMatchObject({ type: 'create_work_order', params: { asset: 'cnc-a2' }, risk: 'medium' });
    expect(p.summary).toMatch(/nothing was executed/);
  });

  it('reviewer checks raise concerns: tired crew on shift, peak tariff, order made late', async () => {
    const evening = { start: '2026-03-02T15:00:00Z', end: '2026-03-02T19:00:00Z' };
    expect((await ok('crews', { window: evening })).concerns?.join(' ')).toMatch(/crew-b.*overtime limit/);
    expect((await ok('tariff', { window: evening })).concerns?.join(' ')).toMatch(/peak tariff window 17:00-20:00/);
    // Before 17:00 local (16:00 UTC in March), and at the same hours on a Saturday, the base rate applies.
    expect((await ok('tariff', { window: { start: '2026-03-02T12:00:00Z', end: '2026-03-02T16:00:00Z' } })).concerns).toBeUndefined();
    expect((await ok('tariff', { window: { start: '2026-03-07T15:00:00Z', end: '2026-03-07T19:00:00Z' } })).concerns).toBeUndefined();
    const long = { start: '2026-03-02T08:00:00Z', end: '2026-03-04T08:00:00Z' };
    expect((await ok('orders', { asset: 'cnc-a2', window: long })).concerns?.join(' ')).toMatch(/PO-1042/);
  });

  it('workforce figures are per crew, and the reviewer scope cannot propose', async () => {
    const r = await ok('crews');
    expect(r.result.crews.map((c: { crew: string }) => c.crew)).toEqual(['crew-a', 'crew-b', 'crew-c']);
    expect(r.result.best_placed).not.toContain('crew-b');
    const reviewer = createTools({ db: plant.store.db })({ twin: plant.twin, now: plant.now, ledger: createLedger(), expert: 'x', mode: 'reviewer' });
    expect(reviewer.propose_action).toBeUndefined();
  });

  it('propose_action validates against the twin and takes command risk from the manifest', async () => {
    const stop = await ok('propose_action', { type: 'send_command', asset: 'cnc-a1', command: 'stop', rationale: 'asked' });
    expect(stop.result).toMatchObject({ params: { asset: 'cnc-a1', command: 'stop' }, risk: 'high' });
    expect(await call('propose_action', { type: 'send_command', asset: 'cnc-a1', command: 'self_destruct', rationale: 'x' })).toMatchObject({ ok: false });
    expect(await call('propose_action', { type: 'send_command', asset: 'oven-b1', command: 'set_zone_temp', args: { temp_c: 999 }, rationale: 'x' })).toMatchObject({ ok: false });
    expect(await call('propose_action', { type: 'create_work_order', asset: 'no-such-thing', window: { start: '2026-03-03T00:00:00Z', end: '2026-03-03T04:00:00Z' }, rationale: 'x' })).toMatchObject({ ok: false });
  });

  it('bad arguments come back as errors the model can read, never as exceptions', async () => {
    expect(await call('asset_history', { asset: 'cnc-a2', property: 'colour' })).toMatchObject({ ok: false, error: expect.stringMatching(/vibration_rms/) });
    expect(await call('asset_state', { asset: 'cnc-a9' })).toMatchObject({ ok: false, error: expect.stringMatching(/unknown asset/) });
  });
});
