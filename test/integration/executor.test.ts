/**
 * The action executor on a loaded demo plant with the in-process transport (no broker): the simulator answers
 * commands as the device, work orders are inserted, orders rescheduled, shifts adjusted; each ends executed or
 * failed with an action event and an audit row, never pending.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { createExecutor, type Executor } from '../../src/control/executor';
import { createLocalTransport } from '../../src/control/transport';
import { createEventBus, type TwinEvents } from '../../src/events';
import { createIngestService } from '../../src/ingest/service';
import { dbRunner, type SqlRunner } from '../../src/ingest/sql';
import { startSimulator, type Simulator } from '../../src/sim/run';
import { ingestSink } from '../../src/sim/sinks';
import { loadManifest } from '../../src/twin/loader';
import { demoManifest } from '../helpers/twin-fixture';
import { useTestStore } from '../helpers/store';
import { waitFor } from '../helpers/broker';

const t = useTestStore({ label: 'executor' });
let sql: SqlRunner;
let executor: Executor;
let sim: Simulator;
const changed: TwinEvents['action_changed'][] = [];

async function propose(id: string, type: string, params: Record<string, unknown>) {
  await sql.query("INSERT INTO action_proposals (id, twin_id, type, params, risk, status, proposed_by) VALUES ($1, 'demo-plant', $2, $3::jsonb, 'medium', 'approved', 'maintenance')", [id, type, JSON.stringify(params)]);
  return { id, type: type as 'send_command', params };
}
async function trail(id: string) {
  const [a] = await sql.query<{ status: string; result: Record<string, unknown> }>('SELECT status, result FROM action_proposals WHERE id = $1', [id]);
  const events = await sql.query<{ to_status: string }>('SELECT to_status FROM action_events WHERE action_id = $1', [id]);
  const audit = await sql.query<{ event: string }>('SELECT event FROM audit_log WHERE target = $1', [id]);
  return { status: a.status, result: a.result, events: events.map((e) => e.to_status), audit: audit.map((e) => e.event) };
}

beforeAll(async () => {
  sql = dbRunner(t.db);
  await loadManifest(t.db, demoManifest(), t.clock);
  const bus = createEventBus();
  bus.subscribe('action_changed', (e) => changed.push(e));
  const ingest = createIngestService({ sql, bus, clock: t.clock });
  await ingest.reload();
  const transport = createLocalTransport();
  sim = startSimulator({ manifest: demoManifest(), clock: t.clock, sink: ingestSink({ ingestRecords: ingest.ingestRecords, attach: transport.attachDevice }), backfill: '0', live: false });
  await sim.backfillDone;
  executor = createExecutor({ sql, bus, clock: t.clock, transport, config: { COMMAND_ACK_TIMEOUT_MS: 3000 } });
});
afterAll(async () => {
  executor?.close();
  await sim?.stop();
});

describe('action executor', () => {
  it('send_command in-process: acked by the simulator, desired equals reported', async () => {
    const a = await propose('act_e1', 'send_command', { asset: 'oven-b1', command: 'set_zone_temp', args: { temp_c: 170 } });
    const res = await executor.execute(a);
    expect(res.status).toBe('executed');
    const tr = await trail('act_e1');
    expect(tr.status).toBe('executed');
    expect(tr.events).toEqual(['executed']);
    expect(tr.audit).toEqual(['action.executed']);
    const state = await waitFor(
      async () => (await sql.query<{ desired: Record<string, { value: number }>; reported: Record<string, { value: number }> }>("SELECT desired, reported FROM assets WHERE key = 'oven-b1'"))[0],
      (s) => s.reported.zone_temp_setpoint?.value === 170,
    );
    expect(state.desired.zone_temp_setpoint.value).toBe(170);
    expect(changed.some((c) => c.id === 'act_e1' && c.status === 'executed')).toBe(true);
  });

  it('create_work_order inserts a scheduled work order in the twin', async () => {
    const start = new Date(t.clock.now().getTime() + 20 * 3600e3).toISOString();
    const end = new Date(t.clock.now().getTime() + 24 * 3600e3).toISOString();
    const res = await executor.execute(await propose('act_e2', 'create_work_order', { asset: 'cnc-a2', window: { start, end }, crew: 'crew-c', note: 'Replace spindle bearing' }));
    expect(res.status).toBe('executed');
    const key = String(res.result.work_order);
    const [wo] = await sql.query<{ status: string; start_at: Date; duration_hours: number; crew: string; source: string }>(
      'SELECT status, start_at, duration_hours, crew, source FROM work_orders WHERE key = $1',
      [key],
    );
    expect(wo.status).toBe('scheduled');
    expect(new Date(wo.start_at).toISOString()).toBe(start);
    expect(Number(wo.duration_hours)).toBe(4);
    expect(wo.crew).toBe('crew-c');
    expect(wo.source).toBe('action');
  });

  it('reschedule_order moves a due date; adjust_shift changes a crew', async () => {
    const due = new Date(t.clock.now().getTime() + 3 * 86400e3).toISOString();
    expect((await executor.execute(await propose('act_e3', 'reschedule_order', { order: 'PO-1044', due }))).status).toBe('executed');
    const [po] = await sql.query<{ due_at: Date }>("SELECT due_at FROM production_orders WHERE key = 'PO-1044'");
    expect(new Date(po.due_at).toISOString()).toBe(due);
    expect((await executor.execute(await propose('act_e4', 'adjust_shift', { crew: 'crew-c', size: 6 }))).status).toBe('executed');
    const [crew] = await sql.query<{ size: number }>("SELECT size FROM crews WHERE key = 'crew-c'");
    expect(crew.size).toBe(6);
  });

  it('fails with a reason (never pending) on unknown targets and bad params', async () => {
    for (const [id, type, params] of [
      ['act_e5', 'reschedule_order', { order: 'PO-9999', due: '2030-01-01T00:00:00Z' }],
      ['act_e6', 'adjust_shift', { crew: 'crew-a', shift: '25:00-99:00' }],
      ['act_e7', 'create_work_order', { asset: 'nope' }],
      ['act_e8', 'send_command', { asset: 'cnc-a1', command: 'set_spindle_speed', args: { rpm: 'fast' } }],
    ] as const) {
      const res = await executor.execute(await propose(id, type, params));
      expect(res.status).toBe('failed');
      const tr = await trail(id);
      expect(tr.status).toBe('failed');
      expect(tr.audit).toEqual(['action.failed']);
      expect(String(tr.result.error).length).toBeGreaterThan(0);
    }
  });
});
