/** Readings: idempotent inserts, rollups, bucketed history served from rollups, and daily partitions. */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/store';
import { assetIds, history, insertReadings, rebuildRollups, type ReadingRow } from '../../../src/store/queries';
import { loadManifest } from '../../../src/twin/loader';
import { useTestStore } from '../../helpers/store';
import { readFileSync } from 'node:fs';

const t = useTestStore({ label: 'readings' });
const TWIN = 'pumping-station';
const P = 'flow_m3h';
let pump = 0;

// 3 hours of readings every 7 s from 10:00:03, values a simple function of the index.
const start = Date.parse('2026-03-01T10:00:03Z');
const series = (assetId: number): ReadingRow[] =>
  Array.from({ length: Math.floor((3 * 3600) / 7) }, (_, i) => ({ twinId: TWIN, assetId, property: P, ts: new Date(start + i * 7000), value: Math.round(400 + 50 * Math.sin(i / 40)) + i / 1000 }));

/** The expected buckets, computed in JS from the raw series. */
function expected(list: ReadingRow[], from: number, to: number, width: number) {
  const out = new Map<number, { min: number; max: number; sum: number; count: number; last: number; lastTs: number }>();
  for (const r of list) {
    const ts = new Date(r.ts).getTime();
    if (ts < from || ts >= to) continue;
    const b = Math.floor(ts / width) * width;
    const e = out.get(b) ?? { min: Infinity, max: -Infinity, sum: 0, count: 0, last: 0, lastTs: -1 };
    e.min = Math.min(e.min, r.value);
    e.max = Math.max(e.max, r.value);
    e.sum += r.value;
    e.count++;
    if (ts > e.lastTs) (e.last = r.value), (e.lastTs = ts);
    out.set(b, e);
  }
  return [...out.entries()].sort((a, b) => a[0] - b[0]).map(([b, e]) => ({ ts: new Date(b).toISOString(), min: e.min, max: e.max, avg: e.sum / e.count, count: e.count, last: e.last }));
}

beforeAll(async () => {
  await loadManifest(t.store, readFileSync(new URL('../../fixtures/pumping-station.yaml', import.meta.url), 'utf8'), t.clock);
  pump = (await assetIds(t.db, { twin: TWIN })).get('pump-1')!;
});

describe('readings', () => {
  it('are idempotent: a retried batch inserts nothing and the rollups do not double', async () => {
    const list = series(pump);
    expect(await insertReadings(t.db, list)).toEqual({ inserted: list.length });
    expect(await insertReadings(t.db, list)).toEqual({ inserted: 0 });
    // A batch that overlaps half old, half new counts only the new half.
    const extra = [...list.slice(-10), { twinId: TWIN, assetId: pump, property: P, ts: new Date(start + 3 * 3600_000 + 1000), value: 1 }];
    expect(await insertReadings(t.db, extra)).toEqual({ inserted: 1 });
    const [n] = await rows<{ raw: number; rolled: number }>(
      t.db,
      sql`select (select count(*)::int from readings where asset_id = ${pump}) as raw, (select sum(count)::int from rollups_1m where asset_id = ${pump}) as rolled`,
    );
    expect(n).toEqual({ raw: list.length + 1, rolled: list.length + 1 });
  });

  it('raw history returns the points in order within [from, to)', async () => {
    const list = series(pump);
    const from = new Date(list[10].ts);
    const to = new Date(list[20].ts);
    const raw = await history(t.db, { twin: TWIN, asset: 'pump-1', property: P, from, to, bucket: 'raw' });
    expect(raw.map((r) => r.value)).toEqual(list.slice(10, 20).map((r) => r.value));
  });

  it('1-minute and 1-hour buckets match aggregates of the raw data, with partial edge minutes', async () => {
    const list = series(pump);
    // Unaligned bounds: the first and last minutes are partial and must come from raw readings.
    const from = Date.parse('2026-03-01T10:07:31Z');
    const to = Date.parse('2026-03-01T12:41:45Z');
    for (const [bucket, width] of [['1m', 60_000], ['1h', 3_600_000]] as const) {
      const got = await history(t.db, { twin: TWIN, asset: pump, property: P, from: new Date(from), to: new Date(to), bucket });
      const want = expected(list, from, to, width);
      expect(got.map((g) => g.ts)).toEqual(want.map((w) => w.ts));
      got.forEach((g, i) => {
        expect(g.count).toBe(want[i].count);
        expect(g.min).toBeCloseTo(want[i].min, 9);
        expect(g.max).toBeCloseTo(want[i].max, 9);
        expect(g.avg).toBeCloseTo(want[i].avg, 9);
        expect(g.last).toBeCloseTo(want[i].last, 9);
      });
    }
  });

  it('buckets come from the rollups for whole minutes (proved by tampering with a rollup)', async () => {
    const minute = '2026-03-01T11:00:00.000Z';
    await t.db.execute(sql`update rollups_1m set max = 99999 where asset_id = ${pump} and property = ${P} and minute = ${minute}::timestamptz`);
    const got = await history(t.db, { twin: TWIN, asset: pump, property: P, from: new Date('2026-03-01T10:59:00Z'), to: new Date('2026-03-01T11:02:00Z'), bucket: '1m' });
    expect(got.find((g) => g.ts === minute)?.max).toBe(99999);
    // rebuilding from raw readings repairs it
    await rebuildRollups(t.db, { from: new Date(minute), to: new Date('2026-03-01T11:01:00Z') });
    const fixed = await history(t.db, { twin: TWIN, asset: pump, property: P, from: new Date('2026-03-01T10:59:00Z'), to: new Date('2026-03-01T11:02:00Z'), bucket: '1m' });
    expect(fixed.find((g) => g.ts === minute)?.max).toBeLessThan(1000);
  });

  it('a range inside one minute is served from raw readings alone', async () => {
    const got = await history(t.db, { twin: TWIN, asset: pump, property: P, from: new Date('2026-03-01T10:30:05Z'), to: new Date('2026-03-01T10:30:40Z'), bucket: '1m' });
    const want = expected(series(pump), Date.parse('2026-03-01T10:30:05Z'), Date.parse('2026-03-01T10:30:40Z'), 60_000);
    expect(got.map((g) => g.count)).toEqual(want.map((w) => w.count));
  });

  it('buckets stay right across midnight (two daily partitions) with either bound aligned, on repeated calls', async () => {
    // A second property, 20 minutes either side of midnight, so the edges fall in different daily partitions.
    const P2 = 'level_m';
    const t0 = Date.parse('2026-03-01T23:40:03Z');
    const list: ReadingRow[] = Array.from({ length: Math.floor((40 * 60) / 7) }, (_, i) => ({ twinId: TWIN, assetId: pump, property: P2, ts: new Date(t0 + i * 7000), value: 2 + Math.cos(i / 9) + i / 500 }));
    await t.store.ensurePartitions(new Date(t0), new Date(t0 + 3600_000));
    await insertReadings(t.db, list);
    const windows: Array<[string, string]> = [
      ['2026-03-01T23:45:31Z', '2026-03-02T00:12:45Z'], // both edges partial, one each side of midnight
      ['2026-03-01T23:45:00Z', '2026-03-02T00:12:45Z'], // from aligned: only the tail edge is raw
      ['2026-03-01T23:45:31Z', '2026-03-02T00:12:00Z'], // to aligned: only the head edge is raw
      ['2026-03-01T23:45:00Z', '2026-03-02T00:12:00Z'], // both aligned: rollups alone
      ['2026-03-01T23:59:40Z', '2026-03-02T00:00:20Z'], // no whole minute, across midnight
    ];
    // Seven rounds: PostgreSQL may switch a prepared statement to a generic plan after five executions.
    for (let round = 0; round < 7; round++) {
      for (const [f, to] of windows) {
        for (const [bucket, width] of [['1m', 60_000], ['1h', 3_600_000]] as const) {
          const got = await history(t.db, { twin: TWIN, asset: 'pump-1', property: P2, from: new Date(f), to: new Date(to), bucket });
          const want = expected(list, Date.parse(f), Date.parse(to), width);
          expect(got.map((g) => [g.ts, g.count])).toEqual(want.map((w) => [w.ts, w.count]));
          got.forEach((g, i) => {
            expect(g.min).toBeCloseTo(want[i].min, 9);
            expect(g.max).toBeCloseTo(want[i].max, 9);
            expect(g.avg).toBeCloseTo(want[i].avg, 9);
            expect(g.last).toBeCloseTo(want[i].last, 9);
          });
        }
        const raw = await history(t.db, { twin: TWIN, asset: pump, property: P2, from: new Date(f), to: new Date(to), bucket: 'raw' });
        expect(raw.map((r) => r.ts)).toEqual(list.filter((r) => +new Date(r.ts) >= Date.parse(f) && +new Date(r.ts) < Date.parse(to)).map((r) => new Date(r.ts).toISOString()));
      }
    }
  });

  it('another twin or asset never shows up in a history', async () => {
    expect(await history(t.db, { twin: 'demo-plant', asset: pump, property: P, from: new Date(start), to: new Date(start + 3600_000), bucket: 'raw' })).toEqual([]);
    expect(await history(t.db, { twin: TWIN, asset: 'pump-2', property: P, from: new Date(start), to: new Date(start + 3600_000), bucket: '1h' })).toEqual([]);
  });

  it('are partitioned by day, with a default partition that takes anything, moved out when its day gets a partition', async () => {
    const old = new Date('2019-06-01T12:00:00Z');
    await insertReadings(t.db, [{ twinId: TWIN, assetId: pump, property: P, ts: old, value: 1 }]);
    const where = async () => (await rows<{ part: string }>(t.db, sql`select tableoid::regclass::text as part from readings where ts = ${old.toISOString()}::timestamptz`))[0].part;
    expect(await where()).toMatch(/readings_default$/);
    expect(await t.store.ensurePartitions(old, old)).toBe(1);
    expect(await where()).toMatch(/readings_p20190601$/);
    expect(await t.store.ensurePartitions(old, old)).toBe(0);
    // Today's partition exists after migrate().
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const parts = await rows<{ name: string }>(t.db, sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass('readings')`);
    expect(parts.map((p) => p.name)).toContain(`readings_p${today}`);
    expect(parts.map((p) => p.name)).toContain('readings_default');
  });
});
