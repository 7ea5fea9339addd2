/**
 * Property test over every JSON route: wrong types, missing fields, unicode, malformed JSON, wrong content types and
 * huge bodies get a 4xx with the error shape, never a 5xx (a lucky valid input may get a 2xx).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app';
import { testDeps } from '../../helpers/http-doubles';

const t = testDeps();
const app = createApp(t.deps, { log: () => {} });
let admin = '';
beforeAll(async () => {
  admin = await t.keyFor('admin');
});

const POSTS = [
  '/api/v1/twins',
  '/api/v1/plans',
  '/api/v1/actions/act_x/approve',
  '/api/v1/actions/act_x/reject',
  '/api/v1/keys',
  '/api/v1/keys/key_x/revoke',
  '/api/v1/session',
  '/v1/chat/completions',
];
const GETS = [
  '/api/v1/twins/demo/assets',
  '/api/v1/twins/demo/assets/m1',
  '/api/v1/twins/demo/assets/m1/relations',
  '/api/v1/twins/demo/assets/m1/readings',
  '/api/v1/actions',
  '/api/v1/audit',
  '/api/v1/threads',
  '/api/v1/evals/runs',
];

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', '\u0000', '💥'.repeat(50), '../../etc/passwd', '%00', "' or 1=1 --"));
const value = fc.oneof(fc.jsonValue(), text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const shaped = fc.record(
  {
    task: value,
    thread_id: value,
    at: value,
    twin: value,
    role: value,
    name: value,
    comment: value,
    token: value,
    model: value,
    messages: fc.oneof(value, fc.array(fc.record({ role: fc.oneof(value, fc.constantFrom('user', 'system', 'assistant')), content: fc.oneof(value, fc.array(value)) }, { requiredKeys: [] }))),
    stream: value,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  shaped.map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  text, // mostly malformed JSON
  fc.constantFrom('{', '[', '{"task":', 'null', '{"task":"x"', '\uFEFF{}', '{"__proto__":{"admin":true}}'),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/yaml', '', 'multipart/form-data; boundary=x');

function expectErrorShape(status: number, payload: string, what: string) {
  expect(status, `${what} → ${status} ${payload.slice(0, 200)}`).toBeLessThan(500);
  if (status >= 400) {
    const parsed = JSON.parse(payload) as { error: { code: unknown; message: unknown } };
    expect(typeof parsed.error.code, what).toBe('string');
    expect(typeof parsed.error.message, what).toBe('string');
    expect(payload).not.toMatch(/\bat .*\.ts:\d+/); // no stack traces
  }
}

describe('fuzz: every JSON route answers bad input with 4xx and the error shape', () => {
  it('POST routes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POSTS), body, contentType, async (path, payload, type) => {
        const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
        if (type) headers['content-type'] = type;
        const res = await app.request(path, { method: 'POST', headers, body: payload });
        expectErrorShape(res.status, await res.text(), `POST ${path} ${type} ${payload.slice(0, 80)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('GET routes with random path segments and query strings', async () => {
    const segment = fc.oneof(text, fc.constantFrom('demo', 'm1')).map((s) => encodeURIComponent(s));
    const query = fc.dictionary(fc.constantFrom('depth', 'property', 'from', 'to', 'bucket', 'status', 'limit', 'type', 'parent', 'target'), text).map((d) => new URLSearchParams(d).toString());
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GETS), segment, segment, query, async (path, twin, asset, q) => {
        const p = path.replace('/demo/', `/${twin || 'x'}/`).replace('/m1', `/${asset || 'y'}`);
        const res = await app.request(`${p}?${q}`, { headers: { authorization: `Bearer ${admin}` } });
        expectErrorShape(res.status, await res.text(), `GET ${p}?${q}`);
      }),
      { numRuns: 400 },
    );
  });

  it('huge bodies get 413 with the error shape', async () => {
    const huge = JSON.stringify({ task: 'x'.repeat(2 * 1024 * 1024) });
    for (const path of POSTS.filter((p) => p !== '/api/v1/twins')) {
      const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: huge });
      expect(res.status, path).toBe(413);
      expectErrorShape(res.status, await res.text(), path);
    }
    const manifest = 'a'.repeat(17 * 1024 * 1024);
    const res = await app.request('/api/v1/twins', { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/yaml' }, body: manifest });
    expect(res.status).toBe(413);
  });

  it('unknown routes and methods are 404 in the error shape', async () => {
    for (const [method, path] of [['GET', '/api/v1/nope'], ['DELETE', '/api/v1/actions'], ['GET', '/v1/nope'], ['PUT', '/api/v1/plans']]) {
      const res = await app.request(path, { method, headers: { authorization: `Bearer ${admin}` } });
      expect(res.status, `${method} ${path}`).toBe(404);
      expectErrorShape(res.status, await res.text(), path);
    }
  });
});
