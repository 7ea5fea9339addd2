/**
 * Every series function against the same awkward inputs: empty, one point, constant, a long gap, NaN, unsorted
 * timestamps and huge values. Each either refuses with a typed AnalyticsInputError or returns numbers that are all
 * finite (or null where "none" is an answer): never NaN, never Infinity, never a crash of another kind.
 */
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, energyCost, forecast, loadShiftSaving, remainingLife, scoreAnomalies, type Tariff } from '../../../src/analytics';

const T0 = Date.UTC(2026, 2, 2);
const MIN = 60_000;
const H = 60 * MIN;
const TARIFF: Tariff = { baseRate: 0.12, periods: [{ name: 'peak', rate: 0.32, days: [1, 2, 3, 4, 5], start: '17:00', end: '20:00' }], demandChargePerKw: 14, timezone: 'Europe/Berlin' };

const series = (n: number, value: (i: number) => number, step = 10 * MIN) => ({ t: Array.from({ length: n }, (_, i) => T0 + i * step), v: Array.from({ length: n }, (_, i) => value(i)) });

const CASES: Record<string, { t: number[]; v: number[] }> = {
  empty: { t: [], v: [] },
  'one point': series(1, () => 5),
  constant: series(300, () => 42),
  'a long gap': (() => {
    const s = series(300, (i) => 10 + Math.sin(i / 10));
    s.t = s.t.map((t, i) => (i >= 150 ? t + 30 * 24 * H : t));
    return s;
  })(),
  NaN: series(300, (i) => (i === 100 ? NaN : 10 + (i % 7))),
  unsorted: (() => {
    const s = series(300, (i) => 10 + (i % 7));
    [s.t[100], s.t[101]] = [s.t[101]!, s.t[100]!];
    return s;
  })(),
  'huge values': series(300, (i) => 1e300 * (1 + (i % 5) / 10)),
};

const FUNCTIONS: Record<string, (s: { t: number[]; v: number[] }) => unknown> = {
  scoreAnomalies: (s) => Array.from(scoreAnomalies(s.t, s.v)),
  remainingLife: (s) => remainingLife(s, { alarm: 1e301 }),
  forecast: (s) => forecast(s, { horizonMs: 6 * H }),
  energyCost: (s) => energyCost(s, TARIFF),
  loadShiftSaving: (s) => loadShiftSaving(s, { kw: 50, start: '17:00', durationMin: 60, shiftMin: 240 }, TARIFF),
};

/** Every number inside a result, with its path. */
function numbers(x: unknown, path = '', out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof x === 'number') out.push([path, x]);
  else if (Array.isArray(x)) x.forEach((y, i) => numbers(y, `${path}[${i}]`, out));
  else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) numbers(y, `${path}.${k}`, out);
  return out;
}

describe('series functions on awkward input', () => {
  for (const [fname, f] of Object.entries(FUNCTIONS)) {
    for (const [cname, input] of Object.entries(CASES)) {
      it(`${fname}: ${cname} gives a typed error or finite numbers`, () => {
        let result: unknown;
        try {
          result = f(input);
        } catch (err) {
          expect(err).toBeInstanceOf(AnalyticsInputError);
          return;
        }
        const bad = numbers(result).filter(([, n]) => !Number.isFinite(n));
        expect(bad).toEqual([]);
      });
    }
  }

  it('refuses NaN and unsorted timestamps everywhere, rather than answering around them', () => {
    for (const f of Object.values(FUNCTIONS)) {
      expect(() => f(CASES.NaN!)).toThrow(AnalyticsInputError);
      expect(() => f(CASES.unsorted!)).toThrow(AnalyticsInputError);
    }
  });
});
