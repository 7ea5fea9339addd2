/** Browser-side helpers that need no browser: SSE framing, evidence links, tolerant shape reading, chart ranges. */
import { describe, expect, it } from 'vitest';
import { evidenceHref, evidenceTarget } from '../../../src/web/app/lib/evidence';
import { normAsset, normPoints, normRelation } from '../../../src/web/app/lib/normalize';
import { parseFrame, readSse } from '../../../src/web/app/lib/sse';
import { parseHash } from '../../../src/web/app/lib/router';
import { bucketFor, viewRange } from '../../../src/web/app/views/asset';

function streamOf(chunks: string[]): Response {
  const enc = new TextEncoder();
  return new Response(new ReadableStream({ start(c) { for (const s of chunks) c.enqueue(enc.encode(s)); c.close(); } }));
}

describe('readSse', () => {
  it('reassembles frames split across chunks, skips comments and keeps event names', async () => {
    const res = streamOf(['event: route\ndata: {"type":"rou', 'te","primary":"maintenance"}\nid: 1\n\n: ping\n\n', 'event: hello\r\ndata: {"events":[]}\r\n\r\n', 'data: a\ndata: b\n\n']);
    const frames = [];
    for await (const f of readSse(res)) frames.push(f);
    expect(frames).toEqual([
      { event: 'route', data: '{"type":"route","primary":"maintenance"}', id: '1' },
      { event: 'hello', data: '{"events":[]}', id: undefined },
      { event: 'message', data: 'a\nb', id: undefined },
    ]);
    expect(parseFrame(frames[1]!).type).toBe('hello');
    expect(parseFrame({ event: 'readings', data: '{"twin":"t"}' })).toEqual({ twin: 't', type: 'readings' });
    expect(parseFrame({ event: 'x', data: 'not json' }).type).toBe('x');
  });
});

describe('evidence links', () => {
  it('opens the asset chart of a readings ref with the window', () => {
    const ev = { id: 'ev1', kind: 'readings' as const, ref: 'cnc-a2/vibration_rms', summary: 's', window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' } };
    const h = evidenceHref(ev, 'demo-plant')!;
    const r = parseHash(h);
    expect(r.parts).toEqual(['twin', 'demo-plant', 'cnc-a2']);
    expect(r.query.get('prop')).toBe('vibration_rms');
    expect(r.query.get('from')).toBe(ev.window.start);
    expect(r.query.get('ev')).toBe('ev1');
  });
  it('reads a twin-qualified ref and leaves orders without a chart', () => {
    expect(evidenceTarget({ kind: 'readings', ref: 'plant2/p1/flow' }, 'demo-plant', ['demo-plant', 'plant2'])).toEqual({ twin: 'plant2', asset: 'p1', property: 'flow' });
    expect(evidenceTarget({ kind: 'order', ref: 'PO-1042' }, 'demo-plant')).toBeNull();
    expect(evidenceTarget({ kind: 'record', ref: 'crew b overtime' }, 'demo-plant')).toBeNull();
  });
});

describe('normalize', () => {
  it('reads assets in either spelling and never throws on junk', () => {
    const a = normAsset({ id: 'cnc-a2', type: { id: 'cnc_mill', properties: { vibration_rms: { kind: 'telemetry', unit: 'mm/s' } } }, parent_id: 'line-a', reported: { vibration_rms: { value: 5.8, ts: 't' }, status: 'running' }, health: { score: 0.4 } })!;
    expect(a.type).toBe('cnc_mill');
    expect(a.parent).toBe('line-a');
    expect(a.reported.vibration_rms).toEqual({ value: 5.8, ts: 't' });
    expect(a.reported.status).toEqual({ value: 'running' });
    expect(a.properties.vibration_rms?.unit).toBe('mm/s');
    expect(a.health).toBe(0.4);
    for (const junk of [null, 1, 'x', [], {}, { id: 3 }]) expect(normAsset(junk)).toBeNull();
    expect(normRelation({ from_asset: 'a', to_asset: 'b', type: 'feeds' })).toEqual({ from: 'a', to: 'b', type: 'feeds', depth: undefined });
  });
  it("reads the service's health index (0–100) as a fraction, low indexes included, and its property kinds", () => {
    const svc = (index: number) => normAsset({ id: 'cnc-a2', type: 'cnc_mill', properties: { vibration_rms: { kind: 'telemetry', unit: 'mm/s', warn: 4.5, alarm: 7.1 }, spindle_speed_setpoint: { kind: 'setpoint' } }, health: { index, grade: 'poor', summary: 's' } })!;
    expect(svc(73).health).toBeCloseTo(0.73);
    expect(svc(0.8).health).toBeCloseTo(0.008); // 0.8 out of 100, not 80 %
    expect(svc(100).health).toBe(1);
    expect(svc(73).type).toBe('cnc_mill');
    expect(svc(73).properties.vibration_rms).toMatchObject({ kind: 'telemetry', warn: 4.5, alarm: 7.1 });
    expect(svc(73).properties.spindle_speed_setpoint.kind).toBe('setpoint');
    expect(normAsset({ id: 'x', health: null })!.health).toBeNull();
  });
  it('reads raw and bucketed readings, sorted, dropping bad rows', () => {
    const pts = normPoints([{ bucket: '2026-01-01T00:02:00Z', avg: 2, min: 1, max: 3 }, { ts: '2026-01-01T00:01:00Z', value: '1.5' }, { ts: 'bad', value: 1 }, { ts: '2026-01-01T00:03:00Z' }]);
    expect(pts.map((p) => p.v)).toEqual([1.5, 2]);
    expect(pts[1]).toMatchObject({ min: 1, max: 3 });
  });
});

describe('chart range', () => {
  it('pads an evidence window and picks a bucket by span', () => {
    const H = 3600_000;
    const now = 100 * H;
    expect(viewRange(90 * H, 94 * H, 24 * H, now)).toEqual({ start: 88 * H, end: 96 * H });
    expect(viewRange(null, null, 24 * H, now)).toEqual({ start: 76 * H, end: 100 * H });
    // a window reaching into the future (a forecast) is shown whole
    expect(viewRange(98 * H, 110 * H, 24 * H, now).end).toBe(110 * H);
    expect(bucketFor(2 * H)).toBe('raw');
    expect(bucketFor(24 * H)).toBe('1m');
    expect(bucketFor(7 * 24 * H)).toBe('1h');
  });
});
