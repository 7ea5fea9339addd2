/**
 * Keys and roles at the HTTP door: no key is 401 everywhere (loopback included), roles gate approvals by risk with a
 * 403 that is audited, and a revoked key stops working at once.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app';
import { testDeps } from '../../helpers/http-doubles';

const json = (key: string, body?: unknown) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

async function proposed(app: ReturnType<typeof createApp>, key: string): Promise<string> {
  const res = await app.request('/api/v1/plans', json(key, { task: 'check the mill' }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { actions: { id: string }[] }).actions[0].id;
}

describe('keys and roles', () => {
  it('answers 401 with the error shape when no key or a wrong key is given', async () => {
    const { deps } = testDeps({ env: { HOST: '127.0.0.1' } });
    const app = createApp(deps);
    for (const [path, init] of [
      ['/api/v1/twins/demo/assets', {}],
      ['/api/v1/actions', {}],
      ['/api/v1/plans', { method: 'POST', body: '{}' }],
      ['/v1/models', {}],
      ['/v1/chat/completions', { method: 'POST', body: '{}' }],
      ['/api/v1/events', {}],
      ['/api/v1/nothing-here', {}],
    ] as const) {
      const res = await app.request(path, init);
      expect(res.status, path).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
    }
    const wrong = await app.request('/api/v1/actions', { headers: { authorization: 'Bearer tp_AAAAAAAAAAAA_' + 'x'.repeat(43) } });
    expect(wrong.status).toBe(401);
  });

  it('leaves health, readiness, metrics and the API description open', async () => {
    const app = createApp(testDeps().deps);
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect((await app.request(path)).status, path).toBe(200);
  });

  it('refuses a viewer approving with 403 and writes an audit row', async () => {
    const t = testDeps({ risk: 'low' });
    const app = createApp(t.deps);
    const viewer = await t.keyFor('viewer');
    const id = await proposed(app, viewer); // viewers may ask
    const res = await app.request(`/api/v1/actions/${id}/approve`, json(viewer, {}));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const refused = t.audit.rows.filter((r) => r.target === id && r.event === 'approval_refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ role: 'viewer', details: { decision: 'approve', risk: 'low', needed: 'operator' } });
    expect(t.actions.byId.get(id)!.status).toBe('pending_approval');
    // The refusal is visible through the audit route too.
    const audit = (await (await app.request(`/api/v1/audit?target=${id}`, { headers: { authorization: `Bearer ${viewer}` } })).json()) as { audit: { event: string }[] };
    expect(audit.audit.map((r) => r.event)).toContain('approval_refused');
  });

  it('refuses an operator approving a high-risk action, and lets a manager approve it', async () => {
    const t = testDeps({ risk: 'high' });
    const app = createApp(t.deps);
    const operator = await t.keyFor('operator');
    const manager = await t.keyFor('manager');
    const id = await proposed(app, operator);
    const res = await app.request(`/api/v1/actions/${id}/approve`, json(operator));
    expect(res.status).toBe(403);
    expect(t.audit.rows.some((r) => r.target === id && r.event === 'approval_refused' && r.role === 'operator')).toBe(true);
    const ok = await app.request(`/api/v1/actions/${id}/approve`, json(manager, { comment: 'go' }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('executed');
    const again = await app.request(`/api/v1/actions/${id}/reject`, json(manager, { comment: 'too late' }));
    expect(again.status).toBe(409);
  });

  it('lets an operator approve a low-risk action', async () => {
    const t = testDeps({ risk: 'low' });
    const app = createApp(t.deps);
    const operator = await t.keyFor('operator');
    const id = await proposed(app, operator);
    expect((await app.request(`/api/v1/actions/${id}/reject`, json(operator, { comment: 'not now' }))).status).toBe(200);
    expect(t.actions.byId.get(id)!.status).toBe('rejected');
  });

  it('stops a revoked key at once', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const admin = await t.keyFor('admin');
    const created = await app.request('/api/v1/keys', json(admin, { role: 'viewer' }));
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const get = () => app.request('/api/v1/actions', { headers: { authorization: `Bearer ${key}` } });
    expect((await get()).status).toBe(200);
    expect((await app.request(`/api/v1/keys/${id}/revoke`, json(admin))).status).toBe(200);
    expect((await get()).status).toBe(401);
    const list = (await (await app.request('/api/v1/keys', { headers: { authorization: `Bearer ${admin}` } })).json()) as { keys: Record<string, unknown>[] };
    expect(list.keys.find((k) => k.id === id)?.revoked_at).toBeTruthy();
    expect(JSON.stringify(list)).not.toContain(key);
  });

  it('keeps key management and manifests to admins', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const manager = await t.keyFor('manager');
    expect((await app.request('/api/v1/keys', json(manager, { role: 'admin' }))).status).toBe(403);
    expect((await app.request('/api/v1/twins', json(manager, { twin: 'x' }))).status).toBe(403);
  });

  it('accepts the key as the login cookie and as ?token= on GET, and logs a browser in from /?token=', async () => {
    const t = testDeps();
    const app = createApp(t.deps);
    const key = await t.keyFor('viewer');
    expect((await app.request(`/api/v1/actions?token=${key}`)).status).toBe(200);
    expect((await app.request('/api/v1/actions', { headers: { cookie: `twinpilot_key=${key}` } })).status).toBe(200);
    const login = await app.request(`/?token=${key}`);
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/');
    expect(login.headers.get('set-cookie')).toMatch(/twinpilot_key=.*HttpOnly/i);
  });

  it('rate-limits per key', async () => {
    const t = testDeps({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const app = createApp(t.deps);
    const a = await t.keyFor('viewer');
    const b = await t.keyFor('viewer');
    const get = (k: string) => app.request('/api/v1/actions', { headers: { authorization: `Bearer ${k}` } });
    for (let i = 0; i < 3; i++) expect((await get(a)).status).toBe(200);
    const limited = await get(a);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // A 429 says when to come back; a key far from its limit gets no RateLimit headers (they cost every read).
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    const fresh = await get(b);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('ratelimit-remaining')).toBeNull();
  });
});
