import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, AnomalyDetector, scoreAnomalies } from '../../../src/analytics';
import { scoreCorpus, nabWindows } from '../../bench/_nab';
import { makeSeries, rng } from '../../bench/_synthetic';
import { windowsToRows } from '../../bench/nab';

const T0 = Date.UTC(2026, 0, 5);
const step = (n: number, ms = 300_000) => Array.from({ length: n }, (_, i) => T0 + i * ms);
function noise(n: number, seed = 1, sd = 1, level = 50): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => level + sd * Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r()));
}

describe('AnomalyDetector', () => {
  it('returns an empty result for an empty series and 0 for one point', () => {
    expect(scoreAnomalies([], []).length).toBe(0);
    expect(Array.from(scoreAnomalies([T0], [5]))).toEqual([0]);
  });

  it('scores every point in [0,1] and stays silent during warm-up', () => {
    const v = noise(2000);
    const s = scoreAnomalies(step(2000), v);
    expect(s.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(Array.from(s.slice(0, 64)).every((x) => x === 0)).toBe(true);
  });

  it('rarely fires on clean noise', () => {
    const s = scoreAnomalies(step(4000), noise(4000, 7));
    expect(Array.from(s).filter((x) => x >= 0.5).length).toBeLessThanOrEqual(4);
  });

  it('scores a spike highly at the spike', () => {
    const v = noise(3000, 2);
    v[2000] += 12;
    const s = scoreAnomalies(step(3000), v);
    expect(s[2000]).toBeGreaterThan(0.9);
    const elsewhere = Math.max(...Array.from(s.slice(500, 1990)));
    expect(s[2000]).toBeGreaterThan(elsewhere);
  });

  it('reports a level shift once near its onset, not for hundreds of points', () => {
    const v = noise(3000, 3);
    for (let i = 2000; i < 3000; i++) v[i] += 8;
    const s = scoreAnomalies(step(3000), v);
    const firing = Array.from(s).map((x, i) => [x, i]).filter(([x]) => x >= 0.5).map(([, i]) => i);
    expect(firing.some((i) => i >= 2000 && i < 2010)).toBe(true);
    expect(firing.filter((i) => i >= 2000).length).toBeLessThanOrEqual(3);
  });

  it('notices a drift that no single point makes surprising', () => {
    const v = noise(3000, 9);
    for (let i = 2000; i < 3000; i++) v[i] += Math.min(4, (i - 2000) / 40);
    const d = new AnomalyDetector();
    const s = step(3000).map((t, i) => [d.update(t, v[i]), d.cause] as const);
    const first = s.findIndex(([x], i) => i >= 2000 && x >= 0.3);
    expect(first).toBeGreaterThan(2000);
    expect(first).toBeLessThan(2120);
    expect(s[first][1]).toBe('baseline');
    expect(Array.from(s.slice(700, 2000)).filter(([x]) => x >= 0.3).length).toBeLessThanOrEqual(3);
  });

  it('flags a stuck (flat-lined) sensor', () => {
    const v = noise(3000, 4);
    for (let i = 2000; i < 2400; i++) v[i] = v[1999];
    const d = new AnomalyDetector();
    const s = step(3000).map((t, i) => [d.update(t, v[i]), d.cause] as const);
    const first = s.findIndex(([x], i) => i >= 2000 && x >= 0.5);
    expect(first).toBeGreaterThan(2000);
    expect(first).toBeLessThan(2060);
    expect(s[first][1]).toBe('flat');
  });

  it('learns a daily pattern and then flags its loss', () => {
    const n = 288 * 8;
    const t = step(n);
    const r = rng(5);
    const v = t.map((ts) => 50 + 20 * Math.sin((2 * Math.PI * (ts % 86_400_000)) / 86_400_000) + (r() - 0.5));
    const d = new AnomalyDetector();
    const before = t.slice(0, 288 * 6).map((ts, i) => d.update(ts, v[i]));
    expect(d.usesSeasonality).toBe(true);
    expect(before.slice(288 * 3).filter((x) => x >= 0.5).length).toBeLessThanOrEqual(2);
    const after = t.slice(288 * 6).map((ts) => d.update(ts, 50 + (r() - 0.5)));
    expect(Math.max(...after)).toBeGreaterThanOrEqual(0.5);
  });

  it('handles a constant series, gaps in time and huge values without NaN', () => {
    const c = scoreAnomalies(step(500), Array(500).fill(3));
    expect(Array.from(c).every((x) => Number.isFinite(x))).toBe(true);
    const t = step(600).map((x, i) => (i > 300 ? x + 86_400_000 * 3 : x));
    const huge = noise(600, 6, 1e12, 1e15);
    expect(Array.from(scoreAnomalies(t, huge)).every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('refuses NaN, unsorted timestamps and mismatched lengths with a typed error', () => {
    expect(() => scoreAnomalies(step(3), [1, NaN, 2])).toThrow(AnalyticsInputError);
    expect(() => scoreAnomalies([T0, T0 - 1], [1, 2])).toThrow(expect.objectContaining({ code: 'unsorted' }));
    expect(() => scoreAnomalies([T0], [1, 2])).toThrow(expect.objectContaining({ code: 'length_mismatch' }));
    expect(() => new AnomalyDetector({ refractory: -1 })).toThrow(AnalyticsInputError);
  });

  it('speaks once per event: a burst of noise gives a few non-zero scores, not one per point', () => {
    const v = noise(3000, 8);
    for (let i = 2000; i < 2200; i++) v[i] += 6 * Math.sin(i);
    const s = scoreAnomalies(step(3000), v);
    const spoken = Array.from(s.slice(2000, 2200)).filter((x) => x > 0).length;
    expect(spoken).toBeGreaterThan(0);
    expect(spoken).toBeLessThanOrEqual(6);
  });

  it('refuses an escalation below 1, an empty event gap or a rearm below 1', () => {
    expect(() => new AnomalyDetector({ escalation: 0.5 })).toThrow(AnalyticsInputError);
    expect(() => new AnomalyDetector({ eventGap: 0 })).toThrow(AnalyticsInputError);
    expect(() => new AnomalyDetector({ rearm: 0 })).toThrow(AnalyticsInputError);
  });

  it('speaks again for a separate dip after a quiet spell, inside what used to be the refractory period', () => {
    const v = noise(3000, 12);
    for (let i = 2000; i < 2006; i++) v[i] -= 10;
    for (let i = 2040; i < 2046; i++) v[i] -= 10;
    const fired = (s: Float64Array, a: number, b: number) => Array.from(s.slice(a, b)).some((x) => x >= 0.5);
    const s = scoreAnomalies(step(3000), v);
    expect(fired(s, 2000, 2006)).toBe(true);
    expect(fired(s, 2040, 2046)).toBe(true);
    // Without the early rearm the refractory period (100 points) mutes the second dip.
    const muted = scoreAnomalies(step(3000), v, { rearm: 1e9 });
    expect(fired(muted, 2040, 2046)).toBe(false);
  });

  it('learns a repeated spike as the stream\'s habit, but still flags a much larger one', () => {
    const v = noise(4000, 14);
    for (let i = 100; i < 4000; i += 100) v[i] += 15;
    v[3550] += 60;
    const s = scoreAnomalies(step(4000), v);
    const spikes = (a: number, b: number) => Array.from({ length: (b - a) / 100 }, (_, k) => s[a + k * 100]);
    expect(Math.max(...spikes(300, 600))).toBeGreaterThanOrEqual(0.5);
    // Twenty spikes later the same spike is routine.
    expect(Math.max(...spikes(2500, 3500))).toBeLessThan(0.3);
    expect(s[3550]).toBeGreaterThan(0.9);
  });

  it('flags a value beyond the range of a bursty stream as a range record', () => {
    const r = rng(15);
    const v = Array.from({ length: 3000 }, (_, i) => 3 + r() + (i % 37 === 0 ? 40 + 20 * r() : 0));
    v[2500] = 100;
    const d = new AnomalyDetector();
    const s = step(3000).map((t, i) => [d.update(t, v[i]), d.cause] as const);
    expect(s[2500][0]).toBeGreaterThanOrEqual(0.5);
    expect(s[2500][1]).toBe('range');
    // The usual bursts, up to 60, are not news once learned.
    expect(s.slice(1500, 2500).filter(([x]) => x >= 0.5).length).toBeLessThanOrEqual(2);
  });

  it('beats windowed-Gaussian-class scores on a labelled synthetic corpus (not NAB data)', () => {
    const files = Array.from({ length: 24 }, (_, i) => makeSeries(500 + i)).map((s) => ({ name: s.name, scores: scoreAnomalies(s.t, s.v), windows: s.windows }));
    expect(scoreCorpus(files).normalized).toBeGreaterThan(50);
  });
});

describe('NAB scorer helper', () => {
  it('maps NAB timestamp windows to the rows inside them', () => {
    const t = step(10);
    const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '000');
    expect(windowsToRows(t, [[iso(t[2] + 1000), iso(t[5])]])).toEqual([[3, 5]]);
    expect(windowsToRows(t, [[iso(t[9] + 1000), iso(t[9] + 5000)]])).toEqual([]);
  });

  it('gives 100 to a detector firing at each window start, 0 to a silent one', () => {
    const n = 2000;
    const windows = nabWindows(n, [1000, 1600]);
    const perfect = new Float64Array(n);
    windows.forEach(([a]) => (perfect[a] = 1));
    expect(scoreCorpus([{ name: 'x', scores: perfect, windows }]).normalized).toBeCloseTo(100, 5);
    expect(scoreCorpus([{ name: 'x', scores: new Float64Array(n), windows }]).normalized).toBeCloseTo(0, 5);
  });

  it('charges false positives and credits late detections less', () => {
    const n = 2000;
    const windows = nabWindows(n, [1000]);
    const late = new Float64Array(n);
    late[windows[0][1] - 5] = 1;
    const early = new Float64Array(n);
    early[windows[0][0]] = 1;
    early[1500] = 1;
    const rl = scoreCorpus([{ name: 'x', scores: late, windows }], undefined, 0.5);
    const re = scoreCorpus([{ name: 'x', scores: early, windows }], undefined, 0.5);
    expect(rl.tp).toBe(1);
    expect(rl.normalized).toBeLessThan(60);
    expect(re.fp).toBe(1);
    expect(re.raw).toBeCloseTo(1 - 0.11 * Math.abs(2 / (1 + Math.exp(-5 * ((1500 - windows[0][1]) / (windows[0][1] - windows[0][0])))) - 1), 3);
  });
});
