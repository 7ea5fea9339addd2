/**
 * Discrete-event simulation of production routings: orders flow unit by unit through their routing's steps; a step
 * with parallel alternative stations is served by whichever is free first; machines pause through down windows
 * (given, from a scenario, from seeded MTBF/MTTR failures, or unstaffed hours for attended stations) and attended
 * stations need enough people of the crew on shift. Dispatch takes the waiting unit of the most urgent order
 * (scenario sequence, else priority, then due date), preferring later steps so work in progress flows out.
 * Hand-written because no maintained JS library simulates routings with calendars; the queues are per (order, step)
 * counters, so a week of the demo plant is a few thousand events.
 */
import { ProblemList } from './errors';
import { advance, expandShifts, gaps, merge, nextUp, upTime, type CrewInterval } from './production-calendar';
import type { Interval, OrderOutcome, SimulationInput, SimulationResult, StationOutcome } from './production-types';
import { checkNumber, DAY, HOUR, MINUTE } from './series';
import { parseHhMm } from './localtime';

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validate(input: SimulationInput): void {
  const p = new ProblemList();
  checkNumber(p, 'start', input?.start);
  if (input?.horizonMs !== undefined) checkNumber(p, 'horizonMs', input.horizonMs, MINUTE, 366 * DAY);
  const ids = new Set<string>();
  (input?.stations ?? []).forEach((s, i) => {
    if (!s?.id) p.add('invalid_input', `stations[${i}].id`, 'is required');
    else if (ids.has(s.id)) p.add('invalid_input', `stations[${i}].id`, `duplicate station ${s.id}`);
    ids.add(s?.id);
    if (s?.speed !== undefined) checkNumber(p, `stations[${i}].speed`, s.speed, 0.01, 100);
    if (s?.mtbfMin !== undefined || s?.mttrMin !== undefined) {
      checkNumber(p, `stations[${i}].mtbfMin`, s.mtbfMin, 1);
      checkNumber(p, `stations[${i}].mttrMin`, s.mttrMin, 0);
    }
    s?.down?.forEach((d, j) => {
      if (!(Number.isFinite(d.start) && Number.isFinite(d.end) && d.end >= d.start)) p.add('invalid_input', `stations[${i}].down[${j}]`, 'needs finite start <= end');
    });
  });
  if (!input?.stations?.length) p.add('invalid_input', 'stations', 'at least one station is required');
  const skus = new Set<string>();
  (input?.routings ?? []).forEach((r, i) => {
    skus.add(r.sku);
    if (!r.steps?.length) p.add('invalid_input', `routings[${i}].steps`, 'at least one step is required');
    r.steps?.forEach((s, j) => {
      if (!s.stations?.length) p.add('invalid_input', `routings[${i}].steps[${j}].stations`, 'at least one station');
      s.stations?.forEach((id) => ids.has(id) || p.add('invalid_input', `routings[${i}].steps[${j}]`, `unknown station ${id}`));
      checkNumber(p, `routings[${i}].steps[${j}].minutesPerUnit`, s.minutesPerUnit, 0);
      if (s.cv !== undefined) checkNumber(p, `routings[${i}].steps[${j}].cv`, s.cv, 0, 3);
    });
  });
  const orderIds = new Set<string>();
  (input?.orders ?? []).forEach((o, i) => {
    if (!o?.id || orderIds.has(o.id)) p.add('invalid_input', `orders[${i}].id`, o?.id ? `duplicate order ${o.id}` : 'is required');
    orderIds.add(o?.id);
    if (!skus.has(o?.sku)) p.add('invalid_input', `orders[${i}].sku`, `no routing for ${o?.sku}`);
    if (!Number.isInteger(o?.quantity) || o.quantity < 1) p.add('invalid_input', `orders[${i}].quantity`, 'must be a positive integer');
    checkNumber(p, `orders[${i}].due`, o?.due);
  });
  const sc = input?.scenario;
  sc?.down?.forEach((d, i) => {
    if (!ids.has(d.station)) p.add('invalid_input', `scenario.down[${i}].station`, `unknown station ${d.station}`);
    if (!(Number.isFinite(d.start) && Number.isFinite(d.end) && d.end >= d.start)) p.add('invalid_input', `scenario.down[${i}]`, 'needs finite start <= end');
  });
  sc?.speed?.forEach((s, i) => {
    if (!ids.has(s.station)) p.add('invalid_input', `scenario.speed[${i}].station`, `unknown station ${s.station}`);
    checkNumber(p, `scenario.speed[${i}].factor`, s.factor, 0.01, 100);
  });
  sc?.orderSequence?.forEach((id, i) => orderIds.has(id) || p.add('invalid_input', `scenario.orderSequence[${i}]`, `unknown order ${id}`));
  [...(input?.shifts ?? []), ...(sc?.addShifts ?? [])].forEach((s, i) => {
    if (parseHhMm(s.start) === null || parseHhMm(s.end) === null) p.add('invalid_input', `shifts[${i}]`, `start/end must be HH:MM (${s.start}–${s.end})`);
    checkNumber(p, `shifts[${i}].size`, s.size, 0);
  });
  p.throwIfAny('invalid simulation input');
}

interface Machine {
  id: string;
  down: Interval[];
  speed: number;
  operators: number;
  serves: Array<[order: number, step: number, minutes: number, cv: number]>;
  busyUntil: number; // -1 idle
  job: [number, number] | null;
  wakeAt: number;
  busyMs: number;
  units: number;
}

/** A tiny binary heap of [time, machine] events. */
class Events {
  private t: number[] = [];
  private m: number[] = [];
  get size(): number {
    return this.t.length;
  }
  push(time: number, machine: number): void {
    const t = this.t, m = this.m;
    let i = t.length;
    t.push(time);
    m.push(machine);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      t[i] = t[p];
      m[i] = m[p];
      i = p;
    }
    t[i] = time;
    m[i] = machine;
  }
  pop(): [number, number] {
    const t = this.t, m = this.m;
    const top: [number, number] = [t[0], m[0]];
    const lt = t.pop()!, lm = m.pop()!;
    if (t.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= t.length) break;
        const c = l + 1 < t.length && t[l + 1] < t[l] ? l + 1 : l;
        if (t[c] >= lt) break;
        t[i] = t[c];
        m[i] = m[c];
        i = c;
      }
      t[i] = lt;
      m[i] = lm;
    }
    return top;
  }
}

export function simulateProduction(input: SimulationInput): SimulationResult {
  validate(input);
  const sc = input.scenario ?? {};
  const start = input.start;
  const end = start + (input.horizonMs ?? 30 * DAY);
  const rand = seededRandom(input.seed ?? 1);
  const tz = input.timezone ?? 'UTC';
  const shifts = [...(input.shifts ?? []).filter((s) => !sc.removeCrews?.includes(s.crew)), ...(sc.addShifts ?? [])];
  const crew: CrewInterval[] | null = input.shifts || sc.addShifts ? expandShifts(shifts, start, end, tz) : null;
  const unstaffed = crew ? gaps(crew.filter((c) => c.size > 0), start, end) : [];

  const orders = input.orders;
  const seq = sc.orderSequence ?? [];
  const rank = orders
    .map((o, i) => i)
    .sort((a, b) => {
      const sa = seq.indexOf(orders[a].id), sb = seq.indexOf(orders[b].id);
      if (sa !== sb) return (sa < 0 ? Infinity : sa) - (sb < 0 ? Infinity : sb);
      return (orders[b].priority ?? 0) - (orders[a].priority ?? 0) || orders[a].due - orders[b].due || a - b;
    });
  const routing = orders.map((o) => input.routings.find((r) => r.sku === o.sku)!);

  const index = new Map<string, number>();
  const machines: Machine[] = input.stations.map((s, i) => {
    index.set(s.id, i);
    const down: Interval[] = [...(s.down ?? []), ...(sc.down ?? []).filter((d) => d.station === s.id)];
    if (s.mtbfMin && s.mttrMin !== undefined) {
      // Exponential times to failure and to repair, drawn per station in station order for determinism.
      for (let t = start; t < end; ) {
        t += -Math.log(1 - rand()) * s.mtbfMin * MINUTE;
        const r = -Math.log(1 - rand()) * s.mttrMin * MINUTE;
        if (t < end) down.push({ start: t, end: t + r });
        t += r;
      }
    }
    if ((s.operators ?? 0) > 0) down.push(...unstaffed);
    const speed = (s.speed ?? 1) * (sc.speed?.filter((x) => x.station === s.id).reduce((a, x) => a * x.factor, 1) ?? 1);
    return { id: s.id, down: merge(down), speed, operators: s.operators ?? 0, serves: [], busyUntil: -1, job: null, wakeAt: Infinity, busyMs: 0, units: 0 };
  });
  // What each machine can serve, most urgent order first, later steps first within an order.
  for (const o of rank) {
    const steps = routing[o].steps;
    for (let s = steps.length - 1; s >= 0; s--) {
      for (const id of steps[s].stations) machines[index.get(id)!].serves.push([o, s, steps[s].minutesPerUnit, steps[s].cv ?? 0]);
    }
  }

  const waiting = orders.map((o) => routing[orders.indexOf(o)].steps.map(() => 0));
  // Units waiting for each machine, over everything it serves: a free machine with none skips its scan of `serves`
  // (that scan, for every free machine at every event, was most of a run). Kept in step with `waiting` by addWaiting.
  const servedBy = orders.map((_, o) => routing[o].steps.map(() => [] as number[]));
  machines.forEach((m, mi) => m.serves.forEach(([o, s]) => servedBy[o][s].push(mi)));
  const forMachine = machines.map(() => 0);
  const addWaiting = (o: number, s: number, n: number) => {
    waiting[o][s] += n;
    for (const mi of servedBy[o][s]) forMachine[mi] += n;
  };
  const done = orders.map(() => 0);
  const completedAt: Array<number | null> = orders.map(() => null);
  const ev = new Events();
  orders.forEach((o, i) => {
    const rel = Math.max(start, o.release ?? start);
    if (rel <= start) addWaiting(i, 0, o.quantity);
    else ev.push(rel, -1 - i); // negative: a release event for order i
  });

  const staffAt = (t: number): number => {
    if (!crew) return Infinity;
    let n = 0;
    for (const c of crew) if (c.start <= t && t < c.end) n += c.size;
    return n;
  };
  let busyOps = 0;
  let events = 0;
  let now = start;
  let remaining = orders.reduce((a, o) => a + o.quantity, 0);

  const dispatch = (t: number) => {
    let staff = -1;
    for (let mi = 0; mi < machines.length; mi++) {
      const m = machines[mi];
      if (m.busyUntil >= 0 || forMachine[mi] === 0) continue;
      let pick = -1;
      for (let k = 0; k < m.serves.length; k++) if (waiting[m.serves[k][0]][m.serves[k][1]] > 0) { pick = k; break; }
      if (pick < 0) continue;
      const up = nextUp(m.down, t);
      if (up > t) {
        if (m.wakeAt !== up && up < end) {
          m.wakeAt = up;
          ev.push(up, mi);
        }
        continue;
      }
      if (m.operators > 0) {
        if (staff < 0) staff = staffAt(t);
        if (busyOps + m.operators > staff) continue; // woken again by the next finish
        busyOps += m.operators;
      }
      const [o, s, minutes, cv] = m.serves[pick];
      addWaiting(o, s, -1);
      let work = (minutes * MINUTE) / m.speed;
      if (cv > 0) {
        const sigma = Math.sqrt(Math.log(1 + cv * cv));
        const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        work *= Math.exp(sigma * z - (sigma * sigma) / 2);
      }
      const fin = advance(m.down, t, work);
      m.busyUntil = fin;
      m.job = [o, s];
      m.busyMs += work;
      ev.push(fin, mi);
    }
  };

  dispatch(start);
  while (ev.size && remaining > 0) {
    const [t, mi] = ev.pop();
    if (t > end) break;
    now = t;
    events++;
    if (mi < 0) addWaiting(-1 - mi, 0, orders[-1 - mi].quantity);
    else {
      const m = machines[mi];
      if (m.busyUntil === t && m.job) {
        const [o, s] = m.job;
        m.busyUntil = -1;
        m.job = null;
        m.units++;
        busyOps -= m.operators;
        if (s + 1 < waiting[o].length) addWaiting(o, s + 1, 1);
        else if (++done[o] === orders[o].quantity) completedAt[o] = t;
        if (s + 1 >= waiting[o].length) remaining--;
      } else if (m.wakeAt === t) m.wakeAt = Infinity;
    }
    dispatch(t);
  }

  const simEnd = remaining > 0 ? end : now;
  const span = Math.max(simEnd - start, 1);
  const outcomes: OrderOutcome[] = orders.map((o, i) => {
    const at = completedAt[i];
    const lateness = ((at ?? end) - o.due) / HOUR;
    return { id: o.id, sku: o.sku, quantity: o.quantity, completed: done[i], due: o.due, completedAt: at, late: at === null || at > o.due, latenessHours: lateness };
  });
  const stations: StationOutcome[] = machines.map((m) => {
    const avail = upTime(m.down, start, simEnd);
    return { id: m.id, units: m.units, busyHours: m.busyMs / HOUR, availableHours: avail / HOUR, utilisation: avail > 0 ? Math.min(1, m.busyMs / avail) : 0, throughputPerHour: m.units / (span / HOUR) };
  });
  const top = stations.filter((s) => s.units > 0).sort((a, b) => b.utilisation - a.utilisation)[0];
  const late = outcomes.filter((o) => o.late);
  const name = sc.name ?? 'baseline';
  return {
    scenario: name,
    seed: input.seed ?? 1,
    start,
    end: simEnd,
    makespanHours: (simEnd - start) / HOUR,
    orders: outcomes,
    stations,
    bottleneck: top ? { station: top.id, utilisation: top.utilisation, reason: `${top.id} is busy ${(top.utilisation * 100).toFixed(0)}% of its available ${top.availableHours.toFixed(0)} h, the most of any station` } : null,
    lateOrders: late.map((o) => o.id),
    totalLatenessHours: late.reduce((a, o) => a + Math.max(0, o.latenessHours), 0),
    events,
    summary: `${name}: ${outcomes.length - late.length}/${outcomes.length} orders on time${late.length ? `; late: ${late.map((o) => `${o.id} by ${o.latenessHours.toFixed(1)} h`).join(', ')}` : ''}; bottleneck ${top?.id ?? 'none'}`,
  };
}
