/**
 * Readings: a simple idempotent insert (rollups kept current in the same statement), and history in raw, 1-minute
 * or 1-hour buckets. Buckets are served from the per-minute rollups for every whole minute of the range; only the
 * partial minutes at its edges are read from raw readings. Ingestion's batch writer (src/ingest/writer.ts) is the
 * hot path with validation, alarms and reported state; `insertReadings` serves tests, benches and tools.
 */
import { sql, type SQL } from 'drizzle-orm';
import { type Db, preparedRows, rows, textArray } from '../db';

export interface ReadingRow {
  twinId: string;
  assetId: number;
  property: string;
  ts: Date | string;
  value: number;
}

/** Insert readings; duplicates of (twin, asset, property, ts) are ignored, so a retried batch never counts twice. */
export async function insertReadings(db: Db, list: ReadingRow[]): Promise<{ inserted: number }> {
  let inserted = 0;
  for (let i = 0; i < list.length; i += 5000) {
    const chunk = list.slice(i, i + 5000);
    const [r] = await rows<{ inserted: number }>(
      db,
      sql`with input as (
            select * from unnest(${textArray(chunk.map((x) => x.twinId))}::text[], ${`{${chunk.map((x) => x.assetId).join(',')}}`}::int[],
                                 ${textArray(chunk.map((x) => x.property))}::text[], ${textArray(chunk.map((x) => new Date(x.ts).toISOString()))}::timestamptz[],
                                 ${`{${chunk.map((x) => x.value).join(',')}}`}::float8[]) as u(twin_id, asset_id, property, ts, value)
          ), ins as (
            insert into readings (twin_id, asset_id, property, ts, value) select * from input
            on conflict do nothing returning twin_id, asset_id, property, ts, value
          ), roll as (
            insert into rollups_1m as r (twin_id, asset_id, property, minute, min, max, sum, count, last, last_ts)
            select twin_id, asset_id, property, date_trunc('minute', ts), min(value), max(value), sum(value), count(*)::int,
                   (array_agg(value order by ts desc))[1], max(ts)
              from ins group by 1, 2, 3, 4
            on conflict (twin_id, asset_id, property, minute) do update set
              min = least(r.min, excluded.min), max = greatest(r.max, excluded.max), sum = r.sum + excluded.sum,
              count = r.count + excluded.count,
              last = case when excluded.last_ts >= r.last_ts then excluded.last else r.last end,
              last_ts = greatest(r.last_ts, excluded.last_ts)
            returning 1
          )
          select (select count(*) from ins)::int as inserted, (select count(*) from roll)::int as rolled`,
    );
    inserted += Number(r?.inserted ?? 0);
  }
  return { inserted };
}

export type Bucket = 'raw' | '1m' | '1h';

export interface HistoryParams {
  twin: string;
  /** Asset surrogate id (see assetIds) or key. */
  asset: number | string;
  property: string;
  from: Date;
  to: Date;
  bucket?: Bucket;
  /** Raw rows at most (newest dropped beyond it); default 10,000. */
  limit?: number;
}

export interface RawPoint {
  ts: string;
  value: number;
}
export interface BucketPoint {
  /** Bucket start, ISO UTC. */
  ts: string;
  min: number;
  max: number;
  avg: number;
  count: number;
  last: number;
}

const MINUTE = 60_000;

/** The asset as SQL: an id as is, a key through its twin (one statement, no extra round trip). */
const assetExpr = (twin: string, asset: number | string) =>
  typeof asset === 'number' ? sql`${asset}::int` : sql`(select id from assets where twin_id = ${twin} and key = ${asset})`;

/**
 * The rows of a history read as one text value: every row's numbers comma-joined, rows in time order, the time as
 * epoch milliseconds. Why not one row per point: a day of minute buckets is 1,440 rows of six columns, and a driver
 * parses each value on its own (a buffer slice, a string and a number for each of 8,640 values). That per-value
 * garbage, not the database, set the read's time and its GC-driven tail; one string parsed by the native JSON
 * parser comes back as a flat array of doubles. NaN and Infinity never reach the readings (src/ingest/validate.ts);
 * the fallback parse keeps even those right.
 */
async function flatRows(db: Db, columns: SQL, from: SQL): Promise<number[]> {
  const [r] = await preparedRows<{ s: string | null }>(db, sql`select string_agg(concat_ws(',', (date_part('epoch', ts) * 1000)::int8, ${columns}), ',' order by ts) as s from ${from}`);
  const text = r?.s;
  if (!text) return [];
  try {
    return JSON.parse(`[${text}]`) as number[];
  } catch {
    return text.split(',').map(Number);
  }
}

const isoAt = (ms: number) => new Date(ms).toISOString();

/** History of one property over [from, to). Raw points, or buckets with min/max/avg/count/last. */
export async function history(db: Db, p: HistoryParams & { bucket: 'raw' }): Promise<RawPoint[]>;
export async function history(db: Db, p: HistoryParams & { bucket?: '1m' | '1h' }): Promise<BucketPoint[]>;
export async function history(db: Db, p: HistoryParams): Promise<RawPoint[] | BucketPoint[]>;
export async function history(db: Db, p: HistoryParams): Promise<RawPoint[] | BucketPoint[]> {
  if (!(p.from < p.to)) return [];
  const assetId = assetExpr(p.twin, p.asset);
  const bucket = p.bucket ?? '1m';
  // Prepared statements (see preparedRows): every value below is a parameter, so the SQL text takes a handful of shapes.
  if (bucket === 'raw') {
    const a = await flatRows(
      db,
      sql`value`,
      sql`(select ts, value from readings
            where twin_id = ${p.twin} and asset_id = ${assetId} and property = ${p.property} and ts >= ${p.from.toISOString()}::timestamptz and ts < ${p.to.toISOString()}::timestamptz
            order by ts limit ${p.limit ?? 10_000}::int) x`,
    );
    const out: RawPoint[] = new Array(a.length / 2);
    for (let i = 0, k = 0; k < a.length; i++, k += 2) out[i] = { ts: isoAt(a[k]!), value: a[k + 1]! };
    return out;
  }
  // Whole minutes [ceil(from), floor(to)) come from rollups; the partial minutes at either edge from raw readings.
  const from = p.from.getTime();
  const to = p.to.getTime();
  const cf = Math.ceil(from / MINUTE) * MINUTE;
  const ft = Math.floor(to / MINUTE) * MINUTE;
  const whole = cf < ft;
  const iso = (t: number) => new Date(t).toISOString();
  // Each raw edge is a branch of its own with its own range, so it touches one daily partition (an OR of both edges
  // in one scan visited both partitions for each), and an empty edge is no branch at all.
  const edges: Array<[number, number]> = whole ? [[from, cf], [ft, to]] : [[from, to]];
  const raw = edges.filter(([lo, hi]) => lo < hi);
  const inRaw = (lo: number, hi: number) =>
    sql`twin_id = ${p.twin} and asset_id = ${assetId} and property = ${p.property} and ts >= ${iso(lo)}::timestamptz and ts < ${iso(hi)}::timestamptz`;
  const inRollups = sql`twin_id = ${p.twin} and asset_id = ${assetId} and property = ${p.property} and minute >= ${iso(cf)}::timestamptz and minute < ${iso(ft)}::timestamptz`;
  let rowsSql: SQL;
  if (bucket === '1m') {
    // A rollup row already is a 1-minute bucket, and the edge minutes are distinct buckets: no regrouping needed.
    const minute = sql`date_bin('1 minute', ts, timestamptz '2000-01-01 00:00:00+00')`;
    rowsSql = sql.join(
      [
        ...(whole ? [sql`select minute as ts, min, max, (sum / count)::float8 as avg, count, last from rollups_1m where ${inRollups}`] : []),
        ...raw.map(([lo, hi]) => sql`select ${minute} as ts, min(value) as min, max(value) as max, avg(value)::float8 as avg, count(*)::int as count, (array_agg(value order by ts desc))[1] as last
              from readings where ${inRaw(lo, hi)} group by ${minute}`),
      ],
      sql` union all `,
    );
  } else {
    const branches = [
      ...(whole ? [sql`select date_bin('1 hour', minute, timestamptz '2000-01-01 00:00:00+00') as bucket, min as mn, max as mx, sum as s, count as c, last as l, last_ts as lts from rollups_1m where ${inRollups}`] : []),
      ...raw.map(([lo, hi]) => sql`select date_bin('1 hour', ts, timestamptz '2000-01-01 00:00:00+00') as bucket, value as mn, value as mx, value as s, 1 as c, value as l, ts as lts from readings where ${inRaw(lo, hi)}`),
    ];
    rowsSql = sql`select bucket as ts, min(mn) as min, max(mx) as max, (sum(s) / sum(c))::float8 as avg, sum(c)::int as count, (array_agg(l order by lts desc))[1] as last
                    from (${sql.join(branches, sql` union all `)}) x group by bucket`;
  }
  const a = await flatRows(db, sql`min, max, avg, count, last`, sql`(${rowsSql}) b`);
  const out: BucketPoint[] = new Array(a.length / 6);
  for (let i = 0, k = 0; k < a.length; i++, k += 6) out[i] = { ts: isoAt(a[k]!), min: a[k + 1]!, max: a[k + 2]!, avg: a[k + 3]!, count: a[k + 4]!, last: a[k + 5]! };
  return out;
}

/** Recompute rollups of [from, to) from raw readings (after a bulk load that bypassed insertReadings). */
export async function rebuildRollups(db: Db, p: { from: Date; to: Date }): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select rollups_rebuild(${p.from.toISOString()}::timestamptz, ${p.to.toISOString()}::timestamptz)::int as n`);
  return Number(r?.n ?? 0);
}
