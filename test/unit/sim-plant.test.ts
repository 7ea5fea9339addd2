/**
 * The simulator: deterministic for a seed, and the demo-plant situation (spec/demo-plant.md) emerges from the
 * manifest's sim hints and scenarios: bearing wear on cnc-a2, the compressor-1 leak, the evening site peak.
 * Commands act on the model: setpoints move readings, stop idles a machine, a maintenance job resets wear.
 */
import { describe, expect, it } from 'vitest';
import { createLocalTime } from '../../src/sim/local-time';
import { createPlant, type SimSample } from '../../src/sim/plant';
import { demoManifest } from '../helpers/twin-fixture';

const NOW = Date.parse('2025-11-26T10:00:00Z'); // a Wednesday
const DAY = 86_400_000;
const manifest = demoManifest();

function history(seed = 42, now = NOW) {
  const plant = createPlant(manifest, { seed, anchor: new Date(now), historyStart: new Date(now - 7 * DAY) });
  const series = new Map<string, SimSample[]>();
  for (const tick of plant.sample(now - 7 * DAY, now)) for (const s of tick) (series.get(`${s.asset}/${s.property}`) ?? series.set(`${s.asset}/${s.property}`, []).get(`${s.asset}/${s.property}`)!).push(s);
  return { plant, series };
}
const mean = (xs: SimSample[]) => xs.reduce((a, s) => a + s.value, 0) / xs.length;
const within = (xs: SimSample[], from: number, to: number) => xs.filter((s) => s.ts >= from && s.ts < to);
function slopePerDay(xs: SimSample[]): { slope: number; at: (t: number) => number } {
  const x = xs.map((s) => s.ts / DAY);
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = mean(xs);
  const slope = x.reduce((a, xi, i) => a + (xi - mx) * (xs[i].value - my), 0) / x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  return { slope, at: (t) => my + slope * (t / DAY - mx) };
}

const { series } = history();
const s = (k: string) => series.get(k)!;

describe('simulator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = history(7).series.get('cnc-a1/power_kw')!;
    const b = history(7).series.get('cnc-a1/power_kw')!;
    const c = history(8).series.get('cnc-a1/power_kw')!;
    expect(a.map((x) => x.value)).toEqual(b.map((x) => x.value));
    expect(a.map((x) => x.value)).not.toEqual(c.map((x) => x.value));
  });

  it('backfills one reading per telemetry property per minute', () => {
    for (const [, xs] of series) expect(xs.length).toBe(7 * 24 * 60);
  });

  it('bearing wear on cnc-a2: 2.2 → 5.8 mm/s accelerating, crossing 7.1 in 2-4 days at the present rate', () => {
    const vib = s('cnc-a2/vibration_rms');
    expect(mean(within(vib, NOW - 7 * DAY, NOW - 7 * DAY + 3600e3))).toBeCloseTo(2.2, 0);
    const last = mean(within(vib, NOW - 3600e3, NOW));
    expect(last).toBeGreaterThan(5.5);
    expect(last).toBeLessThan(6.1);
    const early = slopePerDay(within(vib, NOW - 7 * DAY, NOW - 5 * DAY)).slope;
    const recent = slopePerDay(within(vib, NOW - 2 * DAY, NOW));
    expect(recent.slope).toBeGreaterThan(early); // accelerating
    const days = (7.1 - recent.at(NOW)) / recent.slope;
    expect(days).toBeGreaterThan(2);
    expect(days).toBeLessThan(4);
    const temp = mean(within(s('cnc-a2/bearing_temp'), NOW - 3600e3, NOW));
    expect(temp).toBeGreaterThan(66);
    expect(Math.max(...s('cnc-a2/bearing_temp').map((x) => x.value))).toBeLessThan(70);
    for (const other of ['cnc-a1', 'cnc-a3']) {
      for (let d = 0; d < 7; d++) {
        const m = mean(within(s(`${other}/vibration_rms`), NOW - (d + 1) * DAY, NOW - d * DAY));
        expect(m).toBeGreaterThanOrEqual(2.0);
        expect(m).toBeLessThanOrEqual(2.5);
      }
    }
  });

  it('air leak at compressor-1 from now-2d: ~15% more power, pressure 7.0 → ~6.6, above the 6.5 warning', () => {
    const before = mean(within(s('compressor-1/power_kw'), NOW - 4 * DAY, NOW - 3 * DAY));
    const after = mean(within(s('compressor-1/power_kw'), NOW - DAY, NOW));
    expect(after / before).toBeGreaterThan(1.12);
    expect(after / before).toBeLessThan(1.18);
    const twin = mean(within(s('compressor-2/power_kw'), NOW - DAY, NOW)) / mean(within(s('compressor-2/power_kw'), NOW - 4 * DAY, NOW - 3 * DAY));
    expect(twin).toBeCloseTo(1, 1);
    const p = within(s('compressor-1/outlet_pressure_bar'), NOW - DAY, NOW);
    expect(mean(within(s('compressor-1/outlet_pressure_bar'), NOW - 7 * DAY, NOW - 3 * DAY))).toBeCloseTo(7.0, 1);
    expect(mean(p)).toBeGreaterThan(6.55);
    expect(mean(p)).toBeLessThan(6.7);
    expect(Math.min(...s('compressor-1/outlet_pressure_bar').map((x) => x.value))).toBeGreaterThan(6.5);
  });

  it('the site peak (15-minute average) lands in 17:00-20:00 local on every full day, after the 16:30 pre-heat', () => {
    const site = s('meter-main/site_power_kw');
    const local = createLocalTime('Europe/Berlin');
    for (let d = 1; d < 7; d++) {
      const day = within(site, NOW - (d + 1) * DAY, NOW - d * DAY);
      let best = { avg: -1, ts: 0 };
      for (let i = 0; i + 15 <= day.length; i++) {
        const avg = mean(day.slice(i, i + 15));
        if (avg > best.avg) best = { avg, ts: day[i].ts };
      }
      const minute = local(best.ts).minuteOfDay;
      expect(minute).toBeGreaterThanOrEqual(16 * 60 + 45);
      expect(minute + 15).toBeLessThanOrEqual(20 * 60);
    }
  });

  it('production counts follow shifts and routings: each CNC makes ~10 gears/h on a full shift, fewer at night', () => {
    const parts = s('cnc-a1/parts_made');
    const local = createLocalTime('Europe/Berlin');
    // Parts per hour inside a local time window, summed over consecutive minutes of every day.
    const rate = (from: number, to: number) => {
      let made = 0;
      let minutes = 0;
      for (let i = 1; i < parts.length; i++) {
        const m = local(parts[i].ts).minuteOfDay;
        if (m >= from && m < to) (made += parts[i].value - parts[i - 1].value), minutes++;
      }
      return (made / minutes) * 60;
    };
    const perHour = rate(7 * 60, 13 * 60);
    // 6 min per gear on a CNC (the routing), fully staffed on the early shift: about 10 per machine per hour.
    expect(perHour).toBeGreaterThan(9);
    expect(perHour).toBeLessThan(11);
    const nightRate = rate(60, 5 * 60);
    expect(nightRate).toBeLessThan(perHour); // a crew of 5 against 8: fewer parts at night
  });

  it('responds to commands: a setpoint moves its reading, stop idles, a maintenance job resets wear', () => {
    const { plant } = history();
    const t = NOW + 60_000;
    const before = plant.tick(t).find((x) => x.asset === 'oven-b1' && x.property === 'zone_temp')!.value;
    expect(plant.handleCommand('oven-b1', { id: 'c1', command: 'set_zone_temp', args: { temp_c: 160 } }, t).status).toBe('done');
    const after = plant.tick(t).find((x) => x.asset === 'oven-b1' && x.property === 'zone_temp')!.value;
    expect(before).toBeGreaterThan(170);
    expect(after).toBeLessThan(168);
    expect(plant.handleCommand('oven-b1', { id: 'c2', command: 'set_zone_temp', args: { temp_c: 999 } }, t).status).toBe('failed');
    expect(plant.handleCommand('oven-b1', { id: 'c3', command: 'launch' }, t).status).toBe('failed');

    const stop = plant.handleCommand('cnc-a1', { id: 'c4', command: 'stop' }, t);
    expect(stop.reported.status).toBe('idle');
    expect(plant.tick(t).find((x) => x.asset === 'cnc-a1' && x.property === 'power_kw')!.value).toBeLessThan(3);

    const worn = plant.tick(t).find((x) => x.asset === 'cnc-a2' && x.property === 'vibration_rms')!.value;
    plant.handleCommand('cnc-a2', { id: 'w1', command: 'work_order', args: { id: 'WO-100', start: new Date(t).toISOString(), end: new Date(t + 4 * 3600e3).toISOString() } }, t);
    expect(plant.tick(t + 3600e3).find((x) => x.asset === 'cnc-a2' && x.property === 'vibration_rms')!.value).toBeLessThan(1);
    plant.advance(t + 5 * 3600e3);
    const fresh = plant.tick(t + 5 * 3600e3).find((x) => x.asset === 'cnc-a2' && x.property === 'vibration_rms')!.value;
    expect(worn).toBeGreaterThan(5);
    expect(fresh).toBeLessThan(3);
  });
});
