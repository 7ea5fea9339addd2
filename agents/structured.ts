/**
 * Structured output by function calling: the schema is offered as one tool named after the output (`route`, `draft`,
 * `review` — src/llm/protocol STRUCTURED) and chosen with tool_choice; its arguments are the output. This is what
 * `withStructuredOutput(schema, {name, method: 'functionCalling'})` does, done here once so it behaves the same on every
 * model (OpenAI-compatible servers, Ollama, the offline model, scripted test models) whether a reply comes back as
 * an AIMessage or an AIMessageChunk, and so a model that answers with the JSON in its text still counts.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { RunnableLambda, type Runnable } from '@langchain/core/runnables';
import { z } from 'zod';

function jsonIn(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/** The output as a function a model can call: in a tool loop among the other tools, or forced by tool_choice. */
export function structuredSpec(schema: z.ZodType, name: string) {
  // Made once per schema and name: converting a schema to JSON costs more than the call that offers it.
  const byName = specs.get(schema) ?? new Map<string, Spec>();
  specs.set(schema, byName);
  let spec = byName.get(name);
  if (!spec) {
    const parameters = z.toJSONSchema(schema) as Record<string, unknown>;
    byName.set(name, (spec = { type: 'function' as const, function: { name, description: `Give the ${name} as the arguments of this function.`, parameters } }));
  }
  return spec;
}

type Spec = { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } };
const specs = new WeakMap<z.ZodType, Map<string, Spec>>();

/** A finishing call's arguments, if they fit the schema. */
export function parseStructured<T>(schema: z.ZodType<T>, args: unknown): T | undefined {
  const parsed = schema.safeParse(args);
  return parsed.success ? parsed.data : undefined;
}

export function structured<T>(model: BaseChatModel, schema: z.ZodType<T>, name: string): Runnable<BaseMessage[], T> {
  const bound = model.bindTools!([structuredSpec(schema, name)], { tool_choice: name } as never);
  return bound.pipe(
    RunnableLambda.from((msg: AIMessage) => {
      const call = msg.tool_calls?.find((c) => c.name === name) ?? (msg.tool_calls?.length === 1 ? msg.tool_calls[0] : undefined);
      const raw = call?.args ?? jsonIn(typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content));
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new Error(`the model gave no valid "${name}": ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    }),
  ) as Runnable<BaseMessage[], T>;
}
