/**
 * The twin manifest, version 1 (spec/manifest.md): the zod schema, its types, and `parseManifest`, which lists
 * every problem (schema errors and broken cross-references) with its path, e.g. `assets[3].parent: unknown asset "line-z"`.
 * Objects are strict: an unknown key is an error, because it is usually a typo.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../errors';
import { checkReferences } from './manifest-refs';
import { ScenarioDef, SimHints } from './sim-hints';

export { ScenarioDef, SimHints } from './sim-hints';

/** Ids of things people name in text and topics: no spaces, no MQTT wildcards or separators. */
const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'expected an id of letters, digits, and _ . : -');
const Name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a name of letters, digits and _');
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lowercase slug (a-z, 0-9, -)');
/** A relative time (`+2d`, `-7d`, `36h`) against the load clock, or an ISO timestamp. */
export const TimeRef = z.string().min(1);
const HHMM = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM');

export const Risk = z.enum(['low', 'medium', 'high']);
export const PropertyKind = z.enum(['telemetry', 'setpoint', 'state', 'attribute']);
export const ValueType = z.enum(['number', 'integer', 'string', 'boolean', 'enum']);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const PropertyDef = z.strictObject({
  kind: PropertyKind,
  type: ValueType,
  description: z.string().optional(),
  unit: z.string().optional(),
  /** Physical bounds: readings outside are rejected into dead letters. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Operating thresholds: crossing raises or clears an alarm (with hysteresis). */
  warn: z.number().optional(),
  alarm: z.number().optional(),
  /** `below` means low values are bad (a pressure sag). */
  direction: z.enum(['above', 'below']).optional(),
  /** Hysteresis band for clearing an alarm, in the property's unit. */
  hysteresis: z.number().min(0).optional(),
  values: z.array(z.string()).optional(),
  /** Initial desired value of a setpoint, or the default of an attribute. */
  default: Scalar.optional(),
  sim: SimHints.optional(),
});
export type PropertyDef = z.infer<typeof PropertyDef>;

export const ParamDef = z.strictObject({
  type: ValueType,
  description: z.string().optional(),
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  values: z.array(z.string()).optional(),
  required: z.boolean().optional(),
});
export type ParamDef = z.infer<typeof ParamDef>;

export const CommandDef = z.strictObject({
  description: z.string().optional(),
  params: z.record(Name, ParamDef).optional(),
  /** The setpoint property this command changes (desired state); its single param carries the value. */
  sets: Name.optional(),
  risk: Risk,
});
export type CommandDef = z.infer<typeof CommandDef>;

export const AssetType = z.strictObject({
  extends: Name.optional(),
  description: z.string().optional(),
  properties: z.record(Name, PropertyDef).optional(),
  commands: z.record(Name, CommandDef).optional(),
});
export type AssetType = z.infer<typeof AssetType>;

export const AssetDef = z.strictObject({
  id: Id,
  type: Name,
  parent: Id.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  attributes: z.record(Name, Scalar).optional(),
  /** Per-asset simulator hints that override the type's `sim` hints, by property. */
  sim: z.record(Name, SimHints).optional(),
});
export type AssetDef = z.infer<typeof AssetDef>;

export const RelationDef = z.strictObject({
  from: Id,
  type: Name,
  to: Id,
  description: z.string().optional(),
});
export type RelationDef = z.infer<typeof RelationDef>;

export const SensorDef = z.strictObject({
  topic: z.string().min(1),
  asset: Id,
  property: Name,
  scale: z.number().optional(),
  offset: z.number().optional(),
});
export type SensorDef = z.infer<typeof SensorDef>;

export const RoutingStep = z.strictObject({
  /** One station, or alternatives (any of them can do the step). */
  station: z.union([Id, z.array(Id).min(1)]),
  minutes: z.number().positive(),
  name: z.string().optional(),
});
export type RoutingStep = z.infer<typeof RoutingStep>;

export const RoutingDef = z.strictObject({
  sku: Id,
  name: z.string().optional(),
  steps: z.array(RoutingStep).min(1),
});
export type RoutingDef = z.infer<typeof RoutingDef>;

export const OrderDef = z.strictObject({
  id: Id,
  sku: Id,
  quantity: z.number().int().positive(),
  due: TimeRef,
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  status: z.enum(['planned', 'released', 'in_progress', 'done', 'cancelled']).optional(),
  /** Units already produced. */
  completed: z.number().int().min(0).optional(),
  customer: z.string().optional(),
});
export type OrderDef = z.infer<typeof OrderDef>;

export const CrewDef = z.strictObject({
  id: Id,
  name: z.string().optional(),
  shift: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM-HH:MM'),
  size: z.number().int().positive(),
  /** How many crew members hold each skill (aggregate counts; no individuals are modelled). */
  skills: z.record(Name, z.number().int().min(0)),
  overtime_hours_week: z.number().min(0).optional(),
  /** Overtime a crew may still take this week before the plant's limit. */
  overtime_limit_hours_week: z.number().min(0).optional(),
  area: Id.optional(),
});
export type CrewDef = z.infer<typeof CrewDef>;

export const TariffBand = z.strictObject({
  from: HHMM.optional(),
  to: HHMM.optional(),
  days: z.enum(['all', 'weekdays', 'weekends']).optional(),
  default: z.boolean().optional(),
  price_per_kwh: z.number().min(0),
});
export type TariffBand = z.infer<typeof TariffBand>;

export const TariffDef = z.strictObject({
  id: Id,
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
  energy: z.array(TariffBand).min(1),
  demand_charge_per_kw_month: z.number().min(0).optional(),
  /** Averaging window of the demand charge, minutes (15 when absent). */
  demand_window_minutes: z.number().int().positive().optional(),
  meter: Id.optional(),
});
export type TariffDef = z.infer<typeof TariffDef>;

export const WorkOrderDef = z.strictObject({
  id: Id,
  asset: Id,
  kind: z.enum(['preventive', 'corrective', 'predictive', 'inspection']),
  status: z.enum(['open', 'scheduled', 'in_progress', 'done', 'cancelled']).optional(),
  due: TimeRef.optional(),
  start: TimeRef.optional(),
  duration_hours: z.number().positive().optional(),
  crew: Id.optional(),
  skill: Name.optional(),
  note: z.string().optional(),
});
export type WorkOrderDef = z.infer<typeof WorkOrderDef>;

export const Manifest = z.strictObject({
  version: z.literal(1),
  twin: Slug,
  name: z.string().min(1),
  description: z.string().optional(),
  timezone: z.string().min(1).optional(),
  types: z.record(Name, AssetType).optional(),
  assets: z.array(AssetDef).min(1),
  relations: z.array(RelationDef).optional(),
  sensors: z.array(SensorDef).optional(),
  scenarios: z.array(ScenarioDef).optional(),
  routings: z.array(RoutingDef).optional(),
  orders: z.array(OrderDef).optional(),
  crews: z.array(CrewDef).optional(),
  tariffs: z.array(TariffDef).optional(),
  work_orders: z.array(WorkOrderDef).optional(),
});
export type Manifest = z.infer<typeof Manifest>;

export type ParseResult = { ok: true; manifest: Manifest } | { ok: false; problems: Problem[] };

/** `assets[3].parent`, `types.cnc_mill.properties["odd key"]` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function zodProblems(error: z.ZodError): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: `unknown key "${key}"` });
    } else if (issue.code === 'invalid_union' && issue.path.length > 0) {
      out.push({ path: formatPath(issue.path), message: 'expected an id or a list of ids' });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

/** Parse YAML or JSON text into a plain value, or the problems that stop it. */
export function parseManifestText(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  try {
    // YAML is a superset of JSON, so one parser takes both; duplicate keys are errors there too.
    return { ok: true, value: parseYaml(text, { uniqueKeys: true, prettyErrors: true }) };
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      return { ok: false, problems: [{ path: pos ? `(line ${pos.line}, column ${pos.col})` : '', message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }] };
    }
    return { ok: false, problems: [{ path: '', message: err instanceof Error ? err.message : String(err) }] };
  }
}

/** Validate a manifest (text or an already parsed value). All problems are listed, not only the first. */
export function parseManifest(input: string | unknown): ParseResult {
  let value: unknown = input;
  if (typeof input === 'string') {
    const text = parseManifestText(input);
    if (!text.ok) return text;
    value = text.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ path: '', message: 'a manifest must be a mapping (YAML) or an object (JSON)' }] };
  }
  const result = Manifest.safeParse(value);
  const problems = result.success ? [] : zodProblems(result.error);
  // Cross-references are checked on the raw value too, so a schema error elsewhere does not hide them.
  problems.push(...checkReferences(value as Record<string, unknown>));
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  if (unique.length > 0 || !result.success) return { ok: false, problems: unique };
  return { ok: true, manifest: result.data };
}
