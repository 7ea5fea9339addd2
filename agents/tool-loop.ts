/**
 * The tool loop shared by experts and reviewers: call the model with its tools bound, run the tool calls it makes,
 * feed the results back, stop when it answers without tool calls or at the step cap. Tools never throw at the model:
 * a failure becomes `{ok:false, error}` (open-swe's rule), and tool output goes back as data in a ToolMessage.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { ProposedAction, ToolResult } from '../src/llm/protocol';
import type { PlanEvent } from './answer';
import type { RunModels } from './model-call';
import type { UsageDelta } from './state';
import type { structuredSpec } from './structured';

export interface LoopResult {
  messages: BaseMessage[];
  proposals: ProposedAction[];
  steps: number;
  /** The arguments the model gave the finishing tool (`draft`, `review`), when it ended the loop with it. */
  finished?: unknown;
}

export function parseToolResult(content: unknown): ToolResult {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  try {
    const parsed = JSON.parse(text) as ToolResult;
    if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed;
  } catch {
    /* fall through */
  }
  return { ok: true, summary: text.slice(0, 200), evidence: [], result: text };
}

/** A proposal inside a propose_action result: the result itself, or `{proposal}` / `{action}` around it. */
export function proposalOf(result: unknown): ProposedAction | null {
  const r = result as Record<string, unknown> | null;
  const p = (r?.proposal ?? r?.action ?? r) as Partial<ProposedAction> | null;
  return p && typeof p.type === 'string' && typeof p.params === 'object' && p.params !== null
    ? { type: p.type, params: p.params, risk: p.risk, rationale: String(p.rationale ?? ''), evidence: p.evidence ?? [] }
    : null;
}

async function runTool(tool: StructuredToolInterface | undefined, name: string, args: unknown): Promise<ToolResult> {
  if (!tool) return { ok: false, error: `unknown tool ${name}` };
  try {
    const out: unknown = await tool.invoke(args as Record<string, unknown>);
    return parseToolResult(out instanceof ToolMessage ? out.content : out);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The transcript for the closing structured call (draft, verdict): the model has read the full tool results in the
 * loop; what it needs now is each result's summary (which carries the numbers), evidence ids, concerns and
 * suggestions. Bulky `result` payloads are dropped, except a proposal's, which the draft must restate.
 */
export function compactTranscript(messages: BaseMessage[]): BaseMessage[] {
  return messages.map(compactToolMessage);
}

/** Lists in a result payload longer than this are cut to their head (tools put the most relevant rows first). */
const MAX_ROWS = 8;

function trimRows(v: unknown, depth = 0): unknown {
  if (depth > 3 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const head = v.slice(0, MAX_ROWS).map((x) => trimRows(x, depth + 1));
    return v.length > MAX_ROWS ? [...head, `(+${v.length - MAX_ROWS} more; ask the tool for one of them)`] : head;
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trimRows(x, depth + 1)]));
}

/** A fresh result as the model reads it: summary, evidence, concerns and suggestions whole, long lists cut short. */
function trimToolMessage(m: ToolMessage): ToolMessage {
  const r = parseToolResult(m.content);
  if (!r.ok || r.result === null || typeof r.result !== 'object') return m;
  return new ToolMessage({ tool_call_id: m.tool_call_id, name: m.name, content: JSON.stringify({ ...r, result: trimRows(r.result) }) });
}

function compactToolMessage(m: BaseMessage): BaseMessage {
  if (!(m instanceof ToolMessage)) return m;
  const r = parseToolResult(m.content);
  const compact = r.ok
    ? { ok: true, summary: r.summary, evidence: r.evidence, ...(r.concerns ? { concerns: r.concerns } : {}), ...(r.next ? { next: r.next } : {}), ...(m.name === 'propose_action' ? { result: r.result } : {}) }
    : r;
  return new ToolMessage({ tool_call_id: m.tool_call_id, name: m.name, content: JSON.stringify(compact) });
}

export async function toolLoop(opts: {
  model: BaseChatModel;
  models: RunModels;
  tools: StructuredToolInterface[];
  messages: BaseMessage[];
  maxSteps: number;
  meter: UsageDelta;
  expert: string;
  emit: (e: PlanEvent) => void;
  /**
   * A finishing tool bound beside the others: the model ends the loop by calling it, and its arguments are the loop's
   * output. That saves the separate closing call, which would resend the whole transcript once more; a model that
   * answers in plain text instead gets that closing call from the node, as before.
   */
  finish?: ReturnType<typeof structuredSpec>;
}): Promise<LoopResult> {
  const { model, tools, meter, expert, emit, finish } = opts;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const offered = finish ? [...tools, finish] : tools;
  const bound = offered.length && model.bindTools ? model.bindTools(offered) : model;
  let finished: unknown;
  const messages = [...opts.messages];
  // What the model is sent: the latest step's results in full, earlier steps' results compact (their summary, evidence,
  // concerns and suggestions), as in compactTranscript: the model read them in full on the step they came back.
  const sent = [...opts.messages];
  let latest: BaseMessage[] = [];
  const proposals: ProposedAction[] = [];
  let steps = 0;
  while (steps < opts.maxSteps) {
    const ai = (await opts.models.invoke(bound, [...sent, ...latest], meter)) as AIMessage;
    sent.push(...latest.map(compactToolMessage), ai);
    latest = [];
    messages.push(ai);
    const all = ai.tool_calls ?? [];
    const done = finish ? all.find((c) => c.name === finish.function.name) : undefined;
    // The finishing call ends the loop; other calls of the same step (a proposal the draft restates) still run.
    const calls = done ? all.filter((c) => c !== done) : all;
    if (done) {
      finished = done.args;
      // Answered, so the transcript stays well-formed if it is sent again (a closing call after a malformed finish).
      messages.push(new ToolMessage({ tool_call_id: done.id ?? done.name, name: done.name, content: JSON.stringify({ ok: true, summary: `${done.name} received` }) }));
    }
    if (!calls.length) break;
    steps += 1;
    // Calls of one step are independent reads: run them together.
    const results = await Promise.all(
      calls.map(async (call) => {
        emit({ type: 'tool_call', expert, tool: call.name, args: call.args });
        const result = await runTool(byName.get(call.name), call.name, call.args);
        meter.tool_calls += 1;
        emit({
          type: 'tool_result',
          expert,
          tool: call.name,
          ok: result.ok,
          summary: result.ok ? result.summary : result.error,
          evidence: result.ok ? result.evidence : [],
        });
        if (result.ok && call.name === 'propose_action') {
          const p = proposalOf(result.result);
          if (p) proposals.push({ ...p, evidence: p.evidence?.length ? p.evidence : result.evidence });
        }
        return new ToolMessage({ tool_call_id: call.id ?? call.name, name: call.name, content: JSON.stringify(result) });
      }),
    );
    messages.push(...results);
    latest = results.map(trimToolMessage);
    if (done) break;
  }
  return { messages, proposals, steps, ...(finished !== undefined ? { finished } : {}) };
}
