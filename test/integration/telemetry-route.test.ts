/**
 * POST /api/v1/telemetry on a bare Hono app over a real (embedded) store: fast-check throws random and broken
 * telemetry at it. There is never a 5xx; for a readable body accepted + rejected equals the input count and every
 * accepted row is in the store; a broken body is a 4xx with the error shape.
 */
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { telemetryRoutes } from '../../src/http/routes/telemetry';
import { createIngestService } from '../../src/ingest/service';
import { demoManifest, insertTwin, openIngestStore } from '../helpers/twin-fixture';

let env: Awaited<ReturnType<typeof openIngestStore>>;
let app: Hono;

beforeAll(async () => {
  env = await openIngestStore();
  await insertTwin(env.sql, demoManifest());
  const ingest = createIngestService({ sql: env.sql, clock: systemClock });
  await ingest.reload();
  app = new Hono();
  app.route('/', telemetryRoutes({ ingest, config: { INGEST_MAX_BODY_BYTES: 64 * 1024 } }));
});
afterAll(async () => env?.close());

const NOW = Date.now();
const asset = fc.constantFrom('cnc-a1', 'cnc-a2', 'oven-b1', 'nope', '', 42 as unknown as string);
const property = fc.constantFrom('vibration_rms', 'power_kw', 'zone_temp', 'colour', 'serial_no');
const ts = fc.oneof(
  fc.integer({ min: NOW - 30 * 86400_000, max: NOW }).map((t) => new Date(t).toISOString()),
  fc.integer({ min: NOW - 30 * 86400_000, max: NOW + 3_600_000 }),
  fc.constantFrom('yesterday', '', '2025-13-45T99:00:00Z', null),
);
const value = fc.oneof(
  fc.double({ min: -10, max: 400, noNaN: true }),
  fc.double(),
  fc.constantFrom('12.5', 'NaN', 'Infinity', null, true),
  fc.object({ maxDepth: 1 }),
);
const record = fc.oneof(
  { weight: 8, arbitrary: fc.record({ asset, property, ts, value }, { requiredKeys: ['asset', 'property', 'ts', 'value'] }) },
  { weight: 1, arbitrary: fc.record({ twin: fc.constantFrom('demo-plant', 'other'), asset, property, ts, value }) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })) },
);

async function post(body: string, type: string) {
  const res = await app.request('/api/v1/telemetry', { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/v1/telemetry (property-based)', () => {
  it('never answers 5xx; counts add up; accepted rows are stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 40 }), fc.boolean(), async (records, ndjson) => {
        const body = ndjson ? records.map((r) => JSON.stringify(r)).join('\n') : JSON.stringify(records);
        const { status, json } = await post(body, ndjson ? 'application/x-ndjson' : 'application/json');
        expect(status).toBeLessThan(500);
        expect(status).toBe(200);
        const out = json as { accepted: number; rejected: number; errors: { index: number; reason: string }[] };
        expect(out.accepted + out.rejected).toBe(records.length);
        expect(out.errors.length).toBe(out.rejected);
        const bad = new Set(out.errors.map((e) => e.index));
        for (const [i, r] of records.entries()) {
          if (bad.has(i)) continue;
          const rec = r as { asset: string; property: string; ts: string | number };
          const t = typeof rec.ts === 'number' ? rec.ts : Date.parse(rec.ts);
          const found = await env.sql.query(
            'SELECT 1 FROM readings r JOIN assets a ON a.id = r.asset_id WHERE a.key = $1 AND r.property = $2 AND r.ts = to_timestamp($3::float8 / 1000.0)',
            [rec.asset, rec.property, t],
          );
          expect(found.length).toBe(1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers broken bodies with a 4xx error shape, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), fc.constantFrom('application/json', 'application/x-ndjson', 'text/csv', ''), async (body, type) => {
        const { status, json } = await post(body, type);
        expect(status).toBeLessThan(500);
        if (status >= 400) {
          const err = (json as { error: { code: string; message: string } }).error;
          expect(typeof err.code).toBe('string');
          expect(typeof err.message).toBe('string');
        }
      }),
      { numRuns: 80 },
    );
  });

  it('refuses a wrong content type (415), a malformed array (400), and a body over the limit (413)', async () => {
    expect((await post('[]', 'text/plain')).status).toBe(415);
    const bad = await post('[{"asset":"cnc-a1"', 'application/json');
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { code: string } }).error.code).toBe('bad_request');
    const big = JSON.stringify(Array.from({ length: 3000 }, () => ({ asset: 'cnc-a1', property: 'power_kw', ts: new Date().toISOString(), value: 1 })));
    expect((await post(big, 'application/json')).status).toBe(413);
  });
});
