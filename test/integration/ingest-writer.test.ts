import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock';
import { createEventBus, type TwinEvents } from '../../src/events';
import { readCsv, readJsonArray, readNdjson } from '../../src/ingest/readers';
import { createIngestService, type IngestService } from '../../src/ingest/service';
import type { SqlRunner } from '../../src/ingest/sql';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

const NOW = new Date('2025-11-26T10:00:00Z');
const clock = fixedClock(NOW);
let env: Awaited<ReturnType<typeof openIngestStore>>;
let sql: SqlRunner;
let ingest: IngestService;
const bus = createEventBus();
const raised: TwinEvents['alarm_raised'][] = [];
const cleared: TwinEvents['alarm_cleared'][] = [];

beforeAll(async () => {
  env = await openIngestStore();
  sql = env.sql;
  await insertTwin(sql, demoManifest(), NOW);
  ingest = createIngestService({ sql, bus, clock });
  await ingest.reload();
  bus.subscribe('alarm_raised', (e) => raised.push(e));
  bus.subscribe('alarm_cleared', (e) => cleared.push(e));
});
afterAll(async () => env?.close());

const iso = (minAgo: number) => new Date(NOW.getTime() - minAgo * 60_000).toISOString();
async function* chunks(text: string, size = 7) {
  for (let i = 0; i < text.length; i += size) yield new TextEncoder().encode(text.slice(i, i + size));
}

describe('validation and the batch writer (PGlite)', () => {
  it('rejects each kind of bad record with a reason and stores the valid ones', async () => {
    const records = [
      { asset: 'cnc-a1', property: 'vibration_rms', ts: iso(30), value: 2.1 },
      { twin: 'nope', asset: 'cnc-a1', property: 'vibration_rms', ts: iso(30), value: 2.1 },
      { asset: 'cnc-z9', property: 'vibration_rms', ts: iso(30), value: 2.1 },
      { asset: 'cnc-a1', property: 'colour', ts: iso(30), value: 2.1 },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: iso(29), value: 'high' },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: iso(29), value: 'NaN' },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: iso(28), value: 51 },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: new Date(NOW.getTime() + 10 * 60_000).toISOString(), value: 2 },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: 'yesterday-ish', value: 2 },
      { asset: 'cnc-a1', property: 'vibration_rms', ts: NOW.getTime() - 60_000, value: 2.3 },
    ];
    const res = await ingest.ingest(readJsonArray(chunks(JSON.stringify(records))), { source: 'test', indexBy: 'n' });
    expect(res.accepted).toBe(2);
    expect(res.rejected).toBe(8);
    const reasons = Object.fromEntries(res.errors.map((e) => [e.index, e.reason]));
    expect(reasons[1]).toMatch(/unknown twin/);
    expect(reasons[2]).toMatch(/unknown asset/);
    expect(reasons[3]).toMatch(/unknown property/);
    expect(reasons[4]).toMatch(/must be a number/);
    expect(reasons[5]).toMatch(/NaN or Infinity/);
    expect(reasons[6]).toMatch(/physical maximum/);
    expect(reasons[7]).toMatch(/future/);
    expect(reasons[8]).toMatch(/unparseable ts/);
    const [{ n }] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM dead_letters WHERE source = 'test'");
    expect(n).toBe(8);
  });

  it('is idempotent for duplicates and keeps rollups exact', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ asset: 'cnc-a3', property: 'power_kw', ts: iso(10 - i * 0.25), value: 10 + i }));
    const first = await ingest.ingest(readNdjson(chunks(rows.map((r) => JSON.stringify(r)).join('\n'))), { source: 'test', indexBy: 'n' });
    const again = await ingest.ingest(readNdjson(chunks(rows.map((r) => JSON.stringify(r)).join('\n'))), { source: 'test', indexBy: 'n' });
    expect(first.accepted).toBe(6);
    expect(again.duplicates).toBe(6);
    const [{ n }] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM readings r JOIN assets a ON a.id = r.asset_id WHERE a.key = 'cnc-a3' AND property = 'power_kw'");
    expect(n).toBe(6);
    const roll = await sql.query<{ count: number; sum: number; min: number; max: number; last: number }>(
      "SELECT count, sum, min, max, last FROM rollups_1m r JOIN assets a ON a.id = r.asset_id WHERE a.key = 'cnc-a3' AND property = 'power_kw' ORDER BY minute",
    );
    expect(roll.reduce((s, r) => s + Number(r.count), 0)).toBe(6);
    expect(roll.reduce((s, r) => s + Number(r.sum), 0)).toBeCloseTo(10 + 11 + 12 + 13 + 14 + 15);
    expect(Math.max(...roll.map((r) => Number(r.max)))).toBe(15);
    // A batch half old, half new: only the new rows reach the rollups.
    const mixed = [...rows.slice(3), ...[0, 1, 2].map((i) => ({ asset: 'cnc-a3', property: 'power_kw', ts: iso(5 - i * 0.25), value: 50 }))];
    const third = await ingest.ingestRecords(mixed, 'test');
    expect(third.duplicates).toBe(3);
    const after = await sql.query<{ count: number; sum: number }>(
      "SELECT count, sum FROM rollups_1m r JOIN assets a ON a.id = r.asset_id WHERE a.key = 'cnc-a3' AND property = 'power_kw'",
    );
    expect(after.reduce((s, r) => s + Number(r.count), 0)).toBe(9);
    expect(after.reduce((s, r) => s + Number(r.sum), 0)).toBeCloseTo(75 + 150);
  });

  it('bulk batches (COPY on the embedded store) store each reading once and keep rollups exact', async () => {
    const key = "a.key = 'cnc-a3' AND property = 'spindle_load'";
    const count = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM readings r JOIN assets a ON a.id = r.asset_id WHERE ${key}`))[0].n;
    const roll = async () => {
      const rs = await sql.query<{ count: number; sum: number; max: number }>(`SELECT count, sum, max FROM rollups_1m r JOIN assets a ON a.id = r.asset_id WHERE ${key}`);
      return { rows: rs.length, count: rs.reduce((s, r) => s + Number(r.count), 0), sum: rs.reduce((s, r) => s + Number(r.sum), 0), max: Math.max(...rs.map((r) => Number(r.max))) };
    };
    // Whole minutes, as the simulator writes them, from 300 minutes ago.
    const at = (i: number, value: number) => ({ asset: 'cnc-a3', property: 'spindle_load', ts: iso(300 - i), value });
    const first = await ingest.ingestRecords([0, 1, 2, 3, 4, 5].map((i) => at(i, 40 + i)), 'test', { bulk: true });
    expect(first).toMatchObject({ accepted: 6, duplicates: 0 });
    expect(await count()).toBe(6);
    expect(await roll()).toEqual({ rows: 6, count: 6, sum: 40 + 41 + 42 + 43 + 44 + 45, max: 45 });
    // Redelivered with three new rows: the COPY meets stored keys, the batch falls back, nothing is counted twice.
    const again = await ingest.ingestRecords([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => at(i, 40 + i)), 'test', { bulk: true });
    expect(again).toMatchObject({ accepted: 9, duplicates: 6 });
    expect(await count()).toBe(9);
    expect(await roll()).toEqual({ rows: 9, count: 9, sum: 40 + 41 + 42 + 43 + 44 + 45 + 46 + 47 + 48, max: 48 });
    // New readings inside minutes that already have rollups: readings COPY in, the rollups fold in additively.
    const half = [0, 1].map((i) => ({ ...at(i, 90), ts: new Date(Date.parse(iso(300 - i)) + 30_000).toISOString() }));
    const third = await ingest.ingestRecords(half, 'test', { bulk: true });
    expect(third).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await count()).toBe(11);
    expect(await roll()).toMatchObject({ rows: 9, count: 11, max: 90 });
  });

  it('batches big enough for COPY store each reading once when sent again or overlapping, rollups exact', async () => {
    const key = "a.key = 'cnc-a1' AND property = 'power_kw'";
    const count = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM readings r JOIN assets a ON a.id = r.asset_id WHERE ${key}`))[0].n;
    const rolled = async () => (await sql.query<{ n: number; s: number }>(`SELECT sum(count)::int AS n, sum(sum) AS s FROM rollups_1m r JOIN assets a ON a.id = r.asset_id WHERE ${key}`))[0];
    // 1,200 readings one second apart, from 3 hours ago: over the writer's COPY threshold.
    const at = (i: number) => ({ asset: 'cnc-a1', property: 'power_kw', ts: new Date(NOW.getTime() - 3 * 3600_000 + i * 1000).toISOString(), value: i % 50 });
    const rows = Array.from({ length: 1200 }, (_, i) => at(i));
    expect(await ingest.ingestRecords(rows, 'test')).toMatchObject({ accepted: 1200, duplicates: 0 });
    expect(await count()).toBe(1200);
    // The same batch again: the COPY meets stored keys, rolls back to its savepoint, the statement stores nothing.
    expect(await ingest.ingestRecords(rows, 'test')).toMatchObject({ accepted: 1200, duplicates: 1200 });
    // Half old, half new: only the new half is stored and counted.
    const overlap = Array.from({ length: 1200 }, (_, i) => at(i + 600));
    expect(await ingest.ingestRecords(overlap, 'test')).toMatchObject({ accepted: 1200, duplicates: 600 });
    expect(await count()).toBe(1800);
    const sum = Array.from({ length: 1800 }, (_, i) => i % 50).reduce((a, b) => a + b, 0);
    expect(await rolled()).toMatchObject({ n: 1800 });
    expect(Number((await rolled()).s)).toBeCloseTo(sum);
  });

  it('updates reported state only when newer', async () => {
    await ingest.ingestRecords([{ asset: 'chiller-1', property: 'supply_temp', ts: iso(5), value: 12.5 }], 'test');
    await ingest.ingestRecords([{ asset: 'chiller-1', property: 'supply_temp', ts: iso(20), value: 99 }], 'test');
    const [a] = await sql.query<{ reported: Record<string, { value: number; ts: string }> }>("SELECT reported FROM assets WHERE key = 'chiller-1'");
    expect(a.reported.supply_temp.value).toBe(12.5);
    expect(a.reported.supply_temp.ts).toBe(iso(5));
  });

  it('raises and clears alarms with hysteresis, low-is-bad for direction below', async () => {
    const vib = [2.0, 4.6, 4.4, 4.6, 7.2, 7.0, 6.0, 4.0, 3.5];
    const csv = ['ts,asset,property,value', ...vib.map((v, i) => `${iso(200 - i)},cnc-a2,vibration_rms,${v}`)].join('\n');
    const res = await ingest.ingest(readCsv(chunks(csv)), { source: 'file:test.csv', textual: true, indexBy: 'line' });
    expect(res.accepted).toBe(vib.length);
    const alarms = await sql.query<{ level: string; cleared_at: string | null; value: number }>(
      "SELECT level, cleared_at, value FROM alarms al JOIN assets a ON a.id = al.asset_id WHERE a.key = 'cnc-a2' ORDER BY raised_at, level",
    );
    // 4.4 stays inside the band (4.5 - 0.65): one warn, not three; 7.0 holds the alarm; 6.0 clears it; 3.5 clears warn.
    expect(alarms.map((a) => a.level)).toEqual(['warn', 'alarm']);
    expect(alarms.every((a) => a.cleared_at !== null)).toBe(true);
    expect(raised.filter((r) => r.asset === 'cnc-a2').map((r) => r.level)).toEqual(['warn', 'alarm']);

    await ingest.ingestRecords([6.4, 6.6, 6.0].map((v, i) => ({ asset: 'compressor-2', property: 'outlet_pressure_bar', ts: iso(100 - i), value: v })), 'test');
    const low = await sql.query<{ level: string; cleared_at: string | null }>(
      "SELECT level, cleared_at FROM alarms al JOIN assets a ON a.id = al.asset_id WHERE a.key = 'compressor-2' ORDER BY level",
    );
    expect(low.map((a) => [a.level, a.cleared_at === null])).toEqual([
      ['alarm', true],
      ['warn', true],
    ]);
  });

  it('accepts enum state reports into reported state only', async () => {
    const res = await ingest.ingestRecords([{ asset: 'cnc-a1', property: 'status', ts: iso(1), value: 'idle' }, { asset: 'cnc-a1', property: 'status', ts: iso(1), value: 'flying' }], 'test');
    expect(res.accepted).toBe(1);
    expect(res.errors[0].reason).toMatch(/not one of/);
    const [a] = await sql.query<{ reported: Record<string, { value: string }> }>("SELECT reported FROM assets WHERE key = 'cnc-a1'");
    expect(a.reported.status.value).toBe('idle');
  });
});
