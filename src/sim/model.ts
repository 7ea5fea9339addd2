/**
 * The plant model the simulator runs: one channel per (asset, numeric property) with its merged `sim` hints (type
 * chain, then the asset's overrides), the scenarios that touch it, and the production facts (crew staffing by hour,
 * minutes per part from the routings) that shape load. Built from any manifest; nothing here knows the demo plant.
 */
import { parseDuration, resolveTime } from '../clock';
import type { CommandDef, Manifest, PropertyDef, ScenarioDef, SimHints } from '../twin/manifest';
import { allTypes, resolveType } from '../twin/ontology';
import { hashString } from './random';
import { hhmm } from './local-time';

export interface Channel {
  key: number;
  asset: string;
  property: string;
  def: PropertyDef;
  hints: SimHints;
  scenarios: ResolvedScenario[];
  /** Station facts for load and counts. */
  minutesPerPart: number | null;
  /** A steady per-asset offset, so identical machines do not read identically. */
  offset: number;
}

export interface ResolvedScenario extends ScenarioDef {
  startMs: number;
  endMs: number;
  everyMs: number;
  rampMs: number;
}

export interface CrewShift {
  from: number;
  to: number;
  size: number;
}

export interface PlantModel {
  twin: string;
  /** The clock at load: relative scenario times and drift targets refer to it. */
  anchorMs: number;
  timezone: string;
  channels: Channel[];
  byAsset: Map<string, Channel[]>;
  /** asset → type's commands (inherited included). */
  commands: Map<string, Record<string, CommandDef>>;
  /** asset → setpoint properties and their defaults. */
  setpoints: Map<string, Map<string, number | undefined>>;
  /** asset → status values (enum) when the type has a `status` state. */
  states: Map<string, { property: string; values: string[] }>;
  relations: { from: string; type: string; to: string }[];
  crews: CrewShift[];
  maxCrew: number;
  /** Properties summed by meters, resolved: meter channel key → contributing channels. */
  sums: Map<number, Channel[]>;
}

export function propertiesOf(manifest: Manifest, type: string): Record<string, PropertyDef> {
  return resolveType(allTypes(manifest.types), type)?.properties ?? {};
}

export function commandsOf(manifest: Manifest, type: string): Record<string, CommandDef> {
  return resolveType(allTypes(manifest.types), type)?.commands ?? {};
}

function resolveScenario(s: ScenarioDef, anchor: Date, historyStart: Date): ResolvedScenario {
  const start = s.start ? resolveTime(s.start, anchor) : historyStart;
  const end = s.end ? resolveTime(s.end, anchor) : null;
  const ramp = (s as { ramp?: string }).ramp;
  return {
    ...s,
    startMs: (start ?? historyStart).getTime(),
    endMs: end ? end.getTime() : Number.POSITIVE_INFINITY,
    everyMs: Math.abs(parseDuration(s.every ?? '6h') ?? 6 * 3600e3),
    rampMs: ramp ? Math.abs(parseDuration(ramp) ?? 0) : 0,
  };
}

/**
 * Build the model. `anchor` is the clock at load (relative scenario times resolve against it), `historyStart` the
 * first backfilled instant (scenarios without a start begin there).
 */
export function buildModel(manifest: Manifest, anchor: Date, historyStart: Date): PlantModel {
  const minutesPerPart = new Map<string, number>();
  for (const r of manifest.routings ?? []) {
    for (const step of r.steps) {
      for (const st of Array.isArray(step.station) ? step.station : [step.station]) {
        if (!minutesPerPart.has(st)) minutesPerPart.set(st, step.minutes);
      }
    }
  }
  const channels: Channel[] = [];
  const byAsset = new Map<string, Channel[]>();
  const commands = new Map<string, Record<string, CommandDef>>();
  const setpoints = new Map<string, Map<string, number | undefined>>();
  const states = new Map<string, { property: string; values: string[] }>();
  for (const asset of manifest.assets) {
    const props = propertiesOf(manifest, asset.type);
    commands.set(asset.id, commandsOf(manifest, asset.type));
    const sp = new Map<string, number | undefined>();
    const list: Channel[] = [];
    for (const [name, def] of Object.entries(props)) {
      if (def.kind === 'setpoint' && (def.type === 'number' || def.type === 'integer')) {
        sp.set(name, typeof def.default === 'number' ? def.default : (def.sim?.nominal ?? undefined));
      }
      if (def.kind === 'state' && def.type === 'enum' && def.values?.length && !states.has(asset.id)) {
        states.set(asset.id, { property: name, values: def.values });
      }
      if (def.kind !== 'telemetry' || (def.type !== 'number' && def.type !== 'integer')) continue;
      const hints: SimHints = { ...(def.sim ?? {}), ...(asset.sim?.[name] ?? {}) };
      const key = hashString(`${manifest.twin}/${asset.id}/${name}`);
      const nominal = hints.nominal ?? (def.min !== undefined && def.max !== undefined ? (def.min + def.max) / 2 : 0);
      // A small steady offset per asset (±2 % of nominal), fixed by the channel name, not the seed; none where a
      // threshold or an explicit per-asset nominal says the level matters.
      const calibrated = asset.sim?.[name]?.nominal !== undefined || def.warn !== undefined || def.alarm !== undefined || hints.sum_of;
      const offset = calibrated ? 0 : nominal * 0.02 * (((key % 2001) - 1000) / 1000);
      const ch: Channel = {
        key,
        asset: asset.id,
        property: name,
        def,
        hints,
        scenarios: [],
        minutesPerPart: minutesPerPart.get(asset.id) ?? null,
        offset,
      };
      list.push(ch);
      channels.push(ch);
    }
    byAsset.set(asset.id, list);
    setpoints.set(asset.id, sp);
  }
  for (const s of manifest.scenarios ?? []) {
    const ch = byAsset.get(s.asset)?.find((c) => c.property === s.property);
    if (ch) ch.scenarios.push(resolveScenario(s, anchor, historyStart));
  }
  const crews = (manifest.crews ?? []).map((c) => {
    const [from, to] = c.shift.split('-');
    return { from: hhmm(from), to: hhmm(to), size: c.size };
  });
  const relations = manifest.relations ?? [];
  const sums = new Map<number, Channel[]>();
  for (const ch of channels) {
    const sum = ch.hints.sum_of;
    if (!sum) continue;
    const sources = relations.filter((r) => r.type === sum.relation && r.to === ch.asset).map((r) => r.from);
    sums.set(
      ch.key,
      sources.flatMap((a) => byAsset.get(a)?.filter((c) => c.property === sum.property && !c.hints.sum_of) ?? []),
    );
  }
  return {
    twin: manifest.twin,
    anchorMs: anchor.getTime(),
    timezone: manifest.timezone ?? 'UTC',
    channels,
    byAsset,
    commands,
    setpoints,
    states,
    relations,
    crews,
    maxCrew: Math.max(1, ...crews.map((c) => c.size)),
    sums,
  };
}
