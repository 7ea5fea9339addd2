/**
 * What the offline model reads from a call, and nothing more than a real model would: the messages (with their
 * protocol blocks), the tools bound to the call (name, description, JSON schema), and the tool results so far.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { readBlock, type DraftBrief, type ExpertCard, type ToolResult, type TwinContext } from '../protocol';
import { memoText } from './memo';

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  additionalProperties?: boolean | JsonSchema;
}

export interface BoundTool {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface PastCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The parsed result, or an error result when the content was not a ToolResult. */
  result?: ToolResult;
  /** Which tool-calling turn issued it (0 = first). */
  round: number;
}

export interface CallView {
  system: string;
  /** The latest human message with its protocol blocks removed: the task as asked. */
  task: string;
  /** Earlier human messages of the thread, oldest first (follow-ups lean on them). */
  earlier: string[];
  context?: TwinContext;
  experts?: ExpertCard[];
  draft?: DraftBrief;
  calls: PastCall[];
  /** Number of AI turns that called tools. */
  rounds: number;
}

export function textOf(m: BaseMessage): string {
  const c = m.content as unknown;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : '')).join('\n');
  return '';
}

function typeOf(m: BaseMessage): string {
  const t = (m as unknown as { type?: string }).type ?? (m as unknown as { _getType?: () => string })._getType?.();
  return t ?? 'unknown';
}

const BLOCK_RE = /<(experts|context|draft)>\s*[[{][\s\S]*?<\/\1>/g;
const TASK_RE = /(?:^|\n)\s*Task:\s*([\s\S]+)$/i;
/** Earlier turns as the history block writes them ("1. Task: …" then "   maintenance answered: …"), oldest first. */
export function parseTurns(text: string): { task: string; expert?: string; answer?: string }[] {
  return text
    .split(/(?:^|\n)\s*\d+\.\s*Task:\s*/)
    .slice(1)
    .filter((t) => t.trim())
    .map((turn) => {
      const m = /^([\s\S]*?)\n\s*([\p{L}\p{N}_-]+) answered:\s*([\s\S]*)$/u.exec(turn);
      return m ? { task: m[1].trim(), expert: m[2], answer: m[3].trim() } : { task: turn.trim() };
    });
}

const EARLIER_RE = /(?:^|\n)\s*Earlier in this conversation:\s*([\s\S]*?)(?:\n\s*Task:|$)/i;

function parseResult(content: string): ToolResult {
  try {
    const v = JSON.parse(content) as ToolResult;
    if (v && typeof v === 'object' && 'ok' in v) return v;
  } catch {
    /* a tool that answered in prose */
  }
  return { ok: false, error: content.slice(0, 500) };
}

/**
 * The last `<context>` block of a call, decoded once per distinct block (memo.ts): the calls of a plan carry the same
 * block, and the same catalog object lets the links read against it be remembered too.
 */
function contextIn(text: string): TwinContext | undefined {
  let raw: string | undefined;
  for (const m of text.matchAll(CONTEXT_RE)) raw = m[0];
  return raw === undefined ? undefined : decodedContext(raw);
}

const CONTEXT_RE = /<context>\s*\{[\s\S]*?<\/context>/g;
const decodedContext = memoText((block: string) => readBlock<TwinContext>('context', block), 64);

export function readCall(messages: BaseMessage[]): CallView {
  const all = messages.map((m) => ({ type: typeOf(m), text: textOf(m), m }));
  const joined = all.filter((x) => x.type !== 'tool').map((x) => x.text).join('\n');
  const humans = all.filter((x) => x.type === 'human').map((x) => x.text.replace(BLOCK_RE, '').trim()).filter(Boolean);
  const draft = readBlock<DraftBrief>('draft', joined);
  // A prompt may label the task ("Task: …") among other instructions; later human turns may be bare instructions
  // ("write your draft now"), so the labelled task wins, then the first human turn.
  const labelled = humans.map((h) => TASK_RE.exec(h)?.[1]?.trim()).filter((t): t is string => !!t);
  const earlierSection = humans.map((h) => EARLIER_RE.exec(h)?.[1]?.trim()).filter((t): t is string => !!t);
  const calls: PastCall[] = [];
  const byId = new Map<string, PastCall>();
  let rounds = 0;
  for (const x of all) {
    if (x.type === 'ai') {
      const tcs = (x.m as unknown as { tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[] }).tool_calls ?? [];
      if (tcs.length) {
        for (const tc of tcs) {
          const call: PastCall = { id: tc.id ?? `${tc.name}_${calls.length}`, name: tc.name, args: tc.args ?? {}, round: rounds };
          calls.push(call);
          byId.set(call.id, call);
        }
        rounds++;
      }
    } else if (x.type === 'tool') {
      const id = (x.m as unknown as { tool_call_id?: string }).tool_call_id ?? '';
      const call = byId.get(id) ?? calls.find((c) => !c.result);
      if (call) call.result = parseResult(x.text);
    }
  }
  return {
    system: all.filter((x) => x.type === 'system').map((x) => x.text).join('\n'),
    task: draft?.task ?? labelled.at(-1) ?? humans[0] ?? '',
    earlier: earlierSection,
    context: contextIn(joined),
    experts: readBlock<ExpertCard[]>('experts', joined),
    draft,
    calls,
    rounds,
  };
}

/** Bound tools as the model sees them, whatever shape bindTools received. */
export function normaliseTools(tools: unknown[] | undefined): BoundTool[] {
  const out: BoundTool[] = [];
  for (const t of tools ?? []) {
    const x = t as { type?: string; function?: { name: string; description?: string; parameters?: JsonSchema }; name?: string; description?: string; parameters?: JsonSchema };
    const f = x.function ?? x;
    if (f?.name) out.push({ name: f.name, description: f.description ?? '', parameters: f.parameters ?? { type: 'object', properties: {} } });
  }
  return out;
}
