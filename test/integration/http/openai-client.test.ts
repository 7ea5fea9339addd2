/**
 * The official `openai` npm client, unchanged, against the running app: model list, a plain completion and a
 * streaming one, with the answer's evidence and actions in the text and the structured `twinpilot` extra field.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../../agents/answer';
import { createApp } from '../../../src/http/app';
import { testDeps } from '../../helpers/http-doubles';
import { listen } from '../../helpers/listen';

const t = testDeps();
let server: Awaited<ReturnType<typeof listen>>;
let client: OpenAI;

beforeAll(async () => {
  server = await listen(createApp(t.deps).fetch);
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: await t.keyFor('viewer'), maxRetries: 0 });
});
afterAll(async () => server?.close());

describe('OpenAI-compatible endpoint with the official client', () => {
  it('lists the copilot as a model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain('twinpilot');
  });

  it('answers a plain completion with evidence, actions and the twinpilot field', async () => {
    const res = await client.chat.completions.create({ model: 'twinpilot', messages: [{ role: 'user', content: 'How is the mill doing?' }] });
    const text = res.choices[0].message.content ?? '';
    expect(res.object).toBe('chat.completion');
    expect(text).toContain('schedule maintenance');
    expect(text).toContain('[ev1]');
    expect(text).toMatch(/act_\S+ create_work_order/);
    const extra = (res as unknown as { twinpilot: { thread_id: string; answer: Answer } }).twinpilot;
    expect(extra.answer.actions[0].status).toBe('pending_approval');
    expect(res.usage?.total_tokens).toBe(160);
  });

  it('keeps one thread per conversation, and a new conversation gets a new thread', async () => {
    const first = [{ role: 'user' as const, content: 'Which machine needs attention?' }];
    const a = await client.chat.completions.create({ model: 'twinpilot', messages: first });
    const threadA = (a as unknown as { twinpilot: { thread_id: string } }).twinpilot.thread_id;
    const b = await client.chat.completions.create({
      model: 'twinpilot',
      messages: [...first, { role: 'assistant', content: a.choices[0].message.content ?? '' }, { role: 'user', content: 'And when?' }],
    });
    expect((b as unknown as { twinpilot: { thread_id: string } }).twinpilot.thread_id).toBe(threadA);
    expect(t.copilot.turns.get(threadA)).toEqual(['Which machine needs attention?', 'And when?']);
    const c = await client.chat.completions.create({ model: 'twinpilot', messages: [{ role: 'user', content: 'Something else' }] });
    expect((c as unknown as { twinpilot: { thread_id: string } }).twinpilot.thread_id).not.toBe(threadA);
    // An explicit thread id in the documented extra field wins.
    const d = await client.chat.completions.create({ model: 'twinpilot', messages: [{ role: 'user', content: 'x' }], twinpilot: { thread_id: 'my-thread' } } as never);
    expect((d as unknown as { twinpilot: { thread_id: string } }).twinpilot.thread_id).toBe('my-thread');
  });

  it('streams chunks whose content adds up to the answer, with the plan steps and the answer as extras', async () => {
    const stream = await client.chat.completions.create({ model: 'twinpilot', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Plan maintenance' }] });
    let text = '';
    const events: string[] = [];
    let answer: Answer | undefined;
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      const extra = (chunk as unknown as { twinpilot?: { event?: { type: string }; answer?: Answer } }).twinpilot;
      if (extra?.event) events.push(extra.event.type);
      if (extra?.answer) answer = extra.answer;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.delta?.content) text += choice.delta.content;
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(events.slice(0, 3)).toEqual(['route', 'expert_started', 'tool_call']);
    expect(events).toContain('action_proposed');
    expect(events).toContain('consensus');
    expect(finish).toBe('stop');
    expect(answer).toBeDefined();
    expect(text).toContain(answer!.answer);
    expect(text).toContain(answer!.actions[0].id);
    expect(usage).toMatchObject({ total_tokens: 160 });
  });

  it('reports a bad request as an APIError the client understands', async () => {
    await expect(client.chat.completions.create({ model: 'twinpilot', messages: [{ role: 'assistant', content: 'hi' }] })).rejects.toMatchObject({ status: 422 });
    const anon = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'nope', maxRetries: 0 });
    await expect(anon.models.list()).rejects.toMatchObject({ status: 401 });
  });
});
