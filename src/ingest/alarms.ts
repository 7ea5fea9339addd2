/**
 * Alarm levels with hysteresis. A reading at or beyond `warn` (or `alarm`) raises that level; the level only falls
 * back once the value has come back past the threshold by the hysteresis band, so a noisy signal hovering at a
 * threshold does not flap. `direction: below` mirrors everything (a pressure sag is bad).
 */
import type { PropertyRule } from './catalog';

export type Level = 'none' | 'warn' | 'alarm';

const RANK: Record<Level, number> = { none: 0, warn: 1, alarm: 2 };

/** The band a value must retreat by before a level clears: the manifest's `hysteresis`, else a share of the gap. */
export function hysteresisOf(rule: PropertyRule): number {
  if (rule.hysteresis !== undefined) return rule.hysteresis;
  const { warn, alarm } = rule;
  if (warn !== undefined && alarm !== undefined && warn !== alarm) return Math.abs(alarm - warn) * 0.25;
  const t = warn ?? alarm ?? 0;
  return Math.abs(t) * 0.02;
}

export function hasThresholds(rule: PropertyRule): boolean {
  return rule.warn !== undefined || rule.alarm !== undefined;
}

/** The level after seeing `value`, given the level before. */
export function nextLevel(rule: PropertyRule, current: Level, value: number): Level {
  const sign = rule.direction === 'below' ? -1 : 1;
  const v = sign * value;
  const warn = rule.warn === undefined ? undefined : sign * rule.warn;
  const alarm = rule.alarm === undefined ? undefined : sign * rule.alarm;
  const h = hysteresisOf(rule);
  const raw: Level = alarm !== undefined && v >= alarm ? 'alarm' : warn !== undefined && v >= warn ? 'warn' : 'none';
  if (RANK[raw] >= RANK[current]) return raw;
  // Falling: hold each level until the value has cleared its threshold by the band.
  if (current === 'alarm' && alarm !== undefined && v >= alarm - h) return 'alarm';
  if (current !== 'none' && warn !== undefined && v >= warn - h) return 'warn';
  return raw;
}

export interface AlarmTransition {
  asset: string;
  property: string;
  twin: string;
  from: Level;
  to: Level;
  value: number;
  ts: number;
}

/** Walk one property's readings in time order from a starting level; returns the transitions and the final level. */
export function walk(
  rule: PropertyRule,
  start: Level,
  readings: { ts: number; value: number }[],
  key: { twin: string; asset: string; property: string },
): { level: Level; transitions: AlarmTransition[] } {
  let level = start;
  const transitions: AlarmTransition[] = [];
  for (const r of readings) {
    const next = nextLevel(rule, level, r.value);
    if (next !== level) transitions.push({ ...key, from: level, to: next, value: r.value, ts: r.ts });
    level = next;
  }
  return { level, transitions };
}

export function alarmMessage(t: AlarmTransition, rule: PropertyRule): string {
  const threshold = t.to === 'alarm' ? rule.alarm : rule.warn;
  const dir = rule.direction === 'below' ? 'below' : 'above';
  return `${t.asset} ${t.property} ${t.value} is ${dir} the ${t.to} threshold ${threshold}`;
}
