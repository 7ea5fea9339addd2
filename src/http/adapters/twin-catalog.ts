/**
 * What the twin explorer needs besides raw state: each asset type's effective property definitions (kind, unit,
 * warn/alarm thresholds, direction) and commands, and a health index per asset from src/analytics. Types change only
 * when a manifest loads, so they are read once per twin and kept until a load in this process drops them (or a short
 * TTL passes, for loads on another replica). Health is computed in memory from the asset's reported values and its open
 * alarms, so a list of assets costs no query per asset.
 */
import { healthIndex, type HealthProperty, type OpenAlarm } from '../../analytics';
import type { Db } from '../../store';
import { listAssetTypes } from '../../store/queries';
import type { State } from '../../store/schema/assets';
import type { StoredCommandDef, StoredPropertyDef } from '../../store/schema/twins';

/** A property definition as the API shows it: the manifest's, without the simulator's hints. */
export type PublicPropertyDef = Omit<StoredPropertyDef, 'sim'>;

export interface PublicType {
  id: string;
  extends: string | null;
  description: string | null;
  /** The type and its ancestors, nearest first. */
  chain: string[];
  /** With inheritance resolved: what an asset of this type has. */
  properties: Record<string, PublicPropertyDef>;
  commands: Record<string, StoredCommandDef>;
}

export interface AssetHealth {
  /** 0 (failed) to 100 (healthy). */
  index: number;
  grade: 'good' | 'watch' | 'poor' | 'critical';
  summary: string;
}

/** How long a twin's types are trusted without reading them again (another replica may load a manifest). */
const TYPES_TTL_MS = 5000;

function publicProperties(props: Record<string, StoredPropertyDef>): Record<string, PublicPropertyDef> {
  const out: Record<string, PublicPropertyDef> = {};
  for (const [name, { sim: _sim, ...def }] of Object.entries(props)) out[name] = def;
  return out;
}

export interface TypeCatalog {
  /** The twin's types by id (empty for an unknown twin). */
  types(twin: string): Promise<Map<string, PublicType>>;
  /** Forget cached types (after a manifest load). */
  clear(): void;
}

export function typeCatalog(db: Db, ttlMs = TYPES_TTL_MS): TypeCatalog {
  const cache = new Map<string, { at: number; value: Promise<Map<string, PublicType>> }>();
  const read = async (twin: string) => {
    const list = await listAssetTypes(db, { twin });
    return new Map(
      list.map((t) => [
        t.key,
        { id: t.key, extends: t.extends, description: t.description, chain: t.chain, properties: publicProperties(t.effectiveProperties), commands: t.effectiveCommands },
      ]),
    );
  };
  return {
    types(twin) {
      const hit = cache.get(twin);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      if (cache.size > 1000) cache.clear();
      const value = read(twin);
      cache.set(twin, { at: Date.now(), value });
      value.catch(() => cache.delete(twin));
      return value;
    },
    clear: () => cache.clear(),
  };
}

/** The store's alarm levels in the health index's terms. */
const SEVERITY: Record<string, OpenAlarm['severity']> = { warn: 'warning', alarm: 'alarm', critical: 'critical' };

/**
 * Health of one asset from its latest reported values against the thresholds of its telemetry, plus its open alarms.
 * null when nothing about the asset can be judged (no thresholded telemetry with a value, no open alarm).
 */
export function assetHealth(
  asset: string,
  properties: Record<string, PublicPropertyDef>,
  reported: State,
  open: { property: string; level: string }[],
): AssetHealth | null {
  const props: HealthProperty[] = [];
  for (const [name, def] of Object.entries(properties)) {
    if (def.kind !== 'telemetry' || (def.warn === undefined && def.alarm === undefined)) continue;
    const value = reported?.[name]?.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    // A manifest with thresholds on the wrong side for its direction would make the index throw; skip that property.
    if (def.warn !== undefined && def.alarm !== undefined && ((def.direction ?? 'above') === 'above' ? def.alarm < def.warn : def.alarm > def.warn)) continue;
    props.push({ property: name, value, unit: def.unit, warn: def.warn, alarm: def.alarm, direction: def.direction });
  }
  const alarms = open.map((a) => ({ property: a.property, severity: SEVERITY[a.level] ?? 'warning' }));
  if (!props.length && !alarms.length) return null;
  const h = healthIndex({ asset, properties: props, openAlarms: alarms });
  return { index: h.index, grade: h.grade, summary: h.summary };
}
