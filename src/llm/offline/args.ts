/**
 * Filling a tool's arguments from its JSON schema, as a model would: each parameter's name and description say what
 * kind of thing it wants (an asset, a property, an order, a crew, a time window, a number of hours, a choice), and
 * the value comes from what the task links to in the catalog, the times it names and the numbers it gives.
 */
import type { JsonSchema } from './read';
import type { Links, Catalog } from './link';
import { spanOf, type TimeWindow } from './times';
import { contentRoots, wordSimilarity } from './text';

export interface Grounding {
  links: Links;
  times: TimeWindow[];
  catalog: Catalog;
  task: string;
  now: string;
  /** The twin's timezone (for times a request names). */
  timezone?: string;
  /** The person's earlier tasks in this thread, latest first ("raise one" after "any open work orders?"). */
  earlier?: string[];
  /** Crews, assets or windows a reviewer objected to, to be avoided in a revision. */
  avoid?: { crews: string[]; assets: string[] };
}

type Kind = 'down_asset' | 'sku' | 'record' | 'parent' | 'asset' | 'assets' | 'type' | 'property' | 'order' | 'orders' | 'crew' | 'avoid_crews' | 'window' | 'start' | 'end' | 'deadline' | 'hours' | 'days' | 'percent' | 'number' | 'query' | 'other';

function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? 'string';
  if (s.type) return s.type;
  const alt = s.anyOf?.find((a) => a.type && a.type !== 'null');
  return alt ? typeOf(alt) : 'string';
}

/** What a parameter wants, from its name first and its description second. */
export function kindOf(name: string, s: JsonSchema): Kind {
  const n = name.toLowerCase();
  const t = typeOf(s);
  if (/(avoid|exclude).*crew/.test(n)) return 'avoid_crews';
  if (/^(id|record(_?id)?|work_?order(_?id)?|ticket(_?id)?)$/.test(n) && t === 'string') return 'record';
  if (/^(asset_?type|type|kind_of_asset)$/.test(n) && !s.enum) return 'type';
  if (/assets$|asset_?ids$/.test(n)) return 'assets';
  if (/asset|machine|equipment|station/.test(n) && t !== 'array' && /\b(taken down|down|unavailable|lost|offline|out of service|slowed)\b/i.test(s.description ?? '')) return 'down_asset';
  if (/asset|machine|equipment/.test(n)) return t === 'array' ? 'assets' : 'asset';
  if (/^(parent|area|line|location|within|under)(_?id)?$/.test(n) && t === 'string') return 'parent';
  if (/propert|metric|signal|measure/.test(n)) return 'property';
  if (/^(sku|product)(_?id)?$/.test(n) && t === 'string') return 'sku';
  if (/orders$/.test(n)) return 'orders';
  if (/order/.test(n)) return 'order';
  if (/crew|team|shift_?id/.test(n)) return 'crew';
  if (/window|period|span|range/.test(n) && t === 'object') return 'window';
  if (/before|deadline|due|latest|^by$/.test(n)) return 'deadline';
  if (/^(from|start|since|after|begin)/.test(n)) return 'start';
  if (/^(to|end|until)/.test(n)) return 'end';
  if (/hours?$/.test(n) && t !== 'string') return 'hours';
  if (/days?$/.test(n) && t !== 'string') return 'days';
  if (/percent|pct|share/.test(n)) return 'percent';
  if (/query|search|text|keyword/.test(n) && t === 'string') return 'query';
  if (t === 'number' || t === 'integer') return 'number';
  return 'other';
}

function pickEnum(values: unknown[], task: string): unknown {
  const words = contentRoots(task);
  let best: { v: unknown; s: number } | undefined;
  for (const v of values) {
    const parts = contentRoots(String(v).replace(/[_\-]+/g, ' '));
    let s = 0;
    for (const p of parts) for (const w of words) s = Math.max(s, wordSimilarity(p, w));
    if (s >= 0.7 && (!best || s > best.s)) best = { v, s };
  }
  return best?.v;
}

function hoursFrom(numbers: Links['numbers']): number | undefined {
  for (const n of numbers) {
    if (/^(h|hr|hrs|hour|hours)$/.test(n.unit)) return n.value;
    if (/^(d|day|days)$/.test(n.unit)) return n.value * 24;
    if (/^(min|mins|minute|minutes)$/.test(n.unit)) return n.value / 60;
  }
  return undefined;
}

function daysFrom(numbers: Links['numbers']): number | undefined {
  const h = hoursFrom(numbers);
  return h === undefined ? undefined : h / 24;
}

/** "Only on A and B" with no time given means for as long as the plan runs: two weeks covers any open order here. */
const EXCLUDED_HOURS = 14 * 24;

/**
 * Assets a task leaves out by naming the others: "1042 on just cnc-1 and cnc-3" takes cnc-2 (the same type's other
 * asset) away. Only with "just", "only" or "nothing but", and only assets of the named ones' own type.
 */
export function excludedAssets(g: Grounding): string[] {
  if (!/\b(just|only|nothing but|solely)\b/i.test(g.task) || !g.links.assets.length) return [];
  const named = new Set(g.links.assets.map((a) => a.id));
  const types = new Set(g.catalog.assets.filter((a) => named.has(a.id)).map((a) => a.type));
  if (types.size !== 1) return [];
  const [type] = types;
  return g.catalog.assets.filter((a) => a.type === type && !named.has(a.id)).map((a) => a.id);
}

/** The product a task names: an order's SKU ("for PO-7"), or a SKU by one of its words ("the gears" → SKU-GEAR-40). */
function skuFor(g: Grounding): string | undefined {
  const order = g.links.orders[0] && g.catalog.orders.find((o) => o.id === g.links.orders[0].id);
  if (order) return order.sku;
  const said = contentRoots(g.task);
  for (const sku of new Set(g.catalog.orders.map((o) => o.sku))) {
    const parts = contentRoots(sku.replace(/[_\-]+/g, ' ')).filter((w) => w.length > 2 && !/^\d+$/.test(w) && w !== 'sku');
    if (parts.some((p) => said.some((w) => wordSimilarity(p, w) >= 0.85))) return sku;
  }
  return undefined;
}

/** A value for one parameter, or undefined when the task gives none. */
export function valueFor(name: string, s: JsonSchema, g: Grounding): unknown {
  const kind = kindOf(name, s);
  const window = g.times.find((t) => t.kind === 'window');
  const deadline = g.times.find((t) => t.kind === 'deadline');
  const allowed = (v: string | undefined) => (v !== undefined && (!s.enum || s.enum.includes(v)) ? v : undefined);
  switch (kind) {
    case 'record': {
      // An id the task names that is no asset, order or crew: a record to look up ("what does RQ-12 say?").
      const known = [...g.catalog.assets, ...g.catalog.orders, ...g.catalog.crews].map((x) => x.id.toLowerCase());
      return (g.task.match(/\b[A-Za-z]{1,6}-\d{1,6}\b/g) ?? []).find((t) => !known.includes(t.toLowerCase()));
    }
    case 'asset':
      return allowed(g.links.assets[0]?.id);
    case 'down_asset':
      return allowed(excludedAssets(g)[0] ?? g.links.assets[0]?.id);
    case 'parent': {
      // A container the task names ("line a", "the bake hall"): one that other assets sit under.
      const id = g.links.assets[0]?.id;
      return id && g.catalog.assets.some((a) => a.parent === id) ? id : undefined;
    }
    case 'assets':
      return g.links.assets.length ? g.links.assets.map((a) => a.id) : undefined;
    case 'type': {
      // A kind is named by its head noun ("the meters", "compressor"), not by a modifier ("energy" of energy_meter).
      // Or it is the kind of the asset the task names by id ("pack-b1" is a packaging cell).
      const said = contentRoots(g.task);
      const ofAsset = g.catalog.assets.find((a) => a.id === g.links.assets[0]?.id)?.type;
      const named = g.links.group?.type ?? g.links.types.find((t) => {
        const head = contentRoots(t.type.replace(/[_\-]+/g, ' ')).at(-1);
        return t.score >= 0.75 || t.type === ofAsset || (head !== undefined && said.some((w) => wordSimilarity(w, head) >= 0.85));
      })?.type;
      return allowed(named);
    }
    case 'property': {
      const asset = g.catalog.assets.find((a) => a.id === g.links.assets[0]?.id);
      const props = g.links.properties.filter((p) => !asset || asset.properties.includes(p.name));
      return allowed(props[0]?.name);
    }
    case 'sku':
      return allowed(skuFor(g));
    case 'order':
      return allowed(g.links.orders[0]?.id);
    case 'orders':
      return g.links.orders.length ? g.links.orders.map((o) => o.id) : undefined;
    case 'crew':
      return allowed(g.links.crews[0]?.id);
    case 'avoid_crews':
      return g.avoid?.crews.length ? g.avoid.crews : undefined;
    case 'window':
      // "down until Thursday evening": with no span named, the time up to a deadline is the window.
      if (!window && deadline) return { start: deadline.start, end: deadline.end };
      return window ? { start: window.start, end: window.end } : undefined;
    case 'start':
      return window?.start;
    case 'end':
      return window?.end;
    case 'deadline':
      return deadline?.end;
    case 'hours': {
      const h = hoursFrom(g.links.numbers);
      const span = h === undefined ? spanOf(g.task) : null;
      if (h === undefined && span === null && excludedAssets(g).length) return EXCLUDED_HOURS;
      return h ?? (span !== null ? span / 3600e3 : undefined);
    }
    case 'days': {
      const d = daysFrom(g.links.numbers);
      const span = d === undefined ? spanOf(g.task) : null;
      return d ?? (span !== null ? span / 86400e3 : undefined);
    }
    case 'percent':
      return g.links.numbers.find((n) => n.unit === '%')?.value;
    case 'query':
      return undefined;
    default:
      if (s.enum) return pickEnum(s.enum, g.task);
      return undefined;
  }
}

/**
 * Arguments for a tool, or `missing` listing the required parameters nothing in the task could fill.
 * Optional parameters the task says nothing about are left out, so the tool's defaults apply.
 */
export function fillArgs(schema: JsonSchema, g: Grounding, preset: Record<string, unknown> = {}): { args: Record<string, unknown>; missing: string[] } {
  const args: Record<string, unknown> = {};
  const missing: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    let v = preset[name];
    if (v === undefined) v = valueFor(name, prop, g);
    if (v === undefined && required.has(name) && prop.default !== undefined) v = prop.default;
    if (v === undefined && required.has(name) && prop.enum?.length) v = prop.enum[0];
    if (v !== undefined) args[name] = v;
    else if (required.has(name)) missing.push(name);
  }
  return { args, missing };
}
