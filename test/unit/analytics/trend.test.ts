import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, remainingLife, slopeChangePoint, theilSen } from '../../../src/analytics';
import { rng } from '../../bench/_synthetic';

const T0 = Date.UTC(2026, 2, 1);
const MIN = 60_000;

/** 7 days of 1-minute vibration like cnc-a2: about 2.2 → 5.8 mm/s, accelerating, with noise. */
function wear(seed = 1): { t: number[]; v: number[] } {
  const r = rng(seed);
  const t: number[] = [], v: number[] = [];
  for (let i = 0; i <= 7 * 1440; i++) {
    const d = i / 1440;
    t.push(T0 + i * MIN);
    v.push(2.2 + 3.6 * (0.55 * (d / 7) + 0.45 * (d / 7) ** 2) + (r() - 0.5) * 0.4 + (r() < 0.002 ? 3 : 0));
  }
  return { t, v };
}

describe('theilSen', () => {
  it('ignores outliers that would tilt least squares', () => {
    const x = Array.from({ length: 30 }, (_, i) => i);
    const y = x.map((v) => 2 * v + 1);
    y[29] = 500;
    const f = theilSen(x, y);
    expect(f.slope).toBeCloseTo(2, 6);
    expect(f.intercept).toBeCloseTo(1, 6);
    expect(f.slopeInterval[0]).toBeLessThanOrEqual(2);
    expect(f.slopeInterval[1]).toBeGreaterThanOrEqual(2);
  });
  it('needs two distinct x values', () => {
    expect(() => theilSen([1], [1])).toThrow(AnalyticsInputError);
    expect(() => theilSen([1, 1], [1, 2])).toThrow(AnalyticsInputError);
  });
});

describe('slopeChangePoint', () => {
  it('finds a knee and none on a straight line', () => {
    const x = Array.from({ length: 100 }, (_, i) => i);
    const knee = x.map((v) => (v < 60 ? 1 : 1 + 0.5 * (v - 60)));
    expect(Math.abs(slopeChangePoint(x, knee)! - 60)).toBeLessThanOrEqual(3);
    expect(slopeChangePoint(x, x.map((v) => 3 * v))).toBeNull();
  });
});

describe('remainingLife', () => {
  it('puts accelerating cnc-a2 wear 2–4 days from the 7.1 mm/s alarm', () => {
    const r = remainingLife(wear(), { alarm: 7.1 });
    expect(r.status).toBe('degrading');
    expect(r.timeToAlarmDays!).toBeGreaterThan(1.8);
    expect(r.timeToAlarmDays!).toBeLessThan(4);
    expect(r.intervalDays![0]).toBeLessThanOrEqual(r.timeToAlarmDays!);
    expect(r.intervalDays![1]).toBeGreaterThanOrEqual(r.timeToAlarmDays!);
    expect(r.current).toBeGreaterThan(5.3);
    expect(r.current).toBeLessThan(6.2);
    expect(r.reason).toMatch(/days/);
  });

  it('says "not degrading" for a healthy CNC near 2.0–2.5 mm/s', () => {
    for (const seed of [1, 2, 3]) {
      const r0 = rng(seed);
      const t = Array.from({ length: 7 * 1440 }, (_, i) => T0 + i * MIN);
      const v = t.map(() => 2.25 + (r0() - 0.5) * 0.5);
      const r = remainingLife({ t, v }, { alarm: 7.1 });
      expect(r.status).toBe('not_degrading');
      expect(r.timeToAlarmDays).toBeNull();
    }
  });

  it('reads a step a few hours ago as a step, not as a slope racing to the alarm', () => {
    // A chiller supply temperature at 12 °C that jumped to 18 °C six hours ago (alarm 20): no wear trend to project.
    const r0 = rng(7);
    const t = Array.from({ length: 7 * 1440 }, (_, i) => T0 + i * MIN);
    const now = t[t.length - 1];
    const v = t.map((ti) => 12 + (ti > now - 6 * 3600e3 ? 6 : 0) + (r0() - 0.5) * 0.4);
    const r = remainingLife({ t, v }, { alarm: 20 });
    expect(r.status).toBe('not_degrading');
    expect(r.reason).toMatch(/step from 12(\.\d+)? to 18/);
    expect(r.current).toBeCloseTo(18, 0);
    // The same jump past the alarm is reported in alarm.
    const hot = remainingLife({ t, v: v.map((x) => x + 3) }, { alarm: 20 });
    expect(hot.status).toBe('in_alarm');
  });

  it('handles direction below (a sagging pressure) and an already crossed alarm', () => {
    const t = Array.from({ length: 48 * 60 }, (_, i) => T0 + i * MIN);
    const sag = remainingLife({ t, v: t.map((_, i) => 7.0 - (0.4 * i) / t.length) }, { alarm: 6.0, direction: 'below' });
    expect(sag.status).toBe('degrading');
    expect(sag.timeToAlarmDays!).toBeGreaterThan(2);
    expect(sag.timeToAlarmDays!).toBeLessThan(4);
    const over = remainingLife({ t, v: t.map(() => 8) }, { alarm: 7.1 });
    expect(over.status).toBe('in_alarm');
  });

  it('treats a constant series as not degrading and tolerates gaps', () => {
    const t = Array.from({ length: 500 }, (_, i) => T0 + i * MIN * (i > 250 ? 10 : 1));
    expect(remainingLife({ t, v: t.map(() => 3) }, { alarm: 7.1 }).status).toBe('not_degrading');
  });

  it('refuses empty, short, NaN, unsorted input and bad options with typed errors', () => {
    expect(() => remainingLife({ t: [], v: [] }, { alarm: 7 })).toThrow(expect.objectContaining({ code: 'empty_series' }));
    expect(() => remainingLife({ t: [T0], v: [1] }, { alarm: 7 })).toThrow(expect.objectContaining({ code: 'too_short' }));
    expect(() => remainingLife({ t: [T0, T0 + 1, T0 + 2], v: [1, NaN, 2] }, { alarm: 7 })).toThrow(expect.objectContaining({ code: 'not_finite' }));
    expect(() => remainingLife({ t: [T0, T0 - 1, T0 + 2], v: [1, 2, 3] }, { alarm: 7 })).toThrow(expect.objectContaining({ code: 'unsorted' }));
    expect(() => remainingLife({ t: [T0, T0 + 1, T0 + 2], v: [1, 2, 3] }, { alarm: NaN })).toThrow(AnalyticsInputError);
  });

  it('keeps its arithmetic with huge values', () => {
    const t = Array.from({ length: 200 }, (_, i) => T0 + i * 3_600_000);
    const r = remainingLife({ t, v: t.map((_, i) => 1e12 + i * 1e9) }, { alarm: 1e12 + 400e9 });
    expect(r.status).toBe('degrading');
    expect(r.timeToAlarmDays!).toBeGreaterThan(7);
    expect(r.timeToAlarmDays!).toBeLessThan(10);
  });
});
