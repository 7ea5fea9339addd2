/**
 * Times in a task ("tomorrow night", "this week", "the past 2 days", "before Thursday") as windows, read by
 * `chrono-node` relative to the run's frozen now and in the twin's timezone. Chrono finds the instant; this module only
 * decides how wide a window the words mean (a day, a part of the day, a week, a span up to or from now).
 */
import * as chrono from 'chrono-node';
import { memoText } from './memo';

export interface TimeWindow {
  /** The words that named it. */
  text: string;
  start: string;
  end: string;
  /** `deadline`: something must happen before `end`; `window`: a span to look at or act in. */
  kind: 'window' | 'deadline';
}

const HOUR = 3600e3;
const DAY = 24 * HOUR;

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    const opts = { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
    formatters.set(timezone, (f = new Intl.DateTimeFormat('en-US', opts)));
  }
  return f;
}

/** Minutes east of UTC of a timezone at an instant (e.g. Europe/Berlin in March: 60). */
export function tzOffsetMinutes(timezone: string, at: Date): number {
  try {
    const parts = partsFormatter(timezone).formatToParts(at);
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60e3);
  } catch {
    return 0;
  }
}

/** Parts of the day as people on shifts use them (local hours). */
const PARTS: { re: RegExp; from: number; to: number }[] = [
  { re: /\b(tonight|overnight|night|nights)\b/, from: 22, to: 30 },
  { re: /\bmorning\b/, from: 6, to: 12 },
  { re: /\bafternoon\b/, from: 12, to: 18 },
  { re: /\bevening\b/, from: 18, to: 22 },
];

const BACKWARD = /\b(past|last|previous|since|ago|yesterday|so far)\b/;
// "for" too: "down for 24h" is a span of that length from now, not the instant 24 hours on.
const FORWARD = /\b(next|within|coming|upcoming|for)\b/;
const DEADLINE = /\b(before|by|until|till|no later than)\s*$/;
// "offline 24hrs from now": after a word for being out of service, a length "from now" is how long the outage lasts,
// starting now, not the instant that far on ("the load 24 hours from now").
const OUTAGE = /\b(down|offline|off|out|stopped|idle|unavailable|lost|shut)\s*$/;

/** Numbers said in words, as spans and head counts use them ("two days", "a couple of people"). */
export const COUNT_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, 'a couple of': 2, couple: 2, 'a few': 3, few: 3 };

/** The length a phrase names ("two days", "48h", "a week", "30 minutes") in ms, or null when it names none. */
export function spanOf(text: string): number | null {
  // Digits may touch their unit ("48h"), or come with "more"/"extra" ("2 more hours"); a number word needs a space
  // ("an hour", not the "an" of "and").
  const m = /\b(?:(\d+(?:\.\d+)?)\s*(?:more\s+|extra\s+|additional\s+)?(minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?)|(a couple of|a few|couple|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(minutes?|mins?|hours?|hrs?|days?|weeks?|wks?))\b/i.exec(text);
  if (!m) return null;
  const n = m[1] !== undefined ? Number(m[1]) : COUNT_WORDS[m[3].toLowerCase()];
  const unit = (m[2] ?? m[4]).toLowerCase();
  const ms = /^m/.test(unit) ? 60e3 : /^h/.test(unit) ? HOUR : /^w/.test(unit) ? 7 * DAY : DAY;
  return Number.isFinite(n) && n > 0 ? n * ms : null;
}

/** Every time mention in a text, as a window; remembered per text, time and zone (memo.ts). */
export function parseTimes(text: string, now: Date, timezone = 'UTC'): TimeWindow[] {
  return timesOf(`${now.getTime()}|${timezone}|${text}`);
}

const timesOf = memoText((key: string) => {
  const [at, timezone, ...rest] = key.split('|');
  return timesIn(rest.join('|'), new Date(Number(at)), timezone!);
});

function timesIn(text: string, now: Date, timezone: string): TimeWindow[] {
  const offMin = tzOffsetMinutes(timezone, now);
  const off = offMin * 60e3;
  const localDay = (t: number) => Math.floor((t + off) / DAY) * DAY - off;
  const ref = { instant: now, timezone: offMin };
  const lower = text.toLowerCase();
  const results = chrono.parse(lower, ref, { forwardDate: true });
  const out: TimeWindow[] = [];
  for (let i = 0; i < results.length; i++) {
    let r = results[i];
    const before = lower.slice(Math.max(0, r.index - 16), r.index);
    // "costing us a month", "twice a day": a rate, not a time.
    if (/^(an?|per|each|every)\s+(day|week|month|year|hour|shift)$/.test(r.text.trim())) continue;
    const words = `${before} ${r.text}`;
    // "another 5 hrs of OT", "a 4 hour repair": a length alone is an amount of time, not a time. Chrono reads it as
    // "in 5 hours"; it is a time only with a word that anchors it ("in", "for", "next", "past", "from now", "ago").
    // After a word for being out of service it is the outage's length, from now ("down 2 days", "offline 24hrs from
    // now").
    const span = spanOf(r.text);
    const bare = span !== null && /^[\d.]+\s*[a-z]+$|^(an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+[a-z]+$/.test(r.text.trim());
    if (span !== null && OUTAGE.test(before) && (bare || /^\S+(\s+\S+)?\s+from\s+now$/.test(r.text.trim()))) {
      out.push({ text: r.text, start: new Date(now.getTime()).toISOString(), end: new Date(now.getTime() + span).toISOString(), kind: 'window' });
      continue;
    }
    if (bare && !BACKWARD.test(words) && !FORWARD.test(words) && !/\b(in|within)\s*$/.test(before)) continue;
    if (BACKWARD.test(words)) r = chrono.parse(r.text, ref, { forwardDate: false })[0] ?? r;
    const t = r.start.date().getTime();
    const nowT = now.getTime();
    let start: number;
    let end: number;
    if (r.end) {
      start = t;
      end = r.end.date().getTime();
    } else if (/\bweek\b/.test(r.text)) {
      // Weeks start on Monday, as in ISO 8601 and on most shop floors.
      const day0 = localDay(t);
      const weekday = (new Date(day0 + off).getUTCDay() + 6) % 7;
      start = day0 - weekday * DAY;
      end = start + 7 * DAY;
    } else if (/\bmonth\b/.test(r.text)) {
      const d = new Date(t + off);
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - off;
      end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - off;
    } else if (/\bweekend\b/.test(r.text)) {
      const day0 = localDay(t);
      const weekday = (new Date(day0 + off).getUTCDay() + 6) % 7;
      start = day0 + (5 - weekday) * DAY;
      // "since the weekend", "last weekend" mid-week: the one that has been, not the coming one.
      if (BACKWARD.test(words) && start > nowT) start -= 7 * DAY;
      end = start + 2 * DAY;
    } else if (spanOf(r.text) !== null && (BACKWARD.test(words) || FORWARD.test(words))) {
      // "the past 2 days", "next 48 hours", "the next two days": a span reaching to or from now, as long as it says.
      const span = spanOf(r.text)!;
      [start, end] = t < nowT ? [nowT - span, nowT] : [nowT, nowT + span];
      // "for two days from tomorrow", "for 24h starting at 6": the span starts where the next mention says.
      const next = results[i + 1];
      if (next && t >= nowT && /^\s*,?\s*(starting|from|beginning)(\s+(at|on))?\s*$/.test(lower.slice(r.index + r.text.length, next.index))) {
        const at = next.start.date().getTime();
        start = next.start.isCertain('hour') ? at : localDay(at) + (PARTS.find((p) => p.re.test(next.text))?.from ?? 0) * HOUR;
        end = start + span;
        i++;
      }
    } else {
      const part = PARTS.find((p) => p.re.test(r.text));
      const day0 = localDay(t);
      if (part) {
        start = day0 + part.from * HOUR;
        end = day0 + part.to * HOUR;
      } else if (r.start.isCertain('hour')) {
        start = t;
        const next = results[i + 1];
        // "between 6am and 10am tomorrow": the second time shares the first one's day when it names none.
        if (next && /\b(and|to|until|till|-)\s*$/.test(lower.slice(r.index + r.text.length, next.index)) && !next.end) {
          const nd = next.start.date().getTime();
          const sameDay = next.start.isCertain('day') ? nd : localDay(t) + (nd - localDay(nd));
          end = sameDay > t ? sameDay : sameDay + DAY;
          i++;
        } else end = t + HOUR;
      } else {
        start = day0;
        end = day0 + DAY;
      }
    }
    if (/\bsince\s*(the\s*)?$/.test(before) && start < nowT) end = nowT;
    if (DEADLINE.test(before)) {
      out.push({ text: r.text, start: new Date(nowT).toISOString(), end: new Date(start).toISOString(), kind: 'deadline' });
    } else {
      out.push({ text: r.text, start: new Date(start).toISOString(), end: new Date(end).toISOString(), kind: 'window' });
    }
  }
  return out;
}
