/**
 * Validation of telemetry records against the catalog. Each record either becomes a Reading (numeric), a StateReport
 * (an enum, string or boolean state) or a rejection with a reason a person can act on. Validation never throws.
 */
import type { Catalog, PropertyRule } from './catalog';
import { FUTURE_TOLERANCE_MS, type Reading, type StateReport } from './contracts';

export type Checked = { ok: 'reading'; reading: Reading } | { ok: 'state'; state: StateReport } | { ok: false; reason: string };

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

// The last text parsed and its result: a device or gateway sends several properties per instant, so consecutive
// records usually carry the same ts, and comparing strings is far cheaper than the pattern and Date.parse.
let lastText: string | null = null;
let lastMs: number | null = null;

/** ISO 8601 text or epoch milliseconds (a number, or digits in a CSV cell) → epoch ms, or null. */
export function parseTs(ts: unknown): number | null {
  if (typeof ts === 'number') return Number.isFinite(ts) && ts > 0 && ts < 8.64e15 ? Math.trunc(ts) : null;
  if (typeof ts !== 'string') return null;
  if (ts === lastText) return lastMs;
  const ms = parseTsText(ts);
  lastText = ts;
  lastMs = ms;
  return ms;
}

function parseTsText(ts: string): number | null {
  const t = ts.trim();
  if (/^\d{10,16}$/.test(t)) return Number(t);
  if (!ISO_LIKE.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * A numeric value: JSON numbers, or numeric text when the input is text by nature (CSV). NaN and Infinity are
 * named as such, because they usually come from a broken sensor driver rather than a typo.
 */
function numeric(v: unknown, textual: boolean): number | string {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'NaN or Infinity is not a reading';
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return 'NaN or Infinity is not a reading';
    if (textual && t !== '' && Number.isFinite(Number(t))) return Number(t);
  }
  return `value must be a number, got ${describe(v)}`;
}

export interface ValidateOptions {
  now: number;
  /** Values arrive as text (CSV cells): numeric text is a number. */
  textual?: boolean;
}

function lookup(catalog: Catalog, twin: unknown, asset: unknown, property: unknown): { twin: string; assetId: number; rule: PropertyRule } | string {
  const t = twin === undefined || twin === null || twin === '' ? catalog.defaultTwin : twin;
  if (t === null) return catalog.twins.size === 0 ? 'no twin is loaded' : 'twin is required when the store holds several twins';
  if (typeof t !== 'string') return `twin must be a string, got ${describe(t)}`;
  const assets = catalog.twins.get(t);
  if (!assets) return `unknown twin "${t}"`;
  if (typeof asset !== 'string' || asset === '') return 'asset is required';
  const entry = assets.get(asset);
  if (!entry) return `unknown asset "${asset}" in twin "${t}"`;
  if (typeof property !== 'string' || property === '') return 'property is required';
  const rule = entry.props.get(property);
  if (!rule) return `unknown property "${property}" of asset "${asset}"`;
  return { twin: t, assetId: entry.id, rule };
}

/** Check one loose record (`{twin?, asset, property, ts, value}`). */
export function validateRecord(catalog: Catalog, rec: unknown, opts: ValidateOptions): Checked {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return { ok: false, reason: `expected an object, got ${describe(rec)}` };
  const r = rec as Record<string, unknown>;
  const found = lookup(catalog, r.twin, r.asset, r.property);
  if (typeof found === 'string') return { ok: false, reason: found };
  return validateValue(found.twin, r.asset as string, found.assetId, r.property as string, found.rule, r.ts, r.value, opts);
}

/** Check a value for a known property (MQTT payloads reach this after the topic named the asset). */
export function validateValue(
  twin: string,
  asset: string,
  assetId: number,
  property: string,
  rule: PropertyRule,
  tsIn: unknown,
  value: unknown,
  opts: ValidateOptions,
): Checked {
  if (tsIn === undefined || tsIn === null || tsIn === '') return { ok: false, reason: 'ts is required' };
  const ts = parseTs(tsIn);
  if (ts === null) return { ok: false, reason: `unparseable ts ${JSON.stringify(tsIn)}: use ISO 8601 or epoch milliseconds` };
  if (ts > opts.now + FUTURE_TOLERANCE_MS) return { ok: false, reason: `ts ${new Date(ts).toISOString()} is more than 5 minutes in the future` };
  if (rule.kind === 'attribute') return { ok: false, reason: `property "${property}" is an attribute, not a reading` };
  if (rule.type === 'number' || rule.type === 'integer') {
    const v = numeric(value, opts.textual === true);
    if (typeof v === 'string') return { ok: false, reason: v };
    if (rule.min !== undefined && v < rule.min) return { ok: false, reason: `value ${v} is below the physical minimum ${rule.min} of ${property}` };
    if (rule.max !== undefined && v > rule.max) return { ok: false, reason: `value ${v} is above the physical maximum ${rule.max} of ${property}` };
    return { ok: 'reading', reading: { twin, asset, assetId, property, ts, value: v } };
  }
  // A non-numeric state (status: running): it updates reported state, not the readings table.
  if (rule.type === 'boolean') {
    const b = value === true || value === 'true' ? true : value === false || value === 'false' ? false : null;
    if (b === null) return { ok: false, reason: `value must be a boolean, got ${describe(value)}` };
    return { ok: 'state', state: { twin, asset, assetId, property, ts, value: b } };
  }
  if (typeof value !== 'string') return { ok: false, reason: `value must be a string, got ${describe(value)}` };
  if (rule.type === 'enum' && rule.values && !rule.values.includes(value)) {
    return { ok: false, reason: `value "${value}" is not one of ${rule.values.join(', ')}` };
  }
  return { ok: 'state', state: { twin, asset, assetId, property, ts, value } };
}
