/**
 * Turns the service's JSON into the app's shapes. The store passes objects through as it keeps them (snake_case or
 * camelCase, state as `{value, ts}` or bare values), so each reader accepts the spellings it can meet and never
 * throws on a surprise: a missing field shows as "—", not as a blank page.
 */
import type { Alarm, Asset, Point, PropertyDef, Relation, StateValue, ThreadSummary } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (...vals: unknown[]): string | undefined => {
  for (const v of vals) if (typeof v === 'string' && v) return v;
  return undefined;
};
const num = (...vals: unknown[]): number | undefined => {
  for (const v of vals) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
};

function stateMap(v: unknown): Record<string, StateValue> {
  const out: Record<string, StateValue> = {};
  if (Array.isArray(v)) {
    for (const row of v) if (isObj(row)) {
      const p = str(row.property, row.name);
      if (p) out[p] = { value: row.value, ts: str(row.ts, row.updated_at, row.at) };
    }
    return out;
  }
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    if (isObj(val) && 'value' in val) out[k] = { value: val.value, ts: str(val.ts, val.updated_at, val.at) };
    else out[k] = { value: val };
  }
  return out;
}

function propertyDefs(raw: Obj): Record<string, PropertyDef> {
  const typeObj = isObj(raw.type) ? raw.type : isObj(raw.asset_type) ? raw.asset_type : isObj(raw.typeDef) ? raw.typeDef : undefined;
  const src = raw.properties ?? typeObj?.properties;
  const out: Record<string, PropertyDef> = {};
  if (Array.isArray(src)) {
    for (const p of src) if (isObj(p)) {
      const name = str(p.name, p.id, p.property);
      if (name) out[name] = p as PropertyDef;
    }
  } else if (isObj(src)) {
    for (const [k, v] of Object.entries(src)) if (isObj(v)) out[k] = v as PropertyDef;
  }
  return out;
}

export function normAlarm(v: unknown): Alarm | null {
  if (!isObj(v)) return null;
  return {
    id: str(v.id, typeof v.id === 'number' ? String(v.id) : undefined),
    asset: str(v.asset, v.asset_id, v.assetId) ?? '',
    property: str(v.property) ?? '',
    level: str(v.level, v.severity) ?? 'alarm',
    value: num(v.value),
    message: str(v.message),
    raised_at: str(v.raised_at, v.raisedAt, v.ts, v.started_at),
  };
}

export function normAsset(v: unknown): Asset | null {
  if (!isObj(v)) return null;
  const raw = isObj(v.asset) ? { ...v, ...v.asset } : v;
  const id = str(raw.id, raw.asset_id, raw.assetId);
  if (!id) return null;
  const typeName = str(raw.type, raw.type_id, raw.typeId, isObj(raw.type) ? (raw.type as Obj).id : undefined, isObj(raw.type) ? (raw.type as Obj).name : undefined) ?? '';
  const commandsSrc = raw.commands ?? (isObj(raw.type) ? (raw.type as Obj).commands : undefined);
  const healthSrc = raw.health;
  // The service sends `{index: 0–100, grade, summary}`; an index is a percentage even when it is 1 or less, so it becomes
  // a fraction here (a bare number above 1 is still read as a percentage by the badge).
  const index = isObj(healthSrc) ? num(healthSrc.index) : undefined;
  const health = index !== undefined ? Math.max(0, Math.min(1, index / 100)) : num(healthSrc, isObj(healthSrc) ? healthSrc.score : undefined);
  return {
    id,
    name: str(raw.name, raw.label) ?? id,
    type: typeName,
    parent: str(raw.parent, raw.parent_id, raw.parentId) ?? null,
    attributes: isObj(raw.attributes) ? raw.attributes : {},
    reported: stateMap(raw.reported ?? raw.state ?? raw.latest),
    desired: stateMap(raw.desired),
    properties: propertyDefs(raw),
    commands: Array.isArray(commandsSrc) ? commandsSrc.map((c) => (isObj(c) ? str(c.name, c.id) ?? '' : String(c))).filter(Boolean) : isObj(commandsSrc) ? Object.keys(commandsSrc) : [],
    alarms: (Array.isArray(raw.alarms) ? raw.alarms : Array.isArray(raw.open_alarms) ? raw.open_alarms : []).map(normAlarm).filter((a): a is Alarm => !!a),
    health: health === undefined ? null : health,
    raw,
  };
}

export function normRelation(v: unknown): Relation | null {
  if (!isObj(v)) return null;
  const from = str(v.from, v.from_asset, v.source, v.fromId);
  const to = str(v.to, v.to_asset, v.target, v.toId);
  if (!from || !to) return null;
  return { from, to, type: str(v.type, v.relation, v.kind) ?? 'related', depth: num(v.depth, v.hops) };
}

export function normPoints(rows: unknown[]): Point[] {
  const out: Point[] = [];
  for (const r of rows) {
    if (Array.isArray(r)) {
      const t = typeof r[0] === 'number' ? r[0] : Date.parse(String(r[0]));
      const val = num(r[1]);
      if (Number.isFinite(t) && val !== undefined) out.push({ t, v: val });
      continue;
    }
    if (!isObj(r)) continue;
    const tsRaw = r.ts ?? r.bucket ?? r.time ?? r.t;
    const t = typeof tsRaw === 'number' ? tsRaw : Date.parse(String(tsRaw));
    const val = num(r.value, r.avg, r.mean, r.last, r.v);
    if (!Number.isFinite(t) || val === undefined) continue;
    out.push({ t, v: val, min: num(r.min), max: num(r.max) });
  }
  out.sort((a, b) => a.t - b.t);
  return out;
}

export function normThread(v: unknown): ThreadSummary | null {
  if (!isObj(v)) return null;
  const id = str(v.thread_id, v.id, v.threadId);
  if (!id) return null;
  return { thread_id: id, title: str(v.title, v.task, v.first_task) ?? id, updated_at: str(v.updated_at, v.updatedAt, v.last_at) };
}

export function twinIdOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!isObj(v)) return null;
  return str(v.twin, v.id, v.slug, v.name) ?? null;
}
