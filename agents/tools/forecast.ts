/**
 * `forecast`: what a measured property will be ahead of now (tomorrow, this week, at a time), from the analytics'
 * Holt–Winters forecast with a daily season and a prediction interval, on hourly means read from the rollups. For a
 * window it reports the expected average, the expected peak and when, each with its interval. Without an asset it
 * forecasts the site's power (the tariff's meter), the usual question behind "what will our load be".
 */
import { z } from 'zod';
import { forecast as holtWinters } from '../../src/analytics';
import { seriesWindow } from '../../src/store/queries/series-window';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, iso, local, powerProperty, propsOf, ToolError, windowOf, type ToolDeps } from './common';
import { siteMeter } from './energy';
import { Window } from './twin';

const HOUR = 3600e3;
const DAY = 24 * HOUR;
/** History the forecast learns from: a week holds seven daily cycles. */
const HISTORY = 7 * DAY;

// The tools' argument schemas, built once: the tools themselves are built for every call (they carry its scope).
const ForecastArgs = z.object({
  asset: z.string().optional().describe('asset id (default: the site meter)'),
  property: z.string().optional().describe('property (default: its power, else its first thresholded measurement)'),
  window: Window.optional().describe('the future window to forecast (default: the next 24 h)'),
});

export function forecastTools(deps: ToolDeps, scope: ToolScope) {
  const forecast = defineTool(deps, scope, {
    name: 'forecast',
    description:
      'Forecast a measured property (power, load, consumption, temperature, pressure…) of an asset or of the whole site ahead of now, with its daily pattern and a prediction interval: what will it be tomorrow, later today or this week, when will the next peak be and how high. Predict expected future values.',
    schema: ForecastArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const meter = siteMeter(snap);
      const asset = args.asset ? assetOf(snap, args.asset) : meter?.asset;
      if (!asset) throw new ToolError('name an asset to forecast (the twin has no site meter)');
      const props = propsOf(snap, asset);
      const telemetry = Object.entries(props).filter(([, p]) => p.kind === 'telemetry' && p.type === 'number');
      const property = args.property ?? powerProperty(snap, asset) ?? (telemetry.find(([, p]) => p.alarm !== undefined) ?? telemetry[0])?.[0];
      if (!property || !props[property]) throw new ToolError(`${asset.id} has no numeric property "${String(args.property ?? '').slice(0, 40)}"; it measures ${telemetry.map(([k]) => k).join(', ')}`);
      const w = args.window ? windowOf(args.window, ctx.now, DAY) : { start: ctx.now, end: ctx.now + DAY };
      // The part of the window already past is history, not forecast.
      const start = Math.max(w.start, ctx.now);
      if (w.end <= ctx.now) throw new ToolError('that window is in the past: asset_history shows what happened');
      if (w.end - ctx.now > 31 * DAY) throw new ToolError('forecasts reach at most 31 days ahead');
      const key = `forecast-history:${asset.pk}/${property}`;
      const s = await ctx.memo(key, async () => (await seriesWindow(ctx.db, { twin: snap.twin.id, keys: [{ assetPk: asset.pk, property }], from: new Date(ctx.now - HISTORY), to: new Date(ctx.now), bucketMs: HOUR })).get(`${asset.pk}/${property}`)!);
      if (s.v.length < 3) throw new ToolError(`not enough ${property} history on ${asset.id} to forecast`);
      const f = holtWinters(s, { horizonMs: w.end - ctx.now, stepMs: HOUR });
      const inWindow = f.points.filter((p) => p.t >= start - HOUR / 2 && p.t < w.end);
      const points = inWindow.length ? inWindow : f.points.slice(-1);
      const unit = props[property].unit ?? '';
      const avg = points.reduce((a, p) => a + p.mean, 0) / points.length;
      const avgLo = points.reduce((a, p) => a + p.lo, 0) / points.length;
      const avgHi = points.reduce((a, p) => a + p.hi, 0) / points.length;
      const peak = points.reduce((a, p) => (p.mean > a.mean ? p : a));
      const low = points.reduce((a, p) => (p.mean < a.mean ? p : a));
      const pct = Math.round(f.confidence * 100);
      const summary = `${asset.id} ${property} forecast for ${local(start, tz)}–${local(w.end, tz)}: average ${fmt(avg)} ${unit} (${pct}% interval ${fmt(avgLo)}–${fmt(avgHi)}), peak ${fmt(peak.mean)} ${unit} around ${local(peak.t, tz)} (${fmt(peak.lo)}–${fmt(peak.hi)}), low ${fmt(low.mean)} ${unit} around ${local(low.t, tz)}; ${f.seasonal ? 'daily pattern' : 'no daily pattern (short history)'} learnt from ${s.v.length} hourly means, one-step error ${fmt(f.rmse)} ${unit}`;
      const ev = ctx.evidence({ kind: 'analysis', ref: `${asset.id}/${property}/forecast`, summary: summary.slice(0, 300), window: { start: iso(start), end: iso(w.end) } });
      return {
        ok: true,
        summary,
        evidence: [ev],
        result: {
          asset: asset.id,
          property,
          unit,
          window: { start: iso(start), end: iso(w.end) },
          average: avg,
          average_interval: [avgLo, avgHi],
          peak: { at: iso(peak.t), value: peak.mean, interval: [peak.lo, peak.hi] },
          low: { at: iso(low.t), value: low.mean, interval: [low.lo, low.hi] },
          confidence: f.confidence,
          seasonal: f.seasonal,
          rmse: f.rmse,
          points: points.filter((_, i) => i % Math.max(1, Math.ceil(points.length / 48)) === 0).map((p) => ({ t: iso(p.t), mean: Number(p.mean.toFixed(3)), lo: Number(p.lo.toFixed(3)), hi: Number(p.hi.toFixed(3)) })),
        },
      };
    },
  });
  return { forecast };
}
