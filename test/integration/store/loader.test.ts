/** The manifest loader against a real store (PGlite, or PostgreSQL when DATABASE_URL is set). */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock';
import { AppError } from '../../../src/errors';
import { rows } from '../../../src/store';
import { getAsset, insertReadings, listAssets, listCrews, listOrders, listWorkOrders, traverse, assetIds, history, listAudit } from '../../../src/store/queries';
import { loadManifest } from '../../../src/twin/loader';
import { TEST_NOW, useTestStore } from '../../helpers/store';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const demo = read('twins/demo-plant.yaml');
const station = read('test/fixtures/pumping-station.yaml');
const bad = read('test/fixtures/bad-manifest.yaml');

const t = useTestStore({ label: 'loader' });

/** Every table's row count, to prove a failed load changed nothing. */
async function snapshot() {
  const tables = ['twins', 'asset_types', 'assets', 'relations', 'routings', 'production_orders', 'crews', 'tariffs', 'work_orders', 'audit_log'];
  const out: Record<string, unknown> = {};
  for (const name of tables) out[name] = (await rows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${name}`)))[0].n;
  out.assets_rows = await rows(t.db, sql`select key, version, retired_at from assets order by id`);
  return out;
}

describe('loading manifests', () => {
  it('loads the demo plant with planning records and relative times resolved against the clock', async () => {
    const r = await loadManifest(t.store, demo, t.clock);
    expect(r).toMatchObject({ twin: 'demo-plant', created: 15, updated: 0, retired: 0, revision: 1 });
    const orders = await listOrders(t.db, { twin: 'demo-plant' });
    expect(orders.map((o) => [o.key, o.dueAt.toISOString()])).toEqual([
      ['PO-1042', '2026-03-04T08:00:00.000Z'],
      ['PO-1043', '2026-03-05T08:00:00.000Z'],
      ['PO-1044', '2026-03-07T08:00:00.000Z'],
    ]);
    const wo = await listWorkOrders(t.db, { twin: 'demo-plant' });
    expect(wo).toHaveLength(1);
    expect(wo[0]).toMatchObject({ key: 'WO-77', asset: 'compressor-2', status: 'open' });
    expect(wo[0].dueAt?.toISOString()).toBe('2026-03-12T08:00:00.000Z');
    const crews = await listCrews(t.db, { twin: 'demo-plant' });
    expect(crews.find((c) => c.key === 'crew-b')).toMatchObject({ overtimeHoursWeek: 12, size: 8 });
    const cnc = await getAsset(t.db, { twin: 'demo-plant', key: 'cnc-a2' });
    expect(cnc).toMatchObject({ type: 'cnc_mill', parent: 'line-a', attributes: { serial_no: 'M-1002' } });
    expect(cnc?.desired.spindle_speed?.value).toBe(8000);
    const oven = await getAsset(t.db, { twin: 'demo-plant', key: 'oven-b1' });
    expect(oven?.desired.zone_temp_setpoint?.value).toBe(180);
  });

  it('reloading the same file changes nothing but the revision', async () => {
    const r = await loadManifest(t.store, demo, t.clock);
    expect(r).toMatchObject({ created: 0, updated: 0, retired: 0, unchanged: 15, revision: 2 });
  });

  it('a manifest with three distinct mistakes lists all three with paths and leaves the store unchanged', async () => {
    const before = await snapshot();
    const err = await loadManifest(t.store, bad, t.clock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const problems = ((err as AppError).details as { problems: { path: string; message: string }[] }).problems;
    expect(problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
      'assets[3].parent: unknown asset "line-z"',
      'relations[0].to: unknown asset "pump-9"',
      'types.pump.properties.flow.units: unknown key "units"',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('a failure inside the transaction rolls everything back', async () => {
    const before = await snapshot();
    // Valid manifest, but the database refuses it half-way: a check the schema cannot see (an over-long id would pass);
    // simulate with a trigger that fails on the last table the loader writes.
    await t.db.execute(sql`create function fail_wo() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`);
    await t.db.execute(sql`create trigger fail_wo before insert on work_orders for each row execute function fail_wo()`);
    try {
      await expect(loadManifest(t.store, station, t.clock)).rejects.toThrow();
    } finally {
      await t.db.execute(sql`drop trigger fail_wo on work_orders`);
      await t.db.execute(sql`drop function fail_wo()`);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the twin load command exits 2 and lists every problem', async () => {
    const run = promisify(execFile);
    const err = (await run(process.execPath, ['bin/twin.mjs', 'load', 'test/fixtures/bad-manifest.yaml', '--local'], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, DATA_DIR: '/nonexistent-never-opened' },
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('types.pump.properties.flow.units: unknown key "units"');
    expect(err.stderr).toContain('assets[3].parent: unknown asset "line-z"');
    expect(err.stderr).toContain('relations[0].to: unknown asset "pump-9"');
  });

  it('a second twin loads beside the demo plant and queries keep them apart', async () => {
    const r = await loadManifest(t.store, station, t.clock);
    expect(r).toMatchObject({ twin: 'pumping-station', created: 9, retired: 0 });
    const plantKeys = (await listAssets(t.db, { twin: 'demo-plant' })).map((a) => a.key);
    const stationKeys = (await listAssets(t.db, { twin: 'pumping-station' })).map((a) => a.key);
    expect(plantKeys).toHaveLength(15);
    expect(stationKeys).toHaveLength(9);
    expect(stationKeys).not.toContain('cnc-a1');
    // Both twins have a `meter-main`; each query sees only its own.
    const plantMeter = await getAsset(t.db, { twin: 'demo-plant', key: 'meter-main' });
    const stationMeter = await getAsset(t.db, { twin: 'pumping-station', key: 'meter-main' });
    expect(plantMeter?.id).not.toBe(stationMeter?.id);
    expect(plantMeter?.parent).toBe('plant');
    expect(stationMeter?.parent).toBe('station');
    const metered = await traverse(t.db, { twin: 'pumping-station', from: 'meter-main', depth: 1, direction: 'in', types: ['metered_by'] });
    expect(metered.map((h) => h.key)).toEqual(['pump-1', 'pump-2', 'pump-3']);
    const plantMetered = await traverse(t.db, { twin: 'demo-plant', from: 'meter-main', depth: 1, direction: 'in', types: ['metered_by'] });
    expect(plantMetered).toHaveLength(11);
    expect(plantMetered.map((h) => h.key)).not.toContain('pump-1');
    expect(await listOrders(t.db, { twin: 'pumping-station' })).toEqual([]);
    expect((await listWorkOrders(t.db, { twin: 'pumping-station' })).map((w) => w.key)).toEqual(['WO-5']);
    expect((await listAssets(t.db, { twin: 'pumping-station', type: 'machine' })).map((a) => a.key)).toEqual(['pump-1', 'pump-2', 'pump-3']);
  });

  it('reloading with an asset removed retires it and keeps its history; listing it again brings it back', async () => {
    const ids = await assetIds(t.db, { twin: 'pumping-station' });
    const at = new Date(Date.parse(TEST_NOW) - 3_600_000);
    await insertReadings(t.db, [{ twinId: 'pumping-station', assetId: ids.get('pump-3')!, property: 'flow_m3h', ts: at, value: 400 }]);
    const without = station
      .split('\n')
      .filter((l) => !/pump-3/.test(l))
      .join('\n')
      .replace('work_orders:', 'work_orders: []');
    const later = fixedClock('2026-03-02T09:00:00Z');
    const r = await loadManifest(t.store, without, later);
    expect(r).toMatchObject({ created: 0, retired: 1, updated: 0 });
    expect((await listAssets(t.db, { twin: 'pumping-station' })).map((a) => a.key)).not.toContain('pump-3');
    const retired = await getAsset(t.db, { twin: 'pumping-station', key: 'pump-3' });
    expect(retired?.retiredAt?.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    const kept = await history(t.db, { twin: 'pumping-station', asset: 'pump-3', property: 'flow_m3h', from: new Date(at.getTime() - 1), to: new Date(TEST_NOW), bucket: 'raw' });
    expect(kept).toEqual([{ ts: at.toISOString(), value: 400 }]);
    expect(await listWorkOrders(t.db, { twin: 'pumping-station' })).toEqual([]);
    const back = await loadManifest(t.store, station, later);
    expect(back).toMatchObject({ created: 0, updated: 1, retired: 0 });
    expect((await getAsset(t.db, { twin: 'pumping-station', key: 'pump-3' }))?.id).toBe(ids.get('pump-3'));
  });

  it('audits each load', async () => {
    const entries = await listAudit(t.db, { event: 'twin.loaded' });
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(entries[0].details).toHaveProperty('twin');
  });
});
