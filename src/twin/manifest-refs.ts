/**
 * Cross-reference checks of a manifest: ids that must name something declared elsewhere in the file (types, parents,
 * relation ends, sensor bindings, scenarios, routing stations, order SKUs, work-order assets), duplicates, and cycles.
 * They read the raw value defensively, so they still run, and still report, when the schema check failed elsewhere.
 */
import { resolveTime } from '../clock';
import type { Problem } from '../errors';
import type { AssetType, PropertyDef } from './manifest';
import { allTypes, inheritanceChain, resolveType } from './ontology';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

export function checkReferences(m: Obj): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  // Types: only the well-formed ones take part in resolution; malformed ones are reported by the schema.
  const declared: Record<string, AssetType> = {};
  for (const [k, v] of Object.entries(rec(m.types))) if (isObj(v)) declared[k] = v as AssetType;
  const types = allTypes(declared);
  const reportedCycles = new Set<string>();
  for (const [k, t] of Object.entries(declared)) {
    const base = str(t.extends);
    if (base !== undefined && !Object.hasOwn(types, base)) add(`types${key(k)}.extends`, `unknown type "${base}"`);
    const { cycle } = inheritanceChain(types, k);
    const cycleKey = cycle ? [...new Set(cycle)].sort().join() : '';
    if (cycle && cycle[0] === k && !reportedCycles.has(cycleKey)) {
      reportedCycles.add(cycleKey);
      add(`types${key(k)}.extends`, `inheritance cycle ${cycle.join(' -> ')}`);
    }
    for (const [p, def] of Object.entries(rec(t.properties))) checkProperty(`types${key(k)}.properties${key(p)}`, rec(def), add);
    const eff = resolveType(types, k)!;
    for (const [c, def] of Object.entries(rec(t.commands))) {
      const sets = str(rec(def).sets);
      if (sets === undefined) continue;
      const prop = eff.properties[sets] as PropertyDef | undefined;
      if (!prop) add(`types${key(k)}.commands${key(c)}.sets`, `type "${k}" has no property "${sets}"`);
      else if (prop.kind !== 'setpoint') add(`types${key(k)}.commands${key(c)}.sets`, `"${sets}" is a ${prop.kind} property, not a setpoint`);
    }
  }

  // Assets: ids, types, parents (and parent cycles), attributes.
  const assetType = new Map<string, string>();
  const assetAt = new Map<string, number>();
  const parents = new Map<string, string>();
  arr(m.assets).forEach((a, i) => {
    const id = str(rec(a).id);
    if (id === undefined) return;
    if (assetAt.has(id)) return add(`assets[${i}].id`, `duplicate asset "${id}" (first at assets[${assetAt.get(id)}])`);
    assetAt.set(id, i);
    const type = str(rec(a).type);
    if (type !== undefined) assetType.set(id, type);
  });
  const hasAsset = (id: string | undefined) => id !== undefined && assetAt.has(id);
  const propsOf = (assetId: string): Record<string, PropertyDef> | null => {
    const t = assetType.get(assetId);
    return t !== undefined ? (resolveType(types, t)?.properties ?? null) : null;
  };
  arr(m.assets).forEach((raw, i) => {
    const a = rec(raw);
    const id = str(a.id);
    const type = str(a.type);
    if (type !== undefined && !Object.hasOwn(types, type)) add(`assets[${i}].type`, `unknown type "${type}"`);
    const parent = str(a.parent);
    if (parent !== undefined) {
      if (parent === id) add(`assets[${i}].parent`, 'an asset cannot be its own parent');
      else if (!hasAsset(parent)) add(`assets[${i}].parent`, `unknown asset "${parent}"`);
      else if (id !== undefined) parents.set(id, parent);
    }
    const props = id !== undefined && type !== undefined && Object.hasOwn(types, type) ? propsOf(id) : null;
    if (props) {
      for (const attr of Object.keys(rec(a.attributes))) {
        const def = props[attr];
        if (!def) add(`assets[${i}].attributes${key(attr)}`, `type "${type}" has no attribute "${attr}"`);
        else if (def.kind !== 'attribute') add(`assets[${i}].attributes${key(attr)}`, `"${attr}" is a ${def.kind} property, not an attribute`);
      }
      for (const p of Object.keys(rec(a.sim))) if (!props[p]) add(`assets[${i}].sim${key(p)}`, `type "${type}" has no property "${p}"`);
    }
  });
  for (const [id] of parents) {
    const seen = [id];
    let cur = parents.get(id);
    while (cur !== undefined && !seen.includes(cur)) (seen.push(cur), (cur = parents.get(cur)));
    if (cur === id) add(`assets[${assetAt.get(id)}].parent`, `parent cycle ${[...seen, id].join(' -> ')}`);
  }

  const dupes = (section: string, field: string, what: string) => {
    const at = new Map<string, number>();
    arr(m[section]).forEach((x, i) => {
      const v = str(rec(x)[field]);
      if (v === undefined) return;
      if (at.has(v)) add(`${section}[${i}].${field}`, `duplicate ${what} "${v}" (first at ${section}[${at.get(v)}])`);
      else at.set(v, i);
    });
    return at;
  };
  const assetRef = (path: string, v: unknown) => {
    const id = str(v);
    if (id !== undefined && !hasAsset(id)) add(path, `unknown asset "${id}"`);
  };
  const propertyRef = (path: string, assetId: unknown, prop: unknown, kinds: PropertyDef['kind'][]) => {
    const a = str(assetId);
    const p = str(prop);
    if (a === undefined || p === undefined || !hasAsset(a)) return;
    const props = propsOf(a);
    if (!props) return;
    if (!props[p]) add(path, `asset "${a}" (type "${assetType.get(a)}") has no property "${p}"`);
    else if (!kinds.includes(props[p].kind)) add(path, `"${p}" is a ${props[p].kind} property; expected ${kinds.join(' or ')}`);
  };
  const timeRef = (path: string, v: unknown) => {
    const t = str(v);
    if (t !== undefined && resolveTime(t, new Date(0)) === null) add(path, `"${t}" is neither a relative time (+2d, -36h) nor an ISO timestamp`);
  };

  // Relations.
  const relSeen = new Map<string, number>();
  arr(m.relations).forEach((raw, i) => {
    const r = rec(raw);
    assetRef(`relations[${i}].from`, r.from);
    assetRef(`relations[${i}].to`, r.to);
    const k = `${str(r.from)}|${str(r.type)}|${str(r.to)}`;
    if (relSeen.has(k)) add(`relations[${i}]`, `duplicate relation (first at relations[${relSeen.get(k)}])`);
    else relSeen.set(k, i);
  });

  // Sensor bindings and scenarios.
  dupes('sensors', 'topic', 'sensor topic');
  arr(m.sensors).forEach((raw, i) => {
    const s = rec(raw);
    assetRef(`sensors[${i}].asset`, s.asset);
    propertyRef(`sensors[${i}].property`, s.asset, s.property, ['telemetry', 'state']);
  });
  dupes('scenarios', 'id', 'scenario');
  arr(m.scenarios).forEach((raw, i) => {
    const s = rec(raw);
    assetRef(`scenarios[${i}].asset`, s.asset);
    propertyRef(`scenarios[${i}].property`, s.asset, s.property, ['telemetry']);
    timeRef(`scenarios[${i}].start`, s.start);
    timeRef(`scenarios[${i}].end`, s.end);
    if (str(s.every) !== undefined) timeRef(`scenarios[${i}].every`, s.every);
  });

  // Planning records.
  const skus = dupes('routings', 'sku', 'routing');
  arr(m.routings).forEach((raw, i) => {
    arr(rec(raw).steps).forEach((step, j) => {
      const st = rec(step).station;
      if (Array.isArray(st)) st.forEach((s, k) => assetRef(`routings[${i}].steps[${j}].station[${k}]`, s));
      else assetRef(`routings[${i}].steps[${j}].station`, st);
    });
  });
  dupes('orders', 'id', 'order');
  arr(m.orders).forEach((raw, i) => {
    const o = rec(raw);
    const sku = str(o.sku);
    if (sku !== undefined && !skus.has(sku)) add(`orders[${i}].sku`, `no routing for SKU "${sku}"`);
    timeRef(`orders[${i}].due`, o.due);
    const q = num(o.quantity);
    const done = num(o.completed);
    if (q !== undefined && done !== undefined && done > q) add(`orders[${i}].completed`, `more than the quantity (${q})`);
  });
  const crews = dupes('crews', 'id', 'crew');
  arr(m.crews).forEach((raw, i) => {
    const c = rec(raw);
    const size = num(c.size);
    for (const [skill, n] of Object.entries(rec(c.skills))) {
      if (size !== undefined && typeof n === 'number' && n > size) add(`crews[${i}].skills${key(skill)}`, `${n} exceeds the crew size (${size})`);
    }
    if (str(c.area) !== undefined) assetRef(`crews[${i}].area`, c.area);
  });
  dupes('tariffs', 'id', 'tariff');
  arr(m.tariffs).forEach((raw, i) => {
    const t = rec(raw);
    const bands = arr(t.energy).map(rec);
    if (bands.filter((b) => b.default === true).length > 1) add(`tariffs[${i}].energy`, 'more than one default band');
    bands.forEach((b, j) => {
      if (b.default !== true && (str(b.from) === undefined || str(b.to) === undefined)) add(`tariffs[${i}].energy[${j}]`, 'a band needs from and to, or default: true');
    });
    if (str(t.meter) !== undefined) assetRef(`tariffs[${i}].meter`, t.meter);
  });
  dupes('work_orders', 'id', 'work order');
  arr(m.work_orders).forEach((raw, i) => {
    const w = rec(raw);
    assetRef(`work_orders[${i}].asset`, w.asset);
    const crew = str(w.crew);
    if (crew !== undefined && !crews.has(crew)) add(`work_orders[${i}].crew`, `unknown crew "${crew}"`);
    timeRef(`work_orders[${i}].due`, w.due);
    timeRef(`work_orders[${i}].start`, w.start);
  });

  const tz = str(m.timezone);
  if (tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      add('timezone', `unknown time zone "${tz}"`);
    }
  }
  return problems;
}

function checkProperty(path: string, p: Obj, add: (path: string, message: string) => void): void {
  const min = num(p.min);
  const max = num(p.max);
  const warn = num(p.warn);
  const alarm = num(p.alarm);
  if (min !== undefined && max !== undefined && min > max) add(`${path}.min`, `min (${min}) is above max (${max})`);
  if (warn !== undefined && alarm !== undefined) {
    const below = p.direction === 'below';
    if (below ? warn < alarm : warn > alarm) {
      add(`${path}.warn`, below ? `with direction: below, warn (${warn}) must not be below alarm (${alarm})` : `warn (${warn}) is above alarm (${alarm})`);
    }
  }
  for (const [name, v] of [['warn', warn], ['alarm', alarm]] as const) {
    if (v !== undefined && ((min !== undefined && v < min) || (max !== undefined && v > max))) add(`${path}.${name}`, `${v} lies outside [min, max]`);
  }
  if (p.type === 'enum' && arr(p.values).length === 0) add(`${path}.values`, 'an enum property needs values');
  if ((warn !== undefined || alarm !== undefined) && p.type !== undefined && p.type !== 'number' && p.type !== 'integer') {
    add(`${path}.type`, 'thresholds (warn, alarm) need a number property');
  }
}
