/**
 * The signal of one channel at one instant: nominal level, per-asset offset, production load (shift staffing and
 * machine state), daily swing, schedule windows, setpoint tracking, faults (drift with acceleration, step with ramp,
 * spike, stuck, noise), coupling to another property's fault excess, measurement noise, physical bounds.
 * Pure: the same (model, runtime, seed, time) always gives the same value.
 */
import type { Channel, PlantModel, ResolvedScenario } from './model';
import { dayMatches, hhmm, inWindow, type LocalTime } from './local-time';
import { gaussian } from './random';

const DAY = 86_400_000;

/** What commands and work orders changed on an asset; everything starts running at its defaults. */
export interface AssetRuntime {
  running: boolean;
  status?: string;
  /** Setpoint values reported by the device (equal to desired once a command is applied). */
  setpoints: Map<string, number>;
  /** Wear faults (drift) restart from here: a completed maintenance job resets them. */
  wearResetMs: number;
}

export interface SignalContext {
  model: PlantModel;
  seed: number;
  runtime: Map<string, AssetRuntime>;
  local: (ms: number) => LocalTime;
  intervalMs: number;
}

/** Fraction of the largest crew on shift at this local minute (production intensity). */
export function staffing(model: PlantModel, lt: LocalTime): number {
  if (model.crews.length === 0) return 1;
  let size = 0;
  for (const c of model.crews) if (inWindow(lt.minuteOfDay, c.from, c.to)) size += c.size;
  return Math.min(1, size / model.maxCrew);
}

function ramp(elapsed: number, rampMs: number): number {
  return rampMs <= 0 ? 1 : Math.max(0, Math.min(1, elapsed / rampMs));
}

/** The drift of a fault after `days`: rate·d + ½·a·d², where a comes from `acceleration`, a `target`, or a default. */
export function driftAt(s: ResolvedScenario, days: number, nominal: number, anchorMs: number): number {
  const rate = s.rate_per_day ?? 0;
  let acc = s.acceleration ?? 0;
  if (s.acceleration === undefined && s.target !== undefined) {
    // Fit the curve through the target at the anchor (or at the end): the fault reaches `target` there.
    const span = ((Number.isFinite(s.endMs) ? s.endMs : anchorMs) - s.startMs) / DAY;
    if (span > 0) {
      const need = s.target - nominal;
      acc = s.accelerate || s.rate_per_day !== undefined ? (2 * (need - rate * span)) / (span * span) : 0;
      if (!s.accelerate && s.rate_per_day === undefined) return (need / span) * days;
    }
  } else if (s.acceleration === undefined && s.accelerate) {
    acc = rate / 7; // the rate doubles over a week of wear
  }
  return rate * days + 0.5 * acc * days * days;
}

interface FaultEffect {
  add: number;
  factor: number;
  stuckAt: number | null;
  extraNoise: number;
}

function faults(ch: Channel, ctx: SignalContext, wallMs: number, faultMs: number, nominal: number, rt: AssetRuntime | undefined): FaultEffect {
  const out: FaultEffect = { add: 0, factor: 1, stuckAt: null, extraNoise: 0 };
  for (const s of ch.scenarios) {
    if (faultMs < s.startMs || faultMs >= s.endMs) continue;
    const elapsed = faultMs - s.startMs;
    const mag = s.magnitude ?? 0;
    switch (s.fault) {
      case 'drift': {
        const from = Math.max(s.startMs, rt?.wearResetMs ?? 0);
        if (faultMs > from) out.add += driftAt(s, (faultMs - from) / DAY, nominal, ctx.model.anchorMs);
        break;
      }
      case 'step':
        if (s.relative) out.factor *= 1 + mag * ramp(elapsed, s.rampMs);
        else out.add += mag * ramp(elapsed, s.rampMs);
        break;
      case 'spike':
        if (elapsed % s.everyMs < ctx.intervalMs) out.add += s.relative ? nominal * mag : mag;
        break;
      case 'stuck':
        out.stuckAt = s.startMs;
        break;
      case 'noise':
        out.extraNoise += s.relative ? Math.abs(nominal * mag) : Math.abs(mag);
        break;
    }
  }
  void wallMs;
  return out;
}

function nominalOf(ch: Channel): number {
  const d = ch.def;
  return (ch.hints.nominal ?? (d.min !== undefined && d.max !== undefined ? (d.min + d.max) / 2 : 0)) + ch.offset;
}

/**
 * Value of a channel at wall time `wallMs`. `faultMs` is the time the faults have reached (equal to wallMs except
 * in a sped-up live run). `sums` holds the values already computed for this instant (meters add them up).
 */
export function valueAt(ch: Channel, ctx: SignalContext, wallMs: number, faultMs = wallMs, sums?: Map<number, number>): number {
  const h = ch.hints;
  const rt = ctx.runtime.get(ch.asset);
  const lt = ctx.local(wallMs);
  let base = nominalOf(ch);
  if (h.tracks) {
    const sp = rt?.setpoints.get(h.tracks) ?? ctx.model.setpoints.get(ch.asset)?.get(h.tracks);
    const dflt = ctx.model.setpoints.get(ch.asset)?.get(h.tracks);
    if (sp !== undefined) base = h.tracks_mode === 'scale' && dflt ? base * (sp / dflt) : sp + ch.offset;
  }
  const fx = faults(ch, ctx, wallMs, faultMs, base, rt);
  if (fx.stuckAt !== null && fx.stuckAt < wallMs) {
    return valueAt({ ...ch, scenarios: ch.scenarios.filter((s) => s.fault !== 'stuck') }, ctx, fx.stuckAt, fx.stuckAt, sums);
  }
  const running = rt?.running ?? true;
  const load = h.load ?? 0;
  const util = running ? staffing(ctx.model, lt) : 0;
  let v = base * (1 - load + load * util);
  if (!running && h.idle !== undefined) v = h.idle;
  if (running && h.daily_amplitude) v += h.daily_amplitude * Math.cos((2 * Math.PI * (lt.minuteOfDay / 60 - (h.peak_hour ?? 14))) / 24);
  for (const w of h.windows ?? []) {
    const from = hhmm(w.from);
    if (!inWindow(lt.minuteOfDay, from, hhmm(w.to)) || !dayMatches(w.days, lt.weekday)) continue;
    const into = (lt.minuteOfDay - from + 1440) % 1440;
    const k = w.ramp_minutes ? Math.min(1, into / w.ramp_minutes) : 1;
    if (w.add) v += w.add * k;
    if (w.factor !== undefined) v *= 1 + (w.factor - 1) * k;
  }
  if (sums && ctx.model.sums.has(ch.key)) for (const src of ctx.model.sums.get(ch.key)!) v += sums.get(src.key) ?? 0;
  if (running) v = (v + fx.add) * fx.factor;
  if (h.follows && running) {
    const other = ctx.model.byAsset.get(ch.asset)?.find((c) => c.property === h.follows!.property);
    if (other) {
      const ofx = faults(other, ctx, wallMs, faultMs, nominalOf(other), rt);
      v += h.follows.gain * (ofx.add + nominalOf(other) * (ofx.factor - 1));
    }
  }
  const sigma = (h.noise ?? 0) + fx.extraNoise;
  if (sigma > 0) v += sigma * gaussian(ctx.seed, ch.key, Math.floor(wallMs / 1000));
  if (ch.def.min !== undefined) v = Math.max(ch.def.min, v);
  if (ch.def.max !== undefined) v = Math.min(ch.def.max, v);
  return ch.def.type === 'integer' ? Math.round(v) : Math.round(v * 1e4) / 1e4;
}
