/**
 * Two-way sync through the real Mosquitto: an approved send_command goes out on twin/<twin>/<asset>/commands, the
 * simulator (as the device) applies it, reports the new setpoint as telemetry and acks; the action ends `executed`
 * with audit rows, and reported state converges on desired. A command nobody answers fails on the ack timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { createEventBus } from '../../src/events';
import { createExecutor, type Executor } from '../../src/control/executor';
import { createMqttTransport } from '../../src/control/transport';
import { startMqttIngest, type MqttIngest } from '../../src/ingest/mqtt-subscriber';
import { createIngestService } from '../../src/ingest/service';
import { startSimulator, type Simulator } from '../../src/sim/run';
import { mqttSink, type TelemetrySink } from '../../src/sim/sinks';
import type { Manifest } from '../../src/twin/manifest';
import { brokerUp, BROKER_URL, waitFor } from '../helpers/broker';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

const up = await brokerUp();
if (!up) console.warn('skipping the command round trip: no MQTT broker answers at 127.0.0.1:1883');

const tag = `rt${process.pid}${Date.now() % 100000}`;
const manifest: Manifest = { ...demoManifest(), twin: `test-${tag}`, sensors: [] };
let env: Awaited<ReturnType<typeof openIngestStore>>;
let sub: MqttIngest;
let sim: Simulator;
let sink: TelemetrySink;
let executor: Executor;
let transport: ReturnType<typeof createMqttTransport>;

async function propose(id: string, params: Record<string, unknown>) {
  await env.sql.query(
    "INSERT INTO action_proposals (id, twin_id, type, params, risk, status, proposed_by, rationale) VALUES ($1, $2, 'send_command', $3::jsonb, 'medium', 'approved', 'maintenance', 'test')",
    [id, manifest.twin, JSON.stringify(params)],
  );
}

describe.skipIf(!up)('command round trip through Mosquitto', () => {
  beforeAll(async () => {
    env = await openIngestStore();
    await insertTwin(env.sql, manifest);
    const bus = createEventBus();
    const ingest = createIngestService({ sql: env.sql, bus, clock: systemClock });
    await ingest.reload();
    sub = startMqttIngest({ url: BROKER_URL, group: `g${tag}`, clientIdPrefix: `ingest-${tag}`, connections: 4, sessionExpirySeconds: 60, commit: (m) => ingest.commitMessages(m) });
    await sub.ready;
    sink = mqttSink({ url: BROKER_URL, clientId: `sim-${tag}` });
    sim = startSimulator({ manifest, clock: systemClock, sink, backfill: '0', live: false });
    await sim.backfillDone;
    transport = createMqttTransport({ url: BROKER_URL, clientId: `ctl-${tag}` });
    await transport.ready;
    executor = createExecutor({ sql: env.sql, bus, clock: systemClock, transport, config: { COMMAND_ACK_TIMEOUT_MS: 5000 } });
  });
  afterAll(async () => {
    executor?.close();
    await transport?.close();
    await sim?.stop();
    await sink?.close();
    await sub?.stop();
    await env?.close();
  });

  it('an approved send_command reaches the simulator, is acked, and reported converges on desired', async () => {
    await propose('act_rt1', { asset: 'cnc-a1', command: 'set_spindle_speed', args: { rpm: 9000 } });
    const res = await executor.execute({ id: 'act_rt1', type: 'send_command', params: { asset: 'cnc-a1', command: 'set_spindle_speed', args: { rpm: 9000 } } });
    expect(res.status).toBe('executed');
    const [action] = await env.sql.query<{ status: string }>("SELECT status FROM action_proposals WHERE id = 'act_rt1'");
    expect(action.status).toBe('executed');
    const state = await waitFor(
      async () => (await env.sql.query<{ desired: Record<string, { value: number }>; reported: Record<string, { value: number }> }>("SELECT desired, reported FROM assets WHERE twin_id = $1 AND key = 'cnc-a1'", [manifest.twin]))[0],
      (s) => s.reported.spindle_speed?.value === 9000,
    );
    expect(state.desired.spindle_speed.value).toBe(9000);
    expect(state.reported.spindle_speed.value).toBe(state.desired.spindle_speed.value);
    const audit = await env.sql.query<{ event: string }>("SELECT event FROM audit_log WHERE target = 'act_rt1' OR details->>'action_id' = 'act_rt1' ORDER BY id");
    expect(audit.map((a) => a.event)).toEqual(['command.sent', 'command.acked', 'action.executed']);
    const [cmd] = await env.sql.query<{ status: string }>("SELECT status FROM commands WHERE action_id = 'act_rt1'");
    expect(cmd.status).toBe('done');
  });

  it('a stop command changes the reported status', async () => {
    await propose('act_rt2', { asset: 'cnc-a3', command: 'stop' });
    const res = await executor.execute({ id: 'act_rt2', type: 'send_command', params: { asset: 'cnc-a3', command: 'stop', args: {} } });
    expect(res.status).toBe('executed');
    const state = await waitFor(
      async () => (await env.sql.query<{ reported: Record<string, { value: string }> }>("SELECT reported FROM assets WHERE twin_id = $1 AND key = 'cnc-a3'", [manifest.twin]))[0],
      (s) => s.reported.status?.value === 'idle',
    );
    expect(state.reported.status.value).toBe('idle');
  });

  it('a command nobody answers fails with a reason instead of staying pending', async () => {
    const quiet = createExecutor({ sql: env.sql, clock: systemClock, transport, config: { COMMAND_ACK_TIMEOUT_MS: 300 } });
    // An asset of another twin with no device attached: nothing acks.
    const other: Manifest = { ...demoManifest(), twin: `quiet-${tag}`, sensors: [] };
    await insertTwin(env.sql, other);
    await env.sql.query(
      "INSERT INTO action_proposals (id, twin_id, type, params, risk, status, proposed_by) VALUES ('act_rt3', $1, 'send_command', '{}'::jsonb, 'medium', 'approved', 'maintenance')",
      [other.twin],
    );
    const res = await quiet.execute({ id: 'act_rt3', type: 'send_command', params: { asset: 'cnc-a1', command: 'start', args: {} } });
    quiet.close();
    expect(res.status).toBe('failed');
    expect(String(res.result.error)).toMatch(/no ack/);
    const [action] = await env.sql.query<{ status: string }>("SELECT status FROM action_proposals WHERE id = 'act_rt3'");
    expect(action.status).toBe('failed');
  });

  it('rejects a command the manifest does not define, and arguments out of range', async () => {
    await propose('act_rt4', {});
    const res = await executor.execute({ id: 'act_rt4', type: 'send_command', params: { asset: 'cnc-a1', command: 'self_destruct', args: {} } });
    expect(res.status).toBe('failed');
    await propose('act_rt5', {});
    const res2 = await executor.execute({ id: 'act_rt5', type: 'send_command', params: { asset: 'cnc-a1', command: 'set_spindle_speed', args: { rpm: 99999 } } });
    expect(res2.status).toBe('failed');
    expect(JSON.stringify(res2.result)).toMatch(/outside/);
  });
});
