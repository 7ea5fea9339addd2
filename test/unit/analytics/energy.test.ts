import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, energyCost, loadShiftSaving, type Tariff } from '../../../src/analytics';

const TARIFF: Tariff = { baseRate: 0.12, periods: [{ name: 'peak', rate: 0.32, days: [1, 2, 3, 4, 5], start: '17:00', end: '20:00' }], demandChargePerKw: 14, timezone: 'Europe/Berlin' };
const MON = Date.UTC(2026, 2, 2, 0, 0) - 3_600_000; // Monday 00:00 Berlin (UTC+1)
const MIN = 60_000;

function week(kw: (t: number) => number): { t: number[]; v: number[] } {
  const t = Array.from({ length: 7 * 24 * 60 + 1 }, (_, i) => MON + i * MIN);
  return { t, v: t.map(kw) };
}

describe('energyCost', () => {
  it('prices a flat load by period with weekday rules', () => {
    const c = energyCost(week(() => 100), TARIFF);
    expect(c.kwh).toBeCloseTo(100 * 24 * 7, 3);
    const peak = c.byPeriod.find((p) => p.name === 'peak')!;
    expect(peak.kwh).toBeCloseTo(100 * 3 * 5, 3); // weekdays only
    expect(c.energyEur).toBeCloseTo(100 * 3 * 5 * 0.32 + 100 * (168 - 15) * 0.12, 2);
    expect(c.peakKw).toBeCloseTo(100, 6);
    expect(c.demandEur).toBeCloseTo(1400, 6);
    expect(c.days).toBeCloseTo(7, 6);
  });

  it('takes the demand peak as the highest 15-minute average, not the highest sample', () => {
    const c = energyCost(week((t) => (t === MON + 600 * MIN ? 1000 : 100)), TARIFF);
    expect(c.peakKw).toBeLessThan(200);
    expect(c.peakKw).toBeCloseTo(100 + 900 / 15, 6);
  });

  it('averages the peak over the tariff\'s own demand window', () => {
    // 300 kW for the quarter 10:00–10:15 on Monday, 100 kW otherwise.
    const spike = week((t) => (t >= MON + 600 * MIN && t < MON + 615 * MIN ? 300 : 100));
    expect(energyCost(spike, TARIFF).peakKw).toBeCloseTo(300, 6);
    const half = energyCost(spike, { ...TARIFF, demandWindowMinutes: 30 });
    expect(half.peakKw).toBeCloseTo(200, 6);
    expect(half.peakAt).toBe(MON + 600 * MIN);
    expect(half.kwh).toBeCloseTo(energyCost(spike, TARIFF).kwh, 6); // the energy does not depend on the window
    expect(() => energyCost(spike, { ...TARIFF, demandWindowMinutes: 0 })).toThrow(AnalyticsInputError);
  });

  it('does not bill across a logger gap', () => {
    const w = week(() => 100);
    const t = w.t.filter((x) => x < MON + 86_400_000 || x > MON + 2 * 86_400_000);
    const c = energyCost({ t, v: t.map(() => 100) }, TARIFF);
    expect(c.gaps).toBe(1);
    expect(c.days).toBeCloseTo(6, 2);
  });

  it('refuses bad series and tariffs', () => {
    expect(() => energyCost({ t: [], v: [] }, TARIFF)).toThrow(AnalyticsInputError);
    expect(() => energyCost({ t: [1], v: [1] }, TARIFF)).toThrow(expect.objectContaining({ code: 'too_short' }));
    expect(() => energyCost({ t: [2, 1], v: [1, 1] }, TARIFF)).toThrow(expect.objectContaining({ code: 'unsorted' }));
    expect(() => energyCost({ t: [1, 2], v: [1, NaN] }, TARIFF)).toThrow(expect.objectContaining({ code: 'not_finite' }));
    expect(() => energyCost({ t: [1, 2], v: [1, 1] }, { ...TARIFF, periods: [{ name: 'x', rate: -1, start: '25:00', end: '1' }] })).toThrow(AnalyticsInputError);
    expect(() => energyCost({ t: [1, 2], v: [1, 1] }, { ...TARIFF, timezone: 'Mars/Base' })).toThrow(AnalyticsInputError);
  });
});

describe('loadShiftSaving', () => {
  it('saves energy and demand by moving the oven pre-heat out of 17:00–20:00', () => {
    // Site base 300 kW; the oven pre-heat adds 120 kW from 16:30 for 3 h, overlapping the peak window.
    const site = week((t) => {
      const local = (t + 3_600_000) % 86_400_000;
      return 300 + (local >= 16.5 * 3_600_000 && local < 19.5 * 3_600_000 ? 120 : 0);
    });
    const s = loadShiftSaving(site, { kw: 120, start: '16:30', durationMin: 180, shiftMin: -180 }, TARIFF);
    // Weekdays: 2.5 h of 120 kW leave the peak rate (0.32 → 0.12): 5 × 300 kWh × 0.20 = 300 EUR/week.
    expect(s.energySavingEurPerMonth).toBeCloseTo((300 * 30.44) / 7, 0);
    expect(s.peakBeforeKw).toBeCloseTo(420, 6);
    expect(s.peakAfterKw).toBeCloseTo(420, 6); // still peaks, just earlier
    expect(s.summary).toMatch(/EUR\/month/);
  });

  it('credits the demand charge when the shift lowers the peak', () => {
    const site = week((t) => {
      const local = (t + 3_600_000) % 86_400_000;
      if (local >= 17 * 3_600_000 && local < 18 * 3_600_000) return 500;
      return local < 6 * 3_600_000 ? 100 : 300; // quieter nights
    });
    const s = loadShiftSaving(site, { kw: 200, start: '17:00', durationMin: 60, shiftMin: 540 }, TARIFF);
    expect(s.peakAfterKw).toBeCloseTo(300, 6);
    expect(s.demandSavingEurPerMonth).toBeCloseTo(200 * 14, 6);
  });
});
