/**
 * Running the simulator: backfill history (default 7 days, one sample per channel per minute) as fast as the sink
 * takes it, then run live, sampling every interval/speed of wall time while faults progress `speed` times as fast.
 * It answers commands as a device would: applies them, reports the new values as telemetry, then acks.
 * `startSimulator` is what `npm start` and `twin simulate` call; /readyz reports `backfillDone` until it resolves.
 */
import { parseDuration, type Clock } from '../clock';
import type { Ack } from '../control/transport';
import type { Manifest } from '../twin/manifest';
import { createPlant, type SimPlant, type SimSample } from './plant';
import type { TelemetrySink } from './sinks';

export interface SimulatorOptions {
  manifest: Manifest;
  clock: Clock;
  sink: TelemetrySink;
  seed?: number;
  /** Live sampling and fault progression multiplier. */
  speed?: number;
  /** History span to backfill (`7d`; `0` for none). */
  backfill?: string;
  /** History already stored up to here: backfill resumes after it instead of rewriting it. */
  since?: Date | null;
  /** Sample interval (default 60 s). */
  intervalMs?: number;
  /** Run live after the backfill (default true). */
  live?: boolean;
  /** Readings per write during the backfill. */
  chunk?: number;
  /** Called before the backfill with its span (the store creates partitions). */
  prepare?: (from: Date, to: Date) => Promise<void>;
  onProgress?: (p: { done: number; total: number; readings: number }) => void;
  log?: (msg: string) => void;
}

export interface Simulator {
  plant: SimPlant;
  /** Resolves when the history is written (with the count and time taken); rejects if writing failed. */
  backfillDone: Promise<{ readings: number; ms: number }>;
  backfilling(): boolean;
  stop(): Promise<void>;
}

const DAY = 86_400_000;

export function startSimulator(opts: SimulatorOptions): Simulator {
  const seed = opts.seed ?? 42;
  const speed = opts.speed ?? 1;
  const intervalMs = opts.intervalMs ?? 60_000;
  const anchor = opts.clock.now();
  const span = opts.backfill === '0' || opts.backfill === '' ? 0 : Math.abs(parseDuration(opts.backfill ?? '7d') ?? 7 * DAY);
  const historyStart = new Date(anchor.getTime() - span);
  const plant = createPlant(opts.manifest, { seed, anchor, historyStart, intervalMs });
  const twin = opts.manifest.twin;
  let stopped = false;
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let detach: (() => void) | null = null;
  const log = opts.log ?? (() => undefined);

  // Live time: wall-clock timestamps; faults run `speed` times as fast from the start of the live run.
  const liveStart = anchor.getTime();
  const faultTime = (wall: number) => (wall <= liveStart ? wall : liveStart + (wall - liveStart) * speed);

  /** The device reports setpoints and state, so reported state exists from the start and converges after commands. */
  const reportAll = async (ts: number) => {
    const samples: SimSample[] = [];
    for (const [asset, sps] of plant.model.setpoints) {
      for (const [prop, dflt] of sps) {
        const v = plant.ctx.runtime.get(asset)?.setpoints.get(prop) ?? dflt;
        if (typeof v === 'number') samples.push({ asset, property: prop, ts, value: v });
      }
    }
    if (samples.length) await opts.sink.publish(twin, samples);
    const states = [...plant.model.states].map(([asset, st]) => ({ asset, property: st.property, ts, value: plant.ctx.runtime.get(asset)?.status ?? st.values[0] }));
    if (states.length) await opts.sink.publish(twin, states as unknown as SimSample[]);
  };

  const handle = async (asset: string, cmd: { id: string; command: string; args?: Record<string, unknown> }): Promise<Ack> => {
    const now = opts.clock.now().getTime();
    const out = plant.handleCommand(asset, cmd, now);
    const reported = Object.entries(out.reported).map(([property, value]) => ({ asset, property, ts: now, value: value as number }));
    if (reported.length) await opts.sink.publish(twin, reported);
    return { id: cmd.id, status: out.status, detail: out.detail };
  };

  const backfillDone = (async () => {
    const t0 = performance.now();
    detach = await opts.sink.attachDevice(twin, handle);
    const end = anchor.getTime();
    const from = Math.max(historyStart.getTime(), opts.since ? opts.since.getTime() + 1 : -Infinity);
    let readings = 0;
    if (from < end && span > 0) {
      await opts.prepare?.(new Date(from), new Date(end));
      const total = Math.ceil((end - from) / intervalMs);
      let done = 0;
      let buf: SimSample[] = [];
      // Rows per write: bulk batches go in by COPY on the embedded store (no statement to parse, so the WASM heap
      // stays small), and fewer, larger transactions pay the per-batch state and alarm work less often.
      const chunk = opts.chunk ?? 100_000;
      for (const tick of plant.sample(from, end)) {
        if (stopped) break;
        buf.push(...tick);
        done++;
        if (buf.length >= chunk) {
          await opts.sink.publish(twin, buf, { bulk: true });
          readings += buf.length;
          buf = [];
          opts.onProgress?.({ done, total, readings });
        }
      }
      if (buf.length && !stopped) {
        await opts.sink.publish(twin, buf, { bulk: true });
        readings += buf.length;
        opts.onProgress?.({ done, total, readings });
      }
    }
    await reportAll(end);
    const ms = Math.round(performance.now() - t0);
    log(`simulator: backfilled ${readings} readings of ${twin} in ${ms} ms`);
    return { readings, ms };
  })();
  backfillDone.then(
    () => (running = false),
    (err) => {
      running = false;
      log(`simulator: backfill failed: ${(err as Error).message}`);
    },
  );

  if (opts.live !== false) {
    const period = Math.max(50, intervalMs / speed);
    const loop = async () => {
      if (stopped) return;
      try {
        const now = opts.clock.now().getTime();
        plant.advance(faultTime(now));
        await opts.sink.publish(twin, plant.tick(now, faultTime(now)));
      } catch (err) {
        log(`simulator: live tick failed: ${(err as Error).message}`);
      }
      if (!stopped) timer = setTimeout(loop, period);
    };
    void backfillDone.then(() => {
      if (!stopped) timer = setTimeout(loop, period);
    }, () => undefined);
  }

  return {
    plant,
    backfillDone,
    backfilling: () => running,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await backfillDone.catch(() => undefined);
      detach?.();
    },
  };
}
