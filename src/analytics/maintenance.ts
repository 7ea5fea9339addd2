/**
 * Maintenance window recommendation: candidate windows between `earliest` and the predicted alarm, each scored by
 * the production it costs (the simulator run with the asset down in that window, against the baseline), whether a
 * maintenance technician is on shift throughout from a crew within its overtime limit, and the energy cost of the
 * job's own power draw under the tariff. Infeasible windows are kept at the bottom with the reason, so an answer can
 * say why the obvious slot is not offered.
 */
import { energyCost, type Tariff } from './energy';
import { ProblemList } from './errors';
import { simulateProduction } from './production';
import { expandShifts } from './production-calendar';
import type { ShiftSpec, SimulationInput } from './production-types';
import { checkNumber, HOUR, MINUTE } from './series';

export interface MaintenanceRequest {
  asset: string;
  durationMs: number;
  earliest: number;
  /** The predicted alarm time: the job must finish before it. */
  latest: number;
  /** Spacing of candidate starts (default 1 h). */
  stepMs?: number;
  /** Production plan to protect; the asset must be one of its stations (omit to skip production scoring). */
  production?: SimulationInput;
  /** Shifts with technician counts and overtime (default: production.shifts). */
  shifts?: ShiftSpec[];
  timezone?: string;
  techniciansNeeded?: number;
  /** A crew already over this many overtime hours this week is not asked (default 10). */
  overtimeLimitHours?: number;
  tariff?: Tariff;
  /** Power drawn during the job (test runs, tools), kW (default 0). */
  jobKw?: number;
  /** How many ranked windows to return (default 5). */
  top?: number;
}

export interface MaintenanceWindow {
  start: number;
  end: number;
  feasible: boolean;
  crews: string[];
  /** Orders late in this scenario that are not late in the baseline. */
  newLateOrders: string[];
  /** Added lateness over all orders, hours. */
  addedLatenessHours: number;
  /** Added makespan, hours. */
  addedMakespanHours: number;
  energyEur: number;
  /** Hours of margin before the predicted alarm. */
  marginHours: number;
  reasons: string[];
}

export interface MaintenanceRecommendation {
  asset: string;
  baselineLateOrders: string[];
  candidates: number;
  ranked: MaintenanceWindow[];
  summary: string;
}

export function recommendMaintenanceWindows(req: MaintenanceRequest): MaintenanceRecommendation {
  const p = new ProblemList();
  if (!req?.asset) p.add('invalid_input', 'asset', 'is required');
  checkNumber(p, 'durationMs', req?.durationMs, MINUTE);
  checkNumber(p, 'earliest', req?.earliest);
  checkNumber(p, 'latest', req?.latest);
  if (req?.stepMs !== undefined) checkNumber(p, 'stepMs', req.stepMs, MINUTE);
  if (Number.isFinite(req?.earliest) && Number.isFinite(req?.latest) && req.latest - req.earliest < req.durationMs) {
    p.add('invalid_input', 'latest', 'the window from earliest to latest is shorter than the job');
  }
  if (req?.production && !req.production.stations.some((s) => s.id === req.asset)) p.add('invalid_input', 'asset', `${req.asset} is not a station of the production plan`);
  p.throwIfAny('invalid maintenance request');
  const step = req.stepMs ?? HOUR;
  const need = req.techniciansNeeded ?? 1;
  const limit = req.overtimeLimitHours ?? 10;
  const shifts = req.shifts ?? req.production?.shifts ?? [];
  const tz = req.timezone ?? req.production?.timezone ?? 'UTC';
  const crew = expandShifts(shifts, req.earliest, req.latest, tz);
  const base = req.production ? simulateProduction(req.production) : null;
  const baseLate = new Set(base?.lateOrders ?? []);
  const baseLateness = base?.totalLatenessHours ?? 0;
  // Evaluate at most ~96 starts: the simulator is the cost.
  const span = req.latest - req.durationMs - req.earliest;
  const stride = Math.max(step, Math.ceil(span / 96 / step) * step);
  const out: MaintenanceWindow[] = [];
  for (let s = req.earliest; s + req.durationMs <= req.latest; s += stride) {
    const e = s + req.durationMs;
    const reasons: string[] = [];
    // A technician must be on shift at every moment of the job, from crews within the overtime limit.
    const cover = crew.filter((c) => c.end > s && c.start < e);
    const eligible = cover.filter((c) => c.technicians >= need && c.overtimeHours <= limit);
    let t = s;
    for (const c of eligible.sort((a, b) => a.start - b.start)) if (c.start <= t) t = Math.max(t, c.end);
    let feasible = t >= e;
    const tired = cover.filter((c) => c.overtimeHours > limit).map((c) => c.crew);
    if (!feasible) {
      reasons.push(
        tired.length
          ? `needs ${[...new Set(tired)].join(', ')} (over ${limit} h overtime)`
          : `no crew with ${need} maintenance technician(s) on shift throughout`,
      );
    }
    let newLate: string[] = [];
    let addedLateness = 0;
    let addedMakespan = 0;
    if (req.production && base) {
      const r = simulateProduction({ ...req.production, scenario: { ...req.production.scenario, name: `${req.asset} maintenance`, down: [...(req.production.scenario?.down ?? []), { station: req.asset, start: s, end: e }] } });
      newLate = r.lateOrders.filter((o) => !baseLate.has(o));
      addedLateness = Math.max(0, r.totalLatenessHours - baseLateness);
      addedMakespan = Math.max(0, r.makespanHours - base.makespanHours);
      if (newLate.length) {
        feasible = false;
        reasons.push(`makes ${newLate.join(', ')} late`);
      } else reasons.push(addedMakespan > 0.05 ? `keeps every order on time; finishes the plan ${addedMakespan.toFixed(1)} h later` : 'no production lost');
    }
    let energyEur = 0;
    if (req.tariff && req.jobKw) {
      const ts = [s, e - 1];
      energyEur = energyCost({ t: ts, v: [req.jobKw, req.jobKw] }, req.tariff, { maxGapMs: req.durationMs }).energyEur;
      reasons.push(`job energy ${energyEur.toFixed(2)} EUR`);
    }
    if (feasible) reasons.unshift(`technician from ${[...new Set(eligible.map((c) => c.crew))].join(', ')}`);
    out.push({ start: s, end: e, feasible, crews: [...new Set(cover.map((c) => c.crew))], newLateOrders: newLate, addedLatenessHours: addedLateness, addedMakespanHours: addedMakespan, energyEur, marginHours: (req.latest - e) / HOUR, reasons });
  }
  // Feasible first; then least production lost, cheapest energy, and most margin before the alarm (earlier).
  out.sort((a, b) => Number(b.feasible) - Number(a.feasible) || a.newLateOrders.length - b.newLateOrders.length || a.addedLatenessHours - b.addedLatenessHours || a.addedMakespanHours - b.addedMakespanHours || a.energyEur - b.energyEur || b.marginHours - a.marginHours);
  const ranked = out.slice(0, req.top ?? 5);
  const best = ranked[0];
  return {
    asset: req.asset,
    baselineLateOrders: [...baseLate],
    candidates: out.length,
    ranked,
    summary: best?.feasible
      ? `best window for ${req.asset}: ${new Date(best.start).toISOString()} to ${new Date(best.end).toISOString()} (${best.reasons.join('; ')}); ${out.filter((w) => w.feasible).length} of ${out.length} candidates feasible`
      : `no feasible window for ${req.asset} among ${out.length} candidates before the alarm`,
  };
}
