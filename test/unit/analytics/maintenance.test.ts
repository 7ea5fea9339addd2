import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, recommendMaintenanceWindows, type Tariff } from '../../../src/analytics';
import { localParts } from '../../../src/analytics/localtime';
import { demoPlant, NOW } from './demo-plant';

const H = 3_600_000;
const TARIFF: Tariff = { baseRate: 0.12, periods: [{ name: 'peak', rate: 0.32, days: [1, 2, 3, 4, 5], start: '17:00', end: '20:00' }], demandChargePerKw: 14, timezone: 'Europe/Berlin' };

describe('recommendMaintenanceWindows', () => {
  const rec = recommendMaintenanceWindows({ asset: 'cnc-a2', durationMs: 4 * H, earliest: NOW, latest: NOW + 60 * H, stepMs: 2 * H, production: demoPlant(), tariff: TARIFF, jobKw: 10 });

  it('ranks feasible windows first, with a technician on shift and PO-1042 kept on time', () => {
    expect(rec.ranked.length).toBeGreaterThan(0);
    const best = rec.ranked[0];
    expect(best.feasible).toBe(true);
    expect(best.newLateOrders).toEqual([]);
    expect(best.end).toBeLessThanOrEqual(NOW + 60 * H);
    expect(best.reasons.join(' ')).toMatch(/technician/);
  });

  it('never offers crew-b (12 h overtime) and explains why those windows are out', () => {
    for (const w of rec.ranked.filter((x) => x.feasible)) {
      const startHour = localParts(w.start, 'Europe/Berlin').minuteOfDay / 60;
      const endHour = localParts(w.end - 1, 'Europe/Berlin').minuteOfDay / 60;
      expect(startHour >= 14 && startHour < 22).toBe(false);
      expect(endHour >= 14 && endHour < 22).toBe(false);
    }
    const all = recommendMaintenanceWindows({ asset: 'cnc-a2', durationMs: 4 * H, earliest: NOW + 6 * H, latest: NOW + 11 * H, production: demoPlant(), top: 10 });
    expect(all.ranked.every((w) => !w.feasible)).toBe(true);
    expect(all.ranked[0].reasons.join(' ')).toMatch(/overtime/);
  });

  it('marks a window infeasible when it would make an order late', () => {
    const plan = demoPlant();
    plan.orders[0].due = NOW + 36.3 * H; // just enough with all three CNCs
    const r = recommendMaintenanceWindows({ asset: 'cnc-a2', durationMs: 4 * H, earliest: NOW, latest: NOW + 12 * H, production: plan, shifts: [{ crew: 'all', start: '00:00', end: '24:00', size: 10, technicians: 2 }] });
    expect(r.ranked.some((w) => w.newLateOrders.includes('PO-1042') && !w.feasible)).toBe(true);
  });

  it('refuses bad requests', () => {
    expect(() => recommendMaintenanceWindows({ asset: 'cnc-a2', durationMs: 4 * H, earliest: NOW, latest: NOW + H })).toThrow(AnalyticsInputError);
    expect(() => recommendMaintenanceWindows({ asset: 'nope', durationMs: 4 * H, earliest: NOW, latest: NOW + 9 * H, production: demoPlant() })).toThrow(AnalyticsInputError);
    expect(() => recommendMaintenanceWindows({ asset: 'cnc-a2', durationMs: NaN, earliest: NOW, latest: NOW + 9 * H })).toThrow(AnalyticsInputError);
  });
});
