/** The cross-run read cache on its own: versions, invalidation, in-flight reads, failures, and its bounds. */
import { describe, expect, it } from 'vitest';
import { createReadCache, weightOf } from '../../../src/store/queries/read-cache';
import { toolCache } from '../../../agents/tools/cache';
import { createEventBus } from '../../../src/events';

const later = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), 5));

describe('read cache', () => {
  it('makes a value once per twin version and shares it between callers', async () => {
    const c = createReadCache();
    let made = 0;
    const make = async () => ++made;
    const [a, b] = await Promise.all([c.get('t1', 'k', make), c.get('t1', 'k', make)]);
    expect([a, b, made]).toEqual([1, 1, 1]);
    expect(await c.get('t1', 'k', make)).toBe(1);
    expect(await c.get('t2', 'k', make)).toBe(2); // another twin, another entry
    expect(c.stats()).toMatchObject({ hits: 2, misses: 2, entries: 2 });
  });

  it('an invalidation drops only that twin; without a twin it drops every twin', async () => {
    const c = createReadCache();
    let n = 0;
    const make = async () => ++n;
    await c.get('t1', 'k', make);
    await c.get('t2', 'k', make);
    const v1 = c.version('t1');
    c.invalidate('t1');
    expect(c.version('t1')).not.toBe(v1);
    expect(c.has('t1', 'k')).toBe(false);
    expect(c.has('t2', 'k')).toBe(true);
    expect(await c.get('t1', 'k', make)).toBe(3);
    c.invalidate();
    expect(c.stats().entries).toBe(0);
    expect(await c.get('t2', 'k', make)).toBe(4);
  });

  it('a read in flight when the twin changes is never served after the change', async () => {
    const c = createReadCache();
    const old = c.get('t1', 'k', () => later('before'));
    c.invalidate('t1');
    expect(await c.get('t1', 'k', () => later('after'))).toBe('after');
    expect(await old).toBe('before'); // its own caller still gets it: that read was concurrent with the write
    expect(await c.get('t1', 'k', () => later('again'))).toBe('after');
  });

  it('forgets a failed computation so a retry can succeed', async () => {
    const c = createReadCache();
    await expect(c.get('t1', 'k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await later(0);
    expect(c.has('t1', 'k')).toBe(false);
    expect(await c.get('t1', 'k', async () => 'ok')).toBe('ok');
  });

  it('is bounded by entries, least recently used first', async () => {
    const c = createReadCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await c.get('t', k, async () => k);
    await c.get('t', 'a', async () => 'x'); // a is now the most recent
    await c.get('t', 'd', async () => 'd');
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has('t', k))).toEqual(['a', 'c', 'd']);
    expect(c.stats()).toMatchObject({ entries: 3, evictions: 1 });
    for (let i = 0; i < 100; i++) await c.get('t', `k${i}`, async () => i);
    expect(c.stats().entries).toBe(3);
  });

  it('is bounded by weight: a series of n points weighs 2n', async () => {
    const series = (n: number) => ({ t: Array.from({ length: n }, (_, i) => i), v: Array.from({ length: n }, () => 1) });
    expect(weightOf(series(100))).toBe(200);
    expect(weightOf(new Map([['a', series(100)], ['b', series(50)]]))).toBe(301);
    const c = createReadCache({ maxWeight: 1000 });
    await c.get('t', 's1', async () => series(200));
    await c.get('t', 's2', async () => series(200));
    expect(c.stats().weight).toBe(800);
    await c.get('t', 's3', async () => series(200));
    await later(0);
    expect(c.has('t', 's1')).toBe(false);
    expect(c.stats().weight).toBeLessThanOrEqual(1000);
  });

  it('follows the event bus: writes drop the twin, proposal-only changes keep it', async () => {
    const bus = createEventBus();
    const c = toolCache(bus);
    const fill = () => c.get('t1', 'k', async () => 1);
    const dropsOn = async (publish: () => void) => {
      await fill();
      publish();
      return !c.has('t1', 'k');
    };
    expect(await dropsOn(() => bus.publish('readings', { twin: 't1', count: 1, assets: ['a'], latest: [] }))).toBe(true);
    expect(await dropsOn(() => bus.publish('alarm_raised', { twin: 't1', asset: 'a', property: 'p', level: 'alarm', value: 9, ts: '', message: '' }))).toBe(true);
    expect(await dropsOn(() => bus.publish('alarm_cleared', { twin: 't1', asset: 'a', property: 'p', ts: '' }))).toBe(true);
    expect(await dropsOn(() => bus.publish('state_changed', { twin: 't1', asset: 'a', side: 'desired', changes: {} }))).toBe(true);
    expect(await dropsOn(() => bus.publish('twin_loaded', { twin: 't1' }))).toBe(true);
    expect(await dropsOn(() => bus.publish('action_changed', { id: 'x', status: 'executed', twin: 't1' }))).toBe(true);
    expect(await dropsOn(() => bus.publish('action_changed', { id: 'x', status: 'failed' }))).toBe(true);
    expect(await dropsOn(() => bus.publish('readings', { twin: 't2', count: 1, assets: ['a'], latest: [] }))).toBe(false);
    for (const status of ['pending_approval', 'approved', 'rejected']) expect(await dropsOn(() => bus.publish('action_changed', { id: 'x', status, twin: 't1' }))).toBe(false);
    c.close();
    expect(await dropsOn(() => bus.publish('twin_loaded', { twin: 't1' }))).toBe(false);
  });
});
