/**
 * The simulated history a CLI command writes into a store it has just given the demo plant: the simulator's backfill
 * window only, no live readings, written through ingestion so it is validated like any other telemetry. Run once,
 * right after the twin is loaded; the service's own simulation (./simulation.ts) resumes after it.
 */
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { IngestService } from '../ingest/service';
import { startSimulator } from '../sim/run';
import { ingestSink } from '../sim/sinks';
import type { Store } from '../store';
import type { Manifest } from '../twin/manifest';

export async function backfillHistory(deps: {
  config: Config;
  store: Store;
  clock: Clock;
  ingest: Pick<IngestService, 'ingestRecords'>;
  manifests: Manifest[];
}): Promise<void> {
  const { config, store, ingest } = deps;
  for (const manifest of deps.manifests) {
    const sim = startSimulator({
      manifest,
      clock: deps.clock,
      sink: ingestSink({ ingestRecords: (r, s, o) => ingest.ingestRecords(r, s, o) }),
      seed: config.SIM_SEED,
      backfill: config.SIM_BACKFILL,
      live: false,
      prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
    });
    await sim.backfillDone;
    await sim.stop();
  }
}
