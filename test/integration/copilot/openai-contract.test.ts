/**
 * Contract test: the real ChatOpenAI (LLM_PROVIDER=openai, OPENAI_BASE_URL) against a local HTTP server in this test
 * that speaks the OpenAI chat-completions protocol — SSE streaming, tool calls split across chunks, forced
 * function calls for structured output, usage in the last chunk — and the full graph runs through it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModels } from '../../../src/llm';
import { parseConfig } from '../../../src/config';
import { MANAGER, makeCopilot } from '../../unit/copilot/harness';

interface ChatBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: 'function'; function: { name: string; parameters: unknown } }[];
  tool_choice?: unknown;
}

const requests: ChatBody[] = [];
let server: Server;
let base = '';

/** What "the model" says: chosen from the request, as a real model would from its prompt. */
function reply(body: ChatBody): { content?: string; tool_calls?: { name: string; args: unknown }[] } {
  const forced = (body.tool_choice as { function?: { name: string } } | undefined)?.function?.name;
  const text = body.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
  if (forced === 'route') return { tool_calls: [{ name: 'route', args: { primary: 'maintenance', reviewers: ['workforce'], reason: 'equipment health' } }] };
  if (forced === 'draft') {
    const ids = [...text.matchAll(/"evidence":\["(ev\d+)"/g)].map((m) => m[1]);
    return { tool_calls: [{ name: 'draft', args: { answer: 'pump-2 is the weakest (health 0.41); service it tonight.', recommendations: [{ text: 'Service pump-2 tonight', evidence: ids.slice(0, 2) }] } }] };
  }
  if (forced === 'review') return { tool_calls: [{ name: 'review', args: { verdict: 'agree', concerns: [] } }] };
  const toolMessages = body.messages.filter((m) => m.role === 'tool').length;
  const names = (body.tools ?? []).map((t) => t.function.name);
  if (names.includes('propose_action') && toolMessages === 0)
    return {
      tool_calls: [
        { name: 'asset_health', args: { asset: 'pump-1' } },
        { name: 'asset_health', args: { asset: 'pump-2' } },
      ],
    };
  if (names.includes('propose_action') && toolMessages === 2)
    return { tool_calls: [{ name: 'propose_action', args: { type: 'create_work_order', params: { asset: 'pump-2' }, rationale: 'lowest health' } }] };
  if (names.includes('crews') && toolMessages === 0) return { tool_calls: [{ name: 'crews', args: {} }] };
  return { content: 'I have what I need.' };
}

function sse(res: import('node:http').ServerResponse, body: ChatBody, out: ReturnType<typeof reply>) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const id = `chatcmpl-${requests.length}`;
  const chunk = (delta: unknown, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  chunk({ role: 'assistant', content: '' });
  if (out.content) for (const part of out.content.match(/.{1,6}/g) ?? []) chunk({ content: part });
  (out.tool_calls ?? []).forEach((tc, index) => {
    const args = JSON.stringify(tc.args);
    const half = Math.ceil(args.length / 2);
    chunk({ tool_calls: [{ index, id: `call_${requests.length}_${index}`, type: 'function', function: { name: tc.name, arguments: args.slice(0, half) } }] });
    chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  chunk({}, out.tool_calls?.length ? 'tool_calls' : 'stop');
  res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

async function readJson(req: IncomingMessage): Promise<ChatBody> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as ChatBody;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return void res.writeHead(404).end();
    const body = await readJson(req);
    requests.push(body);
    const out = reply(body);
    if (body.stream) return sse(res, body, out);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'x', object: 'chat.completion', created: 1, model: body.model,
        choices: [{ index: 0, finish_reason: out.tool_calls ? 'tool_calls' : 'stop', message: { role: 'assistant', content: out.content ?? null, tool_calls: out.tool_calls?.map((t, i) => ({ id: `c${i}`, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.args) } })) } }],
        usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('ChatOpenAI against an OpenAI-compatible server', () => {
  it('runs the full graph: streamed tool calls, structured outputs, review, proposal, usage', async () => {
    const config = parseConfig({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: base, OPENAI_MODEL: 'local-model', LLM_TIMEOUT_MS: '5000', LLM_MAX_RETRIES: '0' });
    const models = await createModels(config);
    expect(models.primary.provider).toBe('openai');
    const { copilot, actions } = makeCopilot({ models });
    const answer = await copilot.ask({ task: 'Which pump fails first and when do we fix it?', actor: MANAGER });

    expect(answer.provider, answer.answer).toBe('openai');
    expect(answer.route).toMatchObject({ primary: 'maintenance', reviewers: ['workforce'] });
    expect(answer.answer).toContain('pump-2 is the weakest');
    expect(answer.recommendations[0]?.evidence).toEqual(['ev1', 'ev2']);
    expect(answer.actions).toMatchObject([{ type: 'create_work_order', params: { asset: 'pump-2' }, status: 'pending_approval' }]);
    expect([...actions.all.values()]).toHaveLength(1);
    expect(answer.consensus).toEqual({ rounds: 1, agreed: ['maintenance', 'workforce'], dissent: [] });
    // route, primary ×3 + draft, reviewer ×2 + review = 8 calls; usage comes from the server's numbers.
    expect(answer.usage).toMatchObject({ llm_calls: 8, prompt_tokens: 800, completion_tokens: 80, tool_calls: 4 });

    expect(requests.every((r) => r.stream === true)).toBe(true);
    expect(requests.every((r) => r.model === 'local-model')).toBe(true);
    // Tool results went back as tool messages tied to the streamed call ids.
    const withResults = requests.find((r) => r.messages.filter((m) => m.role === 'tool').length === 2)!;
    const toolMsgs = withResults.messages.filter((m) => m.role === 'tool');
    expect(toolMsgs.map((m) => m.tool_call_id)).toEqual([expect.stringMatching(/^call_\d+_0$/), expect.stringMatching(/^call_\d+_1$/)]);
    expect(JSON.parse(String(toolMsgs[1]!.content))).toMatchObject({ ok: true, evidence: ['ev2'] });
    // The route prompt carried the expert cards; the expert prompts the <context> block.
    expect(String(requests[0]!.messages[0]!.content)).toContain('<experts>');
    expect(String(requests[1]!.messages[1]!.content)).toContain('<context>');
  });
});
