import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, replicate, simulateProduction } from '../../../src/analytics';
import { demoPlant, NOW } from './demo-plant';

const H = 3_600_000;
const po = (r: ReturnType<typeof simulateProduction>, id: string) => r.orders.find((o) => o.id === id)!;

describe('simulateProduction on the demo plant', () => {
  it('finishes PO-1042 on time with three CNCs (about 36 h of machining)', () => {
    const r = simulateProduction(demoPlant());
    const o = po(r, 'PO-1042');
    expect(o.late).toBe(false);
    expect(o.completed).toBe(1080);
    const hours = (o.completedAt! - NOW) / H;
    expect(hours).toBeGreaterThan(35.5);
    expect(hours).toBeLessThan(37);
    expect(r.lateOrders).toEqual([]);
  });

  it('makes PO-1042 late when cnc-a2 is lost for the next 48 h', () => {
    const r = simulateProduction({ ...demoPlant(), scenario: { name: 'cnc-a2 lost', down: [{ station: 'cnc-a2', start: NOW, end: NOW + 48 * H }] } });
    expect(po(r, 'PO-1042').late).toBe(true);
    expect(r.lateOrders).toContain('PO-1042');
    expect(r.summary).toMatch(/PO-1042/);
    const cnc = r.stations.find((s) => s.id === 'cnc-a2')!;
    expect(cnc.availableHours).toBeLessThan(r.makespanHours - 47);
  });

  it('keeps PO-1042 on time with a 4 h bearing job on cnc-a2', () => {
    const r = simulateProduction({ ...demoPlant(), scenario: { down: [{ station: 'cnc-a2', start: NOW + 2 * H, end: NOW + 6 * H }] } });
    expect(po(r, 'PO-1042').late).toBe(false);
  });

  it('responds to speed changes, order sequence and shifts', () => {
    const base = simulateProduction(demoPlant());
    const slow = simulateProduction({ ...demoPlant(), scenario: { speed: ['cnc-a1', 'cnc-a2', 'cnc-a3'].map((station) => ({ station, factor: 0.7 })) } });
    expect(po(slow, 'PO-1042').completedAt!).toBeGreaterThan(po(base, 'PO-1042').completedAt!);
    const seq = simulateProduction({ ...demoPlant(), scenario: { orderSequence: ['PO-1044', 'PO-1042'] } });
    expect(po(seq, 'PO-1044').completedAt!).toBeLessThan(po(base, 'PO-1044').completedAt!);
    // Attended CNCs and no night crew: machining stops at night, PO-1042 is late.
    const attended = demoPlant();
    attended.stations = attended.stations.map((s) => (s.id.startsWith('cnc') ? { ...s, operators: 1 } : s));
    const noNights = simulateProduction({ ...attended, scenario: { removeCrews: ['crew-c'] } });
    expect(po(noNights, 'PO-1042').late).toBe(true);
    const extra = simulateProduction({ ...attended, scenario: { removeCrews: ['crew-c'], addShifts: [{ crew: 'crew-x', start: '22:00', end: '06:00', size: 3 }] } });
    expect(po(extra, 'PO-1042').late).toBe(false);
  });

  it('reports utilisation, throughput and a bottleneck', () => {
    const r = simulateProduction(demoPlant());
    for (const s of r.stations) {
      expect(s.utilisation).toBeGreaterThanOrEqual(0);
      expect(s.utilisation).toBeLessThanOrEqual(1);
    }
    expect(r.stations.find((s) => s.id === 'pack-b1')!.units).toBe(1080 + 1200 + 300);
    expect(r.bottleneck).not.toBeNull();
  });

  it('is deterministic for a seed and gives intervals over replications with failures', () => {
    const input = demoPlant();
    input.stations = input.stations.map((s) => ({ ...s, mtbfMin: 600, mttrMin: 60 }));
    input.routings[0].steps[0].cv = 0.2;
    expect(simulateProduction({ ...input, seed: 7 })).toEqual(simulateProduction({ ...input, seed: 7 }));
    const rep = replicate(input, 20);
    const o = rep.orders.find((x) => x.id === 'PO-1042')!;
    expect(o.completionHours.p10).toBeLessThanOrEqual(o.completionHours.p90);
    expect(o.completionHours.p90).toBeGreaterThan(o.completionHours.p10);
    expect(o.probabilityLate).toBeGreaterThanOrEqual(0);
    expect(rep.replications).toBe(20);
  });

  it('reports unfinished orders as late at the horizon', () => {
    const r = simulateProduction({ ...demoPlant(), horizonMs: 10 * H });
    expect(po(r, 'PO-1042').completedAt).toBeNull();
    expect(po(r, 'PO-1042').late).toBe(true);
  });

  it('lists every bad field', () => {
    const bad = demoPlant();
    bad.orders.push({ id: 'PO-1042', sku: 'NOPE', quantity: 0, due: NaN });
    bad.routings[0].steps[0].stations.push('cnc-z9');
    try {
      simulateProduction({ ...bad, scenario: { down: [{ station: 'x', start: 2, end: 1 }] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AnalyticsInputError);
      expect((e as AnalyticsInputError).problems.length).toBeGreaterThanOrEqual(6);
    }
    expect(() => replicate(demoPlant(), 0)).toThrow(AnalyticsInputError);
  });
});
