/** Append-only audit, relation traversal, state with optimistic concurrency, and action proposals with their events. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../src/store';
import {
  actionHistory, appendAudit, createAction, getAction, latestState, listActions, listAssets, listAudit, mergeReported, setDesired, subtree, transitionAction, traverse,
} from '../../../src/store/queries';
import { loadManifest } from '../../../src/twin/loader';
import { useTestStore } from '../../helpers/store';

const t = useTestStore({ label: 'records' });
const TWIN = 'demo-plant';

beforeAll(async () => {
  await loadManifest(t.store, readFileSync(new URL('../../../twins/demo-plant.yaml', import.meta.url), 'utf8'), t.clock);
});

describe('audit log', () => {
  it('appends, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const row = await appendAudit(t.db, { actor: { id: 'alice', role: 'manager', via: 'web' }, event: 'action.approved', target: 'act_1', twin: TWIN, details: { comment: 'ok' } });
    expect(row.id).toBeGreaterThan(0);
    await expect(t.db.execute(sql`update audit_log set actor = 'mallory' where id = ${row.id}`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_log where id = ${row.id}`)).rejects.toThrow();
    await expect(t.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    const [still] = await listAudit(t.db, { target: 'act_1' });
    expect(still).toMatchObject({ actor: 'alice', event: 'action.approved', details: { comment: 'ok' } });
  });
});

describe('relation traversal', () => {
  it('follows feeds downstream hop by hop', async () => {
    const hops = await traverse(t.db, { twin: TWIN, from: 'cnc-a2', depth: 3, direction: 'out', types: ['feeds'] });
    expect(hops.map((h) => [h.key, h.depth, h.via])).toEqual([
      ['robot-a1', 1, 'cnc-a2'],
      ['qc-a', 2, 'robot-a1'],
      ['pack-b1', 3, 'qc-a'],
    ]);
  });

  it('walks upstream and respects the depth limit', async () => {
    const up1 = await traverse(t.db, { twin: TWIN, from: 'pack-b1', depth: 1, direction: 'in', types: ['feeds'] });
    expect(up1.map((h) => h.key)).toEqual(['oven-b1', 'qc-a']);
    const up3 = await traverse(t.db, { twin: TWIN, from: 'pack-b1', depth: 3, direction: 'in', types: ['feeds'] });
    expect(up3.map((h) => `${h.key}@${h.depth}`)).toEqual(['oven-b1@1', 'qc-a@1', 'press-b1@2', 'robot-a1@2', 'cnc-a1@3', 'cnc-a2@3', 'cnc-a3@3']);
  });

  it('goes both ways across relation types, each asset once at its shortest depth', async () => {
    const hops = await traverse(t.db, { twin: TWIN, from: 'compressor-1', depth: 2 });
    const keys = hops.map((h) => h.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(hops.find((h) => h.key === 'meter-main')).toMatchObject({ depth: 1, relation: 'metered_by', direction: 'out' });
    expect(hops.find((h) => h.key === 'line-a')).toMatchObject({ depth: 1, relation: 'supplies_air' });
    expect(hops.find((h) => h.key === 'cnc-a2')).toMatchObject({ depth: 2, via: 'meter-main', direction: 'in' });
    expect(keys).not.toContain('compressor-1');
  });

  it('terminates on cycles', async () => {
    await t.db.execute(sql`insert into relations (twin_id, from_id, type, to_id)
      select ${TWIN}, a.id, 'feeds', b.id from assets a, assets b where a.key = 'pack-b1' and b.key = 'cnc-a2' and a.twin_id = ${TWIN} and b.twin_id = ${TWIN}`);
    const hops = await traverse(t.db, { twin: TWIN, from: 'cnc-a2', depth: 10, direction: 'out', types: ['feeds'] });
    expect(hops.map((h) => h.key)).toEqual(['robot-a1', 'qc-a', 'pack-b1']);
    await t.db.execute(sql`delete from relations where type = 'feeds' and from_id = (select id from assets where key = 'pack-b1' and twin_id = ${TWIN})`);
  });

  it('lists assets by type (with subtypes), parent and subtree', async () => {
    expect((await listAssets(t.db, { twin: TWIN, type: 'cnc_mill' })).map((a) => a.key)).toEqual(['cnc-a1', 'cnc-a2', 'cnc-a3']);
    expect(await listAssets(t.db, { twin: TWIN, type: 'machine' })).toHaveLength(11);
    expect((await listAssets(t.db, { twin: TWIN, parent: 'line-b' })).map((a) => a.key)).toEqual(['oven-b1', 'pack-b1', 'press-b1']);
    const tree = await subtree(t.db, { twin: TWIN, root: 'plant' });
    expect(tree).toHaveLength(15);
    expect(tree[0]).toMatchObject({ key: 'plant', depth: 0 });
    expect(tree.find((a) => a.key === 'cnc-a2')?.depth).toBe(2);
  });
});

describe('state', () => {
  it('merges reported values only when newer, and guards desired changes by version', async () => {
    await mergeReported(t.db, { twin: TWIN, asset: 'cnc-a2', values: { vibration_rms: { value: 5.8, ts: '2026-03-02T07:59:00Z' } } });
    await mergeReported(t.db, { twin: TWIN, asset: 'cnc-a2', values: { vibration_rms: { value: 1, ts: '2026-03-02T07:00:00Z' } } });
    const [s] = await latestState(t.db, { twin: TWIN, assets: ['cnc-a2'] });
    expect(s.reported.vibration_rms).toEqual({ value: 5.8, ts: '2026-03-02T07:59:00.000Z' });
    const v = s.version;
    expect(await setDesired(t.db, { twin: TWIN, asset: 'cnc-a2', changes: { spindle_speed: 6000 }, expectedVersion: v })).toBe(v + 1);
    expect(await setDesired(t.db, { twin: TWIN, asset: 'cnc-a2', changes: { spindle_speed: 5000 }, expectedVersion: v })).toBeNull();
    const [after] = await latestState(t.db, { twin: TWIN, assets: ['cnc-a2'] });
    expect(after.desired.spindle_speed?.value).toBe(6000);
    expect(await latestState(t.db, { twin: TWIN })).toHaveLength(15);
  });

  it('reads the state of several assets in key order, with exactly the stored documents, and no other twin', async () => {
    const picked = ['press-b1', 'cnc-a2', 'no-such-asset', 'cnc-a1'];
    const got = await latestState(t.db, { twin: TWIN, assets: picked });
    const want = await rows<{ key: string; type: string; reported: unknown; desired: unknown; version: number }>(
      t.db,
      sql`select key, type, reported, desired, version from assets where twin_id = ${TWIN} and key in ('press-b1', 'cnc-a2', 'cnc-a1') order by key`,
    );
    expect(got).toEqual(want.map((w) => ({ ...w, version: Number(w.version) })));
    expect(got.map((s) => s.key)).toEqual(['cnc-a1', 'cnc-a2', 'press-b1']);
    expect(got.find((s) => s.key === 'cnc-a2')?.desired.spindle_speed?.value).toBe(6000);
    expect(await latestState(t.db, { twin: 'pumping-station', assets: picked })).toEqual([]);
    expect(await latestState(t.db, { twin: TWIN, assets: [] })).toEqual([]);
  });
});

describe('action proposals', () => {
  it('record every status change, and only one of two racing decisions wins', async () => {
    const a = await createAction(
      t.db,
      { twin: TWIN, type: 'create_work_order', params: { asset: 'cnc-a2' }, risk: 'medium', proposedBy: 'maintenance', rationale: 'bearing wear', threadId: 'th_1' },
      { id: 'copilot', via: 'system' },
    );
    expect(a.id).toMatch(/^act_/);
    expect(a.status).toBe('pending_approval');
    const [x, y] = await Promise.all([
      transitionAction(t.db, { id: a.id, from: ['pending_approval'], to: 'approved', actor: { id: 'mia', role: 'manager' } }),
      transitionAction(t.db, { id: a.id, from: ['pending_approval'], to: 'rejected', actor: { id: 'olaf', role: 'manager' }, comment: 'no' }),
    ]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    const done = await transitionAction(t.db, { id: a.id, from: ['approved'], to: 'executed', actor: { id: 'system' }, result: { work_order: 'WO-78' } });
    const winner = (await getAction(t.db, { id: a.id }))!;
    expect(done.ok).toBe(winner.status === 'executed');
    const events = await actionHistory(t.db, { id: a.id });
    expect(events[0]).toMatchObject({ fromStatus: null, toStatus: 'pending_approval', actor: 'copilot' });
    expect(events.length).toBe(done.ok ? 3 : 2);
    expect(await transitionAction(t.db, { id: 'act_missing', from: ['pending_approval'], to: 'approved', actor: { id: 'x' } })).toEqual({ ok: false, reason: 'not_found' });
    expect((await listActions(t.db, { threadId: 'th_1' })).map((r) => r.id)).toEqual([a.id]);
    const [n] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from action_events where action_id = ${a.id}`);
    expect(n.n).toBe(events.length);
  });
});

describe('twin snapshot', () => {
  it('carries whom each order is for (null when the record names no one)', async () => {
    const { twinSnapshot } = await import('../../../src/store/queries/twin-snapshot');
    await t.db.execute(sql`update production_orders set customer = 'Acme Tools Co.' where twin_id = ${TWIN} and key = 'PO-1043'`);
    const snap = await twinSnapshot(t.db, { twin: TWIN });
    expect(snap!.orders.find((o) => o.id === 'PO-1043')).toMatchObject({ customer: 'Acme Tools Co.' });
    expect(snap!.orders.find((o) => o.id === 'PO-1042')?.customer).toBeNull();
  });
});
