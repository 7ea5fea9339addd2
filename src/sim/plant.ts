/**
 * The simulated plant: the model plus what commands changed (running state, setpoints, maintenance). It samples
 * readings for any time span and applies commands the way a device would, reporting what it did so that the
 * twin's reported state converges on the desired state.
 */
import type { Manifest } from '../twin/manifest';
import { createLocalTime } from './local-time';
import { buildModel, type PlantModel } from './model';
import { staffing, valueAt, type AssetRuntime, type SignalContext } from './signal';

export interface SimSample {
  asset: string;
  property: string;
  ts: number;
  value: number;
}

export interface CommandMessage {
  id: string;
  command: string;
  args?: Record<string, unknown>;
  ts?: string;
}

export interface CommandOutcome {
  status: 'done' | 'failed';
  detail: string;
  /** What the device now reports (setpoints, state), published before the ack. */
  reported: Record<string, number | string>;
}

/** A maintenance job the plant knows about: the machine is down for the window, and its wear resets at the end. */
interface Maintenance {
  asset: string;
  startMs: number;
  endMs: number;
  done: boolean;
}

export interface SimPlant {
  model: PlantModel;
  ctx: SignalContext;
  /** Readings of every channel due in [fromMs, toMs), tick by tick, in time order. */
  sample(fromMs: number, toMs: number, faultTime?: (wallMs: number) => number): Generator<SimSample[]>;
  /** Readings of every channel at one instant (a live tick). */
  tick(wallMs: number, faultMs?: number): SimSample[];
  handleCommand(asset: string, msg: CommandMessage, nowMs: number): CommandOutcome;
  /** Advance maintenance jobs to `nowMs`; returns state changes to report. */
  advance(nowMs: number): { asset: string; reported: Record<string, string> }[];
}

export interface PlantOptions {
  seed: number;
  /** The clock at load: relative scenario times resolve against it. */
  anchor: Date;
  historyStart: Date;
  /** Base sample interval (default 60 s; a channel's `interval_s` may ask for less often). */
  intervalMs?: number;
}

export function createPlant(manifest: Manifest, opts: PlantOptions): SimPlant {
  const model = buildModel(manifest, opts.anchor, opts.historyStart);
  const intervalMs = opts.intervalMs ?? 60_000;
  const runtime = new Map<string, AssetRuntime>();
  for (const a of manifest.assets) {
    const state = model.states.get(a.id);
    runtime.set(a.id, { running: true, status: state?.values.includes('running') ? 'running' : state?.values[0], setpoints: new Map(), wearResetMs: 0 });
  }
  const ctx: SignalContext = { model, seed: opts.seed, runtime, local: createLocalTime(model.timezone), intervalMs };
  const cumulative = new Map<number, number>();
  const maintenance: Maintenance[] = [];

  const plain = model.channels.filter((c) => !model.sums.has(c.key));
  const summed = model.channels.filter((c) => model.sums.has(c.key));

  function tick(wallMs: number, faultMs = wallMs, due?: (intervalS: number | undefined) => boolean): SimSample[] {
    const out: SimSample[] = [];
    const values = new Map<number, number>();
    for (const ch of plain) {
      let v: number;
      if (ch.hints.counts === 'parts') {
        // Cumulative parts: staffing-driven throughput over the routing's minutes per part.
        const rt = runtime.get(ch.asset);
        const rate = ch.minutesPerPart && rt?.running ? staffing(model, ctx.local(wallMs)) / ch.minutesPerPart : 0;
        v = (cumulative.get(ch.key) ?? 0) + (rate * intervalMs) / 60_000;
        cumulative.set(ch.key, v);
        v = Math.floor(v);
      } else v = valueAt(ch, ctx, wallMs, faultMs);
      values.set(ch.key, v);
      if (!due || due(ch.hints.interval_s)) out.push({ asset: ch.asset, property: ch.property, ts: wallMs, value: v });
    }
    for (const ch of summed) {
      const v = valueAt(ch, ctx, wallMs, faultMs, values);
      if (!due || due(ch.hints.interval_s)) out.push({ asset: ch.asset, property: ch.property, ts: wallMs, value: v });
    }
    return out;
  }

  function advance(nowMs: number): { asset: string; reported: Record<string, string> }[] {
    const changes: { asset: string; reported: Record<string, string> }[] = [];
    for (const m of maintenance) {
      const rt = runtime.get(m.asset);
      if (!rt || m.done) continue;
      const st = model.states.get(m.asset);
      if (nowMs >= m.endMs) {
        m.done = true;
        rt.running = true;
        rt.wearResetMs = m.endMs;
        rt.status = 'running';
        if (st) changes.push({ asset: m.asset, reported: { [st.property]: 'running' } });
      } else if (nowMs >= m.startMs && rt.status !== 'maintenance') {
        rt.running = false;
        rt.status = 'maintenance';
        if (st?.values.includes('maintenance')) changes.push({ asset: m.asset, reported: { [st.property]: 'maintenance' } });
      }
    }
    return changes;
  }

  return {
    model,
    ctx,
    *sample(fromMs, toMs, faultTime) {
      const first = Math.ceil(fromMs / intervalMs) * intervalMs;
      for (let t = first; t < toMs; t += intervalMs) {
        advance(t);
        yield tick(t, faultTime ? faultTime(t) : t, (s) => !s || s * 1000 <= intervalMs || t % (s * 1000) < intervalMs);
      }
    },
    tick: (wallMs, faultMs) => tick(wallMs, faultMs),
    advance,
    handleCommand(asset, msg, nowMs) {
      const rt = runtime.get(asset);
      if (!rt) return { status: 'failed', detail: `no such asset "${asset}"`, reported: {} };
      const st = model.states.get(asset);
      const args = msg.args ?? {};
      if (msg.command === 'work_order') {
        // A maintenance job sent by the twin: down for its window, wear reset when it completes.
        const start = Date.parse(String(args.start ?? '')) || nowMs;
        const end = Date.parse(String(args.end ?? '')) || (args.status === 'done' ? nowMs : start + 4 * 3600e3);
        maintenance.push({ asset, startMs: start, endMs: end, done: false });
        const changes = advance(nowMs);
        return { status: 'done', detail: `maintenance ${String(args.id ?? '')} scheduled ${new Date(start).toISOString()}–${new Date(end).toISOString()}`, reported: Object.assign({}, ...changes.filter((c) => c.asset === asset).map((c) => c.reported)) };
      }
      const def = model.commands.get(asset)?.[msg.command];
      if (!def) return { status: 'failed', detail: `asset "${asset}" has no command "${msg.command}"`, reported: {} };
      for (const [name, p] of Object.entries(def.params ?? {})) {
        const v = args[name];
        if (v === undefined) {
          if (p.required !== false && def.sets) return { status: 'failed', detail: `missing argument "${name}"`, reported: {} };
          continue;
        }
        if ((p.type === 'number' || p.type === 'integer') && (typeof v !== 'number' || !Number.isFinite(v))) {
          return { status: 'failed', detail: `argument "${name}" must be a number`, reported: {} };
        }
        if (typeof v === 'number' && ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max))) {
          return { status: 'failed', detail: `argument "${name}"=${v} is outside ${p.min ?? '-∞'}…${p.max ?? '∞'}`, reported: {} };
        }
      }
      if (def.sets) {
        const v = Object.values(args).find((x): x is number => typeof x === 'number');
        if (v === undefined) return { status: 'failed', detail: `command "${msg.command}" needs a numeric argument`, reported: {} };
        rt.setpoints.set(def.sets, v);
        return { status: 'done', detail: `${def.sets} set to ${v}`, reported: { [def.sets]: v } };
      }
      if (msg.command === 'stop' || msg.command === 'start') {
        rt.running = msg.command === 'start';
        rt.status = rt.running ? 'running' : st?.values.includes('idle') ? 'idle' : 'down';
        return { status: 'done', detail: rt.running ? 'started' : 'stopped', reported: st ? { [st.property]: rt.status } : {} };
      }
      return { status: 'done', detail: `command "${msg.command}" accepted`, reported: {} };
    },
  };
}
