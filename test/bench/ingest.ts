/**
 * `npm run bench -- ingest [--n 1000000]`: ingestion throughput on the local PostgreSQL (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), in one run:
 *   - HTTP: NDJSON bodies POSTed to /api/v1/telemetry on a real socket (validation, unnest insert, rollups, state);
 *   - MQTT: one `{ts, values}` message per asset and instant, QoS 1 through Mosquitto, acknowledged after commit;
 *   - COPY: the identical rows loaded by psql `\copy` into a table with the same columns and unique key, the
 *     machine's limit for getting rows into PostgreSQL.
 * Prints a table, the peak RSS, and ends with `ingest_vs_copy=<HTTP rate / COPY rate>`. Nothing asserts on time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { systemClock } from '../../src/clock';
import { telemetryRoutes } from '../../src/http/routes/telemetry';
import { startMqttIngest } from '../../src/ingest/mqtt-subscriber';
import { createIngestService } from '../../src/ingest/service';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';
import { cpuSince, cpuSnapshot, secondsOfStat, ticksDelta, ticksOf, type CpuSnapshot } from './_proc-cpu';

const ASSETS = ['cnc-a1', 'cnc-a2', 'cnc-a3'];
const PROPS = ['vibration_rms', 'bearing_temp', 'spindle_load', 'power_kw', 'parts_made'];

// A full collection between preparing a path's input and timing it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

export default async function bench(args: string[]): Promise<void> {
  const n = arg(args, '--n', 1_000_000);
  // `--only http,mqtt,copy` runs a subset (profiling); the ratio is printed only when HTTP and COPY both ran.
  const onlyAt = args.indexOf('--only');
  const only = new Set(onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['http', 'mqtt', 'copy']);
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // Named connections, so the server CPU of this bench's own backends can be told from other users of the server.
  const APP = `twinpilot-bench-${process.pid}`;
  const withApp = (u: string, app: string) => `${u}${u.includes('?') ? '&' : '?'}application_name=${app}`;
  const env = await openIngestStore(withApp(url, APP));
  const backends = async () => ticksOf((await env.sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP])).map((r) => Number(r.pid)));
  const dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
  const results: { key: string; path: string; readings: number; seconds: number; cpu: CpuSnapshot; backends: number; load: number; rss: number }[] = [];
  const peakRss = () => Math.round(process.resourceUsage().maxRSS / 1024);
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

    const per = ASSETS.length * PROPS.length;
    // Row r: instant r / 15, asset (r / 5) % 3, property r % 5.
    const row = (r: number, t0: number) => ({ i: Math.floor(r / per), a: ASSETS[Math.floor(r / PROPS.length) % ASSETS.length], p: r % PROPS.length, ts: t0 + Math.floor(r / per) * 1000 });
    const t0h = spanStart(0);
    const BODY = 50_000;
    // `prepare` builds the inputs before the clock starts (then a full GC, so its garbage is not collected on the
    // clock); `run` returns the readings stored and, when its backend is not one of the pool's, that backend's CPU.
    const measure = async <P>(key: string, path: string, prepare: () => Promise<P>, run: (p: P) => Promise<number | [number, number]>) => {
      const input = await prepare();
      gc();
      const c0 = cpuSnapshot();
      const b0 = await backends();
      const t = performance.now();
      const got = await run(input);
      const seconds = (performance.now() - t) / 1000;
      const cpu = cpuSince(c0);
      const [readings, own] = Array.isArray(got) ? got : [got, ticksDelta(b0, await backends())];
      results.push({ key, path, readings, seconds, cpu, backends: own, load: loadavg()[0], rss: peakRss() });
    };

    // HTTP: NDJSON bodies of 50,000 rows, 3 requests in flight, over a real socket.
    if (only.has('http')) {
      const app = new Hono();
      app.route('/', telemetryRoutes({ ingest, config: { INGEST_MAX_BODY_BYTES: 64 * 1024 * 1024 }, batchSize: 25_000 }));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      const body = (k: number) => {
        const lines: string[] = [];
        for (let r = k * BODY; r < Math.min(n, (k + 1) * BODY); r++) {
          const x = row(r, t0h);
          lines.push(`{"asset":"${x.a}","property":"${PROPS[x.p]}","ts":"${new Date(x.ts).toISOString()}","value":${value(x.i, x.p)}}`);
        }
        return lines.join('\n');
      };
      await measure(
        'http',
        'HTTP POST /api/v1/telemetry (NDJSON)',
        // Built as UTF-8 bytes (a tenth of the memory of the strings): the server's work is what is measured.
        async () => Array.from({ length: Math.ceil(n / BODY) }, (_, k) => Buffer.from(body(k))),
        async (payloads) => {
          let accepted = 0;
          let next = 0;
          await Promise.all(
            [0, 1, 2].map(async () => {
              while (next < payloads.length) {
                const k = next++;
                const res = await fetch(`http://127.0.0.1:${port}/api/v1/telemetry`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: payloads[k] });
                const out = (await res.json()) as { accepted: number; rejected: number };
                if (!res.ok || out.rejected) throw new Error(`HTTP ingest failed: ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
                accepted += out.accepted;
                payloads[k] = Buffer.alloc(0);
              }
            }),
          );
          return accepted;
        },
      );
      server.close();
    }

    // MQTT through Mosquitto: the service's subscriber pool (its default size and window) in this process; the
    // devices are mosquitto_pub processes, one per asset topic, publishing lines of `{ts, values}` at QoS 1. They are
    // fed in slices and kept within the broker's per-session queues (max_queued_messages) by pacing on committed
    // messages, as a fleet of devices publishing at their own rate would.
    let mqttBatches = 0;
    if (only.has('mqtt')) {
      const tag = `bench${process.pid}`;
      const t0m = spanStart(1);
      const messages = Math.ceil(n / PROPS.length);
      const SLICE = 500; // messages per asset per write to a publisher
      await measure(
        'mqtt',
        'MQTT QoS 1 via Mosquitto (1 sample/msg)',
        async () => {
          // Per asset, its messages as lines, SLICE lines to a buffer.
          const perAsset = ASSETS.map(() => [] as Buffer[]);
          let lines: string[][] = ASSETS.map(() => []);
          for (let m = 0; m < messages; m++) {
            const i = Math.floor(m / ASSETS.length);
            const a = m % ASSETS.length;
            const values: Record<string, number> = {};
            PROPS.forEach((p, k) => (values[p] = value(i, k)));
            lines[a].push(JSON.stringify({ ts: t0m + i * 1000, values }));
            if (lines[a].length === SLICE || m >= messages - ASSETS.length) perAsset[a].push(Buffer.from(`${lines[a].join('\n')}\n`)), (lines[a] = []);
          }
          lines = [];
          const sub = startMqttIngest({ url: 'mqtt://127.0.0.1:1883', group: tag, clientIdPrefix: tag, sessionExpirySeconds: 60, commit: (m) => ((mqttBatches += 1), ingest.commitMessages(m)) });
          await sub.ready;
          const pubs = ASSETS.map((a, k) =>
            spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', '1883', '-q', '1', '-M', '1000', '-l', '-i', `${tag}-pub-${k}`, '-t', `twin/${manifest.twin}/${a}/telemetry`], { stdio: ['pipe', 'ignore', 'inherit'] }),
          );
          await new Promise((r) => setTimeout(r, 300)); // connected before the clock starts
          return { sub, pubs, perAsset };
        },
        async ({ sub, pubs, perAsset }) => {
          const exited = pubs.map((p) => new Promise<number | null>((r) => p.once('exit', r)));
          let sent = 0;
          for (let s = 0; s < perAsset[0].length; s++) {
            for (let a = 0; a < ASSETS.length; a++) {
              const buf = perAsset[a][s];
              if (!buf) continue;
              if (!pubs[a].stdin!.write(buf)) await new Promise((r) => pubs[a].stdin!.once('drain', r));
              sent += buf.length > 0 ? SLICE : 0;
            }
            while (sent - sub.committed() > 12_000) await new Promise((r) => setTimeout(r, 2));
          }
          for (const p of pubs) p.stdin!.end();
          const codes = await Promise.all(exited);
          if (codes.some((c) => c !== 0)) throw new Error(`mosquitto_pub exited with ${codes.join(', ')}`);
          // A broker that dropped messages (its queues full) would leave this waiting: fail instead after 60 s idle.
          for (let last = -1, since = Date.now(); sub.committed() < messages; await new Promise((r) => setTimeout(r, 5))) {
            if (sub.committed() !== last) (last = sub.committed()), (since = Date.now());
            else if (Date.now() - since > 60_000) throw new Error(`MQTT: ${last} of ${messages} messages committed, none for 60 s (did the broker drop some?)`);
          }
          await sub.stop();
          const [{ m }] = await env.sql.query<{ m: number }>('SELECT count(*)::int AS m FROM readings WHERE ts < $1::timestamptz AND ts >= $2::timestamptz', [new Date(spanStart(0)).toISOString(), new Date(t0m).toISOString()]);
          return Number(m);
        },
      );
    }

    // COPY of the identical rows into an identical table (same columns and unique key), through psql.
    if (only.has('copy')) {
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
    await measure('copy', 'COPY via psql (identical rows and key)', async () => undefined, async () => {
      // The backend reports its own CPU seconds after the COPY (pg_read_file of its /proc stat; superuser).
      const psql = spawnSync(
        'psql',
        [withApp(url, `${APP}-copy`), '-At', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy "${schema}".copy_target FROM '${csv}' WITH (FORMAT csv)`, '-c', "SELECT pg_read_file('/proc/' || pg_backend_pid() || '/stat')"],
        { encoding: 'utf8' },
      );
      if (psql.status !== 0) throw new Error(`psql COPY failed: ${psql.stderr}`);
      const stat = psql.stdout.split('\n').find((l) => l.includes(')'));
      return [n, stat ? secondsOfStat(stat) : NaN];
    });
    }

    const rate = (r: { readings: number; seconds: number }) => r.readings / r.seconds;
    const copy = results.find((r) => r.key === 'copy');
    const http = results.find((r) => r.key === 'http');
    const f1 = (x: number) => x.toFixed(1);
    console.log(`\ningest bench: ${n.toLocaleString('en')} readings per path, PostgreSQL ${env.store.schema}, ${cpus().length} CPUs\n`);
    console.log(
      `${'path'.padEnd(42)} ${'readings'.padStart(9)} ${'seconds'.padStart(8)} ${'readings/s'.padStart(11)} ${'vs COPY'.padStart(8)}` +
        ` ${'cpu: bench'.padStart(10)} ${'backends'.padStart(8)} ${'all pg'.padStart(7)} ${'mosq'.padStart(5)} ${'client'.padStart(6)} ${'load1'.padStart(6)} ${'RSS MB'.padStart(7)}`,
    );
    for (const r of results) {
      console.log(
        `${r.path.padEnd(42)} ${String(r.readings).padStart(9)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(rate(r)).toLocaleString('en').padStart(11)} ${(copy ? (rate(r) / rate(copy)).toFixed(2) : '-').padStart(8)}` +
          ` ${f1(r.cpu.self).padStart(10)} ${f1(r.backends).padStart(8)} ${f1(r.cpu.postgres).padStart(7)} ${f1(r.cpu.mosquitto).padStart(5)} ${f1(r.cpu.children).padStart(6)} ${r.load.toFixed(1).padStart(6)} ${String(r.rss).padStart(7)}`,
      );
    }
    console.log(`\ncpu: CPU seconds during the path: this process (server and client); the PostgreSQL backends of this path (the pool's, or psql's);`);
    console.log(`     every postgres process (other users of the server add to it); Mosquitto; client processes (psql, mosquitto_pub)`);
    console.log(`load1: the 1-minute load average at the end of the path; RSS MB: this process's peak so far`);
    console.log(`peak RSS ${peakRss()} MB (bench process: HTTP server and client, MQTT pool and publisher)`);
    console.log(`goals: HTTP >= 100,000/s and >= 0.5x COPY; MQTT >= 30,000/s; RSS < 500 MB`);
    if (mqttBatches) console.log(`MQTT: ${mqttBatches} transactions, ${Math.round(n / PROPS.length / mqttBatches)} messages each on average`);
    if (http && copy) console.log(`ingest_vs_copy=${(rate(http) / rate(copy)).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await env.close();
  }
}
