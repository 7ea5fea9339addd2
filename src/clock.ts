/**
 * The store's clock. Relative times in manifests (`+2d`), the simulator and `--at` read "now" from here,
 * so evals and tests can freeze time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
}

/** Parse a duration such as `7d`, `36h`, `15m`, `30s`, `-2d`, `+90m` into milliseconds; null when unparseable. */
export function parseDuration(text: string): number | null {
  const m = /^\s*([+-]?)(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (!m) return null;
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[3] as 'ms'];
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
}

/** Resolve a manifest time: a relative duration against `now`, or an ISO timestamp. */
export function resolveTime(text: string, now: Date): Date | null {
  const rel = parseDuration(text);
  if (rel !== null) return new Date(now.getTime() + rel);
  const t = Date.parse(text);
  return Number.isFinite(t) ? new Date(t) : null;
}
