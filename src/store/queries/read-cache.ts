/**
 * A bounded cache of reads and computations over one twin's stored data, shared across copilot runs.
 *
 * Why: a plan reads the same things again and again (the twin snapshot, a week of a machine's series, the
 * remaining-life fits), and so does the next plan, while nothing in the store has changed. Re-reading them from the
 * store is most of a plan's time on the embedded store.
 *
 * Never stale: every entry belongs to a twin and is filed under that twin's current *version*. Whoever writes to a
 * twin bumps its version through `invalidate(twin)` (agents/tools/cache.ts wires the event bus to it: a committed
 * reading batch, an alarm raised or cleared, a state change, a manifest (re)load, an executed action's record writes).
 * A bump drops the twin's entries at once, and a lookup after the bump can never meet an entry made before it, even
 * one still in flight, because the version is part of every key. A computation that depends on the frozen "now" of a
 * run carries that now in its own key; the store reads (snapshot, series of an absolute window, open alarms) do not
 * depend on it.
 *
 * Bounded: least recently used entries go first once there are more than `maxEntries`, or once the entries' total
 * weight (numbers held: a series of n points weighs 2n) passes `maxWeight`. A failed computation is forgotten, so a
 * retry can succeed. Values are shared between runs: callers must treat them as read-only.
 *
 * The cache is attached to a *view* of the database (`cachedDb`): the store queries that know how to use it
 * (`twinSnapshot`, `seriesWindow`, `openAlarmsOf`) look it up with `readCacheOf(db)`. Everyone else, and every
 * query through the plain database, reads the store directly.
 */
import type { Db } from '../db';

export interface ReadCacheStats {
  hits: number;
  misses: number;
  entries: number;
  weight: number;
  evictions: number;
  invalidations: number;
}

export interface ReadCache {
  /** The twin's current version: bumped by every invalidation of that twin. */
  version(twin: string): number;
  /** The value for `key` of `twin` at its current version, made (once, shared by concurrent callers) when absent. */
  get<T>(twin: string, key: string, make: () => Promise<T>): Promise<T>;
  /** Whether `key` of `twin` is held (or being made) at the twin's current version. */
  has(twin: string, key: string): boolean;
  /** The twin's data changed: bump its version and drop its entries. Without a twin, every twin. */
  invalidate(twin?: string): void;
  stats(): ReadCacheStats;
}

export interface ReadCacheOptions {
  /** At most this many entries (default 2,000). */
  maxEntries?: number;
  /** At most this total weight, in numbers held (default 2 million, about 16 MB of doubles). */
  maxWeight?: number;
}

interface Entry {
  twin: string;
  value: Promise<unknown>;
  weight: number;
}

/** How many numbers a value holds, roughly: series arrays and maps or lists of them; anything else weighs 1. */
export function weightOf(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > 3) return 1;
  if (Array.isArray(value)) return value.length > 64 ? value.length : 1 + value.reduce((n: number, x) => n + weightOf(x, depth + 1), 0);
  if (value instanceof Map) {
    let n = 1;
    for (const v of value.values()) n += weightOf(v, depth + 1);
    return n;
  }
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.t) && Array.isArray(o.v)) return o.t.length + o.v.length;
  let n = 1;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v && typeof v === 'object') n += weightOf(v, depth + 1);
  }
  return n;
}

export function createReadCache(options: ReadCacheOptions = {}): ReadCache {
  const maxEntries = options.maxEntries ?? 2000;
  const maxWeight = options.maxWeight ?? 2_000_000;
  // Map keeps insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  const versions = new Map<string, number>();
  let epoch = 0; // bumped by an invalidation of every twin, so versions never repeat
  let weight = 0;
  const stats = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };

  const version = (twin: string) => epoch * 1e9 + (versions.get(twin) ?? 0);
  const fullKey = (twin: string, key: string) => `${twin}\u0000${version(twin)}\u0000${key}`;

  const remove = (k: string) => {
    const e = entries.get(k);
    if (!e) return;
    entries.delete(k);
    weight -= e.weight;
  };
  const trim = () => {
    for (const k of entries.keys()) {
      if (entries.size <= maxEntries && weight <= maxWeight) break;
      remove(k);
      stats.evictions += 1;
    }
  };

  return {
    version,
    get<T>(twin: string, key: string, make: () => Promise<T>): Promise<T> {
      const k = fullKey(twin, key);
      const hit = entries.get(k);
      if (hit) {
        stats.hits += 1;
        entries.delete(k);
        entries.set(k, hit);
        return hit.value as Promise<T>;
      }
      stats.misses += 1;
      const value = make();
      const entry: Entry = { twin, value, weight: 1 };
      entries.set(k, entry);
      weight += 1;
      value.then(
        (v) => {
          // Weigh once it is known; the entry may already be gone (invalidated, evicted).
          if (entries.get(k) !== entry) return;
          const w = weightOf(v);
          weight += w - entry.weight;
          entry.weight = w;
          trim();
        },
        () => {
          if (entries.get(k) === entry) remove(k);
        },
      );
      trim();
      return value;
    },
    has: (twin, key) => entries.has(fullKey(twin, key)),
    invalidate(twin?: string) {
      stats.invalidations += 1;
      if (twin === undefined) {
        epoch += 1;
        versions.clear();
        entries.clear();
        weight = 0;
        return;
      }
      versions.set(twin, (versions.get(twin) ?? 0) + 1);
      for (const [k, e] of entries) if (e.twin === twin) remove(k);
    },
    stats: () => ({ ...stats, entries: entries.size, weight }),
  };
}

const attached = new WeakMap<object, ReadCache>();

/**
 * A view of `db` that carries `cache`: queries that know the cache serve from it when called with the view. The view
 * delegates everything else to `db`, so it works wherever `db` does.
 */
export function cachedDb(db: Db, cache: ReadCache): Db {
  const view = Object.create(db) as Db;
  attached.set(view, cache);
  return view;
}

/** The cache a database view carries, if any. */
export function readCacheOf(db: Db): ReadCache | undefined {
  return attached.get(db);
}
