/**
 * The protocol between the graph (agents/) and any chat model, the offline one included.
 *
 * A real model reads these blocks as part of its prompt. The offline model parses them, which is how it can run the
 * same graph with no language model: it never sees anything a real model would not. Each block is a tagged JSON
 * document inside a message, e.g. `<experts>[...]</experts>`. Editing a shape here changes what both sides read.
 */

/** Structured-output names the graph asks for with `withStructuredOutput(schema, { name })`. */
export const STRUCTURED = { route: 'route', draft: 'draft', review: 'review' } as const;

/** In the route prompt: who can answer, and what each reviews. */
export interface ExpertCard {
  name: string;
  description: string;
  /** Example tasks phrased the way managers ask them. */
  examples: string[];
  /** Concerns this expert reviews in others' drafts (e.g. "crew availability", "overtime"). */
  reviews: string[];
}

/** In every expert and reviewer prompt: the twin the run is about, so words can be linked to things. */
export interface TwinContext {
  twin: string;
  now: string;
  timezone: string;
  /** The role this model plays in this call. */
  expert: string;
  mode: 'primary' | 'reviewer' | 'revision';
  catalog: {
    assets: { id: string; name: string; type: string; parent?: string; properties: string[] }[];
    /**
     * Open orders. `customer` (who it is for) and `product` (what its SKU is called, its routing's name) are optional:
     * a person names an order by them as often as by its id ("the Acme order", "the gear housings").
     */
    orders: { id: string; sku: string; due: string; priority?: string; customer?: string; product?: string }[];
    /** A crew's name when it has one other than its id ("Second shift"): people name crews by it. */
    crews: { id: string; shift: string; name?: string }[];
    /**
     * Commands each asset type accepts, keyed by type (an asset accepts its type's commands): what a person can ask
     * to have sent, with the arguments' limits and the risk that decides who approves. Optional: older contexts lack it.
     */
    commands?: Record<string, CommandCard[]>;
  };
  /**
   * Set when the catalog is not the whole twin: how many things it leaves out, and the tool that finds them. An
   * expert's catalog of a twin too large to list holds what the task names (with parents and children) and the top of
   * the hierarchy; the router's holds only what the task and thread name.
   */
  unlisted?: { assets: number; orders?: number; crews?: number; find_with?: string };
}

/**
 * Words of a customer's name that do not tell it apart ("Acme Tools Co." is named by "acme tools"): how the tools
 * read an `order` argument and how the offline model reads a task both drop them.
 */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set(['co', 'company', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'corp', 'corporation', 'gmbh', 'ag', 'plc', 'sa', 'bv', 'nv', 'pty', 'pvt', 'pte', 'private', 'srl', 'spa', 'sarl']);

/** One command of an asset type, as the manifest declares it. */
export interface CommandCard {
  name: string;
  description?: string;
  /** The setpoint property the command changes, when it sets one. */
  sets?: string;
  params: Record<string, { type: string; unit?: string; min?: number; max?: number; values?: string[]; required?: boolean }>;
  risk: 'low' | 'medium' | 'high';
}

/** In a reviewer's prompt (and a revision prompt): the draft under review, compact. */
export interface DraftBrief {
  task: string;
  primary: string;
  answer: string;
  actions: { type: string; params: Record<string, unknown>; rationale: string }[];
  evidence: { id: string; kind: string; ref: string; summary: string }[];
  /** Concerns raised by reviewers in the previous round (revision mode only). */
  concerns?: { expert: string; verdict: string; concern: string }[];
}

/** Every tool returns this, as the JSON content of its ToolMessage. Tools never throw at the model. */
export type ToolResult<T = unknown> =
  | {
      ok: true;
      /** One line for people, with the numbers, e.g. "cnc-a2 vibration_rms reaches alarm 7.1 in 2.8 d (2.1–3.9)". */
      summary: string;
      /** Evidence ids registered by this call (ev1, ev2, …) that an answer may cite. */
      evidence: string[];
      result: T;
      /** Follow-up calls the tool's computation suggests (e.g. a maintenance window after a short remaining life). */
      next?: { tool: string; args: Record<string, unknown>; why: string }[];
      /** Problems this result raises about a draft under review (reviewers cite them). */
      concerns?: string[];
    }
  | { ok: false; error: string };

export const TAGS = { experts: 'experts', context: 'context', draft: 'draft' } as const;

/**
 * The catalog as it travels in a `<context>` block: what each asset type measures and accepts once per type, and the
 * things keyed by id, so a twin of many alike machines costs a line per machine instead of repeating its type's
 * properties and commands. `{types:{cnc_mill:{properties:[…],commands:[…]}}, assets:{"cnc-a1":{type:"cnc_mill",
 * name:"CNC mill A1",parent:"line-a"}}, orders:{"PO-1":{sku,due,priority,customer,product}}, crews:{"crew-a":"06:00-14:00","crew-b":{shift:"14:00-22:00",name:"Late shift"}}}`. A name
 * equal to the id is left out. `decodeCatalog` gives back the `TwinContext['catalog']` shape.
 */
export interface WireCatalog {
  types?: Record<string, { properties?: string[]; commands?: CommandCard[] }>;
  assets: Record<string, { type: string; name?: string; parent?: string; properties?: string[] }>;
  orders: Record<string, { sku: string; due: string; priority?: string; customer?: string; product?: string }>;
  /** A crew's shift, or its shift and name when it has a name of its own. */
  crews: Record<string, string | { shift: string; name: string }>;
}

type CatalogOrder = TwinContext['catalog']['orders'][number];

/** An order's optional fields, left out when absent. */
function orderExtras(o: { priority?: string; customer?: string; product?: string }): Partial<CatalogOrder> {
  return { ...(o.priority ? { priority: o.priority } : {}), ...(o.customer ? { customer: o.customer } : {}), ...(o.product ? { product: o.product } : {}) };
}

type Catalog = TwinContext['catalog'];

export function encodeCatalog(c: Catalog): WireCatalog {
  const types: NonNullable<WireCatalog['types']> = {};
  const assets: WireCatalog['assets'] = {};
  for (const a of c.assets) {
    const t = (types[a.type] ??= {});
    if (a.properties.length && !t.properties) t.properties = a.properties;
    // Properties are the type's: an asset lists its own only when they differ (never, for a catalog from the store).
    const own = a.properties.length && a.properties.join('\u0000') !== t.properties?.join('\u0000') ? { properties: a.properties } : {};
    assets[a.id] = { type: a.type, ...(a.name && a.name !== a.id ? { name: a.name } : {}), ...(a.parent ? { parent: a.parent } : {}), ...own };
  }
  for (const [type, cmds] of Object.entries(c.commands ?? {})) if (cmds.length) (types[type] ??= {}).commands = cmds;
  for (const k of Object.keys(types)) if (!types[k]!.properties && !types[k]!.commands) delete types[k];
  return {
    ...(Object.keys(types).length ? { types } : {}),
    assets,
    orders: Object.fromEntries(c.orders.map((o) => [o.id, { sku: o.sku, due: o.due, ...orderExtras(o) }])),
    crews: Object.fromEntries(c.crews.map((x) => [x.id, x.name && x.name !== x.id ? { shift: x.shift, name: x.name } : x.shift])),
  };
}

/** The catalog of a `<context>` block, whether it came compact (WireCatalog) or in the plain shape. */
export function decodeCatalog(w: unknown): Catalog {
  const x = (w ?? {}) as Partial<WireCatalog> & Partial<Catalog>;
  if (Array.isArray(x.assets)) return x as Catalog;
  const types = (x as WireCatalog).types ?? {};
  const assets = Object.entries((x.assets ?? {}) as WireCatalog['assets']).map(([id, a]) => ({
    id,
    name: a.name ?? id,
    type: a.type,
    ...(a.parent ? { parent: a.parent } : {}),
    properties: a.properties ?? types[a.type]?.properties ?? [],
  }));
  const commands = Object.fromEntries(Object.entries(types).filter(([, t]) => t.commands?.length).map(([k, t]) => [k, t.commands!]));
  return {
    assets,
    orders: Object.entries((x.orders ?? {}) as WireCatalog['orders']).map(([id, o]) => ({ id, sku: o.sku, due: o.due, ...orderExtras(o) })),
    crews: Object.entries((x.crews ?? {}) as WireCatalog['crews']).map(([id, c]) => (typeof c === 'string' ? { id, shift: c } : { id, shift: c.shift, name: c.name })),
    ...(Object.keys(commands).length ? { commands } : {}),
  };
}

/** Wrap a JSON payload in a tag: `<name>{…}</name>`. A `<context>` carries its catalog compact (WireCatalog). */
export function block(name: keyof typeof TAGS, payload: unknown): string {
  const p = payload as Partial<TwinContext> | null;
  const body = name === 'context' && p && typeof p === 'object' && p.catalog && Array.isArray(p.catalog.assets) ? { ...p, catalog: encodeCatalog(p.catalog) } : payload;
  return `<${name}>${JSON.stringify(body)}</${name}>`;
}

/**
 * Find and parse the last `<name>…</name>` block in a text; undefined when absent or not JSON. A `<context>` comes back
 * with its catalog in the plain `TwinContext['catalog']` shape, whichever shape it was sent in.
 */
export function readBlock<T>(name: keyof typeof TAGS, text: string): T | undefined {
  const raw = readRawBlock<T>(name, text);
  if (name !== 'context' || !raw || typeof raw !== 'object') return raw;
  const c = raw as unknown as Partial<TwinContext>;
  return (c.catalog ? { ...c, catalog: decodeCatalog(c.catalog) } : raw) as T;
}

function readRawBlock<T>(name: keyof typeof TAGS, text: string): T | undefined {
  // The payload must open like JSON: prompts mention the tags in prose ("the <context> block"), which must not match.
  const re = new RegExp(`<${name}>\\s*([[{][\\s\\S]*?)</${name}>`, 'g');
  let last: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m[1];
  if (last === undefined) return undefined;
  try {
    return JSON.parse(last) as T;
  } catch {
    return undefined;
  }
}

/** One piece of evidence as the answer cites it (agents/answer.ts `Evidence` has the same fields). */
export interface EvidenceItem {
  id: string;
  kind: 'readings' | 'alarm' | 'order' | 'simulation' | 'analysis' | 'record';
  ref: string;
  summary: string;
  window?: { start: string; end: string };
}

/**
 * The per-run evidence ledger. The graph creates one per run (seeded with the evidence a resumed run already holds)
 * and hands it to the tools; tools `add` what they read and return the ids in `ToolResult.evidence`.
 */
export interface EvidenceLedger {
  add(item: Omit<EvidenceItem, 'id'>): string;
  get(id: string): EvidenceItem | undefined;
  list(): EvidenceItem[];
}

/** A simple in-memory ledger with ids ev1, ev2, … continuing after any seed. */
export function createLedger(seed: EvidenceItem[] = []): EvidenceLedger {
  const items = new Map<string, EvidenceItem>(seed.map((e) => [e.id, e]));
  let n = seed.reduce((max, e) => Math.max(max, Number(/^ev(\d+)$/.exec(e.id)?.[1] ?? 0)), 0);
  return {
    add(item) {
      // The same read twice in a run cites the same id, so answers stay short.
      for (const e of items.values()) if (e.kind === item.kind && e.ref === item.ref && e.summary === item.summary) return e.id;
      const id = `ev${++n}`;
      items.set(id, { id, ...item });
      return id;
    },
    get: (id) => items.get(id),
    list: () => [...items.values()],
  };
}

/**
 * What `propose_action` returns as `result`: a proposal only. The graph's propose step stores it as
 * `pending_approval`; nothing executes until a human approves.
 */
export interface ProposedAction {
  type: 'create_work_order' | 'reschedule_order' | 'send_command' | 'adjust_shift';
  params: Record<string, unknown>;
  risk?: 'low' | 'medium' | 'high';
  rationale: string;
  evidence?: string[];
}
