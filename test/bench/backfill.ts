/**
 * `npm run bench -- backfill [--days 7] [--statements]`: the demo plant's simulated history written into the embedded store (PGlite
 * in a temporary directory, as on a fresh machine), through the same validation and batch writer as every door.
 * Baseline in the same run: generating the samples alone. The budget is 60 s for 7 days.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock';
import { createIngestService } from '../../src/ingest/service';
import { dbRunner } from '../../src/ingest/sql';
import { createPlant } from '../../src/sim/plant';
import { startSimulator } from '../../src/sim/run';
import { ingestSink } from '../../src/sim/sinks';
import { createStore } from '../../src/store';
import { loadManifest } from '../../src/twin/loader';
import { demoManifest } from '../helpers/twin-fixture';

export default async function bench(args: string[]): Promise<void> {
  const i = args.indexOf('--days');
  const days = i >= 0 ? Number(args[i + 1]) : 7;
  const statements = args.includes('--statements');
  const manifest = demoManifest();
  const now = systemClock.now();

  const g0 = performance.now();
  const plant = createPlant(manifest, { seed: 42, anchor: now, historyStart: new Date(now.getTime() - days * 86400e3) });
  let generated = 0;
  for (const tick of plant.sample(now.getTime() - days * 86400e3, now.getTime())) generated += tick.length;
  const genSeconds = (performance.now() - g0) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'twin-backfill-'));
  try {
    const o0 = performance.now();
    const store = await createStore({ dataDir: dir });
    await store.migrate();
    await loadManifest(store.db, manifest, systemClock);
    const openSeconds = (performance.now() - o0) / 1000;
    const sql = dbRunner(store.db);
    const ingest = createIngestService({ sql, clock: systemClock });
    await ingest.reload();
    const sim = startSimulator({
      manifest,
      clock: systemClock,
      // --statements: every batch through the multi-row statements (the path before the bulk COPY), for comparison.
      sink: ingestSink({ ingestRecords: (r, s, o) => ingest.ingestRecords(r, s, statements ? undefined : o) }),
      ...(statements ? { chunk: 20_000 } : {}),
      backfill: `${days}d`,
      live: false,
      prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
    });
    const c0 = process.cpuUsage();
    const r = await sim.backfillDone;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    await sim.stop();
    const [{ n, roll }] = await sql.query<{ n: number; roll: number }>('SELECT (SELECT count(*) FROM readings)::int AS n, (SELECT count(*) FROM rollups_1m)::int AS roll');
    await store.close();
    console.log(`\nbackfill bench: demo plant, ${days} days, embedded PGlite (${dir})\n`);
    console.log(`${'step'.padEnd(40)} ${'readings'.padStart(10)} ${'seconds'.padStart(8)} ${'readings/s'.padStart(12)}`);
    console.log(`${'generate samples only (baseline)'.padEnd(40)} ${String(generated).padStart(10)} ${genSeconds.toFixed(2).padStart(8)} ${Math.round(generated / genSeconds).toLocaleString('en').padStart(12)}`);
    console.log(`${'open + migrate + load manifest'.padEnd(40)} ${''.padStart(10)} ${openSeconds.toFixed(2).padStart(8)}`);
    console.log(`${(statements ? 'backfill, statements (--statements)' : 'backfill through ingestion').padEnd(40)} ${String(r.readings).padStart(10)} ${(r.ms / 1000).toFixed(2).padStart(8)} ${Math.round(r.readings / (r.ms / 1000)).toLocaleString('en').padStart(12)}`);
    // CPU seconds of this process during the backfill: on a shared, loaded machine wall time overstates the work.
    console.log(`${'  of which CPU seconds (this process)'.padEnd(40)} ${''.padStart(10)} ${cpuSeconds.toFixed(2).padStart(8)}`);
    console.log(`\nstored: ${n} readings, ${roll} rollup rows; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    console.log(`backfill_vs_generate=${(genSeconds / (r.ms / 1000)).toFixed(3)}  backfill_vs_budget_60s=${(r.ms / 1000 / 60).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
