/**
 * `npm run bench -- http [--seconds N] [--rounds N] [--connections N]`: requests/s and p99 latency through a real socket
 * (autocannon) for `GET /api/v1/twins/:twin/assets/:id` and `POST /api/v1/plans` on the offline model, against a bare
 * Hono handler served the same way in the same run. Goal: reads ≥ 0.5× bare Hono. Prints a table; asserts nothing.
 */
import { Hono } from 'hono';
// autocannon ships no types; the part used here is small.
import autocannonModule from 'autocannon';
import { fixedClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { createExecutor } from '../../src/control/executor';
import { createLocalTransport } from '../../src/control/transport';
import { createEventBus } from '../../src/events';
import { createApp } from '../../src/http/app';
import { storeAudit } from '../../src/http/adapters/audit';
import { storeKeyRepo } from '../../src/http/adapters/keys';
import { storeActions, storeThreads } from '../../src/http/adapters/records';
import { storeTwins } from '../../src/http/adapters/twins';
import { createKeyStore } from '../../src/http/keys';
import { createMetrics } from '../../src/http/metrics';
import { createIngestService } from '../../src/ingest/service';
import { dbRunner } from '../../src/ingest/sql';
import { createStore } from '../../src/store';
import { buildCopilot } from '../../src/boot/copilot';
import { ensureDemoTwin } from '../../src/boot/demo';
import { startSimulator } from '../../src/sim/run';
import { ingestSink } from '../../src/sim/sinks';
import type { Manifest } from '../../src/twin/manifest';
import { rows } from '../../src/store';
import { sql } from 'drizzle-orm';
import { listen } from '../helpers/listen';

interface AcResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = autocannonModule as unknown as (opts: Record<string, unknown>) => Promise<AcResult>;

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

export default async function bench(args: string[]): Promise<void> {
  const seconds = arg(args, 'seconds', 3);
  const rounds = arg(args, 'rounds', 3);
  const connections = arg(args, 'connections', 10);
  const now = new Date();
  const clock = fixedClock(now);
  const config = parseConfig({ RATE_LIMIT_PER_MINUTE: String(10_000_000), LOG_LEVEL: 'silent' });

  console.log('setting up: embedded store, demo plant, 1 day of simulated history, offline copilot…');
  const store = await createStore({ memory: true });
  await store.migrate();
  await ensureDemoTwin(store, clock);
  const bus = createEventBus();
  const runner = dbRunner(store.db);
  const ingest = createIngestService({ sql: runner, bus, clock });
  await ingest.reload();
  const [twin] = await rows<{ id: string; manifest: Manifest }>(store.db, sql`select id, manifest from twins limit 1`);
  const sim = startSimulator({
    manifest: twin.manifest,
    clock,
    live: false,
    backfill: '1d',
    sink: ingestSink({ ingestRecords: (r, s) => ingest.ingestRecords(r, s) }),
    prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
  });
  await sim.backfillDone;
  await sim.stop();
  const transport = createLocalTransport();
  const executor = createExecutor({ sql: runner, bus, clock, transport, config });
  const keys = createKeyStore(storeKeyRepo(store.db));
  const copilot = await buildCopilot({ config, store, clock, bus, executor, log: () => {} });
  const app = createApp({
    config,
    clock,
    bus,
    keys,
    metrics: createMetrics(),
    audit: storeAudit(store.db),
    actions: storeActions(store.db),
    twins: storeTwins(store.db, clock, undefined, bus),
    threads: storeThreads(store.db),
    copilot,
    readiness: [],
  });
  const key = (await keys.create('viewer', 'bench')).key;
  const asset = (await rows<{ key: string }>(store.db, sql`select key from assets where twin_id = ${twin.id} and type <> 'site' order by key limit 1`))[0].key;

  const bare = new Hono();
  bare.get('/bare', (c) => c.json({ id: 'x', ok: true }));

  const apiServer = await listen(app.fetch);
  const bareServer = await listen(bare.fetch);
  const auth = { authorization: `Bearer ${key}` };
  const run = (url: string, extra: Record<string, unknown> = {}) => autocannon({ url, connections, duration: seconds, ...extra });

  // Reads run in rounds, each route right after bare Hono, so a burst of load from elsewhere on the machine hits
  // both sides of a ratio alike; the table shows medians over the rounds.
  const reads = [
    { name: 'bare Hono GET /bare', url: `${bareServer.url}/bare`, extra: {} },
    { name: 'app GET /healthz (middleware only)', url: `${apiServer.url}/healthz`, extra: {} },
    { name: 'app GET /api/v1/me (auth + rate limit)', url: `${apiServer.url}/api/v1/me`, extra: { headers: auth } },
    { name: `GET /api/v1/twins/${twin.id}/assets/${asset}`, url: `${apiServer.url}/api/v1/twins/${twin.id}/assets/${asset}`, extra: { headers: auth } },
  ];
  const samples = reads.map(() => [] as AcResult[]);
  const ratios = reads.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let i = 1; i < reads.length; i++) {
      const bareRun = await run(reads[0].url);
      const r = await run(reads[i].url, reads[i].extra);
      samples[0].push(bareRun);
      samples[i].push(r);
      ratios[i].push(r.requests.average / bareRun.requests.average);
    }
  }
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const plans = await run(`${apiServer.url}/api/v1/plans`, {
    method: 'POST',
    connections: Math.min(connections, 4),
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ task: `How healthy is ${asset} and what should we do about it this week?` }),
  });
  const bareMedian = median(samples[0].map((r) => r.requests.average));
  const row = (name: string, rs: AcResult[], ratio: number) => ({
    route: name,
    'req/s': Math.round(median(rs.map((r) => r.requests.average))),
    'p50 ms': median(rs.map((r) => r.latency.p50)),
    'p99 ms': median(rs.map((r) => r.latency.p99)),
    'non-2xx': rs.reduce((a, r) => a + r.non2xx, 0),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    'vs bare': ratio.toFixed(2),
  });
  const table = [
    row(reads[0].name, samples[0], 1),
    ...reads.slice(1).map((r, i) => row(r.name, samples[i + 1], median(ratios[i + 1]))),
    row('POST /api/v1/plans (offline model)', [plans], plans.requests.average / bareMedian),
  ];
  console.log(`\nHTTP bench: ${connections} connections, ${seconds} s per run, ${rounds} rounds (medians; each ratio against the bare run just before it), ${store.kind} store\n`);
  console.table(table);
  console.log(`reads_vs_bare=${median(ratios[3]).toFixed(2)} (goal ≥ 0.5; rounds: ${ratios[3].map((x) => x.toFixed(2)).join(' ')})`);

  await apiServer.close();
  await bareServer.close();
  executor.close();
  await transport.close();
  await store.close();
}
