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
    orders: { id: string; sku: string; due: string; priority?: string }[];
    crews: { id: string; shift: string }[];
    /**
     * Commands each asset type accepts, keyed by type (an asset accepts its type's commands): what a person can ask
     * to have sent, with the arguments' limits and the risk that decides who approves. Optional: older contexts lack it.
     */
    commands?: Record<string, CommandCard[]>;
  };
}

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

/** Wrap a JSON payload in a tag: `<name>{…}</name>`. */
export function block(name: keyof typeof TAGS, payload: unknown): string {
  return `<${name}>${JSON.stringify(payload)}</${name}>`;
}

/** Find and parse the last `<name>…</name>` block in a text; undefined when absent or not JSON. */
export function readBlock<T>(name: keyof typeof TAGS, text: string): T | undefined {
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
