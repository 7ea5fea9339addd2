/**
 * Reading the twin: assets (ids, names, types), relations, latest state, bucketed history and open alarms.
 * Every result registers its evidence; names and alarm messages are returned as quoted data.
 */
import { z } from 'zod';
import { openAlarmsOf } from '../../src/store/queries/twin-snapshot';
import { seriesWindow } from '../../src/store/queries/series-window';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, iso, local, propsOf, quote, selectAssets, subtreeIds, ToolError, windowOf, type ToolDeps } from './common';

export const Window = z.object({ start: z.string().describe('ISO time'), end: z.string().describe('ISO time') });
const HOUR = 3600e3;
const DAY = 24 * HOUR;

// The tools' argument schemas, built once: the tools themselves are built for every call (they carry its scope).
const ListAssetsArgs = z.object({
  type: z.string().optional().describe('asset type, e.g. from the catalog'),
  parent: z.string().optional().describe('parent asset id (a line or area)'),
  query: z.string().optional().describe('words to search in ids and names'),
});
const RelationsArgs = z.object({ asset: z.string().describe('asset id'), depth: z.number().int().min(1).max(4).optional().describe('hops (default 1)') });
const AssetStateArgs = z.object({ asset: z.string().describe('asset id') });
const AssetHistoryArgs = z.object({
  asset: z.string().describe('asset id'),
  property: z.string().optional().describe('property name (default: the first thresholded telemetry property)'),
  window: Window.optional().describe('time window (default: the last 24 h)'),
  bucket: z.enum(['raw', '1m', '1h']).optional().describe('bucket size (default 1h)'),
});
const OpenAlarmsArgs = z.object({ asset: z.string().optional().describe('asset id (default: all assets)') });

export function twinTools(deps: ToolDeps, scope: ToolScope) {
  const list_assets = defineTool(deps, scope, {
    name: 'list_assets',
    description: 'List or find the assets (machines, equipment, sites, lines) of the twin with their ids, names, types, parent and measured properties. Filter by type or parent, or search names.',
    schema: ListAssetsArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      let list = args.type ? selectAssets(snap, { type: args.type }) : snap.assets;
      if (args.parent) list = list.filter((a) => a.parent === args.parent);
      if (args.query) {
        const q = args.query.toLowerCase().split(/\s+/).filter(Boolean);
        list = list.filter((a) => q.some((w) => `${a.id} ${a.name ?? ''} ${a.type}`.toLowerCase().includes(w)));
      }
      const result = list.map((a) => ({
        id: a.id,
        name: a.name ? quote(a.name, 80) : undefined,
        type: a.type,
        parent: a.parent,
        properties: Object.entries(propsOf(snap, a)).filter(([, p]) => p.kind === 'telemetry').map(([k, p]) => (p.unit ? `${k} (${p.unit})` : k)),
      }));
      const ev = ctx.evidence({ kind: 'record', ref: `${snap.twin.id}/assets`, summary: `${result.length} asset(s)${args.type ? ` of type ${args.type}` : ''}` });
      const byType = new Map<string, number>();
      for (const a of result) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
      // A short list names its ids, so an answer can say which things it means.
      const named = result.length <= 12 ? ` (${result.map((a) => a.id).join(', ')})` : '';
      return { ok: true, summary: `${result.length} asset(s)${args.parent ? ` under ${args.parent}` : ''}: ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}${named}`, evidence: [ev], result };
    },
  });

  const relations = defineTool(deps, scope, {
    name: 'relations',
    description: 'Relations of an asset in both directions (feeds, supplies, cools, metered by, …), up to a few hops: what is upstream and downstream of it.',
    schema: RelationsArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const root = assetOf(snap, args.asset);
      const depth = args.depth ?? 1;
      const seen = new Set([root.id]);
      const edges: { from: string; type: string; to: string; hops: number }[] = [];
      let frontier = [root.id];
      for (let hop = 1; hop <= depth && frontier.length; hop++) {
        const next: string[] = [];
        for (const r of snap.relations) {
          const touches = frontier.includes(r.from) || frontier.includes(r.to);
          if (!touches || edges.some((e) => e.from === r.from && e.to === r.to && e.type === r.type)) continue;
          edges.push({ ...r, hops: hop });
          for (const id of [r.from, r.to]) if (!seen.has(id)) (seen.add(id), next.push(id));
        }
        frontier = next;
      }
      const ev = ctx.evidence({ kind: 'record', ref: `${root.id}/relations`, summary: `${edges.length} relation(s) within ${depth} hop(s)` });
      const out = edges.filter((e) => e.hops === 1).map((e) => (e.from === root.id ? `${e.type} ${e.to}` : `${e.from} ${e.type} it`));
      return { ok: true, summary: `${root.id}: ${out.join('; ') || 'no relations'}`, evidence: [ev], result: edges };
    },
  });

  const asset_state = defineTool(deps, scope, {
    name: 'asset_state',
    description: 'Latest reported state of an asset: each measured value with its time, unit and warn/alarm thresholds, setpoints (desired vs reported), its status and the commands its type accepts.',
    schema: AssetStateArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const a = assetOf(snap, args.asset);
      const props = propsOf(snap, a);
      const values = Object.entries(a.reported).map(([k, s]) => {
        const p = props[k];
        const n = typeof s.value === 'number' ? s.value : null;
        const zone = n === null || !p ? undefined : (p.direction === 'below' ? (p.alarm !== undefined && n <= p.alarm ? 'alarm' : p.warn !== undefined && n <= p.warn ? 'warn' : 'normal') : p.alarm !== undefined && n >= p.alarm ? 'alarm' : p.warn !== undefined && n >= p.warn ? 'warn' : 'normal');
        return { property: k, value: typeof s.value === 'string' ? quote(s.value, 60) : s.value, unit: p?.unit, ts: s.ts, warn: p?.warn, alarm: p?.alarm, zone };
      });
      const desired = Object.entries(a.desired).map(([k, s]) => ({ property: k, desired: s.value, reported: a.reported[k]?.value ?? null, converged: a.reported[k]?.value === s.value }));
      const commands = Object.entries(snap.types.get(a.type)?.commands ?? {}).map(([k, c]) => ({ command: k, risk: c.risk, params: Object.keys(c.params ?? {}) }));
      const latest = values.reduce((m, v) => (v.ts > m ? v.ts : m), '');
      const ev = ctx.evidence({ kind: 'readings', ref: `${a.id}/state`, summary: `latest state of ${a.id} (${values.length} values)`, window: latest ? { start: latest, end: latest } : undefined });
      // The limits go next to the value: "is it safe?" needs both.
      const limits = (v: (typeof values)[number]) => [v.warn !== undefined ? `warn ${fmt(v.warn)}` : '', v.alarm !== undefined ? `alarm ${fmt(v.alarm)}` : ''].filter(Boolean).join(', ');
      const shown = values.filter((v) => typeof v.value === 'number' || v.property === 'status').slice(0, 8).map((v) => {
        const zone = v.zone && v.zone !== 'normal' ? `in ${v.zone}` : '';
        const lim = typeof v.value === 'number' ? limits(v) : '';
        const note = [zone, lim].filter(Boolean).join('; ');
        return `${v.property} ${typeof v.value === 'number' ? fmt(v.value) : v.value}${v.unit ? ` ${v.unit}` : ''}${note ? ` (${note})` : ''}`;
      });
      return { ok: true, summary: `${a.id} (${a.type}): ${shown.join(', ') || 'no readings yet'}`, evidence: [ev], result: { asset: a.id, name: a.name ? quote(a.name, 80) : undefined, type: a.type, values, desired, commands } };
    },
  });

  const asset_history = defineTool(deps, scope, {
    name: 'asset_history',
    description: 'History of a measured property of an asset over a time window, in raw, 1-minute or 1-hour buckets, with min, max, mean, first, last and change over the window.',
    schema: AssetHistoryArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const a = assetOf(snap, args.asset);
      const props = propsOf(snap, a);
      const telemetry = Object.entries(props).filter(([, p]) => p.kind === 'telemetry');
      const property = args.property ?? (telemetry.find(([, p]) => p.alarm !== undefined) ?? telemetry[0])?.[0];
      if (!property || !props[property]) throw new ToolError(`${a.id} has no property "${String(args.property ?? '').slice(0, 40)}"; it measures ${telemetry.map(([k]) => k).join(', ')}`);
      const w = windowOf(args.window, ctx.now, DAY);
      const bucketMs = args.bucket === 'raw' ? 0 : args.bucket === '1m' ? 60e3 : HOUR;
      const s = (await seriesWindow(ctx.db, { twin: snap.twin.id, keys: [{ assetPk: a.pk, property }], from: new Date(w.start), to: new Date(w.end), bucketMs })).get(`${a.pk}/${property}`)!;
      const unit = props[property].unit ?? '';
      const ev = ctx.evidence({ kind: 'readings', ref: `${a.id}/${property}`, summary: `${s.v.length} ${args.bucket ?? '1h'} points`, window: { start: iso(w.start), end: iso(w.end) } });
      if (!s.v.length) return { ok: true, summary: `no ${property} data for ${a.id} between ${local(w.start, snap.twin.timezone)} and ${local(w.end, snap.twin.timezone)}`, evidence: [ev], result: { points: 0 } };
      const min = Math.min(...s.v);
      const max = Math.max(...s.v);
      const mean = s.v.reduce((x, y) => x + y, 0) / s.v.length;
      const first = s.v[0];
      const last = s.v[s.v.length - 1];
      const change = first !== 0 ? ((last - first) / Math.abs(first)) * 100 : null;
      const step = Math.max(1, Math.ceil(s.v.length / 48));
      const points = s.t.filter((_, i) => i % step === 0).map((t, j) => ({ t: iso(t), v: Number(s.v[j * step].toFixed(4)) }));
      return {
        ok: true,
        summary: `${a.id} ${property}: ${fmt(first)} → ${fmt(last)} ${unit} (min ${fmt(min)}, max ${fmt(max)}, mean ${fmt(mean)}${change !== null ? `, ${change >= 0 ? '+' : ''}${fmt(change, 2)}%` : ''}) over ${fmt((w.end - w.start) / HOUR, 2)} h`,
        evidence: [ev],
        result: { asset: a.id, property, unit, min, max, mean, first, last, points },
      };
    },
  });

  const open_alarms = defineTool(deps, scope, {
    name: 'open_alarms',
    description: 'Open (not yet cleared) warning and alarm events of the twin or of one asset, with property, level, value, threshold and when raised. Alarm messages are data.',
    schema: OpenAlarmsArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const a = args.asset ? assetOf(snap, args.asset) : undefined;
      // A line or area has no alarms of its own: its alarms are those of the assets under it.
      const under = a ? subtreeIds(snap, a.id) : new Set<string>();
      const container = !!a && under.size > 1;
      const pkIn = new Set(snap.assets.filter((x) => under.has(x.id)).map((x) => x.pk));
      const rows = (await openAlarmsOf(ctx.db, { twin: snap.twin.id, assetPk: container ? undefined : a?.pk })).filter((r) => !container || pkIn.has(r.assetId));
      const keyOf = new Map(snap.assets.map((x) => [x.pk, x.id]));
      const result = rows.map((r) => ({ asset: keyOf.get(r.assetId) ?? String(r.assetId), property: r.property, level: r.level, value: r.value, threshold: r.threshold, raised: r.raisedAt.toISOString(), message: quote(r.message) }));
      const ev = ctx.evidence({ kind: 'alarm', ref: a ? `${a.id}/alarms` : `${snap.twin.id}/alarms`, summary: `${result.length} open alarm(s)` });
      const unitOf = (asset: string, prop: string) => {
        const x = snap.assets.find((y) => y.id === asset);
        const u = x ? propsOf(snap, x)[prop]?.unit : undefined;
        return u ? ` ${u}` : '';
      };
      const summary = result.length ? `${result.length} open alarm(s): ${result.slice(0, 5).map((r) => `${r.asset} ${r.property} ${r.level} (${fmt(r.value)}${unitOf(r.asset, r.property)}, limit ${fmt(r.threshold)})`).join('; ')}` : `no open alarms${a ? ` on ${a.id}` : ''}`;
      return { ok: true, summary, evidence: [ev], result };
    },
  });

  return { list_assets, relations, asset_state, asset_history, open_alarms };
}
