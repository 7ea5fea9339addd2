/**
 * Local wall-clock time of a twin (its manifest `timezone`) for schedules: shifts, daily swings, pre-heat windows.
 * Offsets are cached per hour, so converting a week of per-minute samples costs a few hundred Intl calls.
 */

export interface LocalTime {
  /** Minutes since local midnight, fractional. */
  minuteOfDay: number;
  /** 0 = Sunday … 6 = Saturday, local. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export function createLocalTime(timezone = 'UTC'): (ms: number) => LocalTime {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  } catch {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  }
  const cache = new Map<number, { hourStartLocalMin: number; weekday: number }>();
  return (ms: number) => {
    const hourKey = Math.floor(ms / 3_600_000);
    let entry = cache.get(hourKey);
    if (!entry) {
      const parts = fmt.formatToParts(new Date(hourKey * 3_600_000));
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
      entry = { hourStartLocalMin: Number(get('hour')) * 60 + Number(get('minute')), weekday: WEEKDAYS[get('weekday')] ?? 1 };
      if (cache.size > 10_000) cache.clear();
      cache.set(hourKey, entry);
    }
    let minuteOfDay = entry.hourStartLocalMin + (ms - hourKey * 3_600_000) / 60_000;
    let weekday = entry.weekday;
    if (minuteOfDay >= 1440) (minuteOfDay -= 1440), (weekday = (weekday + 1) % 7);
    return { minuteOfDay, weekday };
  };
}

/** "16:30" → 990 */
export function hhmm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

/** Whether a local minute lies in [from, to), windows may wrap midnight ("22:00"-"06:00"). */
export function inWindow(minute: number, from: number, to: number): boolean {
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

export function dayMatches(days: 'all' | 'weekdays' | 'weekends' | undefined, weekday: number): boolean {
  if (!days || days === 'all') return true;
  const weekend = weekday === 0 || weekday === 6;
  return days === 'weekends' ? weekend : !weekend;
}
