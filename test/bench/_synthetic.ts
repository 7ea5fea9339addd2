/**
 * A labelled synthetic corpus in the Numenta Anomaly Benchmark's layout, for measuring the anomaly detector without
 * NAB's data. Each series is 14 days at 5-minute steps with its own base (level, daily shape, noise kind, quantisation,
 * benign bursts) and zero to two injected faults after the probationary period: spike, level shift, drift, variance
 * burst, stuck sensor, lost daily pattern, dip. Windows follow NAB's rule (10% of the file per file, split over its
 * anomalies, centred on each onset). Deterministic for a seed.
 */
import { nabWindows } from './_nab';
import { seededRandom } from '../../src/analytics/production';

export interface LabelledSeries {
  name: string;
  t: number[];
  v: number[];
  anomalies: number[];
  kinds: string[];
  windows: Array<[number, number]>;
}

/** Small fast PRNG (mulberry32), so the corpus is the same on every machine. */
export const rng = seededRandom;

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

export const FAULTS = ['spike', 'level_shift', 'drift', 'variance', 'stuck', 'pattern_loss', 'dip'] as const;

export function makeSeries(seed: number, faults?: string[]): LabelledSeries {
  const r = rng(seed);
  const n = 4032;
  const step = 300_000;
  const t0 = Date.UTC(2026, 0, 5);
  const level = 10 + r() * 90;
  const noiseSd = level * (0.01 + r() * 0.05);
  const seasonAmp = r() < 0.6 ? noiseSd * (2 + r() * 8) : 0;
  const noiseKind = Math.floor(r() * 3); // 0 gaussian, 1 laplace-ish heavy tail, 2 AR(1)
  const quantum = r() < 0.3 ? noiseSd * 0.5 : 0;
  const burstRate = r() < 0.4 ? 0.002 : 0;
  const chosen = faults ?? (r() < 0.12 ? [] : Array.from({ length: 1 + Math.floor(r() * 2) }, () => FAULTS[Math.floor(r() * FAULTS.length)]));
  const probation = Math.floor(0.15 * n);
  const anomalies = chosen
    .map((_, k) => Math.floor(probation + 200 + ((n - probation - 600) * (k + r() * 0.8)) / chosen.length))
    .sort((a, b) => a - b);
  const t: number[] = [];
  const v: number[] = [];
  let ar = 0;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    const ts = t0 + i * step;
    const hour = ((ts / 3_600_000) % 24) / 24;
    const shape = Math.sin(2 * Math.PI * hour) + 0.4 * Math.sin(4 * Math.PI * hour + 1);
    let e = gauss(r);
    if (noiseKind === 1) e = (r() < 0.5 ? -1 : 1) * -Math.log(r() + 1e-12) * 0.7;
    if (noiseKind === 2) e = ar = 0.9 * ar + 0.44 * e;
    let x = level + seasonAmp * shape + noiseSd * e;
    if (burstRate && r() < burstRate) x += noiseSd * (3 + r() * 2);
    t.push(ts);
    v.push(x);
  }
  chosen.forEach((kind, k) => {
    const a = anomalies[k];
    const mag = noiseSd * (4 + r() * 6) + seasonAmp * 0.3;
    const sign = r() < 0.5 ? -1 : 1;
    if (kind === 'spike') {
      v[a] += sign * mag * 2;
      v[a + 1] += sign * mag;
    } else if (kind === 'level_shift') for (let i = a; i < n; i++) v[i] += sign * mag;
    else if (kind === 'drift') {
      for (let i = a; i < n; i++) {
        drift = Math.min(mag * 3, ((i - a) / 150) * mag);
        v[i] += sign * drift;
      }
    } else if (kind === 'variance') for (let i = a; i < Math.min(n, a + 250); i++) v[i] += gauss(r) * noiseSd * 4;
    else if (kind === 'stuck') {
      const stuckAt = v[a];
      for (let i = a; i < Math.min(n, a + 300); i++) v[i] = stuckAt;
    } else if (kind === 'pattern_loss') {
      if (seasonAmp === 0) for (let i = a; i < Math.min(n, a + 200); i++) v[i] += sign * mag;
      else for (let i = a; i < Math.min(n, a + 288); i++) v[i] = level + noiseSd * gauss(r);
    } else if (kind === 'dip') for (let i = a; i < Math.min(n, a + 24); i++) v[i] -= mag * 1.5;
  });
  if (quantum) for (let i = 0; i < n; i++) v[i] = Math.round(v[i] / quantum) * quantum;
  return { name: `synthetic-${seed}-${chosen.join('+') || 'clean'}`, t, v, anomalies, kinds: chosen, windows: nabWindows(n, anomalies) };
}

/** The default corpus: `count` series from consecutive seeds. */
export function makeCorpus(count = 48, firstSeed = 1): LabelledSeries[] {
  return Array.from({ length: count }, (_, i) => makeSeries(firstSeed + i));
}
