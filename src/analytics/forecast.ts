/**
 * Forecast of a property with a daily season and prediction intervals: additive Holt–Winters on hourly (or coarser)
 * bucket means, smoothing constants chosen by a small grid search on one-step-ahead error. Written here because
 * simple-statistics has no exponential smoothing. With less than two days of data the season is dropped (Holt's
 * linear method) and the result says so. Intervals use the Holt variance growth,
 * σ²·(1 + Σ_{j<h} α²(1 + jβ)²), which ignores the seasonal term's small contribution.
 */
import { probit } from 'simple-statistics';
import { ProblemList } from './errors';
import { checkNumber, checkSeries, DAY, HOUR, type Series } from './series';

export interface ForecastOptions {
  /** How far ahead, ms. */
  horizonMs: number;
  /** Step of the forecast, ms (default 1 h, or the data's step when coarser). */
  stepMs?: number;
  /** Season length, ms (default one day). */
  seasonMs?: number;
  /** Prediction interval coverage (default 0.9). */
  confidence?: number;
}

export interface ForecastPoint {
  t: number;
  mean: number;
  lo: number;
  hi: number;
}

export interface ForecastResult {
  points: ForecastPoint[];
  stepMs: number;
  seasonal: boolean;
  seasonLength: number;
  params: { alpha: number; beta: number; gamma: number };
  /** Root mean square one-step error on the history, in value units. */
  rmse: number;
  confidence: number;
  /** Summary a person can read. */
  summary: string;
}

/** Mean per time bucket; empty buckets are filled by carrying the last mean forward (gaps are counted). */
function bucketMeans(s: Series, stepMs: number): { start: number; v: number[]; gaps: number } {
  const start = Math.floor(s.t[0] / stepMs) * stepMs;
  const n = Math.floor((s.t[s.t.length - 1] - start) / stepMs) + 1;
  const sum = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (let i = 0; i < s.t.length; i++) {
    const k = Math.floor((s.t[i] - start) / stepMs);
    sum[k] += s.v[i];
    cnt[k]++;
  }
  const v: number[] = new Array(n);
  let gaps = 0;
  for (let k = 0; k < n; k++) {
    if (cnt[k]) v[k] = sum[k] / cnt[k];
    else {
      v[k] = v[k - 1];
      gaps++;
    }
  }
  return { start, v, gaps };
}

interface Fit {
  sse: number;
  level: number;
  trend: number;
  season: Float64Array;
  n: number;
}

function run(y: readonly number[], m: number, alpha: number, beta: number, gamma: number): Fit {
  const seasonal = m > 1;
  const init = seasonal ? m : 1;
  let level = 0;
  for (let i = 0; i < init; i++) level += y[i];
  level /= init;
  let trend = seasonal && y.length >= 2 * m ? (avg(y, m, 2 * m) - avg(y, 0, m)) / m : 0;
  const season = new Float64Array(Math.max(1, m));
  if (seasonal) for (let i = 0; i < m; i++) season[i] = y[i] - level;
  let sse = 0;
  let n = 0;
  for (let i = init; i < y.length; i++) {
    const s = seasonal ? season[i % m] : 0;
    const pred = level + trend + s;
    const e = y[i] - pred;
    sse += e * e;
    n++;
    const prevLevel = level;
    level = alpha * (y[i] - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - prevLevel) + (1 - beta) * trend;
    if (seasonal) season[i % m] = gamma * (y[i] - level) + (1 - gamma) * s;
  }
  return { sse, level, trend, season, n };
}

function avg(y: readonly number[], a: number, b: number): number {
  let s = 0;
  for (let i = a; i < b; i++) s += y[i];
  return s / (b - a);
}

/** Forecast `horizonMs` ahead with daily seasonality and intervals. */
export function forecast(s: Series, opts: ForecastOptions): ForecastResult {
  checkSeries(s, { minPoints: 3 });
  const p = new ProblemList();
  checkNumber(p, 'horizonMs', opts.horizonMs, 1, 366 * DAY);
  if (opts.stepMs !== undefined) checkNumber(p, 'stepMs', opts.stepMs, 1000);
  if (opts.seasonMs !== undefined) checkNumber(p, 'seasonMs', opts.seasonMs, 1000);
  if (opts.confidence !== undefined) checkNumber(p, 'confidence', opts.confidence, 0.5, 0.999);
  p.throwIfAny('invalid forecast options');
  const seasonMs = opts.seasonMs ?? DAY;
  const dataStep = (s.t[s.t.length - 1] - s.t[0]) / (s.t.length - 1);
  const stepMs = opts.stepMs ?? Math.max(HOUR, dataStep);
  // Squared errors of values beyond ~1e154 overflow a double: such a series is fitted scaled down and scaled back.
  const scale = hugeScale(s.v);
  const { start, v: y } = bucketMeans(scale === 1 ? s : { t: s.t, v: s.v.map((x) => x / scale) }, stepMs);
  const m = Math.round(seasonMs / stepMs);
  const seasonal = m >= 2 && y.length >= 2 * m;
  const mm = seasonal ? m : 1;
  if (y.length < 3) {
    // Too little history for smoothing: a flat forecast at the mean, honest wide interval from the spread.
    return flat(s, y, start, stepMs, opts, mm, scale);
  }
  let best: Fit | null = null;
  let params = { alpha: 0.5, beta: 0.05, gamma: 0.2 };
  for (const alpha of [0.1, 0.3, 0.5, 0.8]) {
    for (const beta of [0, 0.02, 0.1]) {
      for (const gamma of seasonal ? [0.05, 0.2, 0.5] : [0]) {
        const f = run(y, mm, alpha, beta, gamma);
        if (!best || f.sse < best.sse) {
          best = f;
          params = { alpha, beta, gamma };
        }
      }
    }
  }
  const fit = best!;
  const sigma = Math.sqrt(fit.sse / Math.max(1, fit.n)) * scale;
  const conf = opts.confidence ?? 0.9;
  const z = probit(1 - (1 - conf) / 2);
  const steps = Math.max(1, Math.ceil(opts.horizonMs / stepMs));
  const lastIndex = y.length - 1;
  const points: ForecastPoint[] = [];
  let acc = 1;
  for (let h = 1; h <= steps; h++) {
    const sIdx = (lastIndex + h) % mm;
    const mean = (fit.level + h * fit.trend + (seasonal ? fit.season[sIdx] : 0)) * scale;
    const half = z * sigma * Math.sqrt(acc);
    points.push({ t: start + (lastIndex + h) * stepMs, mean, lo: mean - half, hi: mean + half });
    acc += (params.alpha * (1 + h * params.beta)) ** 2;
  }
  const last = points[points.length - 1];
  return {
    points,
    stepMs,
    seasonal,
    seasonLength: mm,
    params,
    rmse: sigma,
    confidence: conf,
    summary: `${seasonal ? 'daily-seasonal ' : ''}Holt–Winters over ${y.length} buckets: in ${(opts.horizonMs / HOUR).toFixed(0)} h expect ${last.mean.toPrecision(4)} (${(conf * 100).toFixed(0)}% ${last.lo.toPrecision(4)} to ${last.hi.toPrecision(4)}); one-step error ${sigma.toPrecision(3)}`,
  };
}

/** 1 for ordinary values; for a series with values beyond 1e100, its largest magnitude (to divide by). */
function hugeScale(v: readonly number[]): number {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  return max > 1e100 ? max : 1;
}

function flat(s: Series, y: number[], start: number, stepMs: number, opts: ForecastOptions, mm: number, scale: number): ForecastResult {
  const v = s.v.map((x) => x / scale);
  const mean = (v.reduce((a, b) => a + b, 0) / v.length) * scale;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean / scale) ** 2, 0) / Math.max(1, v.length - 1)) * scale;
  const conf = opts.confidence ?? 0.9;
  const half = probit(1 - (1 - conf) / 2) * sd * 2;
  const steps = Math.max(1, Math.ceil(opts.horizonMs / stepMs));
  const points = Array.from({ length: steps }, (_, h) => ({ t: start + (y.length + h) * stepMs, mean, lo: mean - half, hi: mean + half }));
  return { points, stepMs, seasonal: false, seasonLength: mm, params: { alpha: 0, beta: 0, gamma: 0 }, rmse: sd, confidence: conf, summary: `only ${y.length} buckets of history: flat forecast at the mean ${mean.toPrecision(4)} with a wide interval` };
}
