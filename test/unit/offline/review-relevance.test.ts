/**
 * A reviewer objects only to what a draft depends on: a check's concern about some other machine (a plant-wide
 * remaining-life ranking held against an order's new window) is not a concern about moving that order.
 */
import { describe, expect, it } from 'vitest';
import type { DraftBrief, TwinContext } from '../../../src/llm/protocol';
import type { CallView } from '../../../src/llm/offline/read';
import { verdictOf } from '../../../src/llm/offline/review';

const catalog: TwinContext['catalog'] = {
  assets: [
    { id: 'site', name: 'site', type: 'site', properties: [] },
    { id: 'hall-a', name: 'Hall A', type: 'area', parent: 'site', properties: [] },
    { id: 'kiln-1', name: 'Kiln 1', type: 'kiln', parent: 'hall-a', properties: ['shell_temp'] },
    { id: 'kiln-2', name: 'Kiln 2', type: 'kiln', parent: 'hall-a', properties: ['shell_temp'] },
    { id: 'fan-2', name: 'Kiln 2 fan', type: 'fan', parent: 'kiln-2', properties: ['vibration'] },
  ],
  orders: [{ id: 'JB-9', sku: 'TILE', due: '2026-06-03T15:00:00Z' }],
  crews: [{ id: 'crew-b', shift: '14:00-22:00' }],
};
const WINDOW = { start: '2026-06-04T15:00:00Z', end: '2026-06-05T15:00:00Z' };

function view(actions: DraftBrief['actions'], concerns: string[]): CallView {
  return {
    system: '',
    task: 'push it back a day',
    earlier: [],
    context: { twin: 't', now: '2026-06-01T12:00:00Z', timezone: 'UTC', expert: 'maintenance', mode: 'reviewer', catalog },
    rounds: 1,
    draft: { task: 'push it back a day', primary: 'production', answer: '', actions, evidence: [] },
    calls: [{ id: 'a', name: 'remaining_life', args: { window: WINDOW }, round: 0, result: { ok: true, summary: 'ranked', evidence: ['ev9'], result: [], concerns } }],
  };
}

const reschedule = [{ type: 'reschedule_order', params: { order: 'JB-9', window: WINDOW, due: WINDOW.end }, rationale: 'requested' }];
const job = (asset: string) => [{ type: 'create_work_order', params: { asset, window: WINDOW }, rationale: 'requested' }];
const late = 'the window ends Fri 5 Jun 15:00, after kiln-1 is predicted to reach its alarm (Thu 4 Jun 02:00)';

describe('reviewer concerns bear on the draft', () => {
  it('drops a concern about a machine the moved order does not name', () => {
    expect(verdictOf(view(reschedule, [late]))).toMatchObject({ verdict: 'agree', concerns: [] });
  });

  it('keeps it for a job on that machine, on what is under it, or on what it stands in', () => {
    expect(verdictOf(view(job('kiln-1'), [late]))).toMatchObject({ verdict: 'object', concerns: [{ text: late, evidence: ['ev9'] }] });
    expect(verdictOf(view(job('hall-a'), [late])).verdict).toBe('object');
    expect(verdictOf(view(job('fan-2'), ['the window ends Fri 5 Jun 15:00, after kiln-2 is predicted to reach its alarm'])).verdict).toBe('object');
  });

  it('does not reach a machine beside the one the job is on', () => {
    expect(verdictOf(view(job('kiln-2'), [late])).verdict).toBe('agree');
  });

  it('keeps concerns that name no machine, and amends a draft with nothing proposed', () => {
    expect(verdictOf(view(reschedule, ['crew-b is over its overtime limit (26 h)'])).verdict).toBe('object');
    expect(verdictOf(view([], [late])).verdict).toBe('amend');
  });
});
