/**
 * Replications of the production simulation over consecutive seeds, summarised as intervals: how likely each order is
 * to be late, and the spread of its completion time and of the makespan. Quantiles from simple-statistics.
 */
import { mean, quantileSorted } from 'simple-statistics';
import { AnalyticsInputError } from './errors';
import { simulateProduction } from './production';
import type { SimulationInput, SimulationResult } from './production-types';
import { HOUR } from './series';

export interface OrderSpread {
  id: string;
  probabilityLate: number;
  /** Completion, hours after the start: mean and the 10th–90th percentile (unfinished runs count at the horizon). */
  completionHours: { mean: number; p10: number; p90: number };
  latenessHours: { mean: number; p90: number };
}

export interface ReplicationResult {
  replications: number;
  firstSeed: number;
  orders: OrderSpread[];
  makespanHours: { mean: number; p10: number; p90: number };
  /** How often each station was the bottleneck. */
  bottlenecks: Record<string, number>;
  summary: string;
}

export function replicate(input: SimulationInput, replications: number, onRun?: (r: SimulationResult) => void): ReplicationResult {
  if (!Number.isInteger(replications) || replications < 1 || replications > 10_000) {
    throw new AnalyticsInputError('invalid_option', `replications must be an integer from 1 to 10000 (got ${replications})`, [{ path: 'replications', message: 'must be 1..10000' }]);
  }
  const firstSeed = input.seed ?? 1;
  const runs: SimulationResult[] = [];
  for (let k = 0; k < replications; k++) {
    const r = simulateProduction({ ...input, seed: firstSeed + k });
    onRun?.(r);
    runs.push(r);
  }
  const spread = (xs: number[]) => {
    const s = xs.slice().sort((a, b) => a - b);
    return { mean: mean(s), p10: quantileSorted(s, 0.1), p90: quantileSorted(s, 0.9) };
  };
  const orders = runs[0].orders.map((o, i) => {
    const comp = runs.map((r) => ((r.orders[i].completedAt ?? r.end) - r.start) / HOUR);
    const late = runs.map((r) => r.orders[i].latenessHours);
    const ls = late.slice().sort((a, b) => a - b);
    return { id: o.id, probabilityLate: runs.filter((r) => r.orders[i].late).length / runs.length, completionHours: spread(comp), latenessHours: { mean: mean(ls), p90: quantileSorted(ls, 0.9) } };
  });
  const bottlenecks: Record<string, number> = {};
  for (const r of runs) if (r.bottleneck) bottlenecks[r.bottleneck.station] = (bottlenecks[r.bottleneck.station] ?? 0) + 1;
  const risky = orders.filter((o) => o.probabilityLate > 0);
  return {
    replications,
    firstSeed,
    orders,
    makespanHours: spread(runs.map((r) => r.makespanHours)),
    bottlenecks,
    summary: `${replications} replications: ${risky.length ? risky.map((o) => `${o.id} late in ${(o.probabilityLate * 100).toFixed(0)}%`).join(', ') : 'no order late in any run'}`,
  };
}
