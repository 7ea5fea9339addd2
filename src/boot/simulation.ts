/**
 * The simulated plant under `npm start`: one simulator per twin in the store (the demo plant on a fresh machine),
 * publishing in-process through ingestion, or over MQTT when a broker is configured. The backfill resumes after the
 * history already stored, so a restart does not rewrite it; /readyz reports its progress until it is done.
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { IngestService } from '../ingest/service';
import { startSimulator, type Simulator } from '../sim/run';
import { ingestSink, mqttSink, type TelemetrySink } from '../sim/sinks';
import { rows, type Store } from '../store';
import type { Manifest } from '../twin/manifest';
import type { DeviceHandler } from '../control/transport';

export interface PlantSimulation {
  /** For /readyz: ok once every backfill is written. */
  progress(): { ok: boolean; detail: Record<string, unknown> };
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startPlantSimulation(deps: {
  config: Config;
  store: Store;
  clock: Clock;
  ingest: IngestService;
  /** In-process command delivery (no broker): the simulator answers commands as the device. */
  attachDevice?: (twin: string, handler: DeviceHandler) => () => void;
  log: (msg: string) => void;
}): Promise<PlantSimulation> {
  const { config, store } = deps;
  const manifests = await rows<{ id: string; manifest: Manifest }>(store.db, sql`select id, manifest from twins order by id`);
  const state = new Map<string, { done: number; total: number; readings: number; finished: boolean; error?: string }>();
  const sims: Simulator[] = [];
  const sinks: TelemetrySink[] = [];

  for (const { id, manifest } of manifests) {
    const [last] = await rows<{ ts: string | Date | null }>(store.db, sql`select max(ts) as ts from readings where twin_id = ${id}`);
    const since = last?.ts ? new Date(last.ts) : null;
    const sink = config.MQTT_URL
      ? mqttSink({ url: config.MQTT_URL, clientId: `twinpilot-sim-${id}-${process.pid}` })
      : ingestSink({ ingestRecords: (r, s, o) => deps.ingest.ingestRecords(r, s, o), attach: deps.attachDevice, onRejected: (reasons) => deps.log(`simulator: readings rejected: ${reasons.join('; ')}`) });
    sinks.push(sink);
    const st = { done: 0, total: 1, readings: 0, finished: false as boolean, error: undefined as string | undefined };
    state.set(id, st);
    const sim = startSimulator({
      manifest,
      clock: deps.clock,
      sink,
      seed: config.SIM_SEED,
      speed: config.SIM_SPEED,
      backfill: config.SIM_BACKFILL,
      since,
      prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
      onProgress: (p) => Object.assign(st, p),
      log: deps.log,
    });
    sim.backfillDone.then(
      (r) => {
        st.finished = true;
        deps.log(`simulator: ${id} history written (${r.readings} readings in ${(r.ms / 1000).toFixed(1)} s)`);
      },
      (err: unknown) => {
        st.error = err instanceof Error ? err.message : String(err);
        deps.log(`simulator: ${id} backfill failed: ${st.error}`);
      },
    );
    sims.push(sim);
  }

  return {
    progress() {
      const detail = Object.fromEntries(
        [...state].map(([id, s]) => [id, s.error ? { error: s.error } : { progress: s.finished ? 1 : Math.min(0.99, s.done / Math.max(1, s.total)), readings: s.readings }]),
      );
      return { ok: [...state.values()].every((s) => s.finished), detail };
    },
    done: Promise.all(sims.map((s) => s.backfillDone)).then(() => undefined),
    async stop() {
      await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
      await Promise.all(sinks.map((s) => s.close().catch(() => undefined)));
    },
  };
}
