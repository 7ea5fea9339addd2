/**
 * OpenAI-compatible chat: `POST /v1/chat/completions` (plain and streaming) and `GET /v1/models`, so the official
 * `openai` client and chat front ends talk to the copilot with a base URL and an API key.
 *
 * - The last user message is the task. A conversation is a copilot thread: `twinpilot.thread_id` in the body (or the
 *   `X-Twinpilot-Thread` header) names it; otherwise it is derived from the key and the conversation's opening.
 * - The reply text carries the answer, the evidence and the proposed actions. The extra field `twinpilot` carries
 *   `{thread_id, answer}` (the full Answer) on the completion and on the last stream chunk; while streaming, chunks with
 *   empty `choices` carry `twinpilot.event` (the PlanEvents: route, expert_started, tool_call, …).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { Answer, PlanEvent } from '../../../agents/answer';
import { AppError } from '../../errors';
import { router } from '../env';
import { toAppError } from '../errors';
import { AnswerSchema, errorResponses, json, jsonBody, security } from '../schemas';
import { keepAlive } from '../sse';
import { answerText, chunksOf, deriveThreadId, messageText } from '../openai/format';
import { copilotOf, smallBody } from './plans';

export const MODEL_ID = 'twinpilot';

const Message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string().max(100_000), z.array(z.looseObject({ type: z.string().max(50) })).max(100), z.null()]).optional(),
  name: z.string().max(200).optional(),
});

const ChatRequest = z
  .looseObject({
    model: z.string().min(1).max(200),
    messages: z.array(Message).min(1).max(500),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
    user: z.string().max(200).optional(),
    twinpilot: z
      .object({
        thread_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
        at: z.iso.datetime({ offset: true }).optional(),
      })
      .optional()
      .describe('Twinpilot extras: continue a named thread, freeze "now"'),
  })
  .openapi('ChatCompletionRequest');

const Twinpilot = z.object({ thread_id: z.string(), answer: AnswerSchema }).openapi('TwinpilotExtra');

const Completion = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number(),
        message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
        finish_reason: z.literal('stop'),
        logprobs: z.null(),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
    twinpilot: Twinpilot,
  })
  .openapi('ChatCompletion');

function usageOf(a: Answer) {
  return { prompt_tokens: a.usage.prompt_tokens, completion_tokens: a.usage.completion_tokens, total_tokens: a.usage.prompt_tokens + a.usage.completion_tokens };
}

export function openaiRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models',
      tags: ['openai'],
      summary: 'OpenAI-compatible model list (one model: the copilot)',
      security,
      responses: { 200: json(z.object({ object: z.literal('list'), data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() })) }), 'models'), ...errorResponses },
    }),
    (c) => c.json({ object: 'list' as const, data: [{ id: MODEL_ID, object: 'model' as const, created: 1_735_689_600, owned_by: 'twinpilot' }] }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/chat/completions',
      tags: ['openai'],
      summary: 'OpenAI-compatible chat completion, plain or streaming (stream: true); any model name reaches the copilot',
      security,
      middleware: [smallBody] as const,
      request: { body: jsonBody(ChatRequest) },
      responses: { 200: { description: 'a chat.completion, or chat.completion.chunk SSE ending with [DONE]', content: { 'application/json': { schema: Completion }, 'text/event-stream': { schema: z.string() } } }, ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const last = body.messages[body.messages.length - 1];
      const task = messageText(last).trim();
      if (last.role !== 'user' || !task) {
        throw new AppError('validation_failed', 'the last message must be a user message with text', { problems: [{ path: `messages.${body.messages.length - 1}`, message: 'expected a user message with text' }] });
      }
      const threadHeader = c.req.header('x-twinpilot-thread');
      const thread_id = body.twinpilot?.thread_id ?? (threadHeader && /^[A-Za-z0-9_.:-]{1,128}$/.test(threadHeader) ? threadHeader : deriveThreadId(c.var.keyId, body.messages));
      const copilot = copilotOf(c);
      const { metrics } = c.var.deps;
      const input = { task: task.slice(0, 4000), thread_id, at: body.twinpilot?.at, actor: c.var.actor };
      const created = Math.floor(Date.now() / 1000);

      if (!body.stream) {
        const answer = await copilot.plan(input);
        metrics.recordAnswer(answer);
        return c.json(
          {
            id: `chatcmpl-${answer.run_id}`,
            object: 'chat.completion' as const,
            created,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant' as const, content: answerText(answer), refusal: null }, finish_reason: 'stop' as const, logprobs: null }],
            usage: usageOf(answer),
            twinpilot: { thread_id: answer.thread_id, answer },
          },
          200,
        );
      }

      return streamSSE(c, async (stream) => {
        const id = `chatcmpl-${crypto.randomUUID()}`;
        const base = { id, object: 'chat.completion.chunk', created, model: body.model };
        const write = (data: unknown) => (stream.aborted ? Promise.resolve() : stream.writeSSE({ data: JSON.stringify(data) }).catch(() => {}));
        const stop = keepAlive(stream);
        const controller = new AbortController();
        let proposed = false;
        stream.onAbort(() => {
          if (!proposed) controller.abort();
        });
        let queue: Promise<void> = write({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }] });
        const onEvent = (e: PlanEvent) => {
          if (e.type === 'action_proposed') proposed = true;
          if (e.type === 'answer') return;
          queue = queue.then(() => write({ ...base, choices: [], twinpilot: { thread_id, event: e } }));
        };
        try {
          const answer = await copilot.plan(input, { onEvent, signal: controller.signal });
          metrics.recordAnswer(answer);
          await queue;
          for (const piece of chunksOf(answerText(answer))) {
            await write({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null, logprobs: null }] });
          }
          await write({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }], twinpilot: { thread_id: answer.thread_id, answer } });
          if (body.stream_options?.include_usage) await write({ ...base, choices: [], usage: usageOf(answer) });
        } catch (err) {
          await queue;
          await write(toAppError(err).toJSON());
        } finally {
          stop();
          if (!stream.aborted) await stream.write('data: [DONE]\n\n').catch(() => {});
        }
      });
    },
  );

  return app;
}
