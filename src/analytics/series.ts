/**
 * Checks shared by every analytic: a time series is parallel arrays of epoch-millisecond timestamps and finite values,
 * strictly increasing in time. Bad input is refused with every problem listed, never repaired silently, because a
 * silently sorted or NaN-skipping series gives a number nobody can trust.
 */
import { AnalyticsInputError, ProblemList } from './errors';

/** A series as the analytics take it: `t[i]` in epoch ms (strictly increasing) and `v[i]` finite. */
export interface Series {
  t: readonly number[];
  v: readonly number[];
}

export interface SeriesRules {
  /** Fewest points accepted (default 1). */
  minPoints?: number;
  /** Name used in problem paths (default `series`). */
  name?: string;
}

/** Validate a series; throws AnalyticsInputError listing every problem found. */
export function checkSeries(s: Series, rules: SeriesRules = {}): void {
  const name = rules.name ?? 'series';
  const min = rules.minPoints ?? 1;
  if (!s || !Array.isArray(s.t) || !Array.isArray(s.v)) {
    throw new AnalyticsInputError('invalid_input', `${name} must have arrays t and v`);
  }
  if (s.t.length !== s.v.length) {
    throw new AnalyticsInputError('length_mismatch', `${name}: ${s.t.length} timestamps but ${s.v.length} values`);
  }
  if (s.t.length === 0 && min > 0) throw new AnalyticsInputError('empty_series', `${name} is empty`);
  if (s.t.length < min) {
    throw new AnalyticsInputError('too_short', `${name} has ${s.t.length} points; at least ${min} are needed`);
  }
  const problems = new ProblemList();
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i];
    const v = s.v[i];
    if (!Number.isFinite(t)) problems.add('not_finite', `${name}.t[${i}]`, `timestamp is not a finite number (${t})`);
    if (!Number.isFinite(v)) problems.add('not_finite', `${name}.v[${i}]`, `value is not a finite number (${v})`);
    if (i > 0 && Number.isFinite(t) && !(t > s.t[i - 1])) {
      problems.add('unsorted', `${name}.t[${i}]`, `timestamp ${t} is not after the previous one (${s.t[i - 1]})`);
    }
  }
  problems.throwIfAny(`${name} is not a valid time series`);
}

/** Require a finite number option within bounds. */
export function checkNumber(problems: ProblemList, path: string, value: unknown, min = -Infinity, max = Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) problems.add('invalid_option', path, `must be a finite number (got ${String(value)})`);
  else if (value < min || value > max) problems.add('invalid_option', path, `must be between ${min} and ${max} (got ${value})`);
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
