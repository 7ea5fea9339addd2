/**
 * A store holding a twin and its simulated history, for tests that reason over data (copilot tools, evals): loads a
 * manifest with a frozen clock, then backfills the simulator's history through the real ingestion pipeline.
 */
import { readFileSync } from 'node:fs';
import { fixedClock } from '../../src/clock';
import { createIngestService, loadCatalog } from '../../src/ingest/service';
import { dbRunner } from '../../src/ingest/sql';
import { startSimulator } from '../../src/sim/run';
import { ingestSink } from '../../src/sim/sinks';
import { createStore, type Store } from '../../src/store';
import { loadManifest } from '../../src/twin/loader';
import { parseManifest } from '../../src/twin/manifest';

export interface PlantHistory {
  store: Store;
  twin: string;
  now: Date;
  close(): Promise<void>;
}

/** Load `manifestPath` (YAML) at `now` and backfill `backfill` of history with `seed`; PGlite in memory. */
export async function plantWithHistory(opts: { manifestPath: string | URL; now: string; seed?: number; backfill?: string }): Promise<PlantHistory> {
  const text = readFileSync(opts.manifestPath, 'utf8');
  const parsed = parseManifest(text);
  if (!parsed.ok) throw new Error(`bad manifest: ${JSON.stringify(parsed.problems)}`);
  const now = new Date(opts.now);
  const clock = fixedClock(now);
  const store = await createStore({ memory: true });
  await store.migrate();
  await loadManifest(store.db, text, clock);
  const sql = dbRunner(store.db);
  const ingest = createIngestService({ sql, clock, catalog: await loadCatalog(sql) });
  if (opts.backfill !== '0') {
    const sim = startSimulator({
      manifest: parsed.manifest,
      clock,
      sink: ingestSink({ ingestRecords: (r, s, o) => ingest.ingestRecords(r, s, o) }),
      seed: opts.seed ?? 42,
      backfill: opts.backfill ?? '7d',
      live: false,
      prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
    });
    await sim.backfillDone;
    await sim.stop();
  }
  return { store, twin: parsed.manifest.twin, now, close: () => store.close() };
}
