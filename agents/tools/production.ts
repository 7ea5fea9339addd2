/**
 * Production tools: the orders and routings, capacity (the baseline simulation: utilisation, bottleneck, order
 * completion) and what-if simulation (a machine down in a window, a speed change). Given a proposed window, they
 * report as `concerns` the orders it would make late, which is how a production reviewer checks a maintenance draft.
 */
import { z } from 'zod';
import { simulateProduction, type SimulationInput, type SimulationResult } from '../../src/analytics';
import type { TwinSnapshot } from '../../src/store/queries/twin-snapshot';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, iso, local, ToolError, type RunCtx, type ToolDeps } from './common';
import { baseline, productionInput } from './plan-input';
import { Window } from './twin';

const HOUR = 3600e3;

function planOf(snap: TwinSnapshot, now: number): SimulationInput {
  const input = productionInput(snap, now);
  if (!input) throw new ToolError('the twin has no open orders with routings to simulate');
  return input;
}

function orderLine(o: SimulationResult['orders'][number], tz: string): string {
  return `${o.id} ${o.late ? `late by ${fmt(o.latenessHours, 2)} h` : `on time (${fmt(-o.latenessHours, 2)} h early)`}${o.completedAt ? `, done ${local(o.completedAt, tz)}` : ', not finished in the horizon'}`;
}

/** The plan with an asset down in a window, against the baseline: the orders it makes late. */
export function downImpact(snap: TwinSnapshot, now: number, asset: string, window: { start: number; end: number }) {
  const input = planOf(snap, now);
  if (!input.stations.some((s) => s.id === asset)) return null;
  const base = baseline(input);
  const r = simulateProduction({ ...input, scenario: { name: `${asset} down`, down: [{ station: asset, start: window.start, end: window.end }] } });
  const newLate = r.lateOrders.filter((o) => !base.lateOrders.includes(o));
  return { base, scenario: r, newLate };
}

function evidenceOf(ctx: RunCtx, snap: TwinSnapshot, r: SimulationResult, ref: string) {
  return ctx.evidence({ kind: 'simulation', ref, summary: r.orders.map((o) => orderLine(o, snap.twin.timezone)).join('; ').slice(0, 300), window: { start: iso(r.start), end: iso(r.end) } });
}

export function productionTools(deps: ToolDeps, scope: ToolScope) {
  const orders = defineTool(deps, scope, {
    name: 'orders',
    description: 'Production orders with SKU, quantity, due date, priority and status, and whether each finishes on time in the current plan (simulated). Given an asset and a window, also checks which orders that downtime would make late.',
    schema: z.object({
      order: z.string().optional().describe('order id (default: all open orders)'),
      asset: z.string().optional().describe('an asset taken down in `window`, to check its impact on due dates'),
      window: Window.optional().describe('downtime window to check'),
    }),
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const list = args.order ? snap.orders.filter((o) => o.id.toLowerCase() === args.order!.toLowerCase()) : snap.orders;
      if (args.order && !list.length) throw new ToolError(`unknown order "${args.order.slice(0, 40)}"; orders: ${snap.orders.map((o) => o.id).join(', ')}`);
      const input = productionInput(snap, ctx.now);
      const base = input ? baseline(input) : null;
      const rows = list.map((o) => {
        const sim = base?.orders.find((x) => x.id === o.id);
        return { id: o.id, sku: o.sku, quantity: o.quantity, completed: o.completed, due: o.due.toISOString(), due_local: local(o.due.getTime(), tz), priority: o.priority, status: o.status, projected_done: sim?.completedAt ? iso(sim.completedAt) : null, late: sim?.late ?? null, margin_hours: sim ? Number((-sim.latenessHours).toFixed(1)) : null };
      });
      const evidence = [ctx.evidence({ kind: 'order', ref: args.order ?? `${snap.twin.id}/orders`, summary: rows.map((r) => `${r.id} ${r.quantity}× ${r.sku} due ${r.due_local}`).join('; ').slice(0, 300) })];
      const concerns: string[] = [];
      if (args.asset && args.window) {
        const w = { start: Date.parse(args.window.start), end: Date.parse(args.window.end) };
        const impact = downImpact(snap, ctx.now, assetOf(snap, args.asset).id, w);
        if (impact) {
          evidence.push(evidenceOf(ctx, snap, impact.scenario, `${args.asset} down ${args.window.start}/${args.window.end}`));
          for (const id of impact.newLate.filter((id) => !args.order || id === args.order)) concerns.push(`taking ${args.asset} down ${local(w.start, tz)}–${local(w.end, tz, false)} makes ${id} late`);
        }
      }
      const summary = rows.map((r) => `${r.id}: ${r.quantity}× ${r.sku}, due ${r.due_local}${r.priority !== 'normal' ? ` (${r.priority})` : ''}${r.late === null ? '' : r.late ? ', projected late' : `, projected on time with ${fmt(r.margin_hours, 2)} h margin`}`).join('; ');
      return { ok: true, summary: summary || 'no orders', evidence, result: rows, concerns: concerns.length ? concerns : undefined };
    },
  });

  const routings = defineTool(deps, scope, {
    name: 'routings',
    description: 'Routings: for each SKU, the steps, which stations can do each step and the minutes per unit.',
    schema: z.object({ sku: z.string().optional().describe('SKU (default: all)') }),
    async run(args, ctx) {
      const snap = await ctx.snap();
      const list = args.sku ? snap.routings.filter((r) => r.sku === args.sku) : snap.routings;
      const ev = ctx.evidence({ kind: 'record', ref: args.sku ?? `${snap.twin.id}/routings`, summary: `${list.length} routing(s)` });
      const summary = list.map((r) => `${r.sku}: ${r.steps.map((s) => `${Array.isArray(s.station) ? s.station.join('|') : s.station} ${s.minutes} min`).join(' → ')}`).join('; ');
      return { ok: true, summary: summary || 'no routings', evidence: [ev], result: list };
    },
  });

  const capacity = defineTool(deps, scope, {
    name: 'capacity',
    description: 'Capacity and throughput of the current plan (simulated): utilisation and throughput per station, the bottleneck, and when each open order completes against its due date.',
    schema: z.object({}),
    async run(_args, ctx) {
      const snap = await ctx.snap();
      const r = baseline(planOf(snap, ctx.now));
      const ev = evidenceOf(ctx, snap, r, `${snap.twin.id}/plan`);
      const busiest = [...r.stations].sort((a, b) => b.utilisation - a.utilisation).slice(0, 4);
      return {
        ok: true,
        summary: `${r.bottleneck ? `bottleneck ${r.bottleneck.station} at ${fmt(r.bottleneck.utilisation * 100, 2)}% utilisation; ` : ''}${r.orders.map((o) => orderLine(o, snap.twin.timezone)).join('; ')}`,
        evidence: [ev],
        result: { makespan_hours: r.makespanHours, bottleneck: r.bottleneck, late_orders: r.lateOrders, stations: busiest, orders: r.orders },
      };
    },
  });

  const simulate_schedule = defineTool(deps, scope, {
    name: 'simulate_schedule',
    description: 'What-if production simulation: take a machine down for a window or for some hours from now, or slow it, and see which orders finish late compared with the current plan. Use it to test downtime, outages, breakdowns or maintenance against due dates.',
    schema: z.object({
      asset: z.string().optional().describe('machine taken down (or slowed)'),
      window: Window.optional().describe('when it is down'),
      hours: z.number().positive().max(24 * 30).optional().describe('down for this many hours from now (when no window)'),
      speed: z.number().positive().max(3).optional().describe('speed factor instead of downtime, e.g. 0.8'),
    }),
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const input = planOf(snap, ctx.now);
      const base = baseline(input);
      const evidence = [evidenceOf(ctx, snap, base, `${snap.twin.id}/plan`)];
      if (!args.asset) return { ok: true, summary: `current plan: ${base.orders.map((o) => orderLine(o, tz)).join('; ')}`, evidence, result: { baseline: base.orders } };
      const asset = assetOf(snap, args.asset).id;
      if (!input.stations.some((s) => s.id === asset)) throw new ToolError(`${asset} is not a station of any routing; stations: ${input.stations.map((s) => s.id).join(', ')}`);
      const w = args.window ? { start: Date.parse(args.window.start), end: Date.parse(args.window.end) } : { start: ctx.now, end: ctx.now + (args.hours ?? 24) * HOUR };
      const scenario = args.speed !== undefined && !args.window && !args.hours ? { name: `${asset} at ${args.speed}× speed`, speed: [{ station: asset, factor: args.speed }] } : { name: `${asset} down ${fmt((w.end - w.start) / HOUR, 2)} h`, down: [{ station: asset, ...w }] };
      const r = simulateProduction({ ...input, scenario });
      evidence.push(evidenceOf(ctx, snap, r, `${asset}: ${scenario.name}`));
      const newLate = r.lateOrders.filter((o) => !base.lateOrders.includes(o));
      const concerns = newLate.map((id) => `${scenario.name} (${local(w.start, tz)}–${local(w.end, tz)}) makes ${id} late`);
      const lines = r.orders.map((o) => {
        const b = base.orders.find((x) => x.id === o.id);
        return `${orderLine(o, tz)}${b && b.late !== o.late ? ` (was ${b.late ? 'late' : 'on time'})` : ''}`;
      });
      return {
        ok: true,
        summary: `with ${scenario.name}: ${lines.join('; ')}. Current plan: ${base.orders.map((o) => `${o.id} ${o.late ? 'late' : 'on time'}`).join(', ')}`,
        evidence,
        result: { scenario: scenario.name, window: { start: iso(w.start), end: iso(w.end) }, new_late_orders: newLate, orders: r.orders, baseline: base.orders, bottleneck: r.bottleneck },
        concerns: concerns.length ? concerns : undefined,
      };
    },
  });

  return { orders, routings, capacity, simulate_schedule };
}
