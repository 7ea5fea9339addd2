/**
 * Health index of an asset, 0 (failed) to 100 (healthy), that explains itself. Each property with thresholds costs
 * points by zone, ISO 10816-style: nothing well inside the normal zone, up to 15 as it nears the warning level, 15–50
 * across the warning zone, 60–80 beyond the alarm level. A recent anomaly score adds up to 15 more for that property.
 * Open alarms cost 10 (warning), 25 (alarm) or 40 (critical). The worst property counts fully and the others a
 * quarter, so one bad bearing shows while several slightly-off sensors do not add up to a false failure.
 */
import { ProblemList } from './errors';

export interface HealthProperty {
  property: string;
  /** Latest (or robust recent) value. */
  value: number;
  unit?: string;
  warn?: number;
  alarm?: number;
  /** `above` (default): high is bad. `below`: low is bad. */
  direction?: 'above' | 'below';
  /** Recent anomaly score in [0,1], from the detector. */
  anomalyScore?: number;
}

export interface OpenAlarm {
  property?: string;
  severity: 'warning' | 'alarm' | 'critical';
  message?: string;
}

export interface HealthInput {
  asset: string;
  properties: HealthProperty[];
  openAlarms?: OpenAlarm[];
}

export type Zone = 'normal' | 'near_warn' | 'warn' | 'alarm' | 'no_thresholds';

export interface HealthContribution {
  property: string;
  value: number;
  unit?: string;
  zone: Zone;
  /** Points this property takes off before weighting. */
  penalty: number;
  /** Points it actually takes off the index (after worst-counts-fully weighting). */
  weighted: number;
  reason: string;
}

export interface HealthResult {
  asset: string;
  /** 0–100, higher is healthier. */
  index: number;
  grade: 'good' | 'watch' | 'poor' | 'critical';
  contributions: HealthContribution[];
  alarmPenalty: number;
  summary: string;
}

const ALARM_COST = { warning: 10, alarm: 25, critical: 40 } as const;

function zoneOf(p: HealthProperty): { zone: Zone; penalty: number; reason: string } {
  const dir = p.direction ?? 'above';
  const sign = dir === 'above' ? 1 : -1;
  const u = p.unit ? ` ${p.unit}` : '';
  if (p.warn === undefined && p.alarm === undefined) return { zone: 'no_thresholds', penalty: 0, reason: 'no thresholds defined' };
  const warn = p.warn ?? p.alarm!;
  const alarm = p.alarm ?? p.warn!;
  const band = Math.abs(alarm - warn) || Math.abs(warn) * 0.1 || 1;
  const past = (lim: number) => sign * (p.value - lim);
  if (past(alarm) >= 0) {
    return { zone: 'alarm', penalty: 60 + Math.min(20, (20 * past(alarm)) / band), reason: `${p.value}${u} is ${dir === 'above' ? 'at or above' : 'at or below'} the alarm level ${alarm}${u}` };
  }
  if (past(warn) >= 0) {
    return { zone: 'warn', penalty: 15 + (35 * past(warn)) / band, reason: `${p.value}${u} is in the warning zone (${warn}–${alarm}${u})` };
  }
  const closeness = 1 + past(warn) / band; // 1 at warn, 0 one band-width away
  // Within half a band of the warning level it is approaching it; further off it reads as normal (a small penalty
  // still ranks it below a value far from any limit).
  if (closeness > 0.5) return { zone: 'near_warn', penalty: 15 * closeness * closeness, reason: `${p.value}${u} is approaching the warning level ${warn}${u}` };
  return { zone: 'normal', penalty: closeness > 0 ? 15 * closeness * closeness : 0, reason: `${p.value}${u} is normal (warning at ${warn}${u})` };
}

export function healthIndex(input: HealthInput): HealthResult {
  const problems = new ProblemList();
  if (!input || typeof input.asset !== 'string' || !input.asset) problems.add('invalid_input', 'asset', 'asset id is required');
  if (!Array.isArray(input?.properties)) problems.add('invalid_input', 'properties', 'must be an array');
  input?.properties?.forEach((p, i) => {
    if (!Number.isFinite(p.value)) problems.add('not_finite', `properties[${i}].value`, `value of ${p.property} is not a finite number`);
    for (const k of ['warn', 'alarm', 'anomalyScore'] as const) {
      if (p[k] !== undefined && !Number.isFinite(p[k])) problems.add('not_finite', `properties[${i}].${k}`, `${k} is not a finite number`);
    }
    if (p.anomalyScore !== undefined && (p.anomalyScore < 0 || p.anomalyScore > 1)) problems.add('invalid_input', `properties[${i}].anomalyScore`, 'must be in [0,1]');
    if (p.direction && p.direction !== 'above' && p.direction !== 'below') problems.add('invalid_input', `properties[${i}].direction`, 'must be above or below');
    if (p.warn !== undefined && p.alarm !== undefined && Number.isFinite(p.warn) && Number.isFinite(p.alarm)) {
      const wrong = (p.direction ?? 'above') === 'above' ? p.alarm < p.warn : p.alarm > p.warn;
      if (wrong) problems.add('invalid_input', `properties[${i}]`, `alarm ${p.alarm} is on the wrong side of warn ${p.warn} for direction ${p.direction ?? 'above'}`);
    }
  });
  input?.openAlarms?.forEach((a, i) => {
    if (!(a.severity in ALARM_COST)) problems.add('invalid_input', `openAlarms[${i}].severity`, 'must be warning, alarm or critical');
  });
  problems.throwIfAny('invalid health input');

  const raw = input.properties.map((p) => {
    const z = zoneOf(p);
    const anomaly = 15 * (p.anomalyScore ?? 0);
    const reason = anomaly >= 1 ? `${z.reason}; anomaly score ${p.anomalyScore!.toFixed(2)} (+${anomaly.toFixed(0)})` : z.reason;
    return { property: p.property, value: p.value, unit: p.unit, zone: z.zone, penalty: z.penalty + anomaly, weighted: 0, reason };
  });
  const worst = raw.reduce((w, c, i) => (c.penalty > (raw[w]?.penalty ?? -1) ? i : w), 0);
  raw.forEach((c, i) => (c.weighted = i === worst ? c.penalty : 0.25 * c.penalty));
  const alarmPenalty = Math.min(60, (input.openAlarms ?? []).reduce((a, x) => a + ALARM_COST[x.severity], 0));
  const total = raw.reduce((a, c) => a + c.weighted, 0) + alarmPenalty;
  const index = Math.round(Math.max(0, Math.min(100, 100 - total)) * 10) / 10;
  const grade = index >= 85 ? 'good' : index >= 60 ? 'watch' : index >= 35 ? 'poor' : 'critical';
  const top = [...raw].sort((a, b) => b.weighted - a.weighted).filter((c) => c.weighted >= 0.5);
  const alarms = input.openAlarms?.length ? `; ${input.openAlarms.length} open alarm(s) −${alarmPenalty}` : '';
  return {
    asset: input.asset,
    index,
    grade,
    // Largest contribution first: a reader (and the copilot) starts with what costs the most.
    contributions: [...raw].sort((a, b) => b.weighted - a.weighted),
    alarmPenalty,
    summary: `${input.asset} health ${index}/100 (${grade})${top.length ? `: ${top.map((c) => `${c.property} ${c.value}${c.unit ? ` ${c.unit}` : ''} −${c.weighted.toFixed(1)} (${c.zone})`).join(', ')}` : ''}${alarms}`,
  };
}
