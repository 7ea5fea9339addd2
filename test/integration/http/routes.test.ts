/**
 * The HTTP contract with no socket: the plan stream's steps and ordering, a dropped stream that keeps a run with a
 * proposal alive, readiness, metrics, the OpenAPI document, live events and manifests in YAML.
 */
import { describe, expect, it } from 'vitest';
import type { PlanEvent } from '../../../agents/answer';
import { createApp } from '../../../src/http/app';
import { testDeps } from '../../helpers/http-doubles';

function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return event && data ? { event, data: JSON.parse(data) } : null;
    })
    .filter((x): x is { event: string; data: unknown } => x !== null);
}

describe('HTTP routes', () => {
  it('streams plan steps in order and ends with the answer', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const key = await t.keyFor('viewer');
    const res = await app.request('/api/v1/plans', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ task: 'check the mill' }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['route', 'expert_started', 'tool_call', 'tool_result', 'action_proposed', 'review', 'consensus', 'answer']);
    const last = events.at(-1)!.data as Extract<PlanEvent, { type: 'answer' }>;
    expect(last.answer.actions).toHaveLength(1);
  });

  async function streamUntil(t: ReturnType<typeof testDeps>, thread: string, until: string | null) {
    const app = createApp(t.deps);
    const key = await t.keyFor('viewer');
    const res = await app.request('/api/v1/plans', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ task: 'check the mill', thread_id: thread }),
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    while (until && !text.includes(`event: ${until}`)) text += decoder.decode((await reader.read()).value);
    await reader.cancel(); // the client goes away
    await new Promise((r) => setTimeout(r, 100));
  }

  it('finishes a run whose client dropped after an action was proposed', async () => {
    const t = testDeps();
    await streamUntil(t, 'kept', 'action_proposed');
    expect(t.copilot.finished).toContain('kept');
    expect([...t.actions.byId.values()].filter((a) => a.id.startsWith('act_kept'))).toHaveLength(1);
  });

  it('cancels a run whose client dropped before anything was proposed', async () => {
    const t = testDeps();
    await streamUntil(t, 'gone', null);
    expect(t.copilot.finished).not.toContain('gone');
    expect([...t.actions.byId.values()].filter((a) => a.id.startsWith('act_gone'))).toHaveLength(0);
  });

  it('reports readiness per check and 503 until every check is ok', async () => {
    const t = testDeps();
    let done = false;
    t.deps.readiness.push({ name: 'backfill', check: async () => ({ ok: done, detail: { progress: done ? 1 : 0.4 } }) });
    const app = createApp(t.deps);
    const notReady = await app.request('/readyz');
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { error: { code: string; details: { checks: Record<string, { ok: boolean }> } } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.details.checks.backfill.ok).toBe(false);
    expect(body.error.details.checks.store.ok).toBe(true);
    done = true;
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('exposes request latency, plans, LLM usage, ingest and pending approvals in /metrics', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    (t.deps.metrics as ReturnType<typeof import('../../../src/http/metrics').createMetrics>).setSources({ pendingApprovals: async () => (await t.actions.list({ status: 'pending_approval', limit: 1000 })).length });
    t.deps.metrics.watch(t.deps.bus);
    const key = await t.keyFor('viewer');
    await app.request('/api/v1/plans', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ task: 'x' }) });
    t.deps.bus.publish('readings', { twin: 'demo', count: 42, assets: ['m1'], latest: [] });
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(/twinpilot_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/plans",status="200"\} 1/);
    expect(text).toMatch(/twinpilot_plans_total\{outcome="ok",provider="offline"\} 1/);
    expect(text).toMatch(/twinpilot_llm_tokens_total\{provider="offline",kind="prompt"\} 120/);
    expect(text).toMatch(/twinpilot_readings_ingested_total\{twin="demo"\} 42/);
    expect(text).toMatch(/twinpilot_pending_approvals 1/);
  });

  it('describes every route of the contract in /openapi.json, with the shared Answer schema', async () => {
    const app = createApp(testDeps().deps);
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    for (const [path, method] of [
      ['/healthz', 'get'], ['/readyz', 'get'], ['/api/v1/twins', 'post'], ['/api/v1/twins/{twin}/assets', 'get'], ['/api/v1/twins/{twin}/assets/{id}', 'get'],
      ['/api/v1/twins/{twin}/assets/{id}/relations', 'get'], ['/api/v1/twins/{twin}/assets/{id}/readings', 'get'], ['/api/v1/plans', 'post'],
      ['/api/v1/actions', 'get'], ['/api/v1/actions/{id}/approve', 'post'], ['/api/v1/actions/{id}/reject', 'post'], ['/api/v1/audit', 'get'],
      ['/v1/chat/completions', 'post'], ['/v1/models', 'get'], ['/api/v1/events', 'get'], ['/api/v1/threads', 'get'], ['/api/v1/evals/runs', 'get'],
    ]) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    expect(doc.components.schemas.Answer).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
    expect((await app.request('/docs')).status).toBe(200);
  });

  it('pushes live twin events over SSE, filtered by twin', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const key = await t.keyFor('viewer');
    const res = await app.request(`/api/v1/events?twin=demo&token=${key}`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value); // hello
    t.deps.bus.publish('alarm_raised', { twin: 'other', asset: 'x', property: 'p', level: 'alarm', value: 9, ts: 't', message: 'm' });
    t.deps.bus.publish('alarm_raised', { twin: 'demo', asset: 'm1', property: 'vibration', level: 'warn', value: 5, ts: 't', message: 'm' });
    while (!/event: alarm_raised\n(data: .*\n)+\n/.test(text)) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['hello', 'alarm_raised']);
    expect((events[1].data as { twin: string }).twin).toBe('demo');
  });

  it('loads a manifest sent as YAML and lists problems of a bad one with 422', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const admin = await t.keyFor('admin');
    const ok = await app.request('/api/v1/twins', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' }, body: 'version: 1\ntwin: pumps\n' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ twin: 'pumps' });
    const bad = await app.request('/api/v1/twins', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"version":1}' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { details: { problems: unknown[] } } }).error.details.problems).toHaveLength(1);
  });

  it('answers 404 in the error shape for an unknown asset or twin', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const key = await t.keyFor('viewer');
    const h = { headers: { authorization: `Bearer ${key}` } };
    expect((await app.request('/api/v1/twins/demo/assets/m1', h)).status).toBe(200);
    expect((await app.request('/api/v1/twins/demo/assets/nope', h)).status).toBe(404);
    expect((await app.request('/api/v1/twins/nope/assets', h)).status).toBe(404);
    expect((await app.request('/api/v1/twins/demo/assets/m1/relations?depth=99', h)).status).toBe(422);
    expect((await app.request('/api/v1/twins/demo/assets/m1/readings?from=yesterday-ish', h)).status).toBe(422);
  });
});
