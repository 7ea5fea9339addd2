/**
 * Local wall-clock time in an IANA time zone (Europe/Berlin for the demo plant), from the platform's Intl data.
 * Offsets are cached per UTC quarter hour because Intl formatting costs microseconds and tariffs and shift calendars
 * ask for every sample; no zone changes its offset at other than quarter-hour boundaries.
 */
import { AnalyticsInputError } from './errors';

const MIN = 60_000;
const QUARTER = 15 * MIN;
const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, Map<number, number>>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    } catch {
      throw new AnalyticsInputError('invalid_option', `unknown time zone ${tz}`, [{ path: 'timezone', message: `unknown time zone ${tz}` }]);
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of local time from UTC at instant `ms`, in ms. */
export function offsetAt(ms: number, tz: string): number {
  if (tz === 'UTC') return 0;
  let c = cache.get(tz);
  if (!c) cache.set(tz, (c = new Map()));
  const key = Math.floor(ms / QUARTER);
  let off = c.get(key);
  if (off === undefined) {
    const parts: Record<string, number> = {};
    for (const p of formatter(tz).formatToParts(new Date(key * QUARTER))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    off = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - key * QUARTER;
    if (c.size > 200_000) c.clear();
    c.set(key, off);
  }
  return off;
}

/** Local weekday (0 = Sunday) and minute of the day at instant `ms`. */
export function localParts(ms: number, tz: string): { weekday: number; minuteOfDay: number; localMs: number } {
  const localMs = ms + offsetAt(ms, tz);
  const dayMs = ((localMs % 86_400_000) + 86_400_000) % 86_400_000;
  return { weekday: new Date(localMs - dayMs).getUTCDay(), minuteOfDay: Math.floor(dayMs / MIN), localMs };
}

/** The UTC instant of local midnight of the local day containing `ms`, plus `minutes`. */
export function localDayAt(ms: number, minutes: number, tz: string): number {
  const { localMs } = localParts(ms, tz);
  const localMidnight = localMs - (((localMs % 86_400_000) + 86_400_000) % 86_400_000);
  const guess = localMidnight + minutes * MIN;
  // Two passes settle the offset across a DST change.
  let utc = guess - offsetAt(guess, tz);
  utc = guess - offsetAt(utc, tz);
  return utc;
}

/** Parse 'HH:MM' (00:00–24:00) into minutes of the day, or null. */
export function parseHhMm(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && v <= 1440 ? v : null;
}
