/**
 * Production tools: the orders and routings, capacity (the baseline simulation: utilisation, bottleneck, order
 * completion) and what-if simulation (a machine down in a window, a speed change). Given a proposed window, they
 * report as `concerns` the orders it would make late, which is how a production reviewer checks a maintenance draft.
 */
import { z } from 'zod';
import { simulateProduction, type SimulationInput, type SimulationResult } from '../../src/analytics';
import { LEGAL_SUFFIXES } from '../../src/llm/protocol';
import type { TwinSnapshot } from '../../src/store/queries/twin-snapshot';
import type { ToolScope } from '../runtime';
import { assetOf, defineTool, fmt, iso, local, localSpan, subtreeIds, ToolError, type Ok, type RunCtx, type ToolDeps } from './common';
import { baseline, productionInput } from './plan-input';
import { Window } from './twin';

const HOUR = 3600e3;

const GLUE = new Set(['the', 'and', 'of']);
/** Words of a name that tell it apart: no legal suffixes ("Co.", "GmbH"), no numbers, no one-letter words. */
function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 && !/^\d+$/.test(w) && !LEGAL_SUFFIXES.has(w) && !GLUE.has(w));
}

/**
 * Orders an `order` argument names: by id, or else by customer, the way a person says it ("Acme", "acme corp").
 * Every word of the argument must be a word of the customer's name (a plural "s" aside).
 */
function ordersMatching(snap: TwinSnapshot, arg: string): TwinSnapshot['orders'] {
  const byId = snap.orders.filter((o) => o.id.toLowerCase() === arg.toLowerCase());
  if (byId.length) return byId;
  const said = nameWords(arg).map((w) => w.replace(/'s$|s$/, ''));
  if (!said.length) return [];
  return snap.orders.filter((o) => {
    const words = nameWords(o.customer ?? '').map((w) => w.replace(/s$/, ''));
    return words.length > 0 && said.every((w) => words.includes(w));
  });
}

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
  const input = productionInput(snap, now);
  if (!input) return null;
  if (!input.stations.some((s) => s.id === asset)) return null;
  const base = baseline(input);
  const r = simulateProduction({ ...input, scenario: { name: `${asset} down`, down: [{ station: asset, start: window.start, end: window.end }] } });
  const newLate = r.lateOrders.filter((o) => !base.lateOrders.includes(o));
  return { base, scenario: r, newLate };
}

function evidenceOf(ctx: RunCtx, snap: TwinSnapshot, r: SimulationResult, ref: string) {
  return ctx.evidence({ kind: 'simulation', ref, summary: r.orders.map((o) => orderLine(o, snap.twin.timezone)).join('; ').slice(0, 300), window: { start: iso(r.start), end: iso(r.end) } });
}

/**
 * The steps an order's SKU passes through (alternative stations of a step joined by "|") and, among its stations, the
 * busiest in the plan: what decides whether the order is on track.
 */
function routeOf(snap: TwinSnapshot, sku: string, plan: SimulationResult | null): { steps: string[]; stations: string[]; busiest?: { id: string; utilisation: number } } {
  const routing = snap.routings.find((r) => r.sku === sku);
  const steps = (routing?.steps ?? []).map((s) => (Array.isArray(s.station) ? s.station.join('|') : s.station));
  const stations = (routing?.steps ?? []).flatMap((s) => (Array.isArray(s.station) ? s.station : [s.station]));
  const used = (plan?.stations ?? []).filter((st) => stations.includes(st.id)).sort((a, b) => b.utilisation - a.utilisation);
  return { steps, stations, busiest: used[0] ? { id: used[0].id, utilisation: used[0].utilisation } : undefined };
}

/**
 * The work an order still needs at its heaviest step, spread over the step's stations that are up: "1,080 left × 6
 * min on 2 stations = 54 h". It is the plain arithmetic behind a simulated finish time, stated so a planner can check it.
 */
export function workContent(snap: TwinSnapshot, order: { sku: string; quantity: number; completed: number }, down: string[] = []): { step: string; up: number; of: number; hours: number } | null {
  const routing = snap.routings.find((r) => r.sku === order.sku);
  const left = Math.max(0, order.quantity - order.completed);
  let worst: { step: string; up: number; of: number; hours: number } | null = null;
  for (const s of routing?.steps ?? []) {
    const all = Array.isArray(s.station) ? s.station : [s.station];
    const up = all.filter((x) => !down.includes(x));
    const hours = up.length ? (left * s.minutes) / up.length / 60 : Infinity;
    if (!worst || hours > worst.hours) worst = { step: s.name ?? up.join('|'), up: up.length, of: all.length, hours };
  }
  return worst;
}

const workLine = (id: string, w: NonNullable<ReturnType<typeof workContent>>) =>
  `${id} needs ${Number.isFinite(w.hours) ? `${fmt(w.hours, 2)} h` : 'more time than the horizon'} of ${w.step} on ${w.up} of ${w.of} station(s)`;

/** SKUs a word in the task names: "the gears" → SKU-GEAR-40 (by the SKU's own words or its routing's name). */
function skusFor(snap: TwinSnapshot, sku: string | undefined): string[] {
  if (!sku) return [];
  const want = sku.toLowerCase().replace(/s\b/g, '');
  return snap.routings
    .filter((r) => r.sku.toLowerCase() === sku.toLowerCase() || `${r.sku} ${r.name ?? ''}`.toLowerCase().split(/[^a-z0-9]+/).some((w) => w.length > 2 && (w === want || w.replace(/s$/, '') === want)))
    .map((r) => r.sku);
}

/**
 * A what-if on a twin with no production orders: what the machine serves (its outgoing relations) and whether anything
 * else serves the same (redundancy), so the answer still says what the outage would touch.
 */
function dependencyImpact(ctx: RunCtx, snap: TwinSnapshot, asset: string, args: { window?: { start: string; end: string }; hours?: number }): Ok {
  const tz = snap.twin.timezone;
  const w = args.window ? { start: Date.parse(args.window.start), end: Date.parse(args.window.end) } : { start: ctx.now, end: ctx.now + (args.hours ?? 24) * HOUR };
  const served = snap.relations.filter((r) => r.from === asset);
  const lines = served.map((r) => {
    const others = snap.relations.filter((o) => o.to === r.to && o.type === r.type && o.from !== asset).map((o) => o.from);
    return `${asset} ${r.type.replace(/_/g, ' ')} ${r.to}${others.length ? `, which ${others.join(' and ')} also ${others.length > 1 ? 'serve' : 'serves'} (redundant)` : ', with nothing else to take over (single point of failure)'}`;
  });
  const summary = `with ${asset} down ${local(w.start, tz)}–${local(w.end, tz)}: the twin has no production orders to simulate; ${lines.length ? lines.join('; ') : `nothing in the twin depends on ${asset}`}`;
  const ev = ctx.evidence({ kind: 'analysis', ref: `${asset}/dependencies`, summary: summary.slice(0, 300), window: { start: iso(w.start), end: iso(w.end) } });
  const concerns = lines.filter((l) => /single point of failure/.test(l)).map((l) => `${l} while ${asset} is down`);
  return { ok: true, summary, evidence: [ev], result: { asset, window: { start: iso(w.start), end: iso(w.end) }, serves: served }, concerns: concerns.length ? concerns : undefined };
}

const TOLERANCE_MAX_H = 14 * 24;

/**
 * For orders on the down station's route that stay on time in a scenario (the earliest due): the
 * longest downtime from `start` that keeps each on time, by bisection over the simulation (it is monotone: a longer
 * outage never finishes an order sooner), to within an hour.
 */
function toleranceOf(input: SimulationInput, station: string, start: number, r: SimulationResult, base: SimulationResult, snap: TwinSnapshot): { order: string; hours: number }[] {
  const onRoute = r.orders
    .filter((o) => !o.late && !base.lateOrders.includes(o.id) && routeOf(snap, o.sku, null).stations.includes(station))
    .sort((a, b) => a.due - b.due)
    .slice(0, 1);
  const out: { order: string; hours: number }[] = [];
  const lateWith = (hours: number, id: string) =>
    simulateProduction({ ...input, scenario: { name: 'tolerance', down: [{ station, start, end: start + hours * HOUR }] } }).lateOrders.includes(id);
  for (const o of onRoute) {
    // Down past its due date, an order on this route is late for sure: the answer lies before it.
    let hi = Math.min(TOLERANCE_MAX_H, Math.max(1, Math.ceil((o.due - start) / HOUR)));
    if (!lateWith(hi, o.id)) continue;
    let lo = 0;
    while (hi - lo > 1) {
      const mid = (lo + hi) / 2;
      if (lateWith(mid, o.id)) hi = mid;
      else lo = mid;
    }
    out.push({ order: o.id, hours: Math.floor(lo) });
  }
  return out;
}

// The tools' argument schemas, built once: the tools themselves are built for every call (they carry its scope).
const OrdersArgs = z.object({
  order: z.string().optional().describe('order id, or the customer it is for (default: all open orders)'),
  asset: z.string().optional().describe('an asset taken down in `window`, to check its impact on due dates'),
  window: Window.optional().describe('downtime window to check'),
});
const RoutingsArgs = z.object({ sku: z.string().optional().describe('SKU (default: all)') });
const CapacityArgs = z.object({
  sku: z.string().optional().describe('product or SKU, for the bottleneck on its own route (default: the whole plan)'),
  asset: z.string().optional().describe('a line, area or site, for the bottleneck among the stations under it'),
});
const SimulateScheduleArgs = z.object({
  asset: z.string().optional().describe('machine taken down (or slowed)'),
  window: Window.optional().describe('when it is down'),
  hours: z.number().positive().max(24 * 30).optional().describe('down for this many hours from now (when no window)'),
  speed: z.number().positive().max(3).optional().describe('speed factor instead of downtime, e.g. 0.8'),
});

export function productionTools(deps: ToolDeps, scope: ToolScope) {
  const orders = defineTool(deps, scope, {
    name: 'orders',
    description: 'Production orders with SKU, quantity, due date, priority and status, and whether each finishes on time in the current plan (simulated). Given an asset and a window, also checks which orders that downtime would make late.',
    schema: OrdersArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const list = args.order ? ordersMatching(snap, args.order) : snap.orders;
      if (args.order && !list.length) throw new ToolError(`unknown order "${args.order.slice(0, 40)}"; orders: ${snap.orders.map((o) => `${o.id}${o.customer ? ` (${o.customer})` : ''}`).join(', ')}`);
      // One order asked for: its route and work too (a customer may have several).
      const detail = list.length === 1 && !!args.order;
      const input = productionInput(snap, ctx.now);
      const base = input ? baseline(input) : null;
      const rows = list.map((o) => {
        const sim = base?.orders.find((x) => x.id === o.id);
        const route = detail ? routeOf(snap, o.sku, base) : undefined;
        const work = detail ? workContent(snap, o) : null;
        return { id: o.id, customer: o.customer, sku: o.sku, quantity: o.quantity, completed: o.completed, remaining: Math.max(0, o.quantity - o.completed), due: o.due.toISOString(), due_local: local(o.due.getTime(), tz), priority: o.priority, status: o.status, projected_done: sim?.completedAt ? iso(sim.completedAt) : null, projected_done_local: sim?.completedAt ? local(sim.completedAt, tz) : null, late: sim?.late ?? null, margin_hours: sim ? Number((-sim.latenessHours).toFixed(1)) : null, route: route?.steps, busiest_station: route?.busiest, work: work && Number.isFinite(work.hours) ? { ...work, hours: Number(work.hours.toFixed(1)) } : undefined };
      });
      const evidence = [ctx.evidence({ kind: 'order', ref: list.length === 1 && args.order ? list[0].id : `${snap.twin.id}/orders`, summary: rows.map((r) => `${r.id} ${r.quantity}× ${r.sku} due ${r.due_local}`).join('; ').slice(0, 300) })];
      const concerns: string[] = [];
      if (args.asset && args.window) {
        const w = { start: Date.parse(args.window.start), end: Date.parse(args.window.end) };
        const impact = downImpact(snap, ctx.now, assetOf(snap, args.asset).id, w);
        if (impact) {
          evidence.push(evidenceOf(ctx, snap, impact.scenario, `${args.asset} down ${args.window.start}/${args.window.end}`));
          for (const id of impact.newLate.filter((id) => !args.order || list.some((o) => o.id === id))) concerns.push(`taking ${args.asset} down ${localSpan(w.start, w.end, tz)} makes ${id} late`);
        }
      }
      const summary = rows
        .map((r) => {
          // Units still to make, said outright when some are done: "2400× (600 done, 1800 left)".
          const head = `${r.id}${r.customer ? ` for ${r.customer}` : ''}: ${r.quantity}× ${r.sku}${r.completed ? ` (${r.completed} done, ${r.remaining} left)` : ''}, due ${r.due_local}${r.priority !== 'normal' ? ` (${r.priority})` : ''}`;
          const plan = r.late === null ? '' : r.late ? `, projected late by ${fmt(-(r.margin_hours ?? 0), 2)} h` : `, projected on time with ${fmt(r.margin_hours, 2)} h margin`;
          const done = r.projected_done_local && detail ? ` (done ${r.projected_done_local})` : '';
          const via = r.route?.length ? `; route ${r.route.join(' → ')}${r.busiest_station ? `, busiest ${r.busiest_station.id} at ${fmt(r.busiest_station.utilisation * 100, 2)}% utilisation` : ''}` : '';
          const work = r.work ? `; ${workLine(r.id, r.work)}` : '';
          return `${head}${plan}${done}${via}${work}`;
        })
        .join('; ');
      return { ok: true, summary: summary || 'no orders', evidence, result: rows, concerns: concerns.length ? concerns : undefined };
    },
  });

  const routings = defineTool(deps, scope, {
    name: 'routings',
    description: 'Routings: for each SKU, the steps, which stations can do each step and the minutes per unit.',
    schema: RoutingsArgs,
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
    description: 'Capacity and throughput of the current plan (simulated): utilisation and throughput per station, the bottleneck (of the whole plant, of one line or area, or of one product / SKU), and when each open order completes against its due date.',
    schema: CapacityArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const r = baseline(planOf(snap, ctx.now));
      // The bottleneck of a line is the busiest station under it, which need not be the plant's.
      let areaText = '';
      if (args.asset) {
        const root = assetOf(snap, args.asset).id;
        const under = subtreeIds(snap, root);
        const top = r.stations.filter((st) => under.has(st.id) && st.units > 0).sort((a, b) => b.utilisation - a.utilisation)[0];
        areaText = top ? `bottleneck on ${root}: ${top.id} at ${fmt(top.utilisation * 100, 2)}% utilisation; ` : `no station of the plan works under ${root}; `;
      }
      const ev = evidenceOf(ctx, snap, r, `${snap.twin.id}/plan`);
      const busiest = [...r.stations].sort((a, b) => b.utilisation - a.utilisation).slice(0, 4);
      // The bottleneck of one product is the busiest station on its own route, which need not be the plant's.
      const skus = skusFor(snap, args.sku);
      const perSku = skus.map((sku) => ({ sku, ...routeOf(snap, sku, r) })).filter((x) => x.busiest);
      const skuText = perSku.map((x) => `bottleneck for ${x.sku}: ${x.busiest!.id} at ${fmt(x.busiest!.utilisation * 100, 2)}% utilisation (route ${x.steps.join(' → ')})`).join('; ');
      const orders = skus.length ? r.orders.filter((o) => skus.includes(o.sku)) : r.orders;
      return {
        ok: true,
        summary: `${areaText}${skuText ? `${skuText}; ` : ''}${r.bottleneck ? `${skuText || areaText ? 'plant ' : ''}bottleneck ${r.bottleneck.station} at ${fmt(r.bottleneck.utilisation * 100, 2)}% utilisation; ` : ''}${orders.map((o) => orderLine(o, snap.twin.timezone)).join('; ')}`,
        evidence: [ev],
        result: { makespan_hours: r.makespanHours, bottleneck: r.bottleneck, late_orders: r.lateOrders, stations: busiest, orders: r.orders },
      };
    },
  });

  const simulate_schedule = defineTool(deps, scope, {
    name: 'simulate_schedule',
    description: 'What-if production simulation: take a machine down for a window or for some hours from now, or slow it, and see which orders finish late compared with the current plan. Use it to test downtime, outages, breakdowns or maintenance against due dates.',
    schema: SimulateScheduleArgs,
    async run(args, ctx) {
      const snap = await ctx.snap();
      const tz = snap.twin.timezone;
      const maybe = productionInput(snap, ctx.now);
      if (!maybe && args.asset) return dependencyImpact(ctx, snap, assetOf(snap, args.asset).id, args);
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
      // How long the machine may stay down before an order that survives this scenario goes late: the figure a
      // planner wants when a breakdown's length is not known yet.
      const tolerance = 'down' in scenario ? toleranceOf(input, asset, w.start, r, base, snap).map((t) => `${t.order} goes late if ${asset} is down more than about ${fmt(t.hours, 2)} h from ${local(w.start, tz)}`) : [];
      const lines = r.orders.map((o) => {
        const b = base.orders.find((x) => x.id === o.id);
        const order = snap.orders.find((x) => x.id === o.id);
        // For an order whose route the downtime touches: the work left on the stations still up.
        const work = order && 'down' in scenario && routeOf(snap, o.sku, null).stations.includes(asset) ? workContent(snap, order, [asset]) : null;
        return `${orderLine(o, tz)}${b && b.late !== o.late ? ` (was ${b.late ? 'late' : 'on time'})` : ''}${work ? ` (${workLine(o.id, work).replace(`${o.id} `, '')})` : ''}`;
      });
      return {
        ok: true,
        summary: `with ${scenario.name}: ${lines.join('; ')}${tolerance.length ? `. ${tolerance.join('; ')}` : ''}. Current plan: ${base.orders.map((o) => `${o.id} ${o.late ? 'late' : 'on time'}`).join(', ')}`,
        evidence,
        result: { scenario: scenario.name, window: { start: iso(w.start), end: iso(w.end) }, new_late_orders: newLate, orders: r.orders, baseline: base.orders, bottleneck: r.bottleneck },
        concerns: concerns.length ? concerns : undefined,
      };
    },
  });

  return { orders, routings, capacity, simulate_schedule };
}
