/**
 * Energy cost under a time-of-use tariff: energy by tariff period (with weekday rules, in the plant's local time) and
 * the demand charge on the month's peak average over the tariff's demand window (15 minutes unless it says otherwise). Also the saving of moving a recurring load (the oven's
 * pre-heat) out of a window, in EUR per month. Power samples are kW; energy is integrated sample by sample over the
 * interval to the next sample, and intervals longer than `maxGapMs` are not integrated but counted as gaps, so a
 * logger outage is not billed as a flat line.
 */
import { ProblemList } from './errors';
import { localDayAt, localParts, parseHhMm } from './localtime';
import { checkNumber, checkSeries, DAY, MINUTE, type Series } from './series';

export interface TariffPeriod {
  name: string;
  /** EUR per kWh. */
  rate: number;
  /** Local weekdays it applies on (0 = Sunday … 6 = Saturday); default every day. */
  days?: number[];
  /** Local 'HH:MM' start (inclusive) and end (exclusive); end may be '24:00'. */
  start: string;
  end: string;
}

export interface Tariff {
  /** EUR per kWh outside every period. */
  baseRate: number;
  periods: TariffPeriod[];
  /** EUR per kW of the month's peak demand: the highest average over a demand window (0 if none). */
  demandChargePerKw: number;
  /** Length of the demand window the utility averages over, in minutes (default 15; 30 in many tariffs). */
  demandWindowMinutes?: number;
  /** IANA time zone the periods are written in (default UTC). */
  timezone?: string;
}

export interface EnergyCost {
  kwh: number;
  energyEur: number;
  byPeriod: Array<{ name: string; kwh: number; eur: number; rate: number }>;
  peakKw: number;
  peakAt: number | null;
  /** Demand charge for one month at this peak. */
  demandEur: number;
  totalEur: number;
  /** Days covered by the samples (without gaps). */
  days: number;
  /** Energy cost scaled to a 30.44-day month plus the demand charge. */
  perMonthEur: number;
  gaps: number;
}

const MONTH_DAYS = 30.44;
const QUARTER = 15 * MINUTE;

function checkTariff(t: Tariff, p: ProblemList): void {
  checkNumber(p, 'tariff.baseRate', t?.baseRate, 0);
  checkNumber(p, 'tariff.demandChargePerKw', t?.demandChargePerKw, 0);
  if (t?.demandWindowMinutes !== undefined && !(Number.isInteger(t.demandWindowMinutes) && t.demandWindowMinutes > 0 && t.demandWindowMinutes <= 1440)) p.add('invalid_option', 'tariff.demandWindowMinutes', 'must be a whole number of minutes from 1 to 1440');
  if (!Array.isArray(t?.periods)) p.add('invalid_option', 'tariff.periods', 'must be an array');
  t?.periods?.forEach((q, i) => {
    checkNumber(p, `tariff.periods[${i}].rate`, q.rate, 0);
    if (parseHhMm(q.start) === null) p.add('invalid_option', `tariff.periods[${i}].start`, `not HH:MM (${q.start})`);
    if (parseHhMm(q.end) === null) p.add('invalid_option', `tariff.periods[${i}].end`, `not HH:MM (${q.end})`);
    if (q.days && !q.days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) p.add('invalid_option', `tariff.periods[${i}].days`, 'weekdays are 0 (Sunday) to 6');
  });
}

/** Which tariff period applies at an instant (-1 = base rate); the first listed wins where periods overlap. */
export function periodAt(t: Tariff, ms: number): number {
  const { weekday, minuteOfDay } = localParts(ms, t.timezone ?? 'UTC');
  for (let i = 0; i < t.periods.length; i++) {
    const q = t.periods[i];
    if (q.days && !q.days.includes(weekday)) continue;
    const a = parseHhMm(q.start)!, b = parseHhMm(q.end)!;
    if (a <= b ? minuteOfDay >= a && minuteOfDay < b : minuteOfDay >= a || minuteOfDay < b) return i;
  }
  return -1;
}

/** Cost of a power series (kW) under a tariff. */
export function energyCost(power: Series, tariff: Tariff, opts: { maxGapMs?: number } = {}): EnergyCost {
  checkSeries(power, { minPoints: 2, name: 'power' });
  const p = new ProblemList();
  checkTariff(tariff, p);
  p.throwIfAny('invalid tariff');
  const steps: number[] = [];
  for (let i = 1; i < power.t.length; i++) steps.push(power.t[i] - power.t[i - 1]);
  const typical = steps.slice().sort((a, b) => a - b)[Math.floor(steps.length / 2)];
  const maxGap = opts.maxGapMs ?? Math.max(3 * typical, 5 * MINUTE);
  const kwhBy = new Float64Array(tariff.periods.length + 1);
  const windowMs = (tariff.demandWindowMinutes ?? 15) * MINUTE;
  const windowSum = new Map<number, number>(); // kW·ms per demand window
  let covered = 0;
  let gaps = 0;
  for (let i = 0; i < power.t.length - 1; i++) {
    const a = power.t[i];
    const dt = power.t[i + 1] - a;
    if (dt > maxGap) {
      gaps++;
      continue;
    }
    covered += dt;
    const kw = power.v[i];
    // Split the interval at quarter-hour edges (tariff periods align to them) and at demand-window edges.
    let s = a;
    while (s < a + dt) {
      const e = Math.min(a + dt, (Math.floor(s / QUARTER) + 1) * QUARTER, (Math.floor(s / windowMs) + 1) * windowMs);
      kwhBy[periodAt(tariff, s) + 1] += (kw * (e - s)) / 3_600_000;
      const q = Math.floor(s / windowMs);
      windowSum.set(q, (windowSum.get(q) ?? 0) + kw * (e - s));
      s = e;
    }
  }
  let peakKw = 0;
  let peakAt: number | null = null;
  for (const [q, sum] of windowSum) {
    const avg = sum / windowMs; // a partly covered window counts as zero for the rest, as a meter would
    if (avg > peakKw) {
      peakKw = avg;
      peakAt = q * windowMs;
    }
  }
  const byPeriod = [{ name: 'base', kwh: kwhBy[0], rate: tariff.baseRate, eur: kwhBy[0] * tariff.baseRate }].concat(
    tariff.periods.map((q, i) => ({ name: q.name, kwh: kwhBy[i + 1], rate: q.rate, eur: kwhBy[i + 1] * q.rate })),
  );
  const kwh = byPeriod.reduce((x, b) => x + b.kwh, 0);
  const energyEur = byPeriod.reduce((x, b) => x + b.eur, 0);
  const demandEur = peakKw * tariff.demandChargePerKw;
  const days = covered / DAY;
  return {
    kwh,
    energyEur,
    byPeriod,
    peakKw,
    peakAt,
    demandEur,
    totalEur: energyEur + demandEur,
    days,
    perMonthEur: (days > 0 ? (energyEur * MONTH_DAYS) / days : 0) + demandEur,
    gaps,
  };
}

export interface LoadShift {
  /** Power of the load while it runs, kW. */
  kw: number;
  /** Local 'HH:MM' it starts now, and how long it runs. */
  start: string;
  durationMin: number;
  /** Minutes to move it by (negative = earlier). */
  shiftMin: number;
  /** Local weekdays it runs on (default every day). */
  days?: number[];
}

export interface ShiftSaving {
  before: EnergyCost;
  after: EnergyCost;
  energySavingEurPerMonth: number;
  demandSavingEurPerMonth: number;
  savingEurPerMonth: number;
  peakBeforeKw: number;
  peakAfterKw: number;
  summary: string;
}

/** The saving of moving a recurring load within a site's power series, per month. */
export function loadShiftSaving(site: Series, load: LoadShift, tariff: Tariff): ShiftSaving {
  checkSeries(site, { minPoints: 2, name: 'site' });
  const p = new ProblemList();
  checkNumber(p, 'load.kw', load?.kw, 0);
  checkNumber(p, 'load.durationMin', load?.durationMin, 1, 1440);
  checkNumber(p, 'load.shiftMin', load?.shiftMin, -1440, 1440);
  const startMin = parseHhMm(load?.start ?? '');
  if (startMin === null) p.add('invalid_option', 'load.start', `not HH:MM (${load?.start})`);
  p.throwIfAny('invalid load shift');
  const tz = tariff.timezone ?? 'UTC';
  const inRun = (ms: number, offsetMin: number): boolean => {
    // Check today's and yesterday's run (a run may cross midnight).
    for (const back of [0, DAY]) {
      const runStart = localDayAt(ms - back, startMin! + offsetMin, tz);
      if (load.days && !load.days.includes(localParts(runStart - offsetMin * MINUTE, tz).weekday)) continue;
      if (ms >= runStart && ms < runStart + load.durationMin * MINUTE) return true;
    }
    return false;
  };
  const v = site.v.map((kw, i) => {
    const t = site.t[i];
    return kw - (inRun(t, 0) ? load.kw : 0) + (inRun(t, load.shiftMin) ? load.kw : 0);
  });
  const before = energyCost(site, tariff);
  const after = energyCost({ t: site.t, v }, tariff);
  const energySaving = before.days > 0 ? ((before.energyEur - after.energyEur) * MONTH_DAYS) / before.days : 0;
  const demandSaving = before.demandEur - after.demandEur;
  const total = energySaving + demandSaving;
  return {
    before,
    after,
    energySavingEurPerMonth: energySaving,
    demandSavingEurPerMonth: demandSaving,
    savingEurPerMonth: total,
    peakBeforeKw: before.peakKw,
    peakAfterKw: after.peakKw,
    summary: `moving the ${load.kw} kW load at ${load.start} by ${load.shiftMin} min saves about ${total.toFixed(0)} EUR/month (${energySaving.toFixed(0)} energy, ${demandSaving.toFixed(0)} demand; peak ${before.peakKw.toFixed(0)} → ${after.peakKw.toFixed(0)} kW)`,
  };
}
