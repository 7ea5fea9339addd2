/**
 * `npm run bench -- ingest [--n 1000000]`: ingestion throughput on the local PostgreSQL (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), in one run:
 *   - HTTP: NDJSON bodies POSTed to /api/v1/telemetry on a real socket (validation, unnest insert, rollups, state);
 *   - MQTT: one `{ts, values}` message per asset and instant, QoS 1 through Mosquitto, acknowledged after commit;
 *   - COPY: the identical rows loaded by psql `\copy` into a table with the same columns and unique key, the
 *     machine's limit for getting rows into PostgreSQL.
 * Prints a table, the peak RSS, and ends with `ingest_vs_copy=<HTTP rate / COPY rate>`. Nothing asserts on time.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import mqtt from 'mqtt';
import { systemClock } from '../../src/clock';
import { telemetryRoutes } from '../../src/http/routes/telemetry';
import { startMqttIngest } from '../../src/ingest/mqtt-subscriber';
import { createIngestService } from '../../src/ingest/service';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

const ASSETS = ['cnc-a1', 'cnc-a2', 'cnc-a3'];
const PROPS = ['vibration_rms', 'bearing_temp', 'spindle_load', 'power_kw', 'parts_made'];

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

export default async function bench(args: string[]): Promise<void> {
  const n = arg(args, '--n', 1_000_000);
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const env = await openIngestStore(url);
  const dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
  const results: { path: string; readings: number; seconds: number }[] = [];
  try {
    const manifest = demoManifest();
    const ids = await insertTwin(env.sql, manifest);
    const ingest = createIngestService({ sql: env.sql, clock: systemClock });
    await ingest.reload();
    const now = Date.now();
    // Series of one reading per second per (asset, property); each path gets its own span, so nothing is a duplicate.
    const instants = Math.ceil(n / (ASSETS.length * PROPS.length)) + 1;
    const spanStart = (k: number) => now - (k + 1) * (instants * 1000 + 3_600_000);
    await env.store.ensurePartitions(new Date(spanStart(2)), new Date(now));
    const value = (i: number, p: number) => Math.round((20 + 5 * Math.sin(i / 300 + p)) * 1000) / 1000;

    // HTTP: NDJSON bodies of 50,000 rows, 3 requests in flight, over a real socket.
    const app = new Hono();
    app.route('/', telemetryRoutes({ ingest, config: { INGEST_MAX_BODY_BYTES: 64 * 1024 * 1024 }, batchSize: 25_000 }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    // Row r: instant r / 15, asset (r / 5) % 3, property r % 5. Bodies are built when sent, so memory holds a few.
    const per = ASSETS.length * PROPS.length;
    const row = (r: number, t0: number) => ({ i: Math.floor(r / per), a: ASSETS[Math.floor(r / PROPS.length) % ASSETS.length], p: r % PROPS.length, ts: t0 + Math.floor(r / per) * 1000 });
    const t0h = spanStart(0);
    const BODY = 50_000;
    const body = (k: number) => {
      const lines: string[] = [];
      for (let r = k * BODY; r < Math.min(n, (k + 1) * BODY); r++) {
        const x = row(r, t0h);
        lines.push(`{"asset":"${x.a}","property":"${PROPS[x.p]}","ts":"${new Date(x.ts).toISOString()}","value":${value(x.i, x.p)}}`);
      }
      return lines.join('\n');
    };
    const bodyCount = Math.ceil(n / BODY);
    // Built before the clock starts, as UTF-8 bytes (a tenth of the memory of the strings): the server's work is
    // what is measured, not the client's string building in the same process.
    const payloads = Array.from({ length: bodyCount }, (_, k) => Buffer.from(body(k)));
    let httpAccepted = 0;
    const th = performance.now();
    let next = 0;
    await Promise.all(
      [0, 1, 2].map(async () => {
        while (next < bodyCount) {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: payloads[next++] });
          const out = (await res.json()) as { accepted: number; rejected: number };
          if (!res.ok || out.rejected) throw new Error(`HTTP ingest failed: ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
          httpAccepted += out.accepted;
        }
      }),
    );
    results.push({ path: 'HTTP POST /api/v1/telemetry (NDJSON)', readings: httpAccepted, seconds: (performance.now() - th) / 1000 });
    payloads.length = 0;
    server.close();

    // MQTT through Mosquitto: publisher and subscriber pool in this process; the publisher keeps within the
    // broker's per-session queue (max_queued_messages) by pacing on committed messages, as a fleet of devices would.
    const tag = `bench${process.pid}`;
    const sub = startMqttIngest({ url: 'mqtt://127.0.0.1:1883', group: tag, clientIdPrefix: tag, connections: 32, sessionExpirySeconds: 60, commit: (m) => ingest.commitMessages(m) });
    await sub.ready;
    const pub = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: `${tag}-pub`, protocolVersion: 4, clean: true });
    await new Promise((r) => pub.once('connect', r));
    const t0m = spanStart(1);
    const messages = Math.ceil(n / PROPS.length);
    // Payloads prepared before the clock starts, as for HTTP.
    const msgs: { topic: string; payload: Buffer }[] = [];
    for (let i = 0; msgs.length < messages; i++) {
      for (const a of ASSETS) {
        if (msgs.length >= messages) break;
        const values: Record<string, number> = {};
        PROPS.forEach((p, k) => (values[p] = value(i, k)));
        msgs.push({ topic: `twin/${manifest.twin}/${a}/telemetry`, payload: Buffer.from(JSON.stringify({ ts: t0m + i * 1000, values })) });
      }
    }
    const tm = performance.now();
    let sent = 0;
    for (const m of msgs) {
      pub.publish(m.topic, m.payload, { qos: 1 });
      sent++;
      if (sent % 2000 === 0) {
        while (sent - sub.committed() > 12_000) await new Promise((r) => setTimeout(r, 2));
      }
    }
    while (sub.committed() < messages) await new Promise((r) => setTimeout(r, 5));
    const mqttSeconds = (performance.now() - tm) / 1000;
    msgs.length = 0;
    await pub.endAsync();
    await sub.stop();
    const [{ m }] = await env.sql.query<{ m: number }>('SELECT count(*)::int AS m FROM readings WHERE ts < $1::timestamptz AND ts >= $2::timestamptz', [new Date(spanStart(0)).toISOString(), new Date(t0m).toISOString()]);
    results.push({ path: 'MQTT QoS 1 via Mosquitto (1 sample/msg)', readings: Number(m), seconds: mqttSeconds });

    // COPY of the identical rows into an identical table (same columns and unique key), through psql.
    const csv = join(dir, 'rows.csv');
    const file = createWriteStream(csv);
    for (let k = 0; k * BODY < n; k++) {
      const lines: string[] = [];
      for (let r = k * BODY; r < Math.min(n, (k + 1) * BODY); r++) {
        const x = row(r, t0h);
        lines.push(`${manifest.twin},${ids.get(x.a)},${PROPS[x.p]},${new Date(x.ts).toISOString()},${value(x.i, x.p)}\n`);
      }
      if (!file.write(lines.join(''))) await new Promise<void>((r) => file.once('drain', () => r()));
    }
    await new Promise<void>((r) => file.end(() => r()));
    const schema = env.store.schema;
    await env.sql.query(`CREATE TABLE "${schema}".copy_target (twin_id text NOT NULL, asset_id integer NOT NULL, property text NOT NULL, ts timestamptz NOT NULL, value double precision NOT NULL, CONSTRAINT copy_target_key UNIQUE (twin_id, asset_id, property, ts))`);
    const tc = performance.now();
    const psql = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy "${schema}".copy_target FROM '${csv}' WITH (FORMAT csv)`], { encoding: 'utf8' });
    const copySeconds = (performance.now() - tc) / 1000;
    if (psql.status !== 0) throw new Error(`psql COPY failed: ${psql.stderr}`);
    results.push({ path: 'COPY via psql (identical rows and key)', readings: n, seconds: copySeconds });

    const rate = (r: { readings: number; seconds: number }) => r.readings / r.seconds;
    const copyRate = rate(results[2]);
    console.log(`\ningest bench: ${n.toLocaleString('en')} readings per path, PostgreSQL ${env.store.schema}\n`);
    console.log(`${'path'.padEnd(42)} ${'readings'.padStart(10)} ${'seconds'.padStart(8)} ${'readings/s'.padStart(12)} ${'vs COPY'.padStart(8)}`);
    for (const r of results) console.log(`${r.path.padEnd(42)} ${String(r.readings).padStart(10)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(rate(r)).toLocaleString('en').padStart(12)} ${(rate(r) / copyRate).toFixed(2).padStart(8)}`);
    console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (bench process: HTTP server and client, MQTT pool and publisher)`);
    console.log(`goals: HTTP >= 100,000/s and >= 0.5x COPY; MQTT >= 30,000/s; RSS < 500 MB`);
    console.log(`ingest_vs_copy=${(rate(results[0]) / copyRate).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await env.close();
  }
}
