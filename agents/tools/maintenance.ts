/**
 * Maintenance tools: anomalies, health, remaining life (and "which asset fails next" when no asset is named), and
 * the maintenance window: candidate windows before the predicted alarm scored by production lost (simulating the open
 * orders), a technician on shift from a crew within its overtime limit, and the tariff. Their `next` suggestions
 * chain a short remaining life into a window, and a window into a create_work_order proposal.
 */
import { z } from 'zod';
import { healthIndex, recommendMaintenanceWindows, remainingLife, scoreAnomalies, type RulResult } from '../../src/analytics';
import { openAlarmsOf, type SnapshotAsset, type TwinSnapshot } from '../../src/store/queries/twin-snapshot';
import { seriesWindow } from '../../src/store/queries/series-window';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, iso, local, localSpan, selectAssets, thresholded, ToolError, type RunCtx, type ToolDeps } from './common';
import { maintenanceSkill, overtimeLimit, productionInput, shiftsOf, tariffOf } from './plan-input';
import { Window } from './twin';

const HOUR = 3600e3;
const DAY = 24 * HOUR;
/** History the trend and health read: long enough for a change point, short enough to stay recent. */
const LOOKBACK = 7 * DAY;
const BUCKET = 10 * 60e3;

/**
 * Thresholded series over a lookback, one query for all the assets asked, each series kept for the rest of the run
 * (a ranking, a single asset's window and a reviewer's re-check share them). Series already read are not read again.
 */
async function thresholdSeries(ctx: RunCtx, snap: TwinSnapshot, assets: SnapshotAsset[], property?: string, lookback = LOOKBACK, bucketMs = BUCKET) {
  const keys = assets.flatMap((a) => thresholded(snap, a).filter(([k]) => !property || k === property).map(([k, p]) => ({ asset: a, property: k, def: p })));
  const tag = (k: { asset: SnapshotAsset; property: string }) => `series:${lookback}:${bucketMs}:${k.asset.pk}/${k.property}`;
  const missing = keys.filter((k) => !ctx.peek(tag(k)));
  if (missing.length) {
    const batch = seriesWindow(ctx.db, { twin: snap.twin.id, keys: missing.map((k) => ({ assetPk: k.asset.pk, property: k.property })), from: new Date(ctx.now - lookback), to: new Date(ctx.now + 60e3), bucketMs });
    for (const k of missing) void ctx.memo(tag(k), async () => (await batch).get(`${k.asset.pk}/${k.property}`)!).catch(() => undefined);
  }
  return Promise.all(keys.map(async (k) => ({ ...k, series: await ctx.memo(tag(k), async () => ({ t: [] as number[], v: [] as number[] })) })));
}

interface Life {
  asset: string;
  property: string;
  unit: string;
  rul: RulResult;
}

function lifeLine(l: Life, tz: string): string {
  const r = l.rul;
  if (r.status === 'in_alarm') return `${l.asset} ${l.property} is already past its alarm level ${r.alarm} ${l.unit} (now ${fmt(r.current)})`;
  if (r.status === 'not_degrading') return `${l.asset} ${l.property}: not degrading (${fmt(r.current)} ${l.unit}, alarm ${r.alarm})`;
  const [lo, hi] = r.intervalDays ?? [null, null];
  return `${l.asset} ${l.property} ${fmt(r.current)} ${l.unit} reaches the alarm ${r.alarm} ${l.unit} in ${fmt(r.timeToAlarmDays, 2)} days${lo !== null ? ` (${fmt(lo, 2)}–${Number.isFinite(hi) ? fmt(hi as number, 2) : 'open'})` : ''}, around ${local(r.alarmAt!, tz)}${r.accelerating ? ', accelerating' : ''}`;
}

/** Worst remaining life per asset: in alarm first, then the soonest crossing. */
function rank(lives: Life[]): Life[] {
  const key = (l: Life) => (l.rul.status === 'in_alarm' ? -1 : l.rul.status === 'degrading' ? l.rul.timeToAlarmDays ?? Infinity : Infinity);
  const best = new Map<string, Life>();
  for (const l of lives) if (!best.has(l.asset) || key(l) < key(best.get(l.asset)!)) best.set(l.asset, l);
  return [...best.values()].sort((a, b) => key(a) - key(b) || a.asset.localeCompare(b.asset));
}

/** Remaining life of each thresholded series of the assets, each fitted once per run. */
async function lives(ctx: RunCtx, snap: TwinSnapshot, assets: SnapshotAsset[], property?: string): Promise<Life[]> {
  const out: Life[] = [];
  for (const s of await thresholdSeries(ctx, snap, assets, property)) {
    if (s.def.alarm === undefined || s.series.v.length < 12) continue;
    const alarm = s.def.alarm;
    const life = await ctx.memo(`rul:${s.asset.pk}/${s.property}`, async () => {
      try {
        return { asset: s.asset.id, property: s.property, unit: s.def.unit ?? '', rul: remainingLife(s.series, { alarm, direction: s.def.direction ?? 'above', now: ctx.now }) } as Life;
      } catch {
        return null; // a series the trend cannot fit (too short, flat gaps) says nothing about wear
      }
    });
    if (life) out.push(life);
  }
  return out;
}

// The tools' argument schemas, built once: the tools themselves are built for every call (they carry its scope).
const RemainingLifeArgs = z.object({
  asset: z.string().optional().describe('asset id (default: rank every asset)'),
  type: z.string().optional().describe('asset type to rank'),
  property: z.string().optional().describe('property (default: every thresholded property)'),
  window: Window.optional().describe('a planned maintenance window to check against the predicted alarm'),
});
const AssetHealthArgs = z.object({ asset: z.string().optional().describe('asset id (default: rank every asset)'), type: z.string().optional().describe('asset type') });
const DetectAnomaliesArgs = z.object({ asset: z.string().describe('asset id'), property: z.string().optional().describe('property (default: all telemetry)'), window: Window.optional().describe('window to report (default: last 24 h)') });
const MaintenanceWindowArgs = z.object({
  asset: z.string().describe('asset to service'),
  duration_hours: z.number().positive().max(72).optional().describe('job length (default: from its work orders, else 4 h)'),
  before: z.string().optional().describe('ISO deadline (default: the predicted alarm, else 7 days)'),
  avoid_crews: z.array(z.string()).optional().describe('crews not to put the job on (e.g. raised by a reviewer)'),
});

export function maintenanceTools(deps: ToolDeps, scope: ToolScope) {
  const remaining_life = defineTool(deps, scope, {
    name: 'remaining_life',
    description:
      'Remaining useful life: the degradation trend of thresholded measurements (e.g. vibration, temperature, pressure) and the time until the alarm limit, with an interval, or "not degrading". Without an asset it ranks all assets (or all of a type) to tell which is most likely to fail next. Given a planned window, checks it ends before the predicted alarm.',
    schema: RemainingLifeArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const assets = selectAssets(snap, args).filter((a) => thresholded(snap, a).length);
      if (!assets.length) throw new ToolError('no thresholded measurements to trend for that selection');
      // A property with no alarm limit (an attribute, a plain reading) has no remaining life: trend the ones that do.
      const limited = !args.property || assets.some((a) => thresholded(snap, a).some(([k]) => k === args.property));
      const note = limited ? '' : ` (${args.property} has no alarm limit to trend toward; the measurements that have one were checked)`;
      const ranked = rank(await lives(ctx, snap, assets, limited ? args.property : undefined));
      if (!ranked.length) throw new ToolError('not enough history to fit a trend yet');
      const evidence = ranked.slice(0, 6).map((l) => ctx.evidence({ kind: 'analysis', ref: `${l.asset}/${l.property}`, summary: lifeLine(l, tz), window: { start: iso(l.rul.window.start), end: iso(l.rul.window.end) } }));
      const top = ranked[0];
      const atRisk = ranked.filter((l) => l.rul.status !== 'not_degrading');
      const calm = ranked.filter((l) => l.rul.status === 'not_degrading').map((l) => l.asset);
      let summary: string;
      if (assets.length === 1) summary = lifeLine(top, tz);
      else if (!atRisk.length) summary = `no asset is degrading toward an alarm: ${calm.join(', ')} are all not degrading`;
      else summary = `${top.asset} is the most likely to fail next: ${lifeLine(top, tz)}${atRisk.length > 1 ? `; also degrading: ${atRisk.slice(1, 4).map((l) => lifeLine(l, tz)).join('; ')}` : ''}${calm.length ? `; not degrading: ${calm.slice(0, 10).join(', ')}` : ''}`;
      summary += note;
      const concerns: string[] = [];
      if (args.window && top.rul.alarmAt && Date.parse(args.window.end) > top.rul.alarmAt) concerns.push(`the window ends ${local(Date.parse(args.window.end), tz)}, after ${top.asset} is predicted to reach its alarm (${local(top.rul.alarmAt, tz)})`);
      const next = top.rul.status !== 'not_degrading' && !args.window ? [{ tool: 'maintenance_window', args: { asset: top.asset, ...(top.rul.alarmAt ? { before: iso(top.rul.alarmAt) } : {}) }, why: `${top.asset} needs service before its predicted alarm` }] : undefined;
      return {
        ok: true,
        summary,
        evidence: evidence.slice(0, assets.length === 1 ? 1 : 6),
        result: ranked.map((l) => ({ asset: l.asset, property: l.property, status: l.rul.status, current: l.rul.current, alarm: l.rul.alarm, days_to_alarm: l.rul.timeToAlarmDays, interval_days: l.rul.intervalDays, alarm_at: l.rul.alarmAt ? iso(l.rul.alarmAt) : null, slope_per_day: l.rul.trend.slopePerDay, reason: l.rul.reason })),
        next,
        concerns: concerns.length ? concerns : undefined,
      };
    },
  });

  const asset_health = defineTool(deps, scope, {
    name: 'asset_health',
    description: 'Health index 0–100 of an asset (or a ranking of all assets, or of a type) from threshold zones, anomaly scores and open alarms, with which property contributed what: is it ok, what is wrong with it, which is in the worst condition.',
    schema: AssetHealthArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const assets = selectAssets(snap, args).filter((a) => thresholded(snap, a).length);
      if (!assets.length) throw new ToolError('no thresholded measurements for that selection');
      const series = await thresholdSeries(ctx, snap, assets, undefined, 2 * DAY, 5 * 60e3);
      const alarms = await openAlarmsOf(ctx.db, { twin: snap.twin.id });
      const results = assets.map((a) => {
        const props = series.filter((s) => s.asset.id === a.id && s.series.v.length).map((s) => {
          const v = s.series.v;
          const recent = v.slice(-6);
          const scores = v.length >= 30 ? scoreAnomalies(s.series.t, v) : null;
          return { property: s.property, value: Number([...recent].sort((x, y) => x - y)[Math.floor(recent.length / 2)].toFixed(3)), unit: s.def.unit, warn: s.def.warn, alarm: s.def.alarm, direction: s.def.direction, anomalyScore: scores ? Math.max(...Array.from(scores.slice(-12))) : undefined };
        });
        const open = alarms.filter((x) => x.assetId === a.pk).map((x) => ({ property: x.property, severity: x.level === 'alarm' ? ('alarm' as const) : ('warning' as const) }));
        return healthIndex({ asset: a.id, properties: props, openAlarms: open });
      });
      results.sort((x, y) => x.index - y.index || x.asset.localeCompare(y.asset));
      const evidence = results.slice(0, 5).map((h) => ctx.evidence({ kind: 'analysis', ref: `${h.asset}/health`, summary: `${h.asset} health ${fmt(h.index)}/100 (${h.grade}): ${h.summary}`.slice(0, 300) }));
      const line = (h: (typeof results)[number]) => `${h.asset} ${fmt(h.index)}/100 (${h.grade})${h.contributions[0] && h.contributions[0].weighted > 0 ? `: ${h.contributions[0].reason}` : ''}`;
      const summary = results.length === 1 ? `${line(results[0])}. ${results[0].summary}` : `lowest health: ${results.slice(0, 3).map(line).join('; ')}; ${results.filter((h) => h.grade === 'good').length} of ${results.length} assets good`;
      return { ok: true, summary, evidence, result: results.map((h) => ({ asset: h.asset, index: h.index, grade: h.grade, contributions: h.contributions.slice(0, 4), alarm_penalty: h.alarmPenalty })) };
    },
  });

  const detect_anomalies = defineTool(deps, scope, {
    name: 'detect_anomalies',
    description: 'Anomaly scores (0–1) of an asset\'s measurements over a window (level shifts, drifts, spikes, stuck sensors), with when the most anomalous point was. Is anything unusual or abnormal?',
    schema: DetectAnomaliesArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const a = assetOf(snap, args.asset);
      const tz = snap.twin.timezone;
      const props = Object.entries(snap.types.get(a.type)?.properties ?? {}).filter(([k, p]) => p.kind === 'telemetry' && p.type === 'number' && (!args.property || k === args.property));
      if (!props.length) throw new ToolError(`${a.id} has no numeric telemetry${args.property ? ` named ${args.property}` : ''}`);
      const w = args.window ? { start: Date.parse(args.window.start), end: Date.parse(args.window.end) } : { start: ctx.now - DAY, end: ctx.now };
      // Warm the detector on the days before the window so its first points are not "new".
      const data = await seriesWindow(ctx.db, { twin: snap.twin.id, keys: props.map(([k]) => ({ assetPk: a.pk, property: k })), from: new Date(w.start - 3 * DAY), to: new Date(w.end), bucketMs: 60e3 });
      const rows = props.map(([k, p]) => {
        const s = data.get(`${a.pk}/${k}`)!;
        if (s.v.length < 30) return { property: k, unit: p.unit, points: s.v.length, max_score: null as number | null, at: null as string | null, anomalous_points: 0 };
        const scores = scoreAnomalies(s.t, s.v);
        let max = 0;
        let at = 0;
        let n = 0;
        for (let i = 0; i < s.t.length; i++) {
          if (s.t[i] < w.start) continue;
          if (scores[i] > max) (max = scores[i]), (at = s.t[i]);
          if (scores[i] >= 0.8) n++;
        }
        return { property: k, unit: p.unit, points: s.v.length, max_score: Number(max.toFixed(3)), at: at ? iso(at) : null, anomalous_points: n };
      });
      rows.sort((x, y) => (y.max_score ?? -1) - (x.max_score ?? -1));
      const ev = ctx.evidence({ kind: 'analysis', ref: `${a.id}/anomalies`, summary: rows.map((r) => `${r.property} max ${r.max_score ?? 'n/a'}`).join(', '), window: { start: iso(w.start), end: iso(w.end) } });
      const flagged = rows.filter((r) => (r.max_score ?? 0) >= 0.8);
      const summary = flagged.length ? `${a.id}: anomalous ${flagged.map((r) => `${r.property} (score ${r.max_score} at ${local(Date.parse(r.at!), tz)}, ${r.anomalous_points} points ≥ 0.8)`).join('; ')}` : `${a.id}: nothing anomalous between ${local(w.start, tz)} and ${local(w.end, tz)} (highest ${rows[0].property} ${rows[0].max_score ?? 'n/a'})`;
      return { ok: true, summary, evidence: [ev], result: rows };
    },
  });

  const maintenance_window = defineTool(deps, scope, {
    name: 'maintenance_window',
    description:
      'Recommend when to service or repair an asset: candidate windows before its predicted alarm, ranked by production lost (simulating the open orders and due dates), a maintenance technician on shift from a crew within its overtime limit, and the energy tariff. Returns the best windows with reasons and the crew.',
    schema: MaintenanceWindowArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const a = assetOf(snap, args.asset);
      const own = snap.workOrders.filter((w) => w.asset === a.id && w.durationHours);
      const all = snap.workOrders.filter((w) => w.durationHours).map((w) => w.durationHours!).sort((x, y) => x - y);
      const hours = args.duration_hours ?? own[0]?.durationHours ?? (all.length ? all[Math.floor(all.length / 2)] : 4);
      let latest = args.before ? Date.parse(args.before) : NaN;
      const evidence: string[] = [];
      if (!Number.isFinite(latest)) {
        const l = rank(await lives(ctx, snap, [a]))[0];
        if (l && l.rul.alarmAt) {
          latest = l.rul.alarmAt;
          evidence.push(ctx.evidence({ kind: 'analysis', ref: `${l.asset}/${l.property}`, summary: lifeLine(l, tz), window: { start: iso(l.rul.window.start), end: iso(l.rul.window.end) } }));
        } else latest = ctx.now + 7 * DAY;
      }
      const earliest = Math.ceil(ctx.now / HOUR) * HOUR;
      latest = Math.min(latest, ctx.now + 14 * DAY);
      if (latest - earliest < hours * HOUR) throw new ToolError(`no time for a ${hours} h job on ${a.id} before ${local(latest, tz)}: service it now`);
      const avoid = new Set(args.avoid_crews ?? []);
      const shifts = shiftsOf(snap).map((s) => (avoid.has(s.crew) ? { ...s, technicians: 0 } : s));
      const limits = snap.crews.map(overtimeLimit);
      const plan = productionInput(snap, ctx.now);
      const onPlan = plan?.stations.some((s) => s.id === a.id) ? { ...plan, shifts: plan.shifts } : undefined;
      const t = tariffOf(snap);
      const rec = recommendMaintenanceWindows({
        asset: a.id,
        durationMs: hours * HOUR,
        earliest,
        latest,
        production: onPlan,
        shifts,
        timezone: tz,
        techniciansNeeded: maintenanceSkill(snap) ? 1 : 0,
        overtimeLimitHours: limits.length ? Math.min(...limits) : undefined,
        tariff: t?.tariff,
        top: 3,
      });
      const best = rec.ranked[0];
      const wline = (w: (typeof rec.ranked)[number]) => `${localSpan(w.start, w.end, tz)} (${w.reasons.join('; ')})`;
      evidence.push(ctx.evidence({ kind: 'simulation', ref: `${a.id}/maintenance_window`, summary: rec.ranked.map(wline).join(' | ').slice(0, 300), window: { start: iso(earliest), end: iso(latest) } }));
      if (!best?.feasible) {
        return { ok: true, summary: `no window for a ${hours} h job on ${a.id} before ${local(latest, tz)} keeps every order on time with a rested technician on shift; closest: ${best ? wline(best) : 'none'}`, evidence, result: { asset: a.id, duration_hours: hours, deadline: iso(latest), ranked: rec.ranked.map((w) => ({ ...w, start: iso(w.start), end: iso(w.end) })) }, concerns: best ? best.reasons : undefined };
      }
      const techCrews = best.crews.filter((c) => shifts.find((s) => s.crew === c && (s.technicians ?? 0) > 0 && (s.overtimeHours ?? 0) <= overtimeLimit(snap.crews.find((x) => x.id === c)!)));
      const crew = techCrews[0] ?? best.crews[0];
      const due = plan?.orders.filter((o) => o.due < latest + 7 * DAY).map((o) => o.id) ?? [];
      const summary = `best window to service ${a.id}: ${localSpan(best.start, best.end, tz)} (${hours} h, ${best.reasons.join('; ')}${due.length && !best.newLateOrders.length ? `; ${due.join(', ')} stay on time` : ''}), before the deadline ${local(latest, tz)}${rec.ranked.length > 1 ? `; next best ${rec.ranked.slice(1).filter((w) => w.feasible).map((w) => `${localSpan(w.start, w.end, tz)}`).join(', ') || 'none'}` : ''}`;
      return {
        ok: true,
        summary,
        evidence,
        result: { asset: a.id, duration_hours: hours, deadline: iso(latest), crew, ranked: rec.ranked.map((w) => ({ ...w, start: iso(w.start), end: iso(w.end) })) },
        next: [{ tool: 'propose_action', args: { type: 'create_work_order', asset: a.id, window: { start: iso(best.start), end: iso(best.end) }, crew, rationale: `service ${a.id} ${localSpan(best.start, best.end, tz)} with ${crew}: ${best.reasons.join('; ')}` }, why: 'book the best window as a work order (a person approves it)' }],
      };
    },
  });

  return { remaining_life, asset_health, detect_anomalies, maintenance_window };
}
