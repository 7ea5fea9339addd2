/**
 * Energy tools: cost and peaks under the tariff (who drives the site peak, and when), consumption against an asset's
 * usual level (a level shift found by change point, with what moved alongside it, e.g. power up while a pressure
 * sags, the signature of a leak), and the saving of moving a recurring load out of the peak tariff window.
 */
import { z } from 'zod';
import { energyCost, loadShiftSaving, type Series } from '../../src/analytics';
import { localParts } from '../../src/analytics/localtime';
import { seriesWindow } from '../../src/store/queries/series-window';
import type { SnapshotAsset, TwinSnapshot } from '../../src/store/queries/twin-snapshot';
import type { ToolScope } from '../runtime';
import { defineTool, fmt, iso, local, powerProperty, propsOf, selectAssets, ToolError, windowOf, type RunCtx, type ToolDeps } from './common';
import { tariffOf } from './plan-input';
import { Window } from './twin';

const MIN = 60e3;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The site meter: the tariff's meter, else an asset whose power property names the site or whose type is a meter. */
export function siteMeter(snap: TwinSnapshot): { asset: SnapshotAsset; property: string } | null {
  const t = tariffOf(snap);
  const byTariff = t?.meter ? snap.assets.find((a) => a.id === t.meter) : undefined;
  const candidates = byTariff ? [byTariff] : snap.assets.filter((a) => /meter/i.test(a.type) || Object.keys(propsOf(snap, a)).some((k) => /site|total|main/i.test(k) && /kw|power/i.test(k)));
  for (const a of candidates) {
    const p = powerProperty(snap, a);
    if (p) return { asset: a, property: p };
  }
  return null;
}

/** An asset and everything under it (a site, an area, a line). */
function subtree(snap: TwinSnapshot, root: SnapshotAsset): SnapshotAsset[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const a of snap.assets) if (a.parent === out[i].id && !out.includes(a)) out.push(a);
  return out;
}

function consumers(snap: TwinSnapshot, args: { asset?: string; type?: string }, meter: SnapshotAsset | undefined) {
  // A site or area with no power reading of its own stands for the loads under it.
  const picked = selectAssets(snap, args);
  const list = args.asset && picked.length === 1 && !powerProperty(snap, picked[0]) ? subtree(snap, picked[0]) : picked;
  return list
    .filter((a) => a.id !== meter?.id || !!args.asset)
    .map((a) => ({ asset: a, property: powerProperty(snap, a) }))
    .filter((x): x is { asset: SnapshotAsset; property: string } => !!x.property);
}

/**
 * Series of a window, read once per run: the first read of a window fetches every asset's power property in one query
 * (the breakdown, the load shift and a reviewer's re-check all want them), other properties are read as asked.
 */
async function load(ctx: RunCtx, snap: TwinSnapshot, list: { asset: SnapshotAsset; property: string }[], from: number, to: number, bucketMs: number) {
  const power = snap.assets.map((a) => ({ asset: a, property: powerProperty(snap, a) })).filter((x): x is { asset: SnapshotAsset; property: string } => !!x.property);
  const isPower = new Set(power.map((x) => `${x.asset.pk}/${x.property}`));
  const read = (keys: { asset: SnapshotAsset; property: string }[]) =>
    seriesWindow(ctx.db, { twin: snap.twin.id, keys: keys.map((x) => ({ assetPk: x.asset.pk, property: x.property })), from: new Date(from), to: new Date(to), bucketMs });
  const window = `${from}:${to}:${bucketMs}`;
  const allPower = list.some((x) => isPower.has(`${x.asset.pk}/${x.property}`)) ? await ctx.memo(`power:${window}`, () => read(power)) : new Map();
  const others = list.filter((x) => !isPower.has(`${x.asset.pk}/${x.property}`));
  const rest = others.length ? await ctx.memo(`series:${window}:${others.map((x) => `${x.asset.pk}/${x.property}`).sort().join(',')}`, () => read(others)) : new Map();
  return list.map((x) => {
    const key = `${x.asset.pk}/${x.property}`;
    return { ...x, series: (allPower.get(key) ?? rest.get(key) ?? { t: [], v: [] }) as Series & { t: number[]; v: number[] } };
  });
}

const mean = (v: readonly number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

/** The split of a series into two levels with the largest t-statistic; null when there is no clear shift. */
function levelShift(v: readonly number[], minSeg = 6): { at: number; before: number; after: number; t: number } | null {
  if (v.length < 2 * minSeg) return null;
  const pre = [0];
  const pre2 = [0];
  for (const x of v) (pre.push(pre.at(-1)! + x), pre2.push(pre2.at(-1)! + x * x));
  const n = v.length;
  let best: { at: number; before: number; after: number; t: number } | null = null;
  for (let k = minSeg; k <= n - minSeg; k++) {
    const m1 = pre[k] / k;
    const m2 = (pre[n] - pre[k]) / (n - k);
    const ss = pre2[k] - k * m1 * m1 + (pre2[n] - pre2[k]) - (n - k) * m2 * m2;
    const sd = Math.sqrt(Math.max(ss, 1e-12) / (n - 2));
    const t = Math.abs(m2 - m1) / (sd * Math.sqrt(1 / k + 1 / (n - k)));
    if (!best || t > best.t) best = { at: k, before: m1, after: m2, t };
  }
  return best;
}

/** Hourly values divided by the asset's own median for that hour of day: removes the daily load pattern. */
function deseasoned(s: { t: number[]; v: number[] }, tz: string): number[] {
  const byHour = new Map<number, number[]>();
  const hourOf = s.t.map((t) => Math.floor(localParts(t, tz).minuteOfDay / 60));
  s.v.forEach((x, i) => byHour.set(hourOf[i], [...(byHour.get(hourOf[i]) ?? []), x]));
  const med = new Map([...byHour].map(([h, xs]) => [h, [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]]));
  return s.v.map((x, i) => {
    const m = med.get(hourOf[i]) ?? 0;
    return Math.abs(m) > 1e-9 ? x / m : 1;
  });
}

/**
 * What an excess of power above the usual level costs a month under the tariff: a constant extra load over one week,
 * priced by `energyCost` (energy by tariff period plus the demand charge it adds), scaled to a month. Only for power.
 */
function excessCost(r: { unit: string; usual: number; now: number; pct: number }, price: ReturnType<typeof tariffOf>, now: number, tz: string): number | null {
  if (!price || !/^k?w$/i.test(r.unit) || r.pct < 3) return null;
  const extra = (r.now - r.usual) * (/^w$/i.test(r.unit) ? 1e-3 : 1);
  const t: number[] = [];
  for (let x = now - 7 * DAY; x <= now; x += HOUR) t.push(x);
  const c = energyCost({ t, v: t.map(() => extra) }, { ...price.tariff, timezone: price.tariff.timezone ?? tz });
  return Number.isFinite(c.perMonthEur) ? c.perMonthEur : null;
}

const MONTH_DAYS = 30.44;

/**
 * An asset's draw as it runs now: its series over the window with the part before a clear level shift (found as in
 * efficiency_drift, on the series with its daily pattern removed) brought to the level since the shift, so a pump
 * that began drawing more two days ago is priced at what it draws now, with its own daily pattern kept.
 */
function currentDraw(s: { t: number[]; v: number[] }, tz: string): { series: { t: number[]; v: number[] }; since: number | null; kw: number } {
  const shift = s.v.length >= 96 ? levelShift(deseasoned(s, tz), 24) : null;
  const clear = shift && shift.t > 6 && Math.abs(shift.after - shift.before) / Math.max(1e-9, Math.abs(shift.before)) > 0.03;
  if (!clear) return { series: s, since: null, kw: mean(s.v) };
  const f = shift!.after / shift!.before;
  const v = s.v.map((x, i) => (i < shift!.at ? x * f : x));
  return { series: { t: s.t, v }, since: s.t[shift!.at], kw: mean(s.v.slice(shift!.at)) };
}

/**
 * When in the day a site comes near its peak: the local hours of the quarter hours within 3% of it, and the weekdays
 * they fall on (", near it on weekdays 17:30–19:00"). Empty when they do not form one stretch of the day.
 */
function peakHours(s: { t: number[]; v: number[] }, peakKw: number, tz: string): string {
  const near = s.t.map((t, i) => ({ t, v: s.v[i] })).filter((x) => x.v >= 0.97 * peakKw).map((x) => localParts(x.t, tz));
  if (near.length < 2) return '';
  const mins = [...new Set(near.map((p) => Math.floor(p.minuteOfDay / 15) * 15))].sort((a, b) => a - b);
  if (mins.at(-1)! - mins[0] > 6 * 60) return '';
  const days = [...new Set(near.map((p) => p.weekday))];
  const hm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const dayText = days.every((d) => d >= 1 && d <= 5) ? 'weekdays' : days.every((d) => d === 0 || d === 6) ? 'weekends' : days.length <= 3 ? days.sort().map((d) => names[d]).join(', ') : 'most days';
  return `, near it (within 3%) on ${dayText} ${hm(mins[0])}–${hm(mins.at(-1)! + 15)}`;
}

/** The value of a 15-minute series in the quarter starting at `at` (0 when it has none). */
const atQuarter = (s: { t: number[]; v: number[] }, at: number) => s.v[s.t.findIndex((x) => x >= at - 7.5 * MIN)] ?? 0;

const median = (v: readonly number[]) => {
  const xs = [...v].sort((a, b) => a - b);
  return xs.length ? xs[Math.floor(xs.length / 2)] : NaN;
};

// The tools' argument schemas, built once: the tools themselves are built for every call (they carry its scope).
const EnergyBreakdownArgs = z.object({
  window: Window.optional().describe('window (default: the last 7 days)'),
  asset: z.string().optional().describe('one asset'),
  type: z.string().optional().describe('an asset type'),
});
const EfficiencyDriftArgs = z.object({
  asset: z.string().optional().describe('asset id'),
  type: z.string().optional().describe('asset type'),
  property: z.string().optional().describe('property (default: power)'),
  window: Window.optional().describe('window of interest (default: the last 7 days)'),
});
const LoadShiftArgs = z.object({
  asset: z.string().optional().describe('the asset whose load to move (default: the biggest load in the peak window)'),
  shift_minutes: z.number().int().min(-720).max(720).optional().describe('minutes to move it (negative = earlier); default: just out of the peak window'),
});

export function energyTools(deps: ToolDeps, scope: ToolScope) {
  const energy_breakdown = defineTool(deps, scope, {
    name: 'energy_breakdown',
    description: 'Energy use and cost under the tariff over a window: kWh and cost per asset, the site peak or max demand (kW and when, local time), the demand charge, and which loads drive the peak; for one asset, what its power costs a month at its current draw. What does energy cost us, when is our peak load, what is the bill this month?',
    schema: EnergyBreakdownArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const t = tariffOf(snap);
      if (!t) throw new ToolError('the twin has no tariff');
      const w = windowOf(args.window, ctx.now, 7 * DAY);
      w.end = Math.min(w.end, ctx.now);
      const meter = siteMeter(snap);
      const list = consumers(snap, args, meter?.asset);
      const whole = !args.asset && !args.type;
      // The site meter is read with one asset too: its peak is what that asset's share of the demand charge is priced on.
      const data = await load(ctx, snap, meter && !list.some((x) => x.asset.id === meter.asset.id) ? [...list, meter] : list, w.start, w.end, 15 * MIN);
      const rows = data
        .filter((d) => d.series.v.length >= 2)
        .map((d) => ({ asset: d.asset.id, property: d.property, cost: energyCost(d.series, t.tariff, { maxGapMs: HOUR }), series: d.series }));
      if (!rows.length) throw new ToolError('no power data in that window');
      const metered = meter ? rows.find((r) => r.asset === meter.asset.id) : undefined;
      const site = whole || list.some((x) => x.asset.id === meter?.asset.id) ? metered : undefined;
      const loads = rows.filter((r) => r !== metered).sort((a, b) => b.cost.kwh - a.cost.kwh);
      const c = t.currency;
      const parts: string[] = [];
      const evidence: string[] = [];
      const sitePeakAt = metered?.cost.peakAt ?? null;
      if (site) {
        const peakAt = site.cost.peakAt;
        const atPeak = peakAt === null ? [] : loads.map((l) => ({ asset: l.asset, kw: atQuarter(l.series, peakAt), usual: median(l.series.v) })).sort((a, b) => b.kw - a.kw);
        // What lifts the peak: a load drawing well above its own usual level at that quarter hour (a refill, a
        // pre-heat), not the big loads that run flat all day.
        const lifts = atPeak.filter((x) => x.kw - x.usual > Math.max(5, 0.2 * Math.abs(x.usual), 0.03 * site.cost.peakKw)).sort((a, b) => b.kw - b.usual - (a.kw - a.usual));
        const liftText = lifts.length ? `; the peak is driven by ${lifts.slice(0, 2).map((x) => `${x.asset} (${fmt(x.kw)} kW at the peak, ${fmt(x.kw - x.usual)} kW above its usual ${fmt(x.usual)} kW)`).join(' and ')}` : '';
        const when = peakAt === null ? '' : peakHours(site.series, site.cost.peakKw, tz);
        parts.push(`site (${site.asset}): ${fmt(site.cost.kwh)} kWh, ${fmt(site.cost.energyEur)} ${c} energy over ${fmt(site.cost.days, 2)} days (≈ ${fmt(site.cost.perMonthEur)} ${c}/month incl. demand); peak (maximum) demand ${fmt(site.cost.peakKw)} kW at ${peakAt ? local(peakAt, tz) : 'n/a'} (${t.tariff.demandWindowMinutes ?? 15}-min average)${when}, demand charge ${fmt(site.cost.demandEur)} ${c}/month${liftText}${atPeak.length ? `; largest draws at the peak: ${atPeak.slice(0, 3).map((x) => `${x.asset} ${fmt(x.kw)} kW`).join(', ')}` : ''}`);
        evidence.push(ctx.evidence({ kind: 'analysis', ref: `${site.asset}/${site.property}`, summary: parts[0].slice(0, 300), window: { start: iso(w.start), end: iso(w.end) } }));
      }
      // One asset asked about ("what does X cost us a month"): what it costs a month to run at its current draw, and
      // with its share of the demand charge (its draw at the site's peak), each figure with its period.
      if (!site && loads.length === 1) {
        const l = loads[0];
        const now = currentDraw(l.series, tz);
        const cost = now.since === null ? l.cost : energyCost(now.series, t.tariff, { maxGapMs: HOUR });
        const month = cost.days > 0 ? (cost.energyEur * MONTH_DAYS) / cost.days : NaN;
        const share = metered && sitePeakAt !== null ? atQuarter(now.series, sitePeakAt) : null;
        const demand = share === null ? null : share * t.tariff.demandChargePerKw;
        const draw = now.since === null ? `at its draw over those ${fmt(l.cost.days, 2)} days (average ${fmt(now.kw)} kW)` : `at its current draw (about ${fmt(now.kw)} kW since ${local(now.since, tz)})`;
        const demandText = demand !== null && demand > 0 ? `; about ${c} ${Math.round(month + demand)} a month with its share of the demand charge (${fmt(share)} kW of the site's ${fmt(metered!.cost.peakKw)} kW peak demand at ${local(sitePeakAt!, tz)} × ${t.tariff.demandChargePerKw} ${c}/kW = ${c} ${Math.round(demand)} a month)` : '';
        parts.push(`${l.asset} costs about ${c} ${Math.round(month)} a month in energy ${draw}${demandText}. Over ${local(w.start, tz)}–${local(w.end, tz)} (${fmt(l.cost.days, 2)} days) it used ${fmt(l.cost.kwh)} kWh, costing ${c} ${Math.round(l.cost.energyEur)} (peak ${fmt(l.cost.peakKw)} kW at ${l.cost.peakAt ? local(l.cost.peakAt, tz) : 'n/a'})`);
        evidence.push(ctx.evidence({ kind: 'analysis', ref: `${l.asset}/${l.property}`, summary: parts.at(-1)!.slice(0, 300), window: { start: iso(w.start), end: iso(w.end) } }));
        return {
          ok: true,
          summary: parts.join('. '),
          evidence,
          result: rows.filter((r) => r === l).map((r) => ({ asset: r.asset, kwh: r.cost.kwh, energy_cost: r.cost.energyEur, days: r.cost.days, peak_kw: r.cost.peakKw, peak_at: r.cost.peakAt ? iso(r.cost.peakAt) : null, by_period: r.cost.byPeriod, current_kw: now.kw, current_since: now.since ? iso(now.since) : null, energy_per_month: month, demand_share_kw: share, demand_share_per_month: demand, per_month: month + (demand ?? 0), currency: c })),
        };
      }
      if (!site && loads.length > 1) {
        // No site meter: the total is the sum of the metered loads, and says so.
        const kwh = loads.reduce((a, l) => a + l.cost.kwh, 0);
        const eur = loads.reduce((a, l) => a + l.cost.energyEur, 0);
        parts.push(`all ${loads.length} metered loads together (no site meter): ${fmt(kwh)} kWh, ${fmt(eur)} ${c} energy over ${fmt(Math.max(...loads.map((l) => l.cost.days)), 2)} days`);
      }
      if (loads.length) {
        parts.push(`largest loads over ${site ? 'the same' : fmt(Math.max(...loads.map((l) => l.cost.days)), 2)} days: ${loads.slice(0, 5).map((l) => `${l.asset} ${fmt(l.cost.kwh)} kWh (${fmt(l.cost.energyEur)} ${c}, peak ${fmt(l.cost.peakKw)} kW at ${l.cost.peakAt ? local(l.cost.peakAt, tz, false) : 'n/a'})`).join('; ')}`);
        evidence.push(ctx.evidence({ kind: 'analysis', ref: `${snap.twin.id}/energy`, summary: parts.at(-1)!.slice(0, 300), window: { start: iso(w.start), end: iso(w.end) } }));
      }
      return {
        ok: true,
        summary: parts.join('. '),
        evidence,
        result: rows.filter((r) => r === site || loads.includes(r)).map((r) => ({ asset: r.asset, kwh: r.cost.kwh, energy_cost: r.cost.energyEur, peak_kw: r.cost.peakKw, peak_at: r.cost.peakAt ? iso(r.cost.peakAt) : null, by_period: r.cost.byPeriod, demand_cost_month: r.cost.demandEur, per_month: r.cost.perMonthEur, currency: c })),
      };
    },
  });

  const efficiency_drift = defineTool(deps, scope, {
    name: 'efficiency_drift',
    description: 'Consumption against its usual level: for an asset (or all of a type, e.g. compressed air compressors, chillers, boilers, pumps), how far power (or another property) is above or below its usual level, since when, and what changed with it (e.g. pressure sagging while power rises suggests a leak). Why is energy use up, where is energy wasted, and what does the excess cost a month?',
    schema: EfficiencyDriftArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const meter = siteMeter(snap);
      const w = windowOf(args.window, ctx.now, 7 * DAY);
      // The usual level needs history before the window too.
      const from = Math.min(w.start, ctx.now - 7 * DAY);
      const to = Math.min(w.end, ctx.now);
      const list = args.property ? selectAssets(snap, args).filter((a) => propsOf(snap, a)[args.property!]).map((a) => ({ asset: a, property: args.property! })) : consumers(snap, args, meter?.asset);
      if (!list.length) throw new ToolError('no asset with that consumption property');
      const data = await load(ctx, snap, list, from, to, HOUR);
      const rows = [] as { asset: string; property: string; unit: string; usual: number; now: number; pct: number; since: number | null; related: string[] }[];
      for (const d of data) {
        if (d.series.v.length < 24) continue;
        const ratio = deseasoned(d.series, tz);
        const shift = levelShift(ratio);
        const unit = propsOf(snap, d.asset)[d.property]?.unit ?? '';
        const clear = shift && shift.t > 6 && Math.abs(shift.after - shift.before) / Math.max(1e-9, Math.abs(shift.before)) > 0.03;
        const k = clear ? shift!.at : Math.floor(d.series.v.length / 2);
        const usual = mean(d.series.v.slice(0, k));
        const recent = mean(d.series.v.slice(k));
        const pct = clear ? (shift!.after / shift!.before - 1) * 100 : (recent / usual - 1) * 100;
        const related: string[] = [];
        if (clear) {
          // What else of the same asset moved at the same time.
          const others = Object.entries(propsOf(snap, d.asset)).filter(([key, p]) => key !== d.property && p.kind === 'telemetry' && p.type === 'number');
          const od = await load(ctx, snap, others.map(([key]) => ({ asset: d.asset, property: key })), from, to, HOUR);
          const cut = d.series.t[k];
          for (const o of od) {
            const before = mean(o.series.v.filter((_, i) => o.series.t[i] < cut));
            const after = mean(o.series.v.filter((_, i) => o.series.t[i] >= cut));
            if (!Number.isFinite(before) || !Number.isFinite(after) || Math.abs(before) < 1e-9) continue;
            const change = (after / before - 1) * 100;
            if (Math.abs(change) >= 3) related.push(`${o.property} ${fmt(before)} → ${fmt(after)} ${propsOf(snap, d.asset)[o.property]?.unit ?? ''} (${change >= 0 ? '+' : ''}${fmt(change, 2)}%)`);
          }
          // More power for less pressure, seen from either side: the signature of a leak.
          const pressureDown = related.some((r) => /pressure/i.test(r) && /\(-/.test(r));
          const powerUp = related.some((r) => /power|_kw\b|kw\b/i.test(r.split(' ')[0]) && /\(\+/.test(r));
          const isPower = /power|kw/i.test(d.property);
          const isPressure = /pressure/i.test(d.property);
          if ((isPower && pct > 0 && pressureDown) || (isPressure && pct < 0 && powerUp)) related.push('more power for less pressure: consistent with a leak downstream (air or fluid escaping)');
        }
        rows.push({ asset: d.asset.id, property: d.property, unit, usual, now: clear ? usual * (1 + pct / 100) : recent, pct, since: clear ? d.series.t[k] : null, related });
      }
      if (!rows.length) throw new ToolError('not enough history to compare with the usual level');
      rows.sort((a, b) => Math.abs(b.pct) - Math.abs(a.pct));
      const price = tariffOf(snap);
      const costs = new Map(rows.map((r) => [r, excessCost(r, price, ctx.now, tz)] as const));
      const line = (r: (typeof rows)[number]) => {
        if (Math.abs(r.pct) < 3) return `${r.asset} ${r.property} at its usual level (${r.pct >= 0 ? '+' : ''}${fmt(r.pct, 2)}%)`;
        const cost = costs.get(r);
        const costText = cost ? `; the extra ${fmt(r.now - r.usual)} ${r.unit} costs about ${price!.currency} ${fmt(cost, 3)} a month (energy and demand charge at the tariff)` : '';
        return `${r.asset} ${r.property} is ${fmt(Math.abs(r.pct), 3)}% ${r.pct > 0 ? 'above' : 'below'} its usual level${r.since ? ` since ${local(r.since, tz)}` : ''} (${fmt(r.usual)} → ${fmt(r.now)} ${r.unit})${costText}${r.related.length ? `; ${r.related.join('; ')}` : ''}`;
      };
      const evidence = rows.slice(0, 4).map((r) => ctx.evidence({ kind: 'analysis', ref: `${r.asset}/${r.property}`, summary: line(r).slice(0, 300), window: { start: iso(r.since ?? from), end: iso(to) } }));
      return { ok: true, summary: rows.slice(0, 4).map(line).join('; '), evidence, result: rows.map((r) => ({ ...r, since: r.since ? iso(r.since) : null })) };
    },
  });

  const load_shift = defineTool(deps, scope, {
    name: 'load_shift',
    description: 'Load shifting: find a recurring load (e.g. a pre-heat or a batch) that runs in the peak tariff window, and compute what moving it earlier or later saves per month (energy and demand charge) and the new site peak.',
    schema: LoadShiftArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const t = tariffOf(snap);
      if (!t) throw new ToolError('the twin has no tariff');
      const peaks = t.tariff.periods.filter((p) => p.rate > t.tariff.baseRate);
      if (!peaks.length) throw new ToolError('the tariff has no peak period to move a load out of');
      const meter = siteMeter(snap);
      const list = consumers(snap, { asset: args.asset }, meter?.asset);
      const from = ctx.now - 7 * DAY;
      const data = await load(ctx, snap, meter ? [...list, meter] : list, from, ctx.now, 15 * MIN);
      const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
      const hhmm = (m: number) => `${String(Math.floor((((m % 1440) + 1440) % 1440) / 60)).padStart(2, '0')}:${String((((m % 1440) + 1440) % 1440) % 60).padStart(2, '0')}`;
      // Each load's average day (15-minute slots, on the peak period's days), and its run above its own base level.
      const runs = data
        .filter((d) => d.asset.id !== meter?.asset.id && d.series.v.length > 96)
        .map((d) => {
          const slots = new Array<number[]>(96).fill([]).map(() => [] as number[]);
          d.series.t.forEach((ts, i) => {
            const lp = localParts(ts, tz);
            if (!peaks[0].days || peaks[0].days.includes(lp.weekday)) slots[Math.floor(lp.minuteOfDay / 15)].push(d.series.v[i]);
          });
          const profile = slots.map((s) => (s.length ? mean(s) : NaN));
          const base = [...profile.filter(Number.isFinite)].sort((a, b) => a - b)[Math.floor(profile.filter(Number.isFinite).length * 0.3)] ?? 0;
          const high = profile.map((v) => Number.isFinite(v) && v - base > Math.max(5, 0.3 * Math.abs(base)));
          let best: { start: number; len: number; inPeak: number; kw: number } | null = null;
          for (let i = 0; i < 96; i++) {
            if (!high[i] || (i > 0 && high[i - 1])) continue;
            let j = i;
            while (j < 96 && high[j]) j++;
            const inPeak = [...Array(j - i).keys()].filter((k) => peaks.some((p) => (i + k) * 15 >= toMin(p.start) && (i + k) * 15 < toMin(p.end))).length;
            const kw = mean(profile.slice(i, j).map((v) => v - base));
            if (inPeak && (!best || inPeak * kw > best.inPeak * best.kw)) best = { start: i * 15, len: (j - i) * 15, inPeak, kw };
          }
          return best ? { asset: d.asset.id, ...best } : null;
        })
        .filter((r): r is NonNullable<typeof r> => !!r)
        .sort((a, b) => b.inPeak * b.kw - a.inPeak * a.kw);
      const run = runs[0];
      if (!run) return { ok: true, summary: `no recurring load${args.asset ? ` of ${args.asset}` : ''} runs in the peak window (${peaks.map((p) => p.name).join(', ')}); nothing to shift`, evidence: [ctx.evidence({ kind: 'analysis', ref: `${snap.twin.id}/load_shift`, summary: 'no load in the peak window' })], result: { runs: [] } };
      const peak = peaks.find((p) => run.start + run.len > toMin(p.start) && run.start < toMin(p.end)) ?? peaks[0];
      const site = meter ? data.find((d) => d.asset.id === meter.asset.id)!.series : null;
      const siteSeries = site && site.v.length > 96 ? site : data.find((d) => d.asset.id === run.asset)!.series;
      const options = args.shift_minutes !== undefined ? [args.shift_minutes] : [toMin(peak.start) - (run.start + run.len), toMin(peak.end) - run.start];
      const results = options.map((shiftMin) => ({ shiftMin, r: loadShiftSaving(siteSeries, { kw: run.kw, start: hhmm(run.start), durationMin: run.len, shiftMin, days: peak.days }, t.tariff) }));
      results.sort((a, b) => b.r.savingEurPerMonth - a.r.savingEurPerMonth);
      const best = results[0];
      const c = t.currency;
      const summary = `${run.asset} runs a recurring load of about ${fmt(run.kw)} kW from ${hhmm(run.start)} for ${fmt(run.len / 60, 2)} h, ${fmt(run.inPeak * 15 / 60, 2)} h of it inside the ${peak.name} peak window (${peak.rate} vs ${t.tariff.baseRate} ${c}/kWh). Moving it ${best.shiftMin < 0 ? 'earlier' : 'later'} by ${fmt(Math.abs(best.shiftMin) / 60, 2)} h (to start ${hhmm(run.start + best.shiftMin)}) saves about ${fmt(best.r.savingEurPerMonth)} ${c}/month (energy ${fmt(best.r.energySavingEurPerMonth)} + demand ${fmt(best.r.demandSavingEurPerMonth)} ${c}/month); ${siteSeries === site ? 'site' : run.asset} peak ${fmt(best.r.peakBeforeKw)} → ${fmt(best.r.peakAfterKw)} kW`;
      const ev = ctx.evidence({ kind: 'analysis', ref: `${run.asset}/load_shift`, summary: summary.slice(0, 300), window: { start: iso(from), end: iso(ctx.now) } });
      return {
        ok: true,
        summary,
        evidence: [ev],
        result: { asset: run.asset, load_kw: run.kw, starts: hhmm(run.start), duration_min: run.len, peak_window: peak.name, options: results.map((o) => ({ shift_minutes: o.shiftMin, new_start: hhmm(run.start + o.shiftMin), saving_per_month: o.r.savingEurPerMonth, energy_saving_per_month: o.r.energySavingEurPerMonth, demand_saving_per_month: o.r.demandSavingEurPerMonth, peak_before_kw: o.r.peakBeforeKw, peak_after_kw: o.r.peakAfterKw })), currency: c },
      };
    },
  });

  return { energy_breakdown, efficiency_drift, load_shift };
}
