/**
 * Degradation trend and remaining useful life. The series is first reduced to time-bucket medians (robust to spikes
 * and fast), a change point picks the recent regime (two-segment least squares on the slope), and a Theil–Sen line is
 * fitted there, with the slope's confidence interval from Kendall's tau (Sen 1968). Theil–Sen is written here because
 * simple-statistics has no robust regression; medians and the normal quantile come from simple-statistics.
 * When the recent regime is accelerating (a quadratic fits clearly better and bends toward the alarm) the quadratic's
 * crossing is reported too and bounds the interval on the early side. "Not degrading" is returned when the slope's
 * interval includes zero, points away from the alarm, or the crossing lies beyond the horizon.
 */
import { median, probit } from 'simple-statistics';
import { AnalyticsInputError, ProblemList } from './errors';
import { medianInPlace, selectInPlace } from './select';
import { checkNumber, checkSeries, DAY, HOUR, type Series } from './series';

export interface TrendLine {
  /** Slope in value units per day. */
  slopePerDay: number;
  /** Confidence interval of the slope (value units per day). */
  slopeInterval: [number, number];
  /** Fitted value at `at`. */
  level: number;
  at: number;
}

export interface RulOptions {
  /** Alarm threshold the property must not cross. */
  alarm: number;
  /** `above` (default): high is bad. `below`: low is bad (e.g. a pressure). */
  direction?: 'above' | 'below';
  /** Time to project from (default: the last timestamp). */
  now?: number;
  /** Bucket width for the medians (default: 1 h, finer for short series, coarser to keep at most ~96 buckets). */
  bucketMs?: number;
  /** Crossings later than this are "not degrading" (default 90 days). */
  horizonMs?: number;
  /** Confidence of the intervals (default 0.9). */
  confidence?: number;
}

export interface RulResult {
  status: 'degrading' | 'not_degrading' | 'in_alarm';
  /** One sentence a person can read, with the numbers. */
  reason: string;
  alarm: number;
  direction: 'above' | 'below';
  /** Robust current level (the fitted line at `now`). */
  current: number;
  trend: TrendLine;
  /** The window the fit used: from the change point (if any) to the end. */
  window: { start: number; end: number; buckets: number; changePoint: number | null };
  /** Time until the alarm crossing, ms (null when not degrading). */
  timeToAlarmMs: number | null;
  timeToAlarmDays: number | null;
  /** Interval of the time to alarm, days (early, late); late may be Infinity when the slope interval touches 0. */
  intervalDays: [number, number] | null;
  /** Predicted crossing instant, epoch ms. */
  alarmAt: number | null;
  /** Whether the recent regime accelerates toward the alarm, and the quadratic's crossing if so. */
  accelerating: boolean;
  quadraticDays: number | null;
}

/** Medians of fixed time buckets: [bucket centre times, medians]. */
export function bucketMedians(s: Series, bucketMs: number): { t: number[]; v: number[] } {
  const t: number[] = [];
  const v: number[] = [];
  let start = s.t[0];
  // One scratch buffer for every bucket; the median is selected in place, not sorted.
  const bucket = new Float64Array(s.t.length);
  let len = 0;
  const flush = () => {
    if (len) {
      t.push(start + bucketMs / 2);
      v.push(medianInPlace(bucket, len));
    }
  };
  for (let i = 0; i < s.t.length; i++) {
    if (s.t[i] >= start + bucketMs) {
      flush();
      len = 0;
      start += Math.floor((s.t[i] - start) / bucketMs) * bucketMs;
    }
    bucket[len++] = s.v[i];
  }
  flush();
  return { t, v };
}

/** Theil–Sen line over x (days) and y with a Kendall-based confidence interval of the slope. */
export function theilSen(x: readonly number[], y: readonly number[], confidence = 0.9): { slope: number; intercept: number; slopeInterval: [number, number] } {
  const n = x.length;
  if (n < 2) throw new AnalyticsInputError('too_short', `Theil–Sen needs at least 2 points (got ${n})`);
  const all = new Float64Array((n * (n - 1)) / 2);
  let N = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (x[j] !== x[i]) all[N++] = (y[j] - y[i]) / (x[j] - x[i]);
  if (!N) throw new AnalyticsInputError('invalid_input', 'Theil–Sen needs at least two distinct x values');
  // Only three ranks are needed (the median and the interval's ends): select them, do not sort.
  const slopes = all.subarray(0, N);
  const z = probit(1 - (1 - confidence) / 2);
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lo = Math.max(0, Math.floor((N - c) / 2));
  const hi = Math.min(N - 1, Math.ceil((N + c) / 2));
  const upperMid = N >> 1;
  const upper = selectInPlace(slopes, upperMid);
  const lower = N % 2 ? upper : selectInPlace(slopes, upperMid - 1, 0, upperMid - 1);
  const slope = (lower + upper) / 2;
  const loSlope = lo < upperMid ? selectInPlace(slopes, lo, 0, upperMid - 1) : selectInPlace(slopes, lo, upperMid, N - 1);
  const hiSlope = hi > upperMid ? selectInPlace(slopes, hi, upperMid + 1, N - 1) : upper;
  const intercept = median(y.map((yi, i) => yi - slope * x[i]));
  return { slope, intercept, slopeInterval: [loSlope, hiSlope] };
}

/** Index where a two-segment least-squares fit most improves on one line (null if it hardly does). */
export function slopeChangePoint(x: readonly number[], y: readonly number[], minSegment = 6): number | null {
  const n = x.length;
  if (n < 2 * minSegment) return null;
  // Prefix sums make each split's two regressions O(1).
  const S = { x: [0], y: [0], xx: [0], xy: [0], yy: [0] };
  for (let i = 0; i < n; i++) {
    S.x.push(S.x[i] + x[i]);
    S.y.push(S.y[i] + y[i]);
    S.xx.push(S.xx[i] + x[i] * x[i]);
    S.xy.push(S.xy[i] + x[i] * y[i]);
    S.yy.push(S.yy[i] + y[i] * y[i]);
  }
  const sse = (a: number, b: number) => {
    const m = b - a;
    const sx = S.x[b] - S.x[a], sy = S.y[b] - S.y[a];
    const sxx = S.xx[b] - S.xx[a] - (sx * sx) / m;
    const sxy = S.xy[b] - S.xy[a] - (sx * sy) / m;
    const syy = S.yy[b] - S.yy[a] - (sy * sy) / m;
    return sxx > 0 ? Math.max(0, syy - (sxy * sxy) / sxx) : syy;
  };
  const whole = sse(0, n);
  let best = whole;
  let at: number | null = null;
  for (let k = minSegment; k <= n - minSegment; k++) {
    const e = sse(0, k) + sse(k, n);
    if (e < best) {
      best = e;
      at = k;
    }
  }
  // Require a real improvement: a split always helps a little on noise.
  return at !== null && best < 0.8 * whole ? at : null;
}

/**
 * A level jump in the last few buckets, too recent for a trend to be fitted after it: a fault or a setpoint change,
 * not wear. Two constant segments, the split searched only among the last `recent` buckets; it counts when the jump is
 * large against the bucket-to-bucket noise and the level after it is flat (so a curve bending up is not read as one).
 */
export function recentStep(v: readonly number[], recent: number): { at: number; before: number; after: number } | null {
  const n = v.length;
  if (n < 12) return null;
  const diffs = v.slice(1).map((x, i) => Math.abs(x - v[i])).sort((a, b) => a - b);
  const noise = 1.4826 * diffs[Math.floor(diffs.length / 2)] || 1e-9;
  let best: { at: number; before: number; after: number; gain: number } | null = null;
  for (let k = Math.max(6, n - recent); k <= n - 2; k++) {
    const pre = v.slice(Math.max(0, k - 24), k);
    const post = v.slice(k);
    const before = median([...pre]);
    const after = median([...post]);
    const jump = Math.abs(after - before);
    const spread = Math.max(...post) - Math.min(...post);
    // Abrupt: one or two buckets carry most of the change (a ramp or a bending curve spreads it over many).
    const abrupt = Math.abs(v[Math.min(n - 1, k + 1)] - v[k - 1]) >= 0.7 * jump;
    if (abrupt && jump > 6 * noise && spread < 0.5 * jump && (!best || jump > best.gain)) best = { at: k, before, after, gain: jump };
  }
  return best ? { at: best.at, before: best.before, after: best.after } : null;
}

/** Remaining useful life: when the property reaches its alarm threshold at the recent robust trend. */
export function remainingLife(s: Series, opts: RulOptions): RulResult {
  checkSeries(s, { minPoints: 3 });
  const p = new ProblemList();
  checkNumber(p, 'alarm', opts.alarm);
  if (opts.direction && opts.direction !== 'above' && opts.direction !== 'below') p.add('invalid_option', 'direction', 'must be above or below');
  if (opts.now !== undefined) checkNumber(p, 'now', opts.now);
  if (opts.bucketMs !== undefined) checkNumber(p, 'bucketMs', opts.bucketMs, 1);
  if (opts.confidence !== undefined) checkNumber(p, 'confidence', opts.confidence, 0.5, 0.999);
  p.throwIfAny('invalid remaining-life options');
  const dir = opts.direction ?? 'above';
  const sign = dir === 'above' ? 1 : -1;
  const now = opts.now ?? s.t[s.t.length - 1];
  const horizon = opts.horizonMs ?? 90 * DAY;
  const span = s.t[s.t.length - 1] - s.t[0];
  // Hourly buckets, but at most ~96 of them: Theil–Sen is quadratic in the bucket count.
  const bucketMs = opts.bucketMs ?? Math.max(1, Math.min(HOUR, span / 24), span / 96);
  const b = bucketMedians(s, bucketMs);
  if (b.t.length < 3) throw new AnalyticsInputError('too_short', `only ${b.t.length} time buckets of ${bucketMs} ms; at least 3 are needed`);
  const x = b.t.map((t) => (t - now) / DAY);
  const minSegment = Math.max(6, Math.floor(b.t.length * 0.15));
  const step = recentStep(b.v, minSegment);
  if (step) {
    // A jump too recent to fit a trend after it: say what happened rather than project the jump as a slope.
    const level = step.after;
    const trend: TrendLine = { slopePerDay: 0, slopeInterval: [0, 0], level, at: now };
    const window = { start: b.t[step.at] - bucketMs / 2, end: b.t[b.t.length - 1] + bucketMs / 2, buckets: b.t.length - step.at, changePoint: b.t[step.at] - bucketMs / 2 };
    const base = { alarm: opts.alarm, direction: dir, current: level, trend, window, accelerating: false, quadraticDays: null as number | null };
    const hours = fmt((now - window.changePoint) / HOUR);
    if (sign * (opts.alarm - level) <= 0) {
      return { ...base, status: 'in_alarm', reason: `stepped from ${fmt(step.before)} to ${fmt(level)} about ${hours} h ago, at or past the alarm threshold ${fmt(opts.alarm)}`, timeToAlarmMs: 0, timeToAlarmDays: 0, intervalDays: [0, 0], alarmAt: now };
    }
    return { ...base, status: 'not_degrading', reason: `not degrading: a step from ${fmt(step.before)} to ${fmt(level)} about ${hours} h ago (a fault or a setpoint change, not a wear trend), level since then steady; too recent to project`, timeToAlarmMs: null, timeToAlarmDays: null, intervalDays: null, alarmAt: null };
  }
  const cp = slopeChangePoint(x, b.v, minSegment);
  const from = cp ?? 0;
  const xs = x.slice(from);
  const ys = b.v.slice(from);
  const fit = theilSen(xs, ys, opts.confidence ?? 0.9);
  const current = fit.intercept; // x = 0 is now
  const trend: TrendLine = { slopePerDay: fit.slope, slopeInterval: fit.slopeInterval, level: current, at: now };
  const window = { start: b.t[from] - bucketMs / 2, end: b.t[b.t.length - 1] + bucketMs / 2, buckets: xs.length, changePoint: cp === null ? null : b.t[cp] - bucketMs / 2 };
  const base = { alarm: opts.alarm, direction: dir, current, trend, window, accelerating: false, quadraticDays: null as number | null };
  const gapToAlarm = sign * (opts.alarm - current);
  if (gapToAlarm <= 0) {
    return { ...base, status: 'in_alarm', reason: `level ${fmt(current)} is already ${dir === 'above' ? 'at or above' : 'at or below'} the alarm threshold ${fmt(opts.alarm)}`, timeToAlarmMs: 0, timeToAlarmDays: 0, intervalDays: [0, 0], alarmAt: now };
  }
  const rate = sign * fit.slope;
  const [loRate, hiRate] = (sign > 0 ? fit.slopeInterval : [-fit.slopeInterval[1], -fit.slopeInterval[0]]) as [number, number];
  const quad = quadraticCrossing(xs, ys, opts.alarm, sign);
  const days = rate > 0 ? gapToAlarm / rate : Infinity;
  if (rate <= 0 || loRate <= 0 || days * DAY > horizon) {
    const why =
      rate <= 0
        ? `the trend (${fmt(fit.slope)}/day) points away from the alarm`
        : loRate <= 0
          ? `the slope's interval (${fmt(fit.slopeInterval[0])} to ${fmt(fit.slopeInterval[1])}/day) includes zero`
          : `at ${fmt(fit.slope)}/day the alarm ${fmt(opts.alarm)} is more than ${fmt(horizon / DAY)} days away`;
    return { ...base, status: 'not_degrading', reason: `not degrading: ${why}; level ${fmt(current)}`, timeToAlarmMs: null, timeToAlarmDays: null, intervalDays: null, alarmAt: null };
  }
  const late = gapToAlarm / loRate;
  let early = gapToAlarm / hiRate;
  if (quad !== null) early = Math.min(early, quad);
  const accel = quad !== null;
  return {
    ...base,
    status: 'degrading',
    accelerating: accel,
    quadraticDays: quad,
    reason: `rising ${fmt(Math.abs(fit.slope))}/day toward ${fmt(opts.alarm)} from ${fmt(current)}: alarm in about ${fmt(days)} days (${fmt(early)}–${fmt(late)})${accel ? `; accelerating, the curved fit says ${fmt(quad!)} days` : ''}`,
    timeToAlarmMs: days * DAY,
    timeToAlarmDays: days,
    intervalDays: [early, late],
    alarmAt: now + days * DAY,
  };
}

/** Days until a least-squares quadratic over the window reaches the alarm, if it clearly beats a line and bends toward it. */
function quadraticCrossing(x: readonly number[], y: readonly number[], alarm: number, sign: number): number | null {
  const n = x.length;
  if (n < 8) return null;
  // Normal equations of y = a + b x + c x², centred for conditioning.
  const mx = x.reduce((a, v) => a + v, 0) / n;
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
  for (let i = 0; i < n; i++) {
    const u = x[i] - mx;
    s1 += u; s2 += u * u; s3 += u * u * u; s4 += u * u * u * u;
    t0 += y[i]; t1 += u * y[i]; t2 += u * u * y[i];
  }
  const M = [[n, s1, s2], [s1, s2, s3], [s2, s3, s4]];
  const det = (m: number[][]) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det(M);
  if (!(Math.abs(D) > 0)) return null;
  const col = (k: number) => M.map((row, i) => row.map((v, j) => (j === k ? [t0, t1, t2][i] : v)));
  const a = det(col(0)) / D, b = det(col(1)) / D, c = det(col(2)) / D;
  let sseQ = 0, sseL = 0;
  const bl = (t1 - (s1 * t0) / n) / (s2 - (s1 * s1) / n);
  const al = (t0 - bl * s1) / n;
  for (let i = 0; i < n; i++) {
    const u = x[i] - mx;
    sseQ += (y[i] - (a + b * u + c * u * u)) ** 2;
    sseL += (y[i] - (al + bl * u)) ** 2;
  }
  if (!(sign * c > 0) || sseQ > 0.85 * sseL) return null;
  // Solve a + b u + c u² = alarm for the first u after now (u0 = -mx).
  const u0 = -mx;
  const disc = b * b - 4 * c * (a - alarm);
  if (disc < 0) return null;
  const roots = [(-b - Math.sqrt(disc)) / (2 * c), (-b + Math.sqrt(disc)) / (2 * c)].filter((u) => u > u0).sort((p, q) => p - q);
  return roots.length ? roots[0] - u0 : null;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
}
