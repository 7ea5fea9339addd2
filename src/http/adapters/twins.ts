/**
 * The twins and assets routes over the store: the manifest loader for POST, the store's queries for reads. Assets
 * leave with their manifest id as `id` (the surrogate key stays inside), and a missing twin or asset is null (→ 404).
 */
import type { Clock } from '../../clock';
import type { EventBus } from '../../events';
import type { Db } from '../../store';
import { type AssetView, getAsset, getTwin, history, listAssets, listTwins, openAlarms, traverse } from '../../store/queries';
import { loadManifest } from '../../twin/loader';
import type { TwinsApi } from '../deps';

function publicAsset(a: AssetView) {
  return {
    id: a.key,
    twin: a.twin,
    type: a.type,
    parent: a.parent,
    name: a.name,
    description: a.description,
    attributes: a.attributes,
    reported: a.reported,
    desired: a.desired,
    version: a.version,
    updated_at: new Date(a.updatedAt).toISOString(),
    retired_at: a.retiredAt ? new Date(a.retiredAt).toISOString() : null,
  };
}

/**
 * How long an asset read is served from memory. Events from this process's ingestion drop an entry at once; the TTL
 * bounds staleness from writes this process does not see (another replica's ingestion).
 */
const ASSET_TTL_MS = 1000;

export function storeTwins(db: Db, clock: Clock, onLoaded?: (twin: string) => Promise<void> | void, bus?: EventBus): TwinsApi {
  const twinExists = async (twin: string) => (await getTwin(db, { twin })) !== null;
  const cache = new Map<string, { at: number; value: Promise<Record<string, unknown> | null> }>();
  const drop = (twin: string, asset: string) => cache.delete(`${twin}\u0000${asset}`);
  if (bus) {
    bus.subscribe('readings', (e) => e.assets.forEach((a) => drop(e.twin, a)));
    bus.subscribe('state_changed', (e) => drop(e.twin, e.asset));
    bus.subscribe('alarm_raised', (e) => drop(e.twin, e.asset));
    bus.subscribe('alarm_cleared', (e) => drop(e.twin, e.asset));
  }
  const readAsset = async (twin: string, id: string) => {
    const a = await getAsset(db, { twin, key: id });
    if (!a) return null;
    const alarms = await openAlarms(db, { twin, asset: id });
    return { ...publicAsset(a), alarms } as Record<string, unknown>;
  };
  return {
    async load(manifest, actor) {
      const r = await loadManifest(db, manifest, clock, { actor });
      cache.clear();
      await onLoaded?.(r.twin);
      return r;
    },
    async listTwins() {
      return (await listTwins(db)).map((t) => ({ ...t, loadedAt: t.loadedAt ? new Date(t.loadedAt).toISOString() : null }));
    },
    async listAssets(twin, filter) {
      if (!(await twinExists(twin))) return null;
      return (await listAssets(db, { twin, ...filter })).map(publicAsset);
    },
    async getAsset(twin, id) {
      const key = `${twin}\u0000${id}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < ASSET_TTL_MS) return hit.value;
      if (cache.size > 10_000) cache.clear();
      // Concurrent readers of one asset share one query.
      const value = readAsset(twin, id);
      cache.set(key, { at: Date.now(), value });
      value.catch(() => cache.delete(key));
      return value;
    },
    async relations(twin, id, depth) {
      if (!(await getAsset(db, { twin, key: id }))) return null;
      return traverse(db, { twin, from: id, depth, direction: 'both' });
    },
    async readings(twin, id, q) {
      const a = await getAsset(db, { twin, key: id });
      if (!a) return null;
      const properties = q.property ? [q.property] : Object.keys(a.reported ?? {});
      const out: Record<string, unknown>[] = [];
      for (const property of properties) {
        const points = await history(db, { twin, asset: id, property, from: q.from, to: q.to, bucket: q.bucket });
        for (const p of points) out.push({ property, ...p });
      }
      return out;
    },
  };
}
