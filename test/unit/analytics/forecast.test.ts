import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, forecast } from '../../../src/analytics';
import { rng } from '../../bench/_synthetic';

const T0 = Date.UTC(2026, 2, 1);
const H = 3_600_000;

describe('forecast', () => {
  it('carries the daily shape forward with intervals that cover the truth', () => {
    const r = rng(1);
    const f = (t: number) => 100 + 30 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
    const t = Array.from({ length: 7 * 24 * 12 }, (_, i) => T0 + i * 300_000);
    const res = forecast({ t, v: t.map((x) => f(x) + (r() - 0.5) * 4) }, { horizonMs: 24 * H });
    expect(res.seasonal).toBe(true);
    expect(res.seasonLength).toBe(24);
    expect(res.points).toHaveLength(24);
    let covered = 0;
    for (const p of res.points) {
      const truth = f(p.t + H / 2); // bucket means sit mid-hour
      if (truth >= p.lo - 2 && truth <= p.hi + 2) covered++;
      expect(p.hi).toBeGreaterThan(p.lo);
    }
    expect(covered).toBeGreaterThanOrEqual(21);
    expect(res.summary).toMatch(/Holt–Winters/);
  });

  it('drops the season with less than two days and says so', () => {
    const t = Array.from({ length: 20 }, (_, i) => T0 + i * H);
    const res = forecast({ t, v: t.map((_, i) => 10 + i) }, { horizonMs: 5 * H });
    expect(res.seasonal).toBe(false);
    expect(res.points[4].mean).toBeGreaterThan(29);
  });

  it('forecasts a constant as that constant, and survives gaps and huge values', () => {
    const t = Array.from({ length: 100 }, (_, i) => T0 + i * H * (i > 50 ? 3 : 1));
    const c = forecast({ t, v: t.map(() => 5) }, { horizonMs: 3 * H });
    for (const p of c.points) expect(p.mean).toBeCloseTo(5, 9);
    const big = forecast({ t, v: t.map((_, i) => 1e14 + i) }, { horizonMs: 3 * H });
    expect(big.points.every((p) => Number.isFinite(p.mean) && Number.isFinite(p.hi))).toBe(true);
  });

  it('refuses bad input', () => {
    expect(() => forecast({ t: [], v: [] }, { horizonMs: H })).toThrow(AnalyticsInputError);
    expect(() => forecast({ t: [1, 2], v: [1, 2] }, { horizonMs: H })).toThrow(expect.objectContaining({ code: 'too_short' }));
    expect(() => forecast({ t: [1, 2, 3], v: [1, 2, Infinity] }, { horizonMs: H })).toThrow(expect.objectContaining({ code: 'not_finite' }));
    expect(() => forecast({ t: [1, 2, 3], v: [1, 2, 3] }, { horizonMs: -1 })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });
});
