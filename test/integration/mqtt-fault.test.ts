/**
 * The fault test (PostgreSQL + Mosquitto): 50,000 readings published at QoS 1 while the ingesting process is killed
 * with SIGKILL part way and restarted with the same sessions. Exactly 50,000 rows end up stored: the unacknowledged
 * messages are redelivered, and redelivered ones that were already committed are absorbed by ON CONFLICT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/twin/manifest';
import { brokerUp, BROKER_URL, waitFor } from '../helpers/broker';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

const DATABASE_URL = process.env.DATABASE_URL;
const up = await brokerUp();
if (!DATABASE_URL) console.warn('skipping the MQTT fault test: DATABASE_URL is not set (it needs PostgreSQL)');
else if (!up) console.warn('skipping the MQTT fault test: no MQTT broker answers at 127.0.0.1:1883');

const tag = `ft${process.pid}${Date.now() % 100000}`;
const manifest: Manifest = { ...demoManifest(), twin: `test-${tag}`, sensors: [] };
const script = fileURLToPath(new URL('./fixtures/mqtt-ingester.ts', import.meta.url));
let env: Awaited<ReturnType<typeof openIngestStore>>;
let child: ChildProcess | null = null;

function startChild(): Promise<ChildProcess> {
  // node itself with tsx as a loader: the pid killed is the process that ingests, not a wrapper.
  const p = spawn(process.execPath, ['--import', 'tsx', script, DATABASE_URL!, env.store.schema, `g${tag}`, `fault-${tag}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(p));
    p.once('exit', (code) => reject(new Error(`ingester exited early (${code})`)));
  });
}

describe.skipIf(!DATABASE_URL || !up)('MQTT ingestion survives kill -9', () => {
  beforeAll(async () => {
    env = await openIngestStore(DATABASE_URL);
    await insertTwin(env.sql, manifest);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await env?.close();
  });

  it('stores exactly 50,000 readings across a SIGKILL and restart', async () => {
    const stored = async () => Number((await env.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM readings WHERE twin_id = $1', [manifest.twin]))[0].n);
    child = await startChild();
    const assets = ['cnc-a1', 'cnc-a2', 'cnc-a3'];
    const props = ['vibration_rms', 'bearing_temp', 'spindle_load', 'power_kw', 'parts_made'];
    const messages = 10_000; // × 5 values = 50,000 readings
    const t0 = Date.now() - 2 * 86400_000;
    const pub = mqtt.connect(BROKER_URL, { clientId: `fpub-${tag}`, protocolVersion: 4, clean: true });
    await new Promise((r) => pub.once('connect', r));
    let killedAt = -1;
    for (let i = 0; i < messages; i += 500) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < i + 500; j++) {
        const values = Object.fromEntries(props.map((p, k) => [p, (j % 50) + k]));
        batch.push(pub.publishAsync(`twin/${manifest.twin}/${assets[j % 3]}/telemetry`, JSON.stringify({ ts: t0 + Math.floor(j / 3) * 1000, values }), { qos: 1 }));
      }
      await Promise.all(batch);
      // Mosquitto queues at most max_queued_messages (1000 by default) per session and drops the rest, like any
      // broker with a bounded queue; the publisher stays within what the pool's sessions can hold while the
      // ingester is down, as a device publishing at its own rate would.
      const published = i + 500;
      await waitFor(stored, (c) => published - c / props.length <= 3000, 120_000, 100);
      if (killedAt < 0 && i >= messages * 0.4) {
        // Part way: kill the ingester without any chance to clean up, then bring it back on the same sessions.
        killedAt = await stored();
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));
        child = await startChild();
      }
    }
    await pub.endAsync();
    const n = await waitFor(stored, (c) => c >= 50_000, 180_000, 250);
    await new Promise((r) => setTimeout(r, 1500)); // anything late would be a duplicate; let it show
    console.log(`fault test: ${killedAt} rows stored when killed, ${await stored()} at the end`);
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(50_000);
    expect(n).toBe(50_000);
    expect(await stored()).toBe(50_000);
  }, 300_000);
});
