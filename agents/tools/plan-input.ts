/**
 * Turning the twin's planning records into the analytics' inputs: the production simulation (stations from the
 * routings, shifts from the crews, open orders), the tariff, and the crews' shift calendar. One place, so the
 * maintenance, production, workforce and energy tools reason over the same plan.
 */
import { simulateProduction, type ShiftSpec, type SimulationInput, type SimulationResult, type Tariff } from '../../src/analytics';
import type { TwinSnapshot } from '../../src/store/queries/twin-snapshot';

/** Overtime hours per week above which a crew is not asked for more (the analytics' default, unless the crew says). */
export const DEFAULT_OVERTIME_LIMIT_H = 10;

/** The skill that does maintenance jobs in this twin's crews: named like maintenance, technician or repair. */
export function maintenanceSkill(snap: TwinSnapshot): string | undefined {
  const skills = [...new Set(snap.crews.flatMap((c) => Object.keys(c.skills)))];
  return skills.find((s) => /mainten|technic|repair|mechanic|fitter/i.test(s));
}

export function shiftsOf(snap: TwinSnapshot): ShiftSpec[] {
  const skill = maintenanceSkill(snap);
  return snap.crews.flatMap((c) => {
    const m = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/.exec(c.shift);
    if (!m) return [];
    return [{ crew: c.id, start: m[1].padStart(5, '0'), end: m[2].padStart(5, '0'), size: c.size, technicians: skill ? (c.skills[skill] ?? 0) : 0, overtimeHours: c.overtimeHoursWeek }];
  });
}

export function overtimeLimit(c: TwinSnapshot['crews'][number]): number {
  return c.overtimeLimitHoursWeek ?? DEFAULT_OVERTIME_LIMIT_H;
}

const PRIORITY: Record<string, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The production plan as the simulator takes it, or null when the twin has no routings or open orders. */
export function productionInput(snap: TwinSnapshot, now: number): SimulationInput | null {
  const open = snap.orders.filter((o) => o.status !== 'done' && o.status !== 'cancelled' && o.quantity > o.completed);
  const skus = new Set(open.map((o) => o.sku));
  const routings = snap.routings
    .filter((r) => skus.has(r.sku))
    .map((r) => ({ sku: r.sku, steps: r.steps.map((s) => ({ stations: Array.isArray(s.station) ? s.station : [s.station], minutesPerUnit: s.minutes })) }));
  if (!routings.length) return null;
  const stations = [...new Set(routings.flatMap((r) => r.steps.flatMap((s) => s.stations)))].map((id) => ({ id }));
  const shifts = shiftsOf(snap);
  return {
    start: now,
    stations,
    routings,
    orders: open.filter((o) => routings.some((r) => r.sku === o.sku)).map((o) => ({ id: o.id, sku: o.sku, quantity: o.quantity - o.completed, due: o.due.getTime(), priority: PRIORITY[o.priority] ?? 1 })),
    // The plant runs on its crews' shifts when they cover the day; with no crews it is staffed around the clock.
    shifts: shifts.length ? shifts : undefined,
    timezone: snap.twin.timezone,
    seed: 1,
  };
}

/** The baseline simulation of a plan, memoised per plan object (tools of one run share the snapshot). */
const baselines = new WeakMap<object, SimulationResult>();
export function baseline(input: SimulationInput): SimulationResult {
  let r = baselines.get(input);
  if (!r) baselines.set(input, (r = simulateProduction(input)));
  return r;
}

const DAYS: Record<string, number[] | undefined> = { weekdays: [1, 2, 3, 4, 5], weekends: [0, 6], all: undefined };

/** The twin's (first) tariff in the analytics' shape, with its currency. */
export function tariffOf(snap: TwinSnapshot): { tariff: Tariff; currency: string; id: string; meter: string | null } | null {
  const t = snap.tariffs[0];
  if (!t) return null;
  const base = t.energy.find((b) => b.default) ?? t.energy.find((b) => !b.from);
  return {
    id: t.id,
    currency: t.currency,
    meter: t.meter,
    tariff: {
      baseRate: base?.price_per_kwh ?? Math.min(...t.energy.map((b) => b.price_per_kwh)),
      periods: t.energy
        .filter((b) => !b.default && b.from && b.to)
        .map((b) => ({ name: `${b.from}-${b.to}${b.days && b.days !== 'all' ? ` ${b.days}` : ''}`, rate: b.price_per_kwh, days: DAYS[b.days ?? 'all'], start: b.from!, end: b.to! })),
      demandChargePerKw: t.demandChargePerKwMonth ?? 0,
      demandWindowMinutes: t.demandWindowMinutes,
      timezone: snap.twin.timezone,
    },
  };
}
