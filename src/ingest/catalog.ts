/**
 * What validation needs to know about a twin: which assets exist (retired ones do not), which properties each has,
 * their kind, type, physical bounds and alarm thresholds, and the manifest's sensor topic bindings.
 * Built from manifests; the ingest service rebuilds it when a manifest is loaded.
 */
import type { Manifest, PropertyDef } from '../twin/manifest';
import { allTypes, resolveType } from '../twin/ontology';

export interface PropertyRule {
  kind: PropertyDef['kind'];
  type: PropertyDef['type'];
  min?: number;
  max?: number;
  warn?: number;
  alarm?: number;
  direction: 'above' | 'below';
  hysteresis?: number;
  values?: string[];
}

export interface SensorBinding {
  twin: string;
  asset: string;
  property: string;
  scale: number;
  offset: number;
}

export interface AssetEntry {
  /** The store's surrogate key (readings refer to it). */
  id: number;
  props: Map<string, PropertyRule>;
}

export interface Catalog {
  twins: Map<string, Map<string, AssetEntry>>;
  /** External topic → binding (manifest `sensors`). */
  sensors: Map<string, SensorBinding>;
  /** The twin a record without `twin` belongs to: the only twin, when there is exactly one. */
  defaultTwin: string | null;
}

export function emptyCatalog(): Catalog {
  return { twins: new Map(), sensors: new Map(), defaultTwin: null };
}

/**
 * Add (or replace) a twin. `ids` maps asset keys to the store's ids; assets missing from it (retired, or not yet
 * stored) are unknown to ingestion. Without `ids` every manifest asset counts, numbered in order (tests, the CLI dry run).
 */
export function addManifest(catalog: Catalog, manifest: Manifest, ids?: Map<string, number>): Catalog {
  const assets = new Map<string, AssetEntry>();
  const types = allTypes(manifest.types);
  manifest.assets.forEach((a, i) => {
    const id = ids ? ids.get(a.id) : i + 1;
    if (id === undefined) return;
    const props = new Map<string, PropertyRule>();
    for (const [name, d] of Object.entries(resolveType(types, a.type)?.properties ?? {})) {
      if (d.kind === 'attribute') continue;
      props.set(name, {
        kind: d.kind,
        type: d.type,
        min: d.min,
        max: d.max,
        warn: d.warn,
        alarm: d.alarm,
        direction: d.direction ?? 'above',
        hysteresis: d.hysteresis,
        values: d.values,
      });
    }
    assets.set(a.id, { id, props });
  });
  catalog.twins.set(manifest.twin, assets);
  for (const [topic, b] of catalog.sensors) if (b.twin === manifest.twin) catalog.sensors.delete(topic);
  for (const s of manifest.sensors ?? []) {
    catalog.sensors.set(s.topic, { twin: manifest.twin, asset: s.asset, property: s.property, scale: s.scale ?? 1, offset: s.offset ?? 0 });
  }
  catalog.defaultTwin = catalog.twins.size === 1 ? [...catalog.twins.keys()][0] : null;
  return catalog;
}

export function catalogOf(manifests: Manifest[]): Catalog {
  const c = emptyCatalog();
  for (const m of manifests) addManifest(c, m);
  return c;
}
