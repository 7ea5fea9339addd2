/**
 * The Numenta Anomaly Benchmark's window scoring, re-implemented to measure our detector (NAB's own scorer is Python).
 * It follows nab/sweeper.py: the first 15% of each file (at most 750 points) is probationary and ignored; a detection
 * inside a labelled window earns the scaled sigmoid of its position (earliest is best, only the best one per window
 * counts); every detection outside a window costs fpWeight times the sigmoid of its distance past the previous window
 * (a full -fpWeight before any window); a window with no detection costs fnWeight. One threshold is optimised over the
 * whole corpus by sweeping every distinct score, and the total is normalised so that the null detector scores 0 and a
 * perfect one 100.
 */

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** NAB's "standard" profile (config/profiles.json). */
export const STANDARD: CostProfile = { tpWeight: 1.0, fpWeight: 0.11, fnWeight: 1.0 };
export const REWARD_LOW_FP: CostProfile = { tpWeight: 1.0, fpWeight: 0.22, fnWeight: 1.0 };
export const REWARD_LOW_FN: CostProfile = { tpWeight: 1.0, fpWeight: 0.11, fnWeight: 2.0 };

/** One scored file: the detector's score per row and the labelled windows as inclusive row-index ranges. */
export interface ScoredFile {
  name: string;
  scores: ArrayLike<number>;
  windows: Array<[number, number]>;
}

export interface FileResult {
  name: string;
  score: number;
  tp: number;
  fp: number;
  fn: number;
  windows: number;
}

export interface CorpusResult {
  /** NAB-normalised score: 0 = null detector, 100 = perfect. */
  normalized: number;
  raw: number;
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  windows: number;
  files: FileResult[];
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function scaledSigmoid(relativePosition: number): number {
  return relativePosition >= 3 ? -1 : 2 * sigmoid(-5 * relativePosition) - 1;
}

/** NAB's probationary length for a file of n rows. */
export function probationLength(n: number, percent = 0.15): number {
  return Math.min(Math.floor(percent * n), percent * 5000);
}

/** NAB's window layout: each anomaly gets a window of 10% of the file divided by the anomaly count, centred on it. */
export function nabWindows(n: number, anomalyStarts: number[]): Array<[number, number]> {
  if (anomalyStarts.length === 0) return [];
  const width = Math.floor((0.1 * n) / anomalyStarts.length);
  return anomalyStarts.map((a) => [Math.max(0, a - Math.floor(width / 2)), Math.min(n - 1, a + Math.ceil(width / 2))] as [number, number]);
}

interface Point {
  score: number;
  sweep: number;
  window: number; // -1 outside windows, else a corpus-wide window id
  file: number;
}

function sweepFile(f: ScoredFile, fileIndex: number, firstWindowId: number, p: CostProfile, out: Point[]): number {
  const n = f.scores.length;
  const maxTP = scaledSigmoid(-1);
  const probation = probationLength(n);
  let prevRight = -1;
  let prevWidth = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    let sweep: number;
    let window = -1;
    const win = f.windows[w];
    if (win && i >= win[0] && i <= win[1]) {
      const width = win[1] - win[0] + 1;
      sweep = (scaledSigmoid(-(win[1] - i + 1) / width) * p.tpWeight) / maxTP;
      window = firstWindowId + w;
      if (i === win[1]) {
        prevRight = i;
        prevWidth = width;
        w++;
      }
    } else {
      const pos = prevRight < 0 ? 3 : Math.abs(prevRight - i) / (prevWidth - 1);
      sweep = scaledSigmoid(pos) * p.fpWeight;
    }
    if (i >= probation) out.push({ score: f.scores[i], sweep, window, file: fileIndex });
  }
  return f.windows.length;
}

/** Score a corpus with one corpus-wide optimised threshold (or a given one). */
export function scoreCorpus(files: ScoredFile[], profile: CostProfile = STANDARD, fixedThreshold?: number): CorpusResult {
  const points: Point[] = [];
  let windows = 0;
  files.forEach((f, i) => {
    windows += sweepFile(f, i, windows, profile, points);
  });
  points.sort((a, b) => b.score - a.score);
  // Sweep thresholds from high to low; a window's credit is the best sweep score among its detections.
  const best = new Float64Array(windows).fill(-profile.fnWeight);
  let windowSum = -profile.fnWeight * windows;
  let fpSum = 0;
  let bestScore = windowSum;
  let bestThreshold = 1.1;
  for (let k = 0; k < points.length; k++) {
    const pt = points[k];
    if (fixedThreshold !== undefined && pt.score < fixedThreshold) break;
    if (pt.window < 0) fpSum += pt.sweep;
    else if (pt.sweep > best[pt.window]) {
      windowSum += pt.sweep - best[pt.window];
      best[pt.window] = pt.sweep;
    }
    const next = points[k + 1];
    if (!next || next.score !== pt.score) {
      const total = windowSum + fpSum;
      if (fixedThreshold === undefined && total > bestScore) {
        bestScore = total;
        bestThreshold = pt.score;
      }
    }
  }
  const threshold = fixedThreshold ?? bestThreshold;
  // Per-file breakdown at the chosen threshold.
  const res: FileResult[] = files.map((f) => ({ name: f.name, score: 0, tp: 0, fp: 0, fn: 0, windows: f.windows.length }));
  const credit = new Map<number, number>();
  for (const pt of points) {
    if (pt.score < threshold) break;
    if (pt.window < 0) {
      res[pt.file].score += pt.sweep;
      res[pt.file].fp++;
    } else credit.set(pt.window, Math.max(credit.get(pt.window) ?? -Infinity, pt.sweep));
  }
  let id = 0;
  files.forEach((f, i) => {
    for (let w = 0; w < f.windows.length; w++, id++) {
      const c = credit.get(id);
      if (c === undefined) {
        res[i].fn++;
        res[i].score -= profile.fnWeight;
      } else {
        res[i].tp++;
        res[i].score += c;
      }
    }
  });
  const raw = res.reduce((a, r) => a + r.score, 0);
  const nullScore = -profile.fnWeight * windows;
  const perfect = profile.tpWeight * windows;
  return {
    normalized: windows === 0 ? 0 : (100 * (raw - nullScore)) / (perfect - nullScore),
    raw,
    threshold,
    tp: res.reduce((a, r) => a + r.tp, 0),
    fp: res.reduce((a, r) => a + r.fp, 0),
    fn: res.reduce((a, r) => a + r.fn, 0),
    windows,
    files: res,
  };
}
