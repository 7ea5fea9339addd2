/**
 * What the twin explorer and the chat read, over the real store (embedded PGlite, demo plant) and the offline copilot:
 * asset types with kinds, units and thresholds; assets carrying their effective properties and a health index that
 * follows ingestion at once; the twin's alarms (open, or all); and a thread reopened with its last answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// First: @hono/zod-openapi extends zod, and the answer schemas the copilot imports are registered with it.
import { createApp } from '../../../src/http/app';
import { buildCopilot } from '../../../src/boot/copilot';
import { ensureDemoTwin } from '../../../src/boot/demo';
import { fixedClock } from '../../../src/clock';
import { parseConfig } from '../../../src/config';
import { createExecutor } from '../../../src/control/executor';
import { createLocalTransport } from '../../../src/control/transport';
import { createEventBus } from '../../../src/events';
import { storeTwins } from '../../../src/http/adapters/twins';
import { createIngestService, type IngestService } from '../../../src/ingest/service';
import { dbRunner } from '../../../src/ingest/sql';
import { createStore, type Store } from '../../../src/store';
import { testDeps } from '../../helpers/http-doubles';

const NOW = new Date('2026-03-02T10:00:00Z');
const clock = fixedClock(NOW);
let store: Store;
let ingest: IngestService;
let app: ReturnType<typeof createApp>;
let key: string;
let close: () => Promise<void>;

beforeAll(async () => {
  store = await createStore({ memory: true });
  await store.migrate();
  await ensureDemoTwin(store, clock);
  await store.ensurePartitions(new Date(NOW.getTime() - 86_400_000), new Date(NOW.getTime() + 86_400_000));
  const bus = createEventBus();
  const runner = dbRunner(store.db);
  ingest = createIngestService({ sql: runner, bus, clock });
  await ingest.reload();
  const config = parseConfig({ LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' });
  const transport = createLocalTransport();
  const executor = createExecutor({ sql: runner, bus, clock, transport, config });
  const copilot = await buildCopilot({ config, store, clock, bus, executor, log: () => undefined });
  const t = testDeps();
  app = createApp({ ...t.deps, config, clock, bus, twins: storeTwins(store.db, clock, undefined, bus), copilot });
  key = await t.keyFor('viewer');
  close = async () => {
    executor.close();
    await transport.close();
    await store.close();
  };
}, 120_000);
afterAll(async () => close?.());

async function get(path: string, withKey = true) {
  const res = await app.request(path, withKey ? { headers: { authorization: `Bearer ${key}` } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function send(asset: string, values: Record<string, number>, at: Date) {
  const rows = Object.entries(values).map(([property, value]) => ({ twin: 'demo-plant', asset, property, ts: at.toISOString(), value }));
  const r = await ingest.ingestRecords(rows, 'test');
  expect(r.rejected, JSON.stringify(r.errors)).toBe(0);
}

describe('twin explorer data', () => {
  it('lists asset types with inheritance resolved: kinds, units, thresholds and commands, without simulator hints', async () => {
    const { status, body } = await get('/api/v1/twins/demo-plant/types');
    expect(status).toBe(200);
    const byId = new Map((body.types as any[]).map((t) => [t.id, t]));
    const mill = byId.get('cnc_mill');
    expect(mill.chain[0]).toBe('cnc_mill');
    expect(mill.properties.vibration_rms).toMatchObject({ kind: 'telemetry', unit: 'mm/s', warn: 4.5, alarm: 7.1 });
    expect(mill.properties.vibration_rms.sim).toBeUndefined();
    const kinds = new Set((body.types as any[]).flatMap((t) => Object.values(t.properties).map((p: any) => p.kind)));
    expect(kinds.has('telemetry')).toBe(true);
    expect([...kinds].some((k) => k !== 'telemetry')).toBe(true); // setpoints/states exist for the charts to leave out
    expect(byId.get('air_compressor').properties.outlet_pressure_bar.direction).toBe('below');
    expect((await get('/api/v1/twins/nope/types')).status).toBe(404);
    expect((await get('/api/v1/twins/demo-plant/types', false)).status).toBe(401);
  });

  it('gives every asset its properties and a health index that follows ingestion at once, and lists the alarm', async () => {
    const t0 = new Date(NOW.getTime() - 60_000);
    await send('cnc-a1', { vibration_rms: 2.1, bearing_temp: 47 }, t0);
    await send('cnc-a2', { vibration_rms: 2.2, bearing_temp: 48 }, t0);
    const before = await get('/api/v1/twins/demo-plant/assets/cnc-a2');
    expect(before.status).toBe(200);
    expect(before.body.properties.vibration_rms).toMatchObject({ kind: 'telemetry', unit: 'mm/s', alarm: 7.1 });
    expect(before.body.health.grade).toBe('good');
    expect(before.body.health.index).toBeGreaterThan(95);

    // A reading past the alarm level: the cached asset is dropped by the ingestion event, the health falls, an alarm opens.
    await send('cnc-a2', { vibration_rms: 7.6 }, new Date(NOW.getTime() - 30_000));
    const after = await get('/api/v1/twins/demo-plant/assets/cnc-a2');
    expect(after.body.reported.vibration_rms.value).toBe(7.6);
    expect(after.body.health.index).toBeLessThan(40);
    expect(after.body.health.summary).toContain('vibration_rms');

    const list = await get('/api/v1/twins/demo-plant/assets');
    const byId = new Map((list.body.assets as any[]).map((a) => [a.id, a]));
    expect(byId.get('cnc-a2').health.index).toBe(after.body.health.index);
    expect(byId.get('cnc-a1').health.grade).toBe('good');
    expect(Object.keys(byId.get('cnc-a1').properties)).toContain('vibration_rms');

    const open = await get('/api/v1/twins/demo-plant/alarms');
    expect(open.status).toBe(200);
    const alarm = (open.body.alarms as any[]).find((a) => a.asset === 'cnc-a2' && a.property === 'vibration_rms' && a.level === 'alarm');
    expect(alarm).toMatchObject({ value: 7.6, cleared_at: null });
    expect(Date.parse(alarm.raised_at)).toBe(NOW.getTime() - 30_000);
    const all = await get('/api/v1/twins/demo-plant/alarms?state=all&asset=cnc-a2');
    expect((all.body.alarms as any[]).length).toBeGreaterThanOrEqual((open.body.alarms as any[]).filter((a) => a.asset === 'cnc-a2').length);
    expect((all.body.alarms as any[]).every((a) => a.asset === 'cnc-a2')).toBe(true);
  });

  it('answers bad alarm queries with the error shape', async () => {
    const bad = await get('/api/v1/twins/demo-plant/alarms?state=closed');
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await get('/api/v1/twins/nope/alarms')).body.error.code).toBe('not_found');
    expect((await get('/api/v1/twins/demo-plant/alarms', false)).status).toBe(401);
  });

  it('describes the new routes in /openapi.json', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    for (const p of ['/api/v1/twins/{twin}/types', '/api/v1/twins/{twin}/alarms']) expect(doc.paths[p]?.get?.security?.length, p).toBeGreaterThan(0);
  });
});

describe('threads', () => {
  it('reopens a thread with its turns and its last answer, earlier turns keeping their proposed actions', async () => {
    const ask = async (task: string) => {
      const res = await app.request('/api/v1/plans', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ task, thread_id: 'th-reopen' }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { run_id: string; answer: string; actions: { id: string }[] };
    };
    const tasks = ['Create a work order for cnc-a2 bearing inspection', 'And what does that mean for the orders this week?'];
    const first = await ask(tasks[0]);
    const last = await ask(tasks[1]);
    const { status, body } = await get('/api/v1/threads/th-reopen');
    expect(status).toBe(200);
    expect(body.thread_id).toBe('th-reopen');
    expect(body.answer).toMatchObject({ run_id: last.run_id, answer: last.answer });
    expect(body.answer.actions.map((a: any) => a.id)).toEqual(last.actions.map((a) => a.id));
    expect(body.turns.map((t: any) => t.task)).toEqual(tasks);
    expect(body.turns[1].answer.run_id).toBe(last.run_id);
    expect(first.actions.length).toBeGreaterThan(0);
    expect(body.turns[0].answer.actions.map((a: any) => a.id)).toEqual(first.actions.map((a) => a.id));
    expect(body.turns[0].answer.actions[0]).toMatchObject({ status: 'pending_approval' });
    const missing = await get('/api/v1/threads/th-never');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  }, 120_000);
});
