/**
 * The twins and assets routes over the store: the manifest loader for POST, the store's queries for reads. Assets
 * leave with their manifest id as `id` (the surrogate key stays inside), their type's effective property definitions
 * and commands, and a health index; a missing twin or asset is null (→ 404).
 */
import type { Clock } from '../../clock';
import type { EventBus } from '../../events';
import type { Db } from '../../store';
import { alarmHistory, type AssetView, getAsset, getTwin, history, listAssets, listTwins, openAlarms, traverse } from '../../store/queries';
import { loadManifest } from '../../twin/loader';
import type { TwinsApi } from '../deps';
import { assetHealth, type PublicType, typeCatalog } from './twin-catalog';

type AlarmRow = Awaited<ReturnType<typeof openAlarms>>[number];

/** An alarm as the API shows it (snake_case times, like the rest of the public shapes). */
export function publicAlarm(r: AlarmRow) {
  return {
    id: r.id,
    twin: r.twin,
    asset: r.asset,
    property: r.property,
    level: r.level,
    message: r.message,
    value: r.value,
    threshold: r.threshold,
    raised_at: new Date(r.raisedAt).toISOString(),
    cleared_at: r.clearedAt ? new Date(r.clearedAt).toISOString() : null,
  };
}

/** The asset with what its type says about its properties, and its health from its reported values and open alarms. */
function describedAsset(a: AssetView, types: Map<string, PublicType>, open: AlarmRow[]) {
  const t = types.get(a.type);
  const properties = t?.properties ?? {};
  return { ...publicAsset(a), properties, commands: t?.commands ?? {}, health: assetHealth(a.key, properties, a.reported, open) };
}

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
  const catalog = typeCatalog(db);
  const cache = new Map<string, { at: number; value: Promise<Record<string, unknown> | null> }>();
  // Asset lists (with every asset's health) per twin and filter, dropped by any event of that twin.
  const lists = new Map<string, { at: number; value: Promise<Record<string, unknown>[]> }>();
  const drop = (twin: string, asset: string) => {
    cache.delete(`${twin}\u0000${asset}`);
    for (const k of lists.keys()) if (k.startsWith(`${twin}\u0000`)) lists.delete(k);
  };
  if (bus) {
    bus.subscribe('readings', (e) => e.assets.forEach((a) => drop(e.twin, a)));
    bus.subscribe('state_changed', (e) => drop(e.twin, e.asset));
    bus.subscribe('alarm_raised', (e) => drop(e.twin, e.asset));
    bus.subscribe('alarm_cleared', (e) => drop(e.twin, e.asset));
  }
  const readAsset = async (twin: string, id: string) => {
    const a = await getAsset(db, { twin, key: id });
    if (!a) return null;
    const [alarms, types] = await Promise.all([openAlarms(db, { twin, asset: id }), catalog.types(twin)]);
    return { ...describedAsset(a, types, alarms), alarms } as Record<string, unknown>;
  };
  const readList = async (twin: string, filter: { type?: string; parent?: string }) => {
    // Three queries for the whole list (types usually cached): health needs no query per asset.
    const [list, types, open] = await Promise.all([listAssets(db, { twin, ...filter }), catalog.types(twin), openAlarms(db, { twin })]);
    const byAsset = new Map<string, AlarmRow[]>();
    for (const r of open) byAsset.set(r.asset, [...(byAsset.get(r.asset) ?? []), r]);
    return list.map((a) => describedAsset(a, types, byAsset.get(a.key) ?? []) as Record<string, unknown>);
  };
  return {
    async load(manifest, actor) {
      const r = await loadManifest(db, manifest, clock, { actor });
      cache.clear();
      lists.clear();
      catalog.clear();
      bus?.publish('twin_loaded', { twin: r.twin });
      await onLoaded?.(r.twin);
      return r;
    },
    async listTwins() {
      return (await listTwins(db)).map((t) => ({ ...t, loadedAt: t.loadedAt ? new Date(t.loadedAt).toISOString() : null }));
    },
    async listAssets(twin, filter) {
      if (!(await twinExists(twin))) return null;
      const key = `${twin}\u0000${filter.type ?? ''}\u0000${filter.parent ?? ''}`;
      const hit = lists.get(key);
      if (hit && Date.now() - hit.at < ASSET_TTL_MS) return hit.value;
      if (lists.size > 1000) lists.clear();
      const value = readList(twin, filter);
      lists.set(key, { at: Date.now(), value });
      value.catch(() => lists.delete(key));
      return value;
    },
    async types(twin) {
      if (!(await twinExists(twin))) return null;
      return [...(await catalog.types(twin)).values()];
    },
    async alarms(twin, filter) {
      if (!(await twinExists(twin))) return null;
      const list = filter.state === 'all' ? await alarmHistory(db, { twin, asset: filter.asset, limit: filter.limit }) : await openAlarms(db, { twin, asset: filter.asset });
      return list.slice(0, filter.limit).map(publicAlarm);
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
