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
  /** drift: the value the fault reaches at now (or at end); lets the simulator fit the curve. */
  target: z.number().optional(),
  /** step, spike, noise: the size of the change (a fraction when `relative`). */
  magnitude: z.number().optional(),
  relative: z.boolean().optional(),
  /** spike: how often, as a duration (`6h`). */
  every: z.string().optional(),
});
export type ScenarioDef = z.infer<typeof ScenarioDef>;
