/**
 * Streaming anomaly detection, one detector per (asset, property) stream, O(1) memory and a few dozen float operations
 * per point. Written by hand because no library does online scoring of this kind in O(1) per point.
 *
 * Each point gets four surprises, each measured against that stream's own running 99th to 99.5th percentile of the
 * same quantity, or its own range (so a noisy, heavy-tailed stream is not permanently alarming):
 *  - residual: distance from a one-step prediction (a fast level, plus a daily profile when that profile has been
 *    predicting better): spikes, dips, sudden level shifts and variance bursts. A residual about as large as many
 *    recent ones (a stream that spikes every day or every hundred points) is discounted: it is the stream's habit;
 *  - range: a value beyond the stream's slowly forgotten extremes (a CPU at 100% where bursts used to stop at 60%);
 *  - baseline gap: fast minus slow level of the deseasonalised signal, and a two-sided CUSUM of its distance to the
 *    slow level (whichever surprises more): drifts and sustained shifts;
 *  - flat run: consecutive identical values against the longest run this stream usually shows: stuck sensors.
 * Noise scales are upper-quartile trackers of |deviation| (floored by a fraction of the mean), so one outlier barely
 * moves them and a scale inflated by a start-up transient or a past burst recovers within about a hundred points.
 * The largest surprise becomes a score in [0,1]. Like the detectors that lead the Numenta Anomaly Benchmark, it tries
 * to speak once, at the onset: consecutive surprising points form one event, which scores at its first point and again
 * only if it escalates; after a firing, repeats are muted for a refractory period unless the surprise escalates well
 * beyond the firing's, or the stream has been quiet for `rearm` points (a separate incident, not the same one going on:
 * on real NAB series a second dip an hour or two after the first was otherwise muted); and nothing fires during
 * warm-up. A corpus-wide threshold then counts each event once.
 */
import { AnalyticsInputError } from './errors';

export interface AnomalyDetectorOptions {
  /** Points learned before any score above 0 is emitted (default 64). */
  warmup?: number;
  /** Points after a firing during which lesser surprises are muted (default 100). */
  refractory?: number;
  /** Bins of the daily profile (default 48, i.e. half-hour bins). */
  seasonBins?: number;
  /** Score at or above which the detector counts itself as firing (default 0.5). */
  fireAt?: number;
  /** Within one event, a later point speaks again only when its surprise exceeds the event's peak by this factor (default 1.5). */
  escalation?: number;
  /** Quiet points (surprise at or below 1) that end an event (default 6). */
  eventGap?: number;
  /** Quiet points (surprise at or below 1) after which the refractory period ends early, so a new, separate event can
   * speak (default 12). A level shift or drift keeps surprising, so it still speaks once. */
  rearm?: number;
}

/** What produced a point's score, for explanations. */
export type AnomalyCause = 'none' | 'residual' | 'range' | 'baseline' | 'profile' | 'flat';

const DAY = 86_400_000;
const Q = 0.995; // the running quantile each surprise is measured against
const ETA = 0.015; // step of the quantile tracker

export class AnomalyDetector {
  private readonly warmup: number;
  private readonly refractory: number;
  private readonly bins: number;
  private readonly fireAt: number;
  private readonly season: Float64Array;
  private n = 0;
  private lastT = -Infinity;
  private lastX = 0;
  private dt = 0; // EW sampling interval, ms
  private lvlP = 0; // fast level of the raw signal
  private lvlS = 0; // fast level of the signal minus its daily profile
  private lvlD = 0; // day-slow level of the signal minus its daily profile
  private fastP = 0; // fast and slow baselines, raw (P) and deseasonalised (S)
  private slowP = 0;
  private fastS = 0;
  private slowS = 0;
  private devP = 0; // EW mean |x - slow|, raw and deseasonalised
  private devS = 0;
  private resAbs = 0; // EW mean |residual|
  // Upper quartiles of |residual| and |x - slow|, tracked multiplicatively: one outlier moves them by a few percent, and
  // a scale inflated by a start-up transient or a past burst falls back within ~100 points (an EW mean takes ~1000).
  private resQ = 0;
  private devPQ = 0;
  private devSQ = 0;
  private errP = 0; // EW |x - plain prediction|
  private errS = 0; // EW |x - seasonal prediction|
  private qRes = 2.6;
  private qGap = 2.6;
  private cusUp = 0; // two-sided CUSUM of the standardised gap to the slow level: slow drifts add up here
  private cusDown = 0;
  private qCus = CUS_Q0;
  private qProf = 2;
  private profFast = 0;
  private profSlow = 0;
  private run = 0;
  private runRef = 4;
  private sinceFire = Infinity;
  private hi = -Infinity; // slowly forgotten extremes of the raw signal
  private lo = Infinity;
  // Decayed counts of recent points by log2 of their residual surprise (bin j: surprise in [2^j, 2^(j+1))), kept
  // multiplied by hGain, which grows each point, instead of decaying every bin every point.
  private readonly hist = new Float64Array(REPEAT_BINS);
  private hGain = 1;
  private fireSurprise = 0;
  private seasonal = false;
  private readonly escalation: number;
  private readonly eventGap: number;
  private readonly rearm: number;
  private eventPeak = 0; // peak surprise of the current event, 0 when none is open
  private calm = 0; // consecutive unsurprising points
  /** Cause of the last score. */
  cause: AnomalyCause = 'none';
  /** Largest surprise of the last point (1 = the stream's own 99th percentile). */
  surprise = 0;

  constructor(opts: AnomalyDetectorOptions = {}) {
    this.warmup = opts.warmup ?? 64;
    this.refractory = opts.refractory ?? 100;
    this.bins = opts.seasonBins ?? 48;
    this.fireAt = opts.fireAt ?? 0.5;
    this.escalation = opts.escalation ?? 1.5;
    this.eventGap = opts.eventGap ?? 6;
    this.rearm = opts.rearm ?? 12;
    if (!(this.escalation >= 1) || !(this.eventGap >= 1) || !(this.rearm >= 1)) throw new AnalyticsInputError('invalid_option', 'anomaly detector options out of range');
    if (!(this.warmup >= 0) || !(this.refractory >= 0) || !(this.bins >= 1) || !(this.fireAt > 0 && this.fireAt <= 1)) {
      throw new AnalyticsInputError('invalid_option', 'anomaly detector options out of range');
    }
    this.season = new Float64Array(this.bins);
  }

  /** Points seen so far. */
  get count(): number {
    return this.n;
  }

  /** Whether the daily profile is currently used for prediction. */
  get usesSeasonality(): boolean {
    return this.seasonal;
  }

  /** Learn one point (t in epoch ms, strictly increasing) and return its anomaly score in [0,1]. */
  update(t: number, x: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(t)) {
      throw new AnalyticsInputError('not_finite', `point ${this.n}: timestamp and value must be finite (got ${t}, ${x})`);
    }
    if (t <= this.lastT) {
      throw new AnalyticsInputError('unsorted', `point ${this.n}: timestamp ${t} is not after the previous one (${this.lastT})`);
    }
    const n = ++this.n;
    if (n === 1) {
      this.lastT = t;
      this.lastX = this.lvlP = this.lvlS = this.lvlD = this.fastP = this.slowP = this.fastS = this.slowS = x;
      return this.quiet();
    }
    const step = t - this.lastT;
    this.dt = n === 2 ? step : this.dt + 0.05 * (step - this.dt);
    this.lastT = t;
    const perDay = DAY / this.dt;
    const b = Math.floor((((t % DAY) + DAY) % DAY) / (DAY / this.bins));
    const s = this.season[b];

    // One-step predictions from the state before this point: a fast level of the raw signal, and a fast level of
    // the signal minus its daily profile plus that profile. The better predictor of late is used (with hysteresis).
    const predP = this.lvlP;
    const predS = this.lvlS + s;
    const eps = 1e-9 * (Math.abs(x) + Math.abs(this.slowP)) + 1e-12;
    const r = x - (this.seasonal ? predS : predP);
    const zRes = Math.abs(r) / (robustScale(this.resQ, this.resAbs) + eps);

    // Learn. Step sizes start at 1/n so early points count fully.
    const k0 = n < 32 ? Infinity : 4;
    const a = Math.max(0.1, 1 / n);
    const aSlow = Math.max(0.01, 1 / n);
    const aErr = Math.max(0.005, 1 / n);
    this.errP += aErr * (Math.abs(x - predP) - this.errP);
    this.errS += aErr * (Math.abs(x - predS) - this.errS);
    // How well today follows the learned daily profile, short-term against long-term: a lost or changed pattern.
    const eDay = Math.abs(x - (this.lvlD + s));
    this.profFast += 0.05 * (eDay - this.profFast);
    this.profSlow += aErr * (Math.min(eDay, k0 * (this.profSlow + 1e-12)) - this.profSlow);
    const aDay = Math.min(0.05, Math.max(1 / n, 2 / perDay));
    this.lvlD += aDay * (x - s - this.lvlD);
    this.season[b] += 0.1 * (x - this.lvlD - s);
    const daysSeen = (n * this.dt) / DAY;
    const ratio = this.errS / (this.errP + eps);
    if (!this.seasonal && daysSeen >= 2 && perDay >= this.bins / 2 && ratio < 0.8) this.seasonal = true;
    else if (this.seasonal && ratio > 0.95) this.seasonal = false;
    const y = x - s;
    this.lvlP += a * (x - this.lvlP);
    this.lvlS += a * (y - this.lvlS);
    this.fastP += a * (x - this.fastP);
    this.slowP += aSlow * (x - this.slowP);
    this.fastS += a * (y - this.fastS);
    this.slowS += aSlow * (y - this.slowS);
    // Outliers are clipped when updating scales, so one spike does not blind the detector to the next; not while
    // the scale is still being learned, or it could never grow from zero.
    const k = n < 32 ? Infinity : 4;
    this.resAbs += aErr * (Math.min(Math.abs(r), k * (this.resAbs + eps)) - this.resAbs);
    let zGap: number;
    if (this.seasonal) {
      zGap = Math.abs(this.fastS - this.slowS) / (robustScale(this.devSQ, this.devS) + eps);
    } else {
      zGap = Math.abs(this.fastP - this.slowP) / (robustScale(this.devPQ, this.devP) + eps);
    }
    // CUSUM (Page 1954) on the gap to the slow level, in noise units, with slack CUS_K: a drift too slow for any
    // single point to surprise still accumulates, and a stream's own wandering is calibrated by its 99th percentile.
    const gapNow = this.seasonal ? (y - this.slowS) / (robustScale(this.devSQ, this.devS) + eps) : (x - this.slowP) / (robustScale(this.devPQ, this.devP) + eps);
    const zc = n < 32 ? 0 : Math.max(-4, Math.min(4, gapNow));
    this.cusUp = Math.max(0, this.cusUp + zc - CUS_K);
    this.cusDown = Math.max(0, this.cusDown - zc - CUS_K);
    const zCus = Math.max(this.cusUp, this.cusDown);
    this.devP += aErr * (Math.min(Math.abs(x - this.slowP), k * (this.devP + eps)) - this.devP);
    this.devS += aErr * (Math.min(Math.abs(y - this.slowS), k * (this.devS + eps)) - this.devS);
    this.resQ = quartileStep(this.resQ, Math.abs(r), n);
    this.devPQ = quartileStep(this.devPQ, Math.abs(x - this.slowP), n);
    this.devSQ = quartileStep(this.devSQ, Math.abs(y - this.slowS), n);

    // Flat runs: identical consecutive values.
    if (Math.abs(x - this.lastX) <= eps) this.run++;
    else {
      if (this.run > this.runRef) this.runRef = this.run;
      else this.runRef = Math.max(4, this.runRef * 0.999);
      this.run = 0;
    }
    this.lastX = x;

    let sRes = zRes / this.qRes;
    // A large residual that many recent points have matched (within a factor of about two to four) is the stream's
    // habit, not news: periodic spikes and bursty streams otherwise fire at every burst.
    this.hGain /= 1 - 1 / REPEAT_MEMORY;
    if (this.hGain > 1e150) {
      for (let j = 0; j < REPEAT_BINS; j++) this.hist[j] /= this.hGain;
      this.hGain = 1;
    }
    if (sRes >= 2) {
      const j = Math.min(REPEAT_BINS - 1, Math.floor(Math.log2(sRes)));
      let seen = 0;
      for (let i = j - 1; i < REPEAT_BINS; i++) seen += this.hist[i];
      seen /= this.hGain;
      if (n > this.warmup) sRes /= 1 + REPEAT_WEIGHT * seen;
      if (n > 32) this.hist[j] += this.hGain;
    }
    // Range records: how far beyond the stream's extremes this value lies, as a fraction of the range. The extremes
    // are forgotten slowly (toward the slow level) so that the start of the stream does not set them for ever.
    let sRange = 0;
    const span = this.hi - this.lo;
    if (n > RANGE_START && span > eps) sRange = Math.max(x - this.hi, this.lo - x) / span / RANGE_EXT;
    this.hi = x > this.hi ? x : this.hi - (this.hi - this.slowP) / RANGE_MEMORY;
    this.lo = x < this.lo ? x : this.lo + (this.slowP - this.lo) / RANGE_MEMORY;
    const sGap = Math.max(zGap / this.qGap, zCus / this.qCus);
    const sFlat = this.run / (2 * this.runRef);
    const zProf = this.seasonal ? this.profFast / (this.profSlow + eps) : 0;
    const sProf = zProf / this.qProf;
    // Quantile tracking in the log domain: steps scale with the quantile, faster while the stream is young.
    const eta = n < 32 ? 0 : n < 500 ? 0.1 : ETA;
    this.qRes *= zRes > this.qRes ? 1 + eta * Q_RESIDUAL : 1 - eta * (1 - Q_RESIDUAL);
    this.qGap *= zGap > this.qGap ? 1 + eta * Q : 1 - eta * (1 - Q);
    if (this.qRes < 0.5) this.qRes = 0.5;
    if (this.qGap < 0.5) this.qGap = 0.5;
    this.qCus *= zCus > this.qCus ? 1 + eta * Q : 1 - eta * (1 - Q);
    if (this.qCus < CUS_QMIN) this.qCus = CUS_QMIN;
    if (this.seasonal) this.qProf *= zProf > this.qProf ? 1 + eta * Q_PROFILE : 1 - eta * (1 - Q_PROFILE);

    let sMax = sRes;
    let cause: AnomalyCause = 'residual';
    if (sRange > sMax) {
      sMax = sRange;
      cause = 'range';
    }
    if (sGap > sMax) {
      sMax = sGap;
      cause = 'baseline';
    }
    if (sProf > sMax) {
      sMax = sProf;
      cause = 'profile';
    }
    if (sFlat > sMax) {
      sMax = sFlat;
      cause = 'flat';
    }
    this.surprise = sMax;
    // Events: consecutive surprising points (allowing short lulls) are one event, which speaks at its onset and again
    // only when it escalates. A global threshold then counts each event once, not once per point it lasts.
    if (sMax > 1) {
      this.calm = 0;
      if (this.eventPeak > 0 && sMax < this.escalation * this.eventPeak) {
        return this.quiet(cause);
      }
      this.eventPeak = sMax;
    } else {
      if (++this.calm >= this.eventGap) this.eventPeak = 0;
      if (this.calm >= this.rearm) this.sinceFire = Infinity;
    }
    if (n <= this.warmup || sMax <= 1) return this.quiet(sMax > 1 ? cause : 'none');
    const score = 1 - Math.exp(-(sMax - 1));
    this.sinceFire++;
    // Within the refractory period only a much larger sudden surprise speaks again: growing runs and drifts would
    // otherwise re-fire all the way through the event they already reported.
    const sudden = cause === 'residual' || cause === 'range';
    if (this.sinceFire <= this.refractory && (!sudden || sMax < 2 * this.fireSurprise)) return this.quiet(cause);
    if (score >= this.fireAt) {
      this.sinceFire = 0;
      this.fireSurprise = sMax;
    }
    this.cause = cause;
    return score;
  }

  private quiet(cause: AnomalyCause = 'none'): number {
    this.sinceFire++;
    this.cause = cause;
    return 0;
  }
}

// The residual and the daily profile keep lower quantiles: a lost daily pattern builds up over hours, and against the
// 99.5th percentile its first residuals stayed under the firing level.
const Q_RESIDUAL = 0.993;
const Q_PROFILE = 0.99;
const REPEAT_BINS = 24;
const REPEAT_MEMORY = 3000; // points over which past residuals count as the stream's habit
const REPEAT_WEIGHT = 0.3; // each matching recent point adds this much to the divisor of the surprise
const RANGE_MEMORY = 3000; // points over which the extremes are forgotten
const RANGE_EXT = 0.15; // a value 15% of the range beyond an extreme scores as the other surprises' percentiles do
const RANGE_START = 300; // points before range records count: early on, every new value sets one
const CUS_K = 1; // CUSUM slack in noise units: tuned to shifts of about two noise units
const CUS_Q0 = 6; // starting 99th percentile of the CUSUM statistic
const CUS_QMIN = 3;
const SCALE_ETA = 0.03; // per-point log step of the quartile trackers once the stream is past its first 200 points

/** One step of a multiplicative upper-quartile tracker of a non-negative quantity. */
function quartileStep(q: number, x: number, n: number): number {
  if (n <= 3 || q <= 0) return x;
  const eta = n < 200 ? 0.1 : SCALE_ETA; // learn fast while young, as the other estimates do
  return q * (x > q ? 1 + eta * 0.75 : 1 - eta * 0.25);
}

/** A noise scale close to one standard deviation: the upper quartile of |deviation| (1.15 sigma for Gaussian noise),
 * floored by a fraction of the mean so that mostly-identical (quantised) values do not give a zero scale. */
function robustScale(q75: number, meanAbs: number): number {
  return Math.max(0.87 * q75, 0.4 * meanAbs);
}

/** Score a whole series with a fresh detector: one score per point, in order. */
export function scoreAnomalies(t: readonly number[], v: readonly number[], opts?: AnomalyDetectorOptions): Float64Array {
  if (t.length !== v.length) throw new AnalyticsInputError('length_mismatch', `${t.length} timestamps but ${v.length} values`);
  const d = new AnomalyDetector(opts);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = d.update(t[i], v[i]);
  return out;
}
