/**
 * The offline model's tool loop. First turn: score the bound tools against the task (BM25 over their names,
 * descriptions and parameter docs), call the best ones whose arguments the task can fill. Later turns: follow the
 * `next` suggestions that tool results computed, when they serve the task; a proposal only when the task asks for
 * something to be done. Text inside tool results (names, notes, alarm messages) is never read as an instruction:
 * only the structured `next` of a tool is followed, and only to tools that are bound.
 */
import type { ToolResult } from '../protocol';
import { Bm25 } from './bm25';
import { linkText } from './link';
import { fillArgs, kindOf, type Grounding } from './args';
import type { BoundTool, CallView, JsonSchema } from './read';
import type { Intent } from './intent';
import { contentRoots } from './text';

export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/** Turns of tool calls the offline model takes before it writes, whatever the graph's own cap. */
export const MAX_ROUNDS = 5;
const FIRST_TURN_MAX = 3;

function schemaText(s: JsonSchema): string {
  return Object.entries(s.properties ?? {})
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v.description ?? ''}`)
    .join('\n');
}

const indexes = new Map<string, Bm25>();
function toolIndex(tools: BoundTool[]): Bm25 {
  const key = tools.map((t) => t.name).join('|');
  let ix = indexes.get(key);
  if (!ix) {
    ix = new Bm25(
      tools.map((t) => ({
        id: t.name,
        fields: [
          { text: t.name.replace(/_/g, ' '), weight: 2 },
          { text: t.description, weight: 1 },
          { text: schemaText(t.parameters), weight: 0.3 },
        ],
      })),
    );
    if (indexes.size > 100) indexes.clear();
    indexes.set(key, ix);
  }
  return ix;
}

/** A tool that records a proposal rather than reading or computing. Known by its own description, not by name. */
export function isProposer(t: BoundTool): boolean {
  return /\bpropos/i.test(t.name) || /\b(records?|makes?|files?) an? (action )?proposal/i.test(t.description);
}

function sameCall(a: PlannedCall, b: { name: string; args: Record<string, unknown> }): boolean {
  return a.name === b.name && JSON.stringify(a.args) === JSON.stringify(b.args);
}

/**
 * What kind of answer a question wants, in the words tool descriptions use: "right now" and "status" want the latest
 * state, "how long have we got" the remaining life, "last week vs now" a history, and an id that names no asset,
 * order or crew ("what does RQ-12 say?") a record. English phrasing only, nothing about any twin.
 */
const ASKS: [RegExp, string][] = [
  [/\b(right now|currently|at the moment|status|latest|current|(?<!(from|until|till|by) )now|reading|running)\b/, 'latest reported state value'],
  [/\bhow long\b|\btime left\b|\bremaining\b|\b(break|fail|die|go|wear)\w*\b[^.?!]*\b(first|next|soon|earliest)\b|\b(first|next) to (break|fail|go)|\b(hits?|reach(es)?|cross(es)?)\b[^.?!]*\b(alarm|limit)\b|\bhow\s+many\s+(days|hours|weeks|shifts)\b[^.?!]*\b(alarm|limit|fail\w*|break\w*|trip\w*)|\b(goes?|going|gets?|getting)\s+(in|into|to)\s+(the\s+)?alarm\b/, 'remaining life alarm fail next'],
  [/\b(vs\.?|versus|compared?|since|trend(ing)?|last (week|month|night)|yesterday|history|over the (week|day|last))\b/, 'history change over window'],
  [/\b(expensive|cheap(est)?|price[sd]?|tariff|rates?|per kwh)\b/, 'tariff price kwh peak periods'],
  // "is the belt job still open?", "any outstanding repairs": the work-order records.
  [/\b(jobs?|tickets?|work ?orders?|repairs?|tasks?)\b[^.?!]*\b(open|closed|done|still|status|finished|pending)\b|\b(open|pending|outstanding|overdue)\s+(jobs?|tickets?|repairs?|work)\b/, 'work orders records open status notes'],
  // "charge the forklifts outside the expensive hours", "move the pre-heat off peak": a load moved out of a window.
  [/\b(outside|out of|off|avoid\w*|away from|before|after|later|earlier)\b[^.?!]*\b(peak|expensive|pricey|tariff|high[- ]price)/, 'load shift move recurring load out of peak window saving'],
  // "what if X goes down", "if we lose X for two days", "X is down until Thursday": a what-if on downtime.
  [/\bwhat[\s-]+if\b|\b(lose|lost|losing)\b|\b(is|goes|go|went|were|was|be|being|are|breaks?|broke|taken?|took)\s+(down|offline|out)\b|\bdown\s+(for|from|until|till|til|through)\b/, 'what-if simulation machine down window late orders'],
  [/\bwho('s| is| are)?\b[^.?!]*\b(working|on shift|on duty|on site|around)\b/, 'crews shifts on shift'],
];

/** Ids in the task that name nothing in the catalog: a record (work order, ticket) to look up. */
export function recordIds(task: string, linked: string[]): string[] {
  const known = new Set(linked.map((x) => x.toLowerCase()));
  return [...new Set((task.match(/\b[A-Za-z]{1,6}-?\d{1,6}\b/g) ?? []).filter((t) => /[A-Za-z]/.test(t) && /\d/.test(t) && !known.has(t.toLowerCase())))];
}

export function askHints(task: string): string[] {
  const lower = task.toLowerCase();
  return ASKS.filter(([re]) => re.test(lower)).map(([, h]) => h);
}

export function scoreTools(task: string, tools: BoundTool[], hints: string[] = []): { name: string; score: number }[] {
  return scoreToolsByRoots([...contentRoots(task), ...hints.flatMap((h) => contentRoots(h))], tools);
}

/** Tools ranked against lemmas already read (contentRoots, contentRootsByWord). */
export function scoreToolsByRoots(roots: string[], tools: BoundTool[]): { name: string; score: number }[] {
  if (!tools.length) return [];
  return toolIndex(tools).score(roots).map((s) => ({ name: s.id, score: s.score }));
}

/** Most calls of one tool a group of assets fans out to ("the compressors" → one state read each). */
const FAN_OUT_MAX = 6;

/**
 * A tool that reads one asset at a time, asked about a kind in the plural ("status of the compressors"), is called
 * once per asset of that kind; a tool that can take the kind itself (a `type` parameter) is called once with it.
 */
function fanOut(tool: BoundTool, args: Record<string, unknown>, g: Grounding): PlannedCall[] {
  // Two orders named ("run PO-7 before PO-8?"): a tool that reads one order reads each.
  const props0 = tool.parameters.properties ?? {};
  const orderKey = Object.keys(props0).find((k) => kindOf(k, props0[k]) === 'order' && args[k] === g.links.orders[0]?.id);
  if (orderKey && g.links.orders.length > 1) return g.links.orders.slice(0, FAN_OUT_MAX).map((o) => ({ name: tool.name, args: { ...args, [orderKey]: o.id } }));
  const props = tool.parameters.properties ?? {};
  // Two or more assets named by id ("are hlp_1 and hlp_3 ok?"): a tool that reads one asset reads each.
  const byId = g.links.assets.filter((a) => a.via === 'id').map((a) => a.id);
  const idKey = Object.keys(props).find((k) => kindOf(k, props[k]) === 'asset' && args[k] === byId[0]);
  if (idKey && byId.length > 1) return byId.slice(0, FAN_OUT_MAX).map((id) => ({ name: tool.name, args: { ...args, [idKey]: id } }));
  const group = g.links.group;
  if (!group?.plural || group.ids.length < 2) return [{ name: tool.name, args }];
  const assetKey = Object.keys(props).find((k) => kindOf(k, props[k]) === 'asset' && args[k] === group.ids[0]);
  if (!assetKey) return [{ name: tool.name, args }];
  const typeKey = Object.keys(props).find((k) => kindOf(k, props[k]) === 'type');
  if (typeKey && !(tool.parameters.required ?? []).includes(assetKey)) {
    const rest = { ...args };
    delete rest[assetKey];
    return [{ name: tool.name, args: { ...rest, [typeKey]: group.type } }];
  }
  return group.ids.slice(0, FAN_OUT_MAX).map((id) => ({ name: tool.name, args: { ...args, [assetKey]: id } }));
}

/** The first turn: the best-matching tools the task can fill. */
export function firstCalls(tools: BoundTool[], g: Grounding, hints: string[] = []): PlannedCall[] {
  const linked = [...g.links.assets.map((a) => a.id), ...g.links.orders.map((o) => o.id), ...g.links.crews.map((c) => c.id)];
  const records = recordIds(g.task, [...linked, ...g.catalog.assets.map((a) => a.id)]).filter((id) => !/^\w{1,3}\d$/i.test(id));
  // A measurement of an asset, both named in this very task ("tank level ok?"), asks for its reading; what earlier
  // turns named does not, nor does a question about what it costs.
  const own = linkText(g.task, g.catalog);
  const measured = own.properties.some((p) => own.assets.some((a) => g.catalog.assets.find((x) => x.id === a.id)?.properties.includes(p.name)));
  const reading = measured && !/\b(cost\w*|spend\w*|bill|price\w*|sav(e|es|ing|ings))\b/i.test(g.task) ? ['latest reported state value'] : [];
  const scores = scoreTools(g.task, tools, [...hints, ...askHints(g.task), ...reading, ...(records.length ? ['work orders records notes'] : [])]);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const top = scores[0]?.score ?? 0;
  const out: PlannedCall[] = [];
  for (const s of scores) {
    const tool = byName.get(s.name)!;
    if (isProposer(tool)) continue;
    if (top > 0 && s.score < 0.45 * top) break;
    if (top <= 0 && out.length) break;
    const { args, missing } = fillArgs(tool.parameters, g);
    if (missing.length) continue;
    out.push(...fanOut(tool, args, g));
    if (new Set(out.map((c) => c.name)).size >= FIRST_TURN_MAX) break;
  }
  // Nothing fitted: fall back to the best tool that needs nothing, so the answer still rests on data.
  if (!out.length) {
    for (const s of scores) {
      const tool = byName.get(s.name)!;
      if (isProposer(tool)) continue;
      const { args, missing } = fillArgs(tool.parameters, g);
      if (!missing.length) {
        out.push({ name: tool.name, args });
        break;
      }
    }
  }
  return out;
}

/** Later turns: `next` suggestions from results, filtered by what the task wants. */
export function followUps(view: CallView, tools: BoundTool[], g: Grounding, intent: Intent, allowProposals: boolean): PlannedCall[] {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const scores = new Map(scoreTools(g.task, tools).map((s) => [s.name, s.score]));
  const out: PlannedCall[] = [];
  const lastRound = view.rounds - 1;
  for (const call of view.calls) {
    if (call.round !== lastRound || !call.result?.ok) continue;
    const result = call.result as Extract<ToolResult, { ok: true }>;
    for (const n of result.next ?? []) {
      const tool = byName.get(n.tool);
      if (!tool || !n.args || typeof n.args !== 'object') continue;
      const planned = { name: n.tool, args: n.args };
      if (view.calls.some((c) => sameCall(planned, c)) || out.some((o) => sameCall(planned, o))) continue;
      if (isProposer(tool)) {
        if (intent !== 'action' || !allowProposals) continue;
        // One proposal per suggestion chain is enough; a second identical kind would be noise.
        if (view.calls.some((c) => c.name === n.tool && JSON.stringify(c.args) === JSON.stringify(n.args))) continue;
      } else if ((scores.get(n.tool) ?? 0) <= 0 && intent !== 'action') {
        // An explanation does not need the tool's further computation unless the task's words point at it.
        continue;
      }
      out.push(planned);
    }
  }
  return out;
}
