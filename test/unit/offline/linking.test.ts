/**
 * Entity linking on an invented twin (a water works, unlike any shipped twin): generic words link to the kinds they
 * name, a modifier of a parent's name does not capture them, "pump 3" picks the third pump by its number, and a
 * plural kind is every asset of it.
 */
import { describe, expect, it } from 'vitest';
import { linkText, type Catalog } from '../../../src/llm/offline/link';
import { fillArgs, type Grounding } from '../../../src/llm/offline/args';
import { askHints, firstCalls } from '../../../src/llm/offline/plan';
import { composeDraft } from '../../../src/llm/offline/draft';
import type { CallView } from '../../../src/llm/offline/read';
import type { BoundTool } from '../../../src/llm/offline/read';

const catalog: Catalog = {
  assets: [
    { id: 'works', name: 'Riverside water works', type: 'site', properties: [] },
    { id: 'pumping-hall', name: 'Pumping hall east', type: 'area', parent: 'works', properties: [] },
    { id: 'pu-01', name: 'Raw water pump 1', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vibration'] },
    { id: 'pu-02', name: 'Raw water pump 2', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vibration'] },
    { id: 'pu-03', name: 'Raw water pump 3', type: 'centrifugal_pump', parent: 'pumping-hall', properties: ['flow_m3h', 'bearing_vibration'] },
    { id: 'uv-7', name: 'Disinfection unit', type: 'uv_reactor', parent: 'works', properties: ['lamp_hours', 'dose'] },
    { id: 'blower-x', name: 'Aeration blower', type: 'air_blower', parent: 'works', properties: ['power_kw'] },
    { id: 'blower-y', name: 'Backwash blower', type: 'air_blower', parent: 'works', properties: ['power_kw'] },
    { id: 'incomer', name: 'Incoming supply meter', type: 'supply_meter', parent: 'works', properties: ['import_kw'] },
  ],
  orders: [{ id: 'JOB-4', sku: 'CLEAN-1', due: '2026-01-02T00:00:00Z' }],
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

  it('asks for a measurement only by its head word, not by the part it is measured on', () => {
    const props = (t: string) => linkText(t, catalog).properties.map((p) => p.name);
    expect(props('remaining life of the pump 2 bearing?')).toEqual([]);
    expect(props('bearing vibration on pump 2 trending up?')).toContain('bearing_vibration');
    expect(props('how many lamp hours does the uv reactor have')).toContain('lamp_hours');
  });

  it('reads a measurement named with its asset ("flow on pump 2 ok?"), beside the tool the words match best', () => {
    const task = 'flow on pump 2 ok?';
    const g: Grounding = { links: linkText(task, catalog), times: [], catalog, task, now: '2026-01-01T00:00:00Z' };
    const tools: BoundTool[] = [
      { name: 'unit_health', description: 'Health of a unit: is it ok, what is wrong with it', parameters: { type: 'object', properties: { asset: { type: 'string', description: 'asset id' } } } },
      { name: 'unit_state', description: 'Latest reported state of a unit: each value with its thresholds', parameters: { type: 'object', properties: { asset: { type: 'string', description: 'asset id' } } } },
    ];
    expect(firstCalls(tools, g).map((c) => c.name)).toContain('unit_state');
  });

  it('a common word that heads a measurement ("time") asks for it only beside its other word', () => {
    const timed: Catalog = { ...catalog, assets: [...catalog.assets, { id: 'pk-1', name: 'Packer', type: 'packer', properties: ['cycle_time_s'] }] };
    const props = (t: string) => linkText(t, timed).properties.map((p) => p.name);
    expect(props("when's the best time to service the packer?")).toEqual([]);
    expect(props('is the packer cycle time creeping up?')).toEqual(['cycle_time_s']);
  });

  it('reads each of two assets named by id with a tool that reads one', () => {
    const task = 'are pu-01 and pu-03 ok?';
    const g: Grounding = { links: linkText(task, catalog), times: [], catalog, task, now: '2026-01-01T00:00:00Z' };
    const tools: BoundTool[] = [{ name: 'unit_health', description: 'Health of a unit: is it ok', parameters: { type: 'object', properties: { asset: { type: 'string', description: 'asset id' } } } }];
    expect(firstCalls(tools, g).map((c) => c.args.asset)).toEqual(['pu-01', 'pu-03']);
  });

  it('a type named for how it comes packaged ("booster_pump_set") is not named by the verb "setting"', () => {
    const sets: Catalog = { ...catalog, assets: [...catalog.assets, { id: 'bps-7', name: 'Booster station', type: 'booster_pump_set', properties: ['power_kw'] }] };
    expect(linkText("what's setting our peak demand this week?", sets).types).toEqual([]);
    expect(linkText('is the booster pump set ok?', sets).types[0]?.type).toBe('booster_pump_set');
  });

  it('"how many days before it goes into alarm" asks for the remaining life', () => {
    expect(askHints('pump 2 making noise, how many days before it goes into alarm?')).toContain('remaining life alarm fail next');
  });

  it('reads the load of a site from its meter', () => {
    expect(ids('site load right now?')).toEqual(['incomer']);
  });

  it('hears what kind of answer a question wants', () => {
    expect(askHints('blowers right now?').join(' ')).toMatch(/latest/);
    expect(askHints('pump 2 whines, how long have we got?').join(' ')).toMatch(/remaining life/);
    expect(askHints('flow last week vs now').join(' ')).toMatch(/history/);
  });

  it('looks up a record id the catalog does not know, and the draft quotes limits and the record', () => {
    const g: Grounding = { links: linkText('what does RQ-12 say?', catalog), times: [], catalog, task: 'what does RQ-12 say?', now: '2026-01-01T00:00:00Z' };
    const { args } = fillArgs({ type: 'object', properties: { id: { type: 'string' }, asset: { type: 'string' } } }, g);
    expect(args.id).toBe('RQ-12');
    const view: CallView = {
      system: '',
      task: 'what does RQ-12 say? is pump 2 safe?',
      earlier: [],
      rounds: 1,
      calls: [
        { id: 'a', name: 'reading', args: {}, round: 0, result: { ok: true, summary: 'pu-02 bearing_vibration 5.2 mm/s', evidence: ['ev1'], result: { values: [{ property: 'bearing_vibration', value: 5.2, unit: 'mm/s', warn: 4, alarm: 6.5 }] } } },
        { id: 'b', name: 'records', args: {}, round: 0, result: { ok: true, summary: '2 records', evidence: ['ev2'], result: [{ id: 'RQ-12', asset: 'pu-02', note: '"Seal weeps"' }, { id: 'RQ-13', asset: 'uv-7' }] } },
      ],
    };
    const d = composeDraft(view, () => false, { singlesOut: false });
    expect(d.answer).toMatch(/RQ-12[^\n]*pu-02[^\n]*Seal weeps/);
    expect(d.answer).not.toMatch(/RQ-13/);
    expect(d.answer).toMatch(/alarm 6\.5/);
  });

  it('does not read plain English as a typo of a plain-word id, and a plural kind beats one matching name', () => {
    expect(ids('which unit fails next? plan the fix')).not.toContain('works');
    expect(ids('plan the work')).not.toContain('works');
    const l = linkText('power of the raw water pumps this week', catalog);
    expect(l.group?.ids.sort()).toEqual(['pu-01', 'pu-02', 'pu-03']);
  });
});

describe('machines named by a word that also starts a measurement', () => {
  // A moulding shop: its machines are called presses, and they measure an injection pressure.
  const shop: Catalog = {
    assets: [
      { id: 'imm-7', name: 'Press 7 (300 ton)', type: 'injection_molder', properties: ['injection_pressure_psi', 'hydraulic_oil_temp', 'barrel_temp', 'serial_tag'] },
      { id: 'imm-12', name: 'Press 12 (500 ton)', type: 'injection_molder', properties: ['injection_pressure_psi', 'hydraulic_oil_temp', 'barrel_temp', 'serial_tag'] },
      { id: 'rbt-12', name: 'Degating robot at press 12', type: 'robot', properties: ['cycle_time_s'] },
      { id: 'tcu-e1', name: 'East bay mold TCU', type: 'mold_temp_controller', properties: ['supply_temp'] },
      { id: 'ch-1', name: 'Chiller 1', type: 'chiller', properties: ['supply_temp'] },
      { id: 'ch-aux', name: 'Auxiliary chiller', type: 'chiller', properties: ['supply_temp'] },
    ],
    orders: [],
    crews: [],
  };
  const link = (text: string) => linkText(text, shop);

  it('"press 12" is the press, not the robot at press 12, and not a pressure', () => {
    const l = link('hyd oil on press 12 looks hot, whats going on');
    expect(l.assets[0]?.id).toBe('imm-12');
    expect(l.properties[0]?.name).toBe('hydraulic_oil_temp');
    expect(l.properties.map((p) => p.name)).not.toContain('injection_pressure_psi');
  });

  it('"which press" asks about the machines, and "the pressure" about the measurement', () => {
    expect(link('which press is most likely to go down next').properties).toEqual([]);
    expect(link('is the injection pressure on press 7 dropping?').properties[0]?.name).toBe('injection_pressure_psi');
  });

  it('"oil temp" is the oil temperature before any other temperature', () => {
    expect(link('how long till imm-12 hits the oil temp alarm?').properties[0]?.name).toBe('hydraulic_oil_temp');
  });

  it('an asset is named by its own head noun ("the mold TCU"), not by one that is only its kind ("the chiller")', () => {
    expect(link('drop the mold TCU to 62 degrees').assets[0]?.id).toBe('tcu-e1');
    expect(link('is the chiller running warm?').assets.map((a) => a.id)).not.toEqual(['ch-aux']);
  });
});
