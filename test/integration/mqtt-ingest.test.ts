/**
 * The MQTT door against the real Mosquitto of this machine: an outside client (mosquitto_pub) publishes telemetry
 * and a bound sensor topic; mqtt.js publishes a burst at QoS 1. Rows land exactly once; bad payloads become dead letters.
 */
import { execFileSync } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { startMqttIngest, type MqttIngest } from '../../src/ingest/mqtt-subscriber';
import { createIngestService } from '../../src/ingest/service';
import type { Manifest } from '../../src/twin/manifest';
import { brokerUp, BROKER_URL, waitFor } from '../helpers/broker';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

const up = await brokerUp();
if (!up) console.warn('skipping MQTT ingest tests: no MQTT broker answers at 127.0.0.1:1883');
const hasPub = (() => {
  try {
    execFileSync('mosquitto_pub', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { status?: number }).status !== undefined;
  }
})();
if (up && !hasPub) console.warn('skipping the mosquitto_pub test: mosquitto_pub is not installed');

const tag = `mq${process.pid}${Date.now() % 100000}`;
const manifest: Manifest = { ...demoManifest(), twin: `test-${tag}`, sensors: [{ topic: `site/${tag}/cnc1/vib`, asset: 'cnc-a1', property: 'vibration_rms', scale: 0.001, offset: 0 }] };
let env: Awaited<ReturnType<typeof openIngestStore>>;
let sub: MqttIngest;

const count = async (asset: string, property: string) =>
  Number(
    (
      await env.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM readings r JOIN assets a ON a.id = r.asset_id WHERE a.twin_id = $1 AND a.key = $2 AND r.property = $3', [
        manifest.twin,
        asset,
        property,
      ])
    )[0].n,
  );

describe.skipIf(!up)('MQTT ingestion through Mosquitto', () => {
  beforeAll(async () => {
    env = await openIngestStore();
    await insertTwin(env.sql, manifest);
    const ingest = createIngestService({ sql: env.sql, clock: systemClock });
    await ingest.reload();
    sub = startMqttIngest({
      url: BROKER_URL,
      group: `g${tag}`,
      clientIdPrefix: `ingest-${tag}`,
      extraTopics: [...ingest.catalog().sensors.keys()],
      connections: 8,
      sessionExpirySeconds: 60,
      commit: (m) => ingest.commitMessages(m),
    });
    await sub.ready;
  });
  afterAll(async () => {
    await sub?.stop();
    await env?.close();
  });

  it.skipIf(!hasPub)('stores a reading published by mosquitto_pub, and a bound sensor topic scaled', async () => {
    const ts = new Date(Date.now() - 60_000).toISOString();
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-q', '1', '-t', `twin/${manifest.twin}/cnc-a2/telemetry`, '-m', JSON.stringify({ ts, values: { vibration_rms: 2.5, power_kw: 19.5 } })]);
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-q', '1', '-t', `site/${tag}/cnc1/vib`, '-m', '2300']);
    execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-q', '1', '-t', `twin/${manifest.twin}/cnc-a2/telemetry`, '-m', 'not json']);
    expect(await waitFor(() => count('cnc-a2', 'power_kw'), (n) => n === 1)).toBe(1);
    expect(await waitFor(() => count('cnc-a1', 'vibration_rms'), (n) => n === 1)).toBe(1);
    const [v] = await env.sql.query<{ value: number }>("SELECT value FROM readings r JOIN assets a ON a.id = r.asset_id WHERE a.twin_id = $1 AND a.key = 'cnc-a1'", [manifest.twin]);
    expect(Number(v.value)).toBeCloseTo(2.3);
    const dead = await waitFor(
      () => env.sql.query<{ reason: string }>("SELECT reason FROM dead_letters WHERE source = $1", [`mqtt:twin/${manifest.twin}/cnc-a2/telemetry`]),
      (r) => r.length > 0,
    );
    expect(dead[0].reason).toMatch(/not JSON/);
  });

  it('stores a QoS 1 burst exactly once', async () => {
    const pub = mqtt.connect(BROKER_URL, { clientId: `pub-${tag}`, protocolVersion: 4, clean: true });
    await new Promise((r) => pub.once('connect', r));
    const n = 2000;
    const t0 = Date.now() - 3 * 3600_000;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        pub.publishAsync(`twin/${manifest.twin}/cnc-a3/telemetry`, JSON.stringify({ ts: t0 + i * 1000, values: { spindle_load: 50 + (i % 10), power_kw: 18 } }), { qos: 1 }),
      ),
    );
    await pub.endAsync();
    expect(await waitFor(() => count('cnc-a3', 'spindle_load'), (c) => c >= n, 60_000)).toBe(n);
    expect(await count('cnc-a3', 'power_kw')).toBe(n);
  });
});
