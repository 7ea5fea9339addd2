/**
 * A property's history over a window as parallel arrays, ready for the analytics: bucketed averages from the
 * per-minute rollups (the common case: long windows, cheap), or raw readings for short windows. Several properties
 * of several assets come back in one query so a tool comparing a fleet makes one round trip.
 */
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db';
import { readCacheOf } from './read-cache';

export interface SeriesKey {
  assetPk: number;
  property: string;
}

export interface SeriesArrays {
  t: number[];
  v: number[];
}

type WindowParams = { twin: string; keys: SeriesKey[]; from: Date; to: Date; bucketMs: number };

/**
 * Time-bucketed averages of each (asset, property) between `from` (inclusive) and `to` (exclusive).
 * `bucketMs` ≥ 60 000 reads the rollups; smaller reads raw readings. Keys with no data get empty arrays.
 * Through a cached view of the database (read-cache.ts) a window is read once per version of the twin; the arrays
 * are then shared, so callers must not modify them.
 */
export async function seriesWindow(db: Db, params: WindowParams): Promise<Map<string, SeriesArrays>> {
  const cache = readCacheOf(db);
  if (!cache) return readWindow(db, params);
  const keys = params.keys.map((k) => `${k.assetPk}/${k.property}`).sort().join(',');
  return cache.get(params.twin, `series\u0000${params.bucketMs}\u0000${params.from.getTime()}\u0000${params.to.getTime()}\u0000${keys}`, () => readWindow(db, params));
}

async function readWindow(db: Db, params: WindowParams): Promise<Map<string, SeriesArrays>> {
  const out = new Map<string, SeriesArrays>();
  for (const k of params.keys) out.set(`${k.assetPk}/${k.property}`, { t: [], v: [] });
  if (!params.keys.length || params.to <= params.from) return out;
  const pks = [...new Set(params.keys.map((k) => k.assetPk))];
  const props = [...new Set(params.keys.map((k) => k.property))];
  const pkList = sql.join(pks.map((p) => sql`${p}`), sql`, `);
  const propList = sql.join(props.map((p) => sql`${p}`), sql`, `);
  const from = params.from.toISOString();
  const to = params.to.toISOString();
  let result: { asset_id: number; property: string; t: number | string; v: number | string }[];
  if (params.bucketMs >= 60_000) {
    const secs = Math.round(params.bucketMs / 1000);
    // date_bin and date_part work in timestamps and doubles; the same bucket from extract(epoch …) is numeric
    // arithmetic, several times slower per row. One-minute buckets are the rollup rows themselves.
    const interval = sql.raw(`interval '${Math.max(1, Math.trunc(secs))} seconds'`);
    result =
      secs === 60
        ? await rows(
            db,
            sql`select asset_id, property, date_part('epoch', minute) * 1000 as t, sum / nullif(count, 0) as v
                from rollups_1m
                where twin_id = ${params.twin} and asset_id in (${pkList}) and property in (${propList})
                  and minute >= ${from}::timestamptz and minute < ${to}::timestamptz
                order by 1, 2, 3`,
          )
        : await rows(
            db,
            sql`select asset_id, property,
                       date_part('epoch', date_bin(${interval}, minute, timestamptz '1970-01-01T00:00:00Z')) * 1000 as t,
                       sum(sum) / nullif(sum(count), 0) as v
                from rollups_1m
                where twin_id = ${params.twin} and asset_id in (${pkList}) and property in (${propList})
                  and minute >= ${from}::timestamptz and minute < ${to}::timestamptz
                group by 1, 2, 3 order by 1, 2, 3`,
          );
  } else {
    result = await rows(
      db,
      sql`select asset_id, property, extract(epoch from ts) * 1000 as t, value as v
          from readings
          where twin_id = ${params.twin} and asset_id in (${pkList}) and property in (${propList})
            and ts >= ${from}::timestamptz and ts < ${to}::timestamptz
          order by 1, 2, 3`,
    );
  }
  for (const r of result) {
    const s = out.get(`${r.asset_id}/${r.property}`);
    const v = Number(r.v);
    if (s && Number.isFinite(v)) {
      s.t.push(Number(r.t));
      s.v.push(v);
    }
  }
  return out;
}

/** Earliest and latest reading time of a twin's history (from the rollups), or null when it has none. */
export async function historySpan(db: Db, params: { twin: string }): Promise<{ from: Date; to: Date } | null> {
  const [r] = await rows<{ lo: string | Date | null; hi: string | Date | null }>(
    db,
    sql`select min(minute) as lo, max(minute) as hi from rollups_1m where twin_id = ${params.twin}`,
  );
  if (!r?.lo || !r.hi) return null;
  return { from: new Date(r.lo), to: new Date(r.hi) };
}
