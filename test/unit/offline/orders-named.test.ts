/**
 * Orders named the way a planner names them, by whom they are for or what they make rather than by id, on an invented
 * catalog: found in a question, carried to a follow-up that moves "the ship date", picked out of a listing of every
 * order with the units left, and kept on the `<context>` wire.
 */
import { describe, expect, it } from 'vitest';
import type { Grounding } from '../../../src/llm/offline/args';
import { composeDraft } from '../../../src/llm/offline/draft';
import { linkText, ordersNamed } from '../../../src/llm/offline/link';
import type { CallView } from '../../../src/llm/offline/read';
import { explicitRequests } from '../../../src/llm/offline/request';
import { parseTimes } from '../../../src/llm/offline/times';
import { decodeCatalog, encodeCatalog, type TwinContext } from '../../../src/llm/protocol';

const NOW = '2026-06-01T12:00:00Z';

const catalog: TwinContext['catalog'] = {
  assets: [
    { id: 'site', name: 'site', type: 'site', properties: [] },
    { id: 'em-1', name: 'Incomer energy meter', type: 'energy_meter', parent: 'site', properties: ['power_kw'] },
    { id: 'saw-3', name: 'Panel saw', type: 'saw', parent: 'site', properties: ['motor_current_a'] },
  ],
  orders: [
    { id: 'JB-71', sku: 'TBL-OAK', due: '2026-06-03T15:00:00Z', priority: 'high', customer: 'Harbour Furniture Ltd', product: 'Oak dining table' },
    { id: 'JB-72', sku: 'CAB-WAL', due: '2026-06-05T15:00:00Z', customer: 'Fjord Kitchens', product: 'Walnut wall cabinet' },
    { id: 'JB-73', sku: 'TBL-OAK', due: '2026-06-08T15:00:00Z', customer: 'Harbour Furniture Ltd', product: 'Oak dining table' },
    { id: 'JB-74', sku: 'SHF-PINE', due: '2026-06-09T15:00:00Z', customer: 'Kitchens Direct', product: 'Pine shelf' },
  ],
  crews: [{ id: 'day', shift: '06:00-14:00' }],
};

function g(task: string, earlier: string[] = []): Grounding {
  let links = linkText(task, catalog);
  for (const e of earlier) if (!links.orders.length) links = { ...links, orders: linkText(e, catalog).orders };
  return { links, times: parseTimes(task, new Date(NOW), 'UTC'), catalog, task, now: NOW, timezone: 'UTC', earlier };
}
const named = (text: string) => ordersNamed(text, catalog).map((l) => l.id).sort();

describe('orders named by customer or product', () => {
  it('finds a customer by its distinctive words, not by a word customers share or a legal suffix', () => {
    expect(named('where are we on the harbour furniture order')).toEqual(['JB-71', 'JB-73']);
    expect(named('is fjord on track?')).toEqual(['JB-72']); // its only distinctive word ("kitchens" is shared)
    expect(named('anything late for kitchens?')).toEqual([]);
    expect(named('ltd orders')).toEqual([]);
    expect(named('what is the saw drawing')).toEqual([]);
  });

  it('reads a product word beside an order word, or to narrow down one customer’s orders', () => {
    expect(named('how are the walnut cabinets doing on that order')).toEqual(['JB-72']);
    expect(named('the oak tables')).toEqual([]); // no word for an order: a product word alone is not enough
    expect(named('how many pine shelves left on the kitchens direct order')).toEqual(['JB-74']);
  });

  it('links the orders a customer or product names after those named by id, and reads no asset in a customer’s words', () => {
    const plant: TwinContext['catalog'] = {
      assets: [
        { id: 'site', name: 'site', type: 'site', properties: [] },
        { id: 'mm-1', name: 'Main meter', type: 'power_meter', parent: 'site', properties: ['power_kw'] },
        { id: 'pr-4', name: 'Press 4', type: 'press', parent: 'site', properties: ['oil_temp'] },
      ],
      orders: [
        { id: 'SO-1', sku: 'SKU-LID', due: '2026-06-03T15:00:00Z', customer: 'Northern Meter Co.', product: 'Meter lid' },
        { id: 'SO-2', sku: 'SKU-CUP', due: '2026-06-04T15:00:00Z', customer: 'Coastal Dairy', product: 'Yoghurt cup' },
        { id: 'SO-3', sku: 'SKU-LID', due: '2026-06-06T15:00:00Z', customer: 'Northern Meter Co.', product: 'Meter lid' },
      ],
      crews: [],
    };
    const ids = (t: string) => linkText(t, plant).orders.map((l) => l.id);
    expect(ids('where are we on the coastal dairy order')).toEqual(['SO-2']);
    expect(ids('how many lids left on the northern meter order')).toEqual(['SO-1', 'SO-3']);
    // By id first, then by customer.
    expect(ids('SO-3 and the coastal dairy order')).toEqual(['SO-3', 'SO-2']);
    // "meter" is the customer's word here: no asset, no measurement.
    expect(linkText('how many lids left on the northern meter order', plant).assets).toEqual([]);
    expect(linkText('is the northern meter order late if press 4 is down', plant).assets.map((a) => a.id)).toEqual(['pr-4']);
    // Without the customer, the meter is the meter.
    expect(linkText('what is the main meter reading', plant).assets.map((a) => a.id)).toEqual(['mm-1']);
  });

  it('moves the order the thread is about when told to push its ship date, due date or delivery back', () => {
    const earlier = ['where are we on the fjord kitchens order'];
    for (const t of ['ok push the ship date back 2 days', 'push the due date out by 2 days', 'please delay the delivery date 2 days', 'push it back 2 days']) {
      const [r] = explicitRequests(t, g(t, earlier));
      expect(r, t).toMatchObject({ type: 'reschedule_order', args: { order: 'JB-72', due: '2026-06-07T15:00:00.000Z' } });
    }
    // Named in the instruction itself by its customer.
    expect(explicitRequests('push the fjord order back a day', g('push the fjord order back a day'))[0]).toMatchObject({ args: { order: 'JB-72', due: '2026-06-06T15:00:00.000Z' } });
    // A thread about two orders of one customer leaves "the ship date" ambiguous: nothing is proposed.
    expect(explicitRequests('push the ship date back 2 days', g('push the ship date back 2 days', ['status of the harbour furniture orders']))).toEqual([]);
    // With no order in the thread, a date is not an order.
    expect(explicitRequests('push the ship date back 2 days', g('push the ship date back 2 days'))).toEqual([]);
  });

  it('picks the named orders out of a listing of every order, with the units left, the one under way first', () => {
    const rows = [
      { id: 'JB-71', customer: 'Harbour Furniture Ltd', sku: 'TBL-OAK', quantity: 40, completed: 0, remaining: 40, due_local: 'Wed 3 Jun 15:00', late: false, margin_hours: 20.4 },
      { id: 'JB-72', customer: 'Fjord Kitchens', sku: 'CAB-WAL', quantity: 120, completed: 0, remaining: 120, due_local: 'Fri 5 Jun 15:00', late: false, margin_hours: 50 },
      { id: 'JB-73', customer: 'Harbour Furniture Ltd', sku: 'TBL-OAK', quantity: 60, completed: 15, remaining: 45, due_local: 'Mon 8 Jun 15:00', late: true, margin_hours: -3.25 },
    ];
    const view: CallView = {
      system: '',
      task: 'how many tables left to make for harbour furniture',
      earlier: [],
      context: { twin: 't', now: NOW, timezone: 'UTC', expert: 'production', mode: 'primary', catalog },
      rounds: 1,
      calls: [{ id: 'a', name: 'orders', args: {}, round: 0, result: { ok: true, summary: 'JB-71: 40× TBL-OAK; JB-72: 120× CAB-WAL; JB-73: 60× TBL-OAK (15 done, 45 left)', evidence: ['ev1'], result: rows } }],
    };
    const lines = composeDraft(view, () => false, { singlesOut: false }).answer.split('\n');
    expect(lines[0]).toBe('JB-73 for Harbour Furniture Ltd: 45 of 60× TBL-OAK left to make (15 done), due Mon 8 Jun 15:00, projected late by 3.3 h [ev1]');
    expect(lines[1]).toMatch(/^JB-71 for Harbour Furniture Ltd: 40 of 40× TBL-OAK left to make, due Wed 3 Jun 15:00, projected on time with 20 h margin/);
    expect(lines[2]).not.toMatch(/^JB-72/);
    // Each named order fetched on its own, beside a simulation's outcomes (its own quantities): nothing is picked out.
    const alone: CallView = {
      ...view,
      calls: [
        { id: 'b', name: 'orders', args: { order: 'JB-71' }, round: 0, result: { ok: true, summary: 'JB-71 for Harbour Furniture Ltd: 40× TBL-OAK', evidence: ['ev2'], result: [rows[0]] } },
        { id: 'c', name: 'orders', args: { order: 'JB-73' }, round: 0, result: { ok: true, summary: 'JB-73 for Harbour Furniture Ltd: 60× TBL-OAK (15 done, 45 left)', evidence: ['ev3'], result: [rows[2]] } },
        { id: 'd', name: 'simulate_schedule', args: {}, round: 0, result: { ok: true, summary: 'current plan', evidence: ['ev4'], result: { baseline: rows.map((r) => ({ id: r.id, sku: r.sku, quantity: r.remaining, completed: r.remaining, due: 1, late: false, latenessHours: -5 })) } } },
      ],
    };
    expect(composeDraft(alone, () => false, { singlesOut: false }).answer).not.toMatch(/left to make/);
    // Named by id, the order was asked for by id: no picking out.
    expect(composeDraft({ ...view, task: 'how many left on JB-73' }, () => false, { singlesOut: false }).answer.split('\n')[0]).toMatch(/^JB-71: 40×/);
  });

  it('keeps an order’s customer and product on the wire', () => {
    const wire = encodeCatalog(catalog);
    expect(wire.orders['JB-72']).toEqual({ sku: 'CAB-WAL', due: '2026-06-05T15:00:00Z', customer: 'Fjord Kitchens', product: 'Walnut wall cabinet' });
    expect(decodeCatalog(wire)).toEqual(catalog);
  });
});

describe('a brand names its customer on its own', () => {
  const dairy: TwinContext['catalog'] = {
    assets: [],
    orders: [
      { id: 'SO-1', sku: 'CURD-400', due: '2026-06-03T12:00:00Z', customer: 'FreshKart Retail Pvt Ltd', product: 'Set curd cups' },
      { id: 'SO-2', sku: 'CURD-400', due: '2026-06-05T12:00:00Z', customer: 'Namma Mart', product: 'Set curd cups' },
      { id: 'SO-3', sku: 'MILK-500', due: '2026-06-04T12:00:00Z', customer: 'Chamundi Milk Producers Union', product: 'Toned milk pouches' },
    ],
    crews: [],
  };
  it('"the freshkart curd order" is FreshKart\'s, not every curd order; "chamundi" alone names its customer', () => {
    expect(ordersNamed('status of freshkart curd order?', dairy).map((l) => l.id)).toEqual(['SO-1']);
    expect(ordersNamed("where are chamundi's pouches?", dairy).map((l) => l.id)).toEqual(['SO-3']);
    expect(ordersNamed('any fresh milk orders due?', dairy).map((l) => l.id)).not.toContain('SO-1');
  });
});
