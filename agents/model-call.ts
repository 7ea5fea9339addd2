/**
 * Every model call of a run goes through here: a timeout and retries with backoff per call (src/llm/retry), usage
 * metering (calls, tokens from `usage_metadata`, estimated when a model reports none), and the mid-run fallback: when
 * the configured provider fails a step, the step is redone on the offline model and the rest of the run stays there.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { ModelCallError, withRetry, type ModelSet } from '../src/llm';
import type { UsageDelta } from './state';

/** Rough token count (4 characters a token) for models that report no usage, e.g. scripted test models. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function messageText(m: BaseMessage): string {
  const content = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  const calls = (m as { tool_calls?: unknown[] }).tool_calls;
  return calls?.length ? `${content}${JSON.stringify(calls)}` : content;
}

/** Collects token usage of the chat-model calls beneath one invoke. */
class UsageCollector extends BaseCallbackHandler {
  name = 'twinpilot_usage';
  estimatedPrompt = 0;
  reported: { input: number; output: number } | null = null;
  completionText = '';

  override handleChatModelStart(_llm: unknown, messages: BaseMessage[][]): void {
    this.estimatedPrompt += estimateTokens(messages.flat().map(messageText).join('\n'));
  }

  override handleLLMEnd(output: LLMResult): void {
    for (const gen of output.generations.flat()) {
      const msg = (gen as { message?: BaseMessage & { usage_metadata?: { input_tokens: number; output_tokens: number } } }).message;
      const u = msg?.usage_metadata;
      if (u && (u.input_tokens || u.output_tokens)) {
        this.reported = { input: (this.reported?.input ?? 0) + u.input_tokens, output: (this.reported?.output ?? 0) + u.output_tokens };
      } else if (msg) {
        this.completionText += messageText(msg);
      } else {
        this.completionText += gen.text;
      }
    }
  }
}

/**
 * Remote models are called streaming (tokens flow as the server sends them) and the chunks are joined into one
 * message; a structured-output pipeline yields its one parsed value. ChatOpenAI's own invoke-with-streaming path
 * hangs on some OpenAI-compatible servers, which this avoids.
 */
async function streamed<O>(runnable: Runnable<BaseMessage[], O>, messages: BaseMessage[], config: { callbacks: BaseCallbackHandler[]; signal: AbortSignal }): Promise<O> {
  let acc: O | undefined;
  for await (const chunk of await runnable.stream(messages, config)) {
    const joinable = acc as { concat?: (c: O) => O } | undefined;
    acc = acc !== undefined && typeof joinable?.concat === 'function' ? joinable.concat(chunk) : chunk;
  }
  if (acc === undefined) throw new Error('the model streamed nothing');
  return acc;
}

/** Mutable usage of one node; returned as the node's `usage` update. */
export function newMeter(): UsageDelta {
  return { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, tool_calls: 0 };
}

export class RunModels {
  provider: string;
  fallback: string | null;

  constructor(
    private readonly set: ModelSet,
    resumed?: { provider?: string; fallback?: string | null },
  ) {
    // A run that already fell back stays offline after a restart too.
    this.fallback = resumed?.fallback ?? null;
    this.provider = this.fallback ? 'offline' : set.primary.provider;
  }

  get onOffline(): boolean {
    return this.provider === 'offline';
  }

  /**
   * Run one step (a tool loop, a structured call) with the current model. When the configured provider fails it,
   * redo the step on the offline model: partial work of a failed step is dropped, so the step stays consistent.
   */
  async step<T>(fn: (model: BaseChatModel) => Promise<T>): Promise<T> {
    if (this.onOffline) return fn(this.set.offline);
    try {
      return await fn(this.set.primary.model);
    } catch (err) {
      if (!(err instanceof ModelCallError)) throw err;
      this.fallback = `the ${this.set.primary.provider} model failed (${err.message})`;
      this.provider = 'offline';
      return fn(this.set.offline);
    }
  }

  /** One metered model call with timeout and retries. */
  async invoke<O>(runnable: Runnable<BaseMessage[], O>, messages: BaseMessage[], meter: UsageDelta): Promise<O> {
    const collector = new UsageCollector();
    // The offline model is local and deterministic: retrying it cannot help, and it must not time out on a slow CI box.
    const policy = this.onOffline ? { ...this.set.policy, retries: 0, timeoutMs: Math.max(this.set.policy.timeoutMs, 60_000) } : this.set.policy;
    const out = await withRetry(
      (signal) => (this.onOffline ? runnable.invoke(messages, { callbacks: [collector], signal }) : streamed(runnable, messages, { callbacks: [collector], signal })),
      policy,
    );
    meter.llm_calls += 1;
    if (collector.reported) {
      meter.prompt_tokens += collector.reported.input;
      meter.completion_tokens += collector.reported.output;
    } else {
      meter.prompt_tokens += collector.estimatedPrompt || estimateTokens(messages.map(messageText).join('\n'));
      meter.completion_tokens += estimateTokens(collector.completionText || JSON.stringify(out ?? ''));
    }
    return out;
  }
}

export { ModelCallError };
