/**
 * The offline chat model: a LangChain BaseChatModel that needs no network and no weights. It supports `bindTools` and
 * (through the base class) `withStructuredOutput`, so the graph runs unchanged on it. Every call is deterministic in
 * its input: the same messages and tools give the same reply. It reads only what a real model reads: the protocol
 * blocks, the messages, the bound tools and the tool results.
 */
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { isStructuredTool } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { STRUCTURED } from '../protocol';
import { composeDraft, shapeTo } from './draft';
import { intentOf, peopleCheck } from './intent';
import { linkText, type Catalog, type Links } from './link';
import { firstCalls, followUps, isProposer, MAX_ROUNDS, scoreTools, type PlannedCall } from './plan';
import { normaliseTools, parseTurns, readCall, textOf, type BoundTool, type CallView, type JsonSchema } from './read';
import { reviewCalls, verdictOf } from './review';
import { routeView } from './route';
import { parseTimes } from './times';
import { explicitRequests, unmetCommands, type Request } from './request';
import { fillArgs, type Grounding } from './args';

export interface OfflineCallOptions extends BaseChatModelCallOptions {
  tools?: unknown[];
}

const EMPTY_CATALOG: Catalog = { assets: [], orders: [], crews: [] };

/**
 * JSON schemas of tools' argument schemas, by schema object. A run builds its tools afresh for every call (they carry
 * the call's scope), but their zod schemas are built once, and converting one to JSON costs more than the rest of
 * binding it.
 */
const jsonSchemas = new WeakMap<object, unknown>();

function openAITool(t: BindToolsInput): ReturnType<typeof convertToOpenAITool> {
  const schema = (t as { schema?: unknown }).schema;
  if (!isStructuredTool(t) || typeof schema !== 'object' || schema === null) return convertToOpenAITool(t);
  let parameters = jsonSchemas.get(schema);
  if (parameters === undefined) jsonSchemas.set(schema, (parameters = convertToOpenAITool(t).function.parameters));
  return { type: 'function', function: { name: t.name, description: t.description, parameters: parameters as Record<string, unknown> } };
}

function mergeLinks(a: Links, b: Links): Links {
  return {
    assets: a.assets.length ? a.assets : b.assets,
    group: a.assets.length ? a.group : b.group,
    types: a.types.length ? a.types : b.types,
    properties: a.properties.length ? a.properties : b.properties,
    orders: a.orders.length ? a.orders : b.orders,
    crews: a.crews.length ? a.crews : b.crews,
    numbers: a.numbers,
  };
}

/** The earlier tasks and answers of a thread, latest first; a section in another shape counts as one task. */
export function splitTurns(sections: string[]): { tasks: string[]; answers: string[] } {
  const turns = sections.flatMap((s) => {
    const parsed = parseTurns(s);
    return parsed.length || !s.trim() ? parsed : [{ task: s.trim() }];
  }).reverse();
  return { tasks: turns.map((t) => t.task), answers: turns.flatMap((t) => (t.answer ? [t.answer] : [])) };
}

/** Words a reader infers from the ids a task names: "PO-7" is an order, "pump-3" a centrifugal pump. */
function hintsFrom(links: Links, catalog: Catalog): string[] {
  const hints: string[] = [];
  for (const a of links.assets) {
    const asset = catalog.assets.find((x) => x.id === a.id);
    if (asset) hints.push(asset.type.replace(/_/g, ' '));
  }
  if (links.orders.length) hints.push('order');
  if (links.crews.length) hints.push('crew');
  return hints;
}

export function groundingOf(view: CallView): Grounding {
  const catalog = view.context?.catalog ?? EMPTY_CATALOG;
  const now = view.context?.now ?? new Date(0).toISOString();
  const tz = view.context?.timezone ?? 'UTC';
  let links = linkText(view.task, catalog);
  // A follow-up ("and when could we fix it?") leans on the things the thread already named: what the person asked
  // about first (latest turn back), then what the answers named (an answer also lists things only in passing).
  const { tasks, answers } = splitTurns(view.earlier);
  for (const earlier of [...tasks, ...answers]) links = mergeLinks(links, linkText(earlier, catalog));
  const concernText = (view.draft?.concerns ?? []).map((c) => c.concern).join('\n');
  const avoid = concernText ? linkText(concernText, catalog) : undefined;
  return {
    links,
    times: parseTimes(view.task, new Date(now), tz),
    catalog,
    task: view.task,
    now,
    timezone: tz,
    earlier: tasks,
    avoid: avoid ? { crews: avoid.crews.map((c) => c.id), assets: avoid.assets.map((a) => a.id) } : undefined,
  };
}

/** FNV-1a: tool-call ids that depend only on the conversation, so a replayed call gets the same ids. */
function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

export class OfflineChatModel extends BaseChatModel<OfflineCallOptions> {
  static override lc_name(): string {
    return 'OfflineChatModel';
  }

  constructor() {
    super({});
  }

  override _llmType(): string {
    return 'offline';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<OfflineCallOptions>) {
    return this.withConfig({ ...kwargs, tools: tools.map(openAITool) } as Partial<OfflineCallOptions>);
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const message = this.reply(messages, normaliseTools(options.tools));
    const promptChars = messages.reduce((n, m) => n + textOf(m).length, 0);
    const outChars = textOf(message).length + JSON.stringify(message.tool_calls ?? []).length;
    message.usage_metadata = {
      input_tokens: Math.ceil(promptChars / 4),
      output_tokens: Math.ceil(outChars / 4),
      total_tokens: Math.ceil(promptChars / 4) + Math.ceil(outChars / 4),
    };
    return { generations: [{ message, text: textOf(message) }] };
  }

  /** The reply to one call. Public so tests can exercise it without a graph. */
  reply(messages: BaseMessage[], tools: BoundTool[]): AIMessage {
    const view = readCall(messages);
    // Only a structured tool bound: the call asks for that output. Beside other tools, it is how the loop ends.
    const structured = tools.find((t) => (Object.values(STRUCTURED) as string[]).includes(t.name));
    if (structured && tools.every((t) => (Object.values(STRUCTURED) as string[]).includes(t.name))) return this.structured(structured, view, tools);
    return this.toolTurn(view, tools, structured);
  }

  private call(view: CallView, calls: PlannedCall[], content = ''): AIMessage {
    const seq = hashOf(`${view.task}|${view.rounds}|${view.calls.map((c) => c.id).join(',')}|${JSON.stringify(calls)}`);
    // A chunk, not a plain message: the base withStructuredOutput parser accepts only AIMessageChunk.
    return new AIMessageChunk({
      content,
      tool_calls: calls.map((c, i) => ({ id: `call_${seq}_${i}`, name: c.name, args: c.args, type: 'tool_call' as const })),
    });
  }

  private structured(tool: BoundTool, view: CallView, tools: BoundTool[]): AIMessage {
    const schema = tool.parameters;
    let values: Record<string, unknown>;
    if (tool.name === STRUCTURED.route) {
      const d = routeView(view);
      values = { ...d, expert: d.primary };
    } else if (tool.name === STRUCTURED.review) {
      const v = verdictOf(view);
      const items = schema.properties?.concerns?.items;
      const concerns = items?.type === 'object' ? v.concerns.map((c) => ({ ...c, concern: c.text })) : v.concerns.map((c) => `${c.text} [${c.evidence.join(', ')}]`);
      values = { ...v, concerns, reason: v.summary, comment: v.summary };
    } else {
      const people = peopleCheck(view.task);
      const names = new Set(tools.filter(isProposer).map((t) => t.name));
      const d = composeDraft(view, (n) => names.has(n) || /propos/i.test(n), people, unmetCommands(view.task, groundingOf(view)));
      values = { ...d, markdown: d.answer, text: d.answer, summary: d.answer.split('\n')[0], proposals: d.actions, evidence_ids: d.evidence };
    }
    return this.call(view, [{ name: tool.name, args: shapeTo(schema, values) }]);
  }

  private toolTurn(view: CallView, tools: BoundTool[], finishing?: BoundTool): AIMessage {
    const usable = tools.filter((t) => !(Object.values(STRUCTURED) as string[]).includes(t.name));
    const finish = () => {
      // With a finishing tool bound (`draft`, `review`), the work ends by calling it, as the prompt asks.
      if (finishing) return this.structured(finishing, view, tools);
      if (view.context?.mode === 'reviewer') return new AIMessage(verdictOf(view).summary);
      const d = composeDraft(view, (n) => usable.some((t) => t.name === n && isProposer(t)), peopleCheck(view.task), unmetCommands(view.task, groundingOf(view)));
      return new AIMessage(d.answer);
    };
    if (!usable.length || view.rounds >= MAX_ROUNDS) return finish();
    const g = groundingOf(view);
    let calls: PlannedCall[];
    if (view.context?.mode === 'reviewer' && view.draft) {
      calls = view.rounds === 0 ? reviewCalls(view.draft, usable, g) : [];
    } else if (view.rounds === 0) {
      calls = firstCalls(usable, g, hintsFrom(g.links, g.catalog));
      calls.push(...requestCalls(explicitRequests(view.task, g), usable, g, calls));
    } else {
      const people = peopleCheck(view.task);
      calls = followUps(view, usable, g, intentOf(view.task), !people.singlesOut);
      // A task that asks for specific changes gets those, not whatever else the analysis suggests.
      const asked = explicitRequests(view.task, g);
      if (asked.length) {
        const proposer = new Set(usable.filter(isProposer).map((t) => t.name));
        const want = asked.filter((r) => r.needsWindow);
        calls = calls.filter((c) => !proposer.has(c.name) || want.some((r) => c.args.type === r.type && Object.entries(r.args).every(([k, v]) => c.args[k] === v)));
      }
    }
    return calls.length ? this.call(view, calls) : finish();
  }
}

/** The propose tool's arguments for a request, shaped to that tool's own schema. */
function proposalArgs(schema: JsonSchema, r: Request, task: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    if (name in r.args) out[name] = r.args[name];
    else if (/^(type|kind|action(_?type)?)$/i.test(name) && (!p.enum || p.enum.includes(r.type))) out[name] = r.type;
    else if (/rationale|reason|why|justification/i.test(name)) out[name] = `requested by the person: ${task.slice(0, 200)}`;
  }
  const missing = (schema.required ?? []).filter((k) => out[k] === undefined);
  return missing.length ? null : out;
}

/** First-turn calls for explicit requests: the proposal itself, or for a work order with no time given, the tool that finds its window. */
function requestCalls(requests: Request[], tools: BoundTool[], g: Grounding, planned: PlannedCall[]): PlannedCall[] {
  const proposer = tools.find(isProposer);
  if (!proposer) return [];
  const out: PlannedCall[] = [];
  for (const r of requests) {
    if (r.needsWindow) {
      // The tool that best answers "when to service it", given only the asset.
      const byName = new Map(tools.map((t) => [t.name, t]));
      for (const s of scoreTools('recommend when to service or repair an asset window', tools)) {
        const t = byName.get(s.name)!;
        if (isProposer(t) || s.score <= 0) continue;
        const { args, missing } = fillArgs(t.parameters, { ...g, links: { ...g.links, assets: [{ id: String(r.args.asset), score: 1, via: 'id' }] } });
        if (missing.length || args.asset !== r.args.asset) continue;
        if (![...planned, ...out].some((c) => c.name === t.name && JSON.stringify(c.args) === JSON.stringify(args))) out.push({ name: t.name, args });
        break;
      }
      continue;
    }
    const args = proposalArgs(proposer.parameters, r, g.task);
    if (args) out.push({ name: proposer.name, args });
  }
  return out;
}

export function createOfflineModel(): OfflineChatModel {
  return new OfflineChatModel();
}

export type { JsonSchema };
