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
  // Crew and energy first (cheap); then the simulator, the cost, only where it can change what is returned. A window
  // with no technician is infeasible whatever production says, and infeasible windows rank after every feasible one:
  // when enough windows stay feasible to fill the top, the others are never shown and are not simulated. Otherwise
  // every window is simulated, so the ranking and the counts are the same either way.
  const top = req.top ?? 5;
  const out: MaintenanceWindow[] = [];
  const rested = new Map<MaintenanceWindow, string[]>(); // the crews that can give the technician
  for (let s = req.earliest; s + req.durationMs <= req.latest; s += stride) {
    const e = s + req.durationMs;
    const reasons: string[] = [];
    // A technician must be on shift at every moment of the job, from crews within the overtime limit.
    const cover = crew.filter((c) => c.end > s && c.start < e);
    const eligible = cover.filter((c) => c.technicians >= need && c.overtimeHours <= limit);
    let t = s;
    for (const c of eligible.sort((a, b) => a.start - b.start)) if (c.start <= t) t = Math.max(t, c.end);
    const feasible = t >= e;
    const tired = cover.filter((c) => c.overtimeHours > limit).map((c) => c.crew);
    if (!feasible) {
      reasons.push(
        tired.length
          ? `needs ${[...new Set(tired)].join(', ')} (over ${limit} h overtime)`
          : `no crew with ${need} maintenance technician(s) on shift throughout`,
      );
    }
    let energyEur = 0;
    if (req.tariff && req.jobKw) {
      const ts = [s, e - 1];
      energyEur = energyCost({ t: ts, v: [req.jobKw, req.jobKw] }, req.tariff, { maxGapMs: req.durationMs }).energyEur;
    }
    const w: MaintenanceWindow = { start: s, end: e, feasible, crews: [...new Set(cover.map((c) => c.crew))], newLateOrders: [], addedLatenessHours: 0, addedMakespanHours: 0, energyEur, marginHours: (req.latest - e) / HOUR, reasons };
    out.push(w);
    rested.set(w, [...new Set(eligible.map((c) => c.crew))]);
  }
  const simulate = (w: MaintenanceWindow) => {
    if (!req.production || !base) return;
    const r = simulateProduction({ ...req.production, scenario: { ...req.production.scenario, name: `${req.asset} maintenance`, down: [...(req.production.scenario?.down ?? []), { station: req.asset, start: w.start, end: w.end }] } });
    w.newLateOrders = r.lateOrders.filter((o) => !baseLate.has(o));
    w.addedLatenessHours = Math.max(0, r.totalLatenessHours - baseLateness);
    w.addedMakespanHours = Math.max(0, r.makespanHours - base.makespanHours);
    if (w.newLateOrders.length) {
      w.feasible = false;
      w.reasons.push(`makes ${w.newLateOrders.join(', ')} late`);
    } else w.reasons.push(w.addedMakespanHours > 0.05 ? `keeps every order on time; finishes the plan ${w.addedMakespanHours.toFixed(1)} h later` : 'no production lost');
  };
  const crewReady = out.filter((w) => w.feasible);
  crewReady.forEach(simulate);
  if (crewReady.filter((w) => w.feasible).length < top) out.filter((w) => !crewReady.includes(w)).forEach(simulate);
  for (const w of out) {
    if (req.tariff && req.jobKw) w.reasons.push(`job energy ${w.energyEur.toFixed(2)} EUR`);
    if (w.feasible) w.reasons.unshift(`technician from ${rested.get(w)!.join(', ')}`);
  }
  // Feasible first; then least production lost, cheapest energy, and most margin before the alarm (earlier).
  out.sort((a, b) => Number(b.feasible) - Number(a.feasible) || a.newLateOrders.length - b.newLateOrders.length || a.addedLatenessHours - b.addedLatenessHours || a.addedMakespanHours - b.addedMakespanHours || a.energyEur - b.energyEur || b.marginHours - a.marginHours);
  const ranked = out.slice(0, top);
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
