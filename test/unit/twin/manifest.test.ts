import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/twin/manifest';
import { resolveType } from '../../../src/twin/ontology';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const minimal = () => ({ version: 1, twin: 'x', name: 'X', assets: [{ id: 'a', type: 'site' }] });

describe('manifest', () => {
  it('accepts the demo plant with the ids the spec names', () => {
    const r = parseManifest(read('twins/demo-plant.yaml'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
    const ids = r.manifest.assets.map((a) => a.id);
    for (const id of ['plant', 'line-a', 'cnc-a1', 'cnc-a2', 'cnc-a3', 'robot-a1', 'qc-a', 'line-b', 'press-b1', 'oven-b1', 'pack-b1', 'compressor-1', 'compressor-2', 'chiller-1', 'meter-main']) {
      expect(ids).toContain(id);
    }
    const cnc = resolveType(r.manifest.types!, 'cnc_mill')!;
    expect(cnc.properties.vibration_rms).toMatchObject({ unit: 'mm/s', warn: 4.5, alarm: 7.1 });
    expect(cnc.properties.bearing_temp).toMatchObject({ unit: 'degC', warn: 70, alarm: 85 });
    expect(Object.keys(cnc.commands).sort()).toEqual(['set_spindle_speed', 'start', 'stop']);
    expect(cnc.properties.status.kind).toBe('state'); // inherited from machine
    const comp = resolveType(r.manifest.types!, 'air_compressor')!;
    expect(comp.properties.outlet_pressure_bar).toMatchObject({ warn: 6.5, alarm: 6.0, direction: 'below' });
    expect(r.manifest.orders?.map((o) => [o.id, o.quantity, o.due])).toEqual([['PO-1042', 1080, '+2d'], ['PO-1043', 1200, '+3d'], ['PO-1044', 300, '+5d']]);
    expect(r.manifest.crews?.map((c) => [c.id, c.size, c.skills.maintenance, c.overtime_hours_week])).toEqual([['crew-a', 8, 2, 0], ['crew-b', 8, 1, 12], ['crew-c', 5, 1, 0]]);
    expect(r.manifest.work_orders?.[0]).toMatchObject({ id: 'WO-77', asset: 'compressor-2', status: 'open', due: '+10d' });
  });

  it('accepts the pumping-station fixture', () => {
    expect(parseManifest(read('test/fixtures/pumping-station.yaml')).ok).toBe(true);
  });

  it('lists every problem of the three-mistake fixture with its path', () => {
    const r = parseManifest(read('test/fixtures/bad-manifest.yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([
      'assets[3].parent: unknown asset "line-z"',
      'relations[0].to: unknown asset "pump-9"',
      'types.pump.properties.flow.units: unknown key "units"',
    ]);
  });

  it('reports schema and cross-reference errors together', () => {
    const m = {
      ...minimal(),
      colour: 'red',
      types: { a: { extends: 'b' }, b: { extends: 'a' } },
      assets: [
        { id: 'a', type: 'site' },
        { id: 'a', type: 'nope', parent: 'zz' },
      ],
      sensors: [{ topic: 't', asset: 'a', property: 'nothing' }],
      orders: [{ id: 'o', sku: 'S', quantity: 0, due: 'soon' }],
      work_orders: [{ id: 'w', asset: 'ghost', kind: 'preventive' }],
    };
    const r = parseManifest(m);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    for (const p of ['colour', 'types.a.extends', 'assets[1].id', 'assets[1].type', 'assets[1].parent', 'sensors[0].property', 'orders[0].quantity', 'orders[0].sku', 'orders[0].due', 'work_orders[0].asset']) {
      expect(paths).toContain(p);
    }
    expect(r.problems.filter((p) => p.message.includes('inheritance cycle'))).toHaveLength(1);
  });

  it('checks thresholds, setpoint commands, attributes and parent cycles', () => {
    const r = parseManifest({
      ...minimal(),
      types: {
        t: {
          properties: { p: { kind: 'telemetry', type: 'number', warn: 5, alarm: 6, direction: 'below' }, s: { kind: 'telemetry', type: 'number' } },
          commands: { c: { risk: 'low', sets: 's' } },
        },
      },
      assets: [
        { id: 'a', type: 't', parent: 'b', attributes: { colour: 'red' } },
        { id: 'b', type: 't', parent: 'a' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
    expect(byPath['types.t.properties.p.warn']).toMatch(/below/);
    expect(byPath['types.t.commands.c.sets']).toMatch(/not a setpoint/);
    expect(byPath['assets[0].attributes.colour']).toMatch(/no attribute/);
    expect(r.problems.some((p) => p.message.startsWith('parent cycle'))).toBe(true);
  });

  it('reports YAML syntax errors with a line', () => {
    const r = parseManifest('version: 1\ntwin: [unclosed\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].path).toMatch(/line \d+/);
  });

  it('resolves inheritance: a subtype overrides by name and keeps the rest', () => {
    const types = {
      base: { properties: { a: { kind: 'telemetry' as const, type: 'number' as const, unit: 'x' }, b: { kind: 'state' as const, type: 'string' as const } } },
      sub: { extends: 'base', properties: { a: { kind: 'telemetry' as const, type: 'number' as const, unit: 'y' } } },
    };
    const eff = resolveType(types, 'sub')!;
    expect(eff.chain).toEqual(['sub', 'base']);
    expect(eff.properties.a.unit).toBe('y');
    expect(eff.properties.b.kind).toBe('state');
  });
});
