/**
 * A large twin's `<context>` catalog: a model is sent what the task names (with parents and children) and the top of
 * the hierarchy, up to CATALOG_ASSETS, with a count of what was left out; a small twin is sent whole. The router is
 * sent only what the task and thread name.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG_ASSETS, contextBlock, shortlist } from '../../../agents/nodes/common';
import { routeContext } from '../../../agents/nodes/route';
import type { RunRuntime } from '../../../agents/runtime';
import type { TwinContext } from '../../../src/llm/protocol';

type Catalog = TwinContext['catalog'];

/** A site, 20 lines, 5 machines a line, 20 sensors a machine: 2,121 assets. */
function bigPlant(): Catalog {
  const assets: Catalog['assets'] = [{ id: 'site', name: 'Site', type: 'site', properties: [] }];
  for (let l = 1; l <= 20; l++) {
    assets.push({ id: `line-${l}`, name: `Line ${l}`, type: 'line', parent: 'site', properties: [] });
    for (let m = 1; m <= 5; m++) {
      const machine = l === 7 && m === 3 ? { id: 'press-7', name: 'Stamping press', type: 'press' } : { id: `mill-${l}-${m}`, name: `Mill ${l}.${m}`, type: 'mill' };
      assets.push({ ...machine, parent: `line-${l}`, properties: ['power_kw'] });
      for (let s = 1; s <= 20; s++) assets.push({ id: `${machine.id}-s${s}`, name: `Sensor ${s} of ${machine.id}`, type: 'sensor', parent: machine.id, properties: ['value'] });
    }
  }
  return { assets, orders: [{ id: 'PO-1', sku: 'gear', due: '2026-03-03T00:00:00Z' }], crews: [{ id: 'crew-a', shift: 'day' }] };
}

const run = (catalog: Catalog) => ({ twinContext: { timezone: 'UTC', catalog } }) as unknown as RunRuntime;

describe('the catalog a model is sent', () => {
  it('is the whole catalog for a twin that fits', () => {
    const small: Catalog = { assets: bigPlant().assets.slice(0, 50), orders: [], crews: [] };
    const ctx = contextBlock(run(small), { twin: 't', at: '2026-03-02T08:00:00Z', task: 'How is the stamping press?' }, 'maintenance', 'primary');
    expect(ctx.catalog).toBe(small);
    expect(ctx.unlisted).toBeUndefined();
  });

  it('holds what a large twin\'s task names, with its parents and children, and says how much it left out', () => {
    const big = bigPlant();
    const ctx = contextBlock(run(big), { twin: 't', at: '2026-03-02T08:00:00Z', task: 'Why is the stamping press drawing more power?' }, 'energy', 'primary');
    const ids = ctx.catalog.assets.map((a) => a.id);
    expect(ids.length).toBeLessThanOrEqual(CATALOG_ASSETS);
    expect(ids).toEqual(expect.arrayContaining(['press-7', 'line-7', 'site', 'press-7-s1', 'press-7-s20']));
    expect(ctx.unlisted).toEqual({ assets: big.assets.length - ids.length, find_with: 'list_assets' });
    // Orders and crews are small; they travel whole.
    expect(ctx.catalog.orders).toEqual(big.orders);
    expect(ctx.catalog.crews).toEqual(big.crews);
  });

  it('reads earlier turns of the thread too, so a follow-up keeps what it leans on', () => {
    const ctx = contextBlock(
      run(bigPlant()),
      { twin: 't', at: '2026-03-02T08:00:00Z', task: 'And when could we fix it?', history: [{ task: 'What is wrong with mill-12-4?', answer: 'mill-12-4 vibrates.', primary: 'maintenance', actions: [] }] },
      'maintenance',
      'primary',
    );
    expect(ctx.catalog.assets.map((a) => a.id)).toEqual(expect.arrayContaining(['mill-12-4', 'line-12', 'mill-12-4-s7']));
  });

  it('falls back to the top of the hierarchy when the task names nothing', () => {
    const list = shortlist(bigPlant(), 'Which machine needs attention first?');
    const ids = new Set(list.assets.map((a) => a.id));
    expect(ids.size).toBe(CATALOG_ASSETS);
    for (let l = 1; l <= 20; l++) expect(ids.has(`line-${l}`)).toBe(true);
    // Breadth first: every machine before any sensor.
    expect(list.assets.filter((a) => a.type === 'mill' || a.type === 'press')).toHaveLength(100);
  });
});

describe('the catalog the router is sent', () => {
  const full = (catalog: Catalog): TwinContext => ({ twin: 't', now: '2026-03-02T08:00:00Z', timezone: 'UTC', expert: 'manager', mode: 'primary', catalog });

  it('holds what the task names, with its parents and without properties, and counts the rest', () => {
    const big = bigPlant();
    const ctx = routeContext(full(big), 'Can the stamping press finish PO-1 by Tuesday?');
    expect(ctx.catalog.assets.map((a) => a.id).sort()).toEqual(['line-7', 'press-7', 'site']);
    expect(ctx.catalog.assets.every((a) => a.properties.length === 0)).toBe(true);
    expect(ctx.catalog.orders.map((o) => o.id)).toEqual(['PO-1']);
    expect(ctx.catalog.crews).toEqual([]);
    expect(ctx.unlisted).toEqual({ assets: big.assets.length - 3, orders: 0, crews: 1 });
  });

  it('is empty, with the counts, when the task names nothing of the twin', () => {
    const ctx = routeContext(full(bigPlant()), 'Any open alarms right now?');
    expect(ctx.catalog.assets).toEqual([]);
    expect(ctx.catalog.orders).toEqual([]);
    expect(ctx.unlisted?.assets).toBe(bigPlant().assets.length);
  });
});
