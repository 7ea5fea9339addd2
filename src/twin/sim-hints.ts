/**
 * Simulator hints carried by a manifest: per-property `sim` hints (nominal value, noise, daily swing) and the
 * optional `scenarios` (faults). They live apart from the manifest schema so that the simulator can grow them with
 * optional fields without touching the ontology. Every field added here must stay optional (manifest.md).
 */
import { z } from 'zod';

/** A daily window during which the value is shifted, e.g. an oven pre-heating at 16:30. Times are local to the twin. */
export const SimWindow = z.strictObject({
  from: z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM'),
  to: z.string().regex(/^\d{2}:\d{2}$/, 'expected HH:MM'),
  /** Added to the value inside the window. */
  add: z.number().optional(),
  /** Multiplies the value inside the window (after `add`). */
  factor: z.number().optional(),
  days: z.enum(['all', 'weekdays', 'weekends']).optional(),
  /** Minutes over which the shift builds up after `from` (a burner firing up), instead of a jump. */
  ramp_minutes: z.number().min(0).optional(),
});
export type SimWindow = z.infer<typeof SimWindow>;

export const SimHints = z.strictObject({
  /** The value the property sits at in normal operation. */
  nominal: z.number().optional(),
  /** Standard deviation of the measurement noise. */
  noise: z.number().min(0).optional(),
  /** Half the peak-to-peak daily swing (a sine over the day). */
  daily_amplitude: z.number().optional(),
  /** Local hour (0-24) at which the daily swing peaks; 14 when absent. */
  peak_hour: z.number().min(0).max(24).optional(),
  /** Daily windows that shift the value (schedules such as pre-heating). */
  windows: z.array(SimWindow).optional(),
  /** Seconds between samples; the simulator's default when absent. */
  interval_s: z.number().positive().optional(),
  /** For state and enum properties: the value the simulator reports. */
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** Fraction (0-1) of the value that follows production: crew staffing on shift and whether the machine runs. */
  load: z.number().min(0).max(1).optional(),
  /** The value while the machine is stopped or in maintenance (default: the part that does not follow load). */
  idle: z.number().optional(),
  /** Couples to another property of the same asset: adds gain × that property's fault excess (a hot worn bearing). */
  follows: z.strictObject({ property: z.string().min(1), gain: z.number() }).optional(),
  /** Tracks a setpoint of the asset: `value` reads the setpoint itself, `scale` scales nominal by setpoint/default. */
  tracks: z.string().min(1).optional(),
  tracks_mode: z.enum(['value', 'scale']).optional(),
  /** A meter: nominal (the base load) plus the sum of `property` over assets related to this one by `relation`. */
  sum_of: z.strictObject({ relation: z.string().min(1), property: z.string().min(1) }).optional(),
  /** A counter: cumulative parts made, at the routing's minutes per part, scaled by staffing. */
  counts: z.enum(['parts']).optional(),
});
export type SimHints = z.infer<typeof SimHints>;

export const FaultKind = z.enum(['drift', 'step', 'spike', 'stuck', 'noise']);
export type FaultKind = z.infer<typeof FaultKind>;

export const ScenarioDef = z.strictObject({
  id: z.string().min(1),
  asset: z.string().min(1),
  property: z.string().min(1),
  fault: FaultKind,
  description: z.string().optional(),
  /** Relative (`-7d`) or ISO; the fault is active from start (default: the start of the history). */
  start: z.string().optional(),
  end: z.string().optional(),
  /** drift: change per day at the start of the fault (absolute units). */
  rate_per_day: z.number().optional(),
  /** drift: the rate grows over time (wear accelerates). */
  accelerate: z.boolean().optional(),
  /** drift: change of the rate per day (units/day²); when absent and `target` is given, fitted through the target. */
  acceleration: z.number().optional(),
  /** step: the change builds up over this duration (`6h`) instead of jumping. */
  ramp: z.string().optional(),
  /** drift: the value the fault reaches at now (or at end); lets the simulator fit the curve. */
  target: z.number().optional(),
  /** step, spike, noise: the size of the change (a fraction when `relative`). */
  magnitude: z.number().optional(),
  relative: z.boolean().optional(),
  /** spike: how often, as a duration (`6h`). */
  every: z.string().optional(),
});
export type ScenarioDef = z.infer<typeof ScenarioDef>;
