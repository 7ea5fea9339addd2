/**
 * Availability calendars for the production simulation: the shifts expanded to intervals over the horizon, merged
 * down windows per station, and the arithmetic of "p minutes of work started at t ends when, given the downtime".
 */
import { localDayAt, localParts, parseHhMm } from './localtime';
import type { Interval, ShiftSpec } from './production-types';
import { DAY, MINUTE } from './series';

export interface CrewInterval extends Interval {
  crew: string;
  size: number;
  technicians: number;
  overtimeHours: number;
}

/** Each shift as concrete intervals between `from` and `to`. */
export function expandShifts(shifts: ShiftSpec[], from: number, to: number, tz: string): CrewInterval[] {
  const out: CrewInterval[] = [];
  for (let day = from - DAY; day < to + DAY; day += DAY) {
    for (const s of shifts) {
      const a = parseHhMm(s.start)!;
      let b = parseHhMm(s.end)!;
      if (b <= a) b += 1440;
      const start = localDayAt(day, a, tz);
      if (s.days && !s.days.includes(localParts(start, tz).weekday)) continue;
      const end = start + (b - a) * MINUTE;
      if (end > from && start < to) {
        out.push({ start, end, crew: s.crew, size: s.size, technicians: s.technicians ?? 0, overtimeHours: s.overtimeHours ?? 0 });
      }
    }
  }
  // Days stepped in UTC can meet the same local day twice around DST; drop exact duplicates.
  out.sort((x, y) => x.start - y.start || x.crew.localeCompare(y.crew));
  return out.filter((c, i) => i === 0 || c.start !== out[i - 1].start || c.crew !== out[i - 1].crew);
}

/** Sort and merge overlapping intervals. */
export function merge(intervals: Interval[]): Interval[] {
  const s = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of s) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The complement of `on` within [from, to]: the times nobody is on shift. */
export function gaps(on: Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  let t = from;
  for (const i of merge(on)) {
    if (i.start > t) out.push({ start: t, end: Math.min(i.start, to) });
    t = Math.max(t, i.end);
    if (t >= to) break;
  }
  if (t < to) out.push({ start: t, end: to });
  return out.filter((i) => i.end > i.start);
}

/** If `t` is inside a down interval, the end of it; else t. `down` is merged and sorted. */
export function nextUp(down: Interval[], t: number): number {
  for (const d of down) {
    if (d.start > t) break;
    if (t < d.end) return d.end;
  }
  return t;
}

/** When `workMs` of work started at `t` finishes, pausing through down intervals. */
export function advance(down: Interval[], t: number, workMs: number): number {
  let now = nextUp(down, t);
  let left = workMs;
  for (const d of down) {
    if (d.end <= now) continue;
    if (d.start >= now + left) break;
    left -= d.start - now;
    now = d.end;
  }
  return now + left;
}

/** Up time within [from, to] given merged down intervals. */
export function upTime(down: Interval[], from: number, to: number): number {
  let lost = 0;
  for (const d of down) lost += Math.max(0, Math.min(d.end, to) - Math.max(d.start, from));
  return to - from - lost;
}
