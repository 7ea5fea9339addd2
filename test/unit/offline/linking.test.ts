/**
 * Entity linking on an invented twin (a water works, unlike any shipped twin): generic words link to the kinds they
 * name, a modifier of a parent's name does not capture them, "pump 3" picks the third pump by its number, and a
 * plural kind is every asset of it.
 */
import { describe, expect, it } from 'vitest';
import { linkText, type Catalog } from '../../../src/llm/offline/link';
import { fillArgs, type Grounding } from '../../../src/llm/offline/args';
import { firstCalls } from '../../../src/llm/offline/plan';
import type { BoundTool } from '../../../src/llm/offline/read';

const catalog: Catalog = {
  assets: [
    { id: 'works', name: 'Riverside water works', type: 'site', properties: [] },
    { id: 'pumping-hall', name: 'Pumping hall east', type: 'area', parent: 'works', properties: [] },
    { id: 'pu-01', name: 'Raw water pump 1', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vib'] },
    { id: 'pu-02', name: 'Raw water pump 2', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vib'] },
    { id: 'pu-03', name: 'Raw water pump 3', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vib'] },
    { id: 'uv-7', name: 'Disinfection unit', type: 'uv_reactor', parent: 'works', properties: ['lamp_hours', 'dose'] },
    { id: 'blower-x', name: 'Aeration blower', type: 'air_blower', parent: 'works', properties: ['power_kw'] },
    { id: 'blower-y', name: 'Backwash blower', type: 'air_blower', parent: 'works', properties: ['power_kw'] },
  ],
  orders: [],
  crews: [],
};

const ids = (text: string) => linkText(text, catalog).assets.map((a) => a.id);

describe('linking generic words to the twin', () => {
  it('does not let a modifier of a parent name capture a kind word', () => {
    // "pumping hall" is an area; "pump" alone names the pumps, not the hall.
    expect(ids('which pump is going to fail first?')).not.toContain('pumping-hall');
    expect(ids('anything wrong in the pumping hall?')).toContain('pumping-hall');
  });

  it('picks the numbered one of a kind', () => {
    expect(ids('pump 3 sounds noisy, how long have we got?')[0]).toBe('pu-03');
    expect(ids('the second pump')[0]).toBe('pu-02');
    expect(ids('pump #1 flow ok?')[0]).toBe('pu-01');
  });

  it('reads a plural kind as every asset of it, and a sole one as that asset', () => {
    const l = linkText('how are the blowers doing?', catalog);
    expect(l.group).toMatchObject({ type: 'air_blower', plural: true });
    expect(l.group!.ids.sort()).toEqual(['blower-x', 'blower-y']);
    expect(ids('is the uv reactor ok')).toEqual(['uv-7']);
  });

  it('links nothing for a word that names no kind, so ranking tools rank everything', () => {
    expect(ids('which machine is most likely to break down?')).toEqual([]);
  });

  it('fans a one-asset tool out over a plural kind, and hands a ranking tool the kind', () => {
    const g: Grounding = { links: linkText('status of the blowers', catalog), times: [], catalog, task: 'status of the blowers', now: '2026-01-01T00:00:00Z' };
    const tools: BoundTool[] = [
      { name: 'unit_status', description: 'Latest status of a unit: readings and state', parameters: { type: 'object', properties: { asset: { type: 'string', description: 'asset id' } }, required: ['asset'] } },
    ];
    const calls = firstCalls(tools, g);
    expect(calls.map((c) => c.args.asset).sort()).toEqual(['blower-x', 'blower-y']);
    const rank = fillArgs({ type: 'object', properties: { asset: { type: 'string' }, type: { type: 'string' } } }, g);
    expect(rank.args.type).toBe('air_blower');
  });
});
