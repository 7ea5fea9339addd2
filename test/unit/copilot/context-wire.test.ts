/** The `<context>` catalog on the wire: compact (each type's properties and commands once), and read back whole. */
import { describe, expect, it } from 'vitest';
import { block, decodeCatalog, encodeCatalog, readBlock, type TwinContext } from '../../../src/llm/protocol';

const catalog: TwinContext['catalog'] = {
  assets: [
    { id: 'site', name: 'site', type: 'site', properties: [] },
    { id: 'pump-1', name: 'Pump 1', type: 'pump', parent: 'site', properties: ['flow', 'vibration'] },
    { id: 'pump-2', name: 'Pump 2', type: 'pump', parent: 'site', properties: ['flow', 'vibration'] },
  ],
  orders: [{ id: 'DEL-9', sku: 'WATER', due: '2026-03-04T08:00:00.000Z', priority: 'high' }],
  crews: [{ id: 'crew-a', shift: '06:00-14:00' }, { id: 'crew-b', shift: '14:00-22:00', name: 'Late shift' }],
  commands: { pump: [{ name: 'stop', params: {}, risk: 'high' }] },
};

describe('context catalog on the wire', () => {
  it('sends a type once and ids as keys, and reads back the same catalog', () => {
    const wire = encodeCatalog(catalog);
    expect(wire.types).toEqual({ pump: { properties: ['flow', 'vibration'], commands: [{ name: 'stop', params: {}, risk: 'high' }] } });
    expect(wire.assets['pump-1']).toEqual({ type: 'pump', name: 'Pump 1', parent: 'site' });
    expect(wire.assets.site).toEqual({ type: 'site' }); // a name equal to the id is left out
    expect(wire.crews).toEqual({ 'crew-a': '06:00-14:00', 'crew-b': { shift: '14:00-22:00', name: 'Late shift' } });
    expect(decodeCatalog(wire)).toEqual(catalog);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(catalog).length);
  });

  it('block and readBlock round-trip a context; the plain shape is still read', () => {
    const ctx: TwinContext = { twin: 't', now: '2026-03-02T08:00:00.000Z', timezone: 'UTC', expert: 'maintenance', mode: 'primary', catalog };
    const text = `Read this.\n${block('context', ctx)}\nTask: which pump fails first?`;
    expect(text).not.toContain('"properties":["flow","vibration"]},{');
    expect(readBlock<TwinContext>('context', text)).toEqual(ctx);
    const plain = `<context>${JSON.stringify(ctx)}</context>`;
    expect(readBlock<TwinContext>('context', plain)).toEqual(ctx);
  });
});
