/**
 * Workforce questions on invented crews (named unlike any shipped twin's): more overtime asked of a crew named by its
 * shift or role words is answered with a yes/no verdict first; ranking the people of a crew, or asking for their
 * names, is answered for crews only; overtime questions written as "OT" go to the workforce expert.
 */
import { describe, expect, it } from 'vitest';
import { expertCards } from '../../../agents/experts';
import { askedCrew, composeDraft } from '../../../src/llm/offline/draft';
import { peopleCheck } from '../../../src/llm/offline/intent';
import type { CallView } from '../../../src/llm/offline/read';
import { route } from '../../../src/llm/offline/route';

const crews = [
  { crew: 'k1', name: 'Kiln morning gang', shift: '05:00-13:00', overtime_hours_week: 4, overtime_limit_hours: 20 },
  { crew: 'k2', name: 'Kiln afternoon gang', shift: '13:00-21:00', overtime_hours_week: 17, overtime_limit_hours: 20 },
  { crew: 'k3', name: 'Kiln fourth gang', shift: '21:00-05:00', overtime_hours_week: 9, overtime_limit_hours: 20 },
  { crew: 'pk', name: 'Packers', shift: '08:00-16:30', overtime_hours_week: 2, overtime_limit_hours: 20 },
];

function viewOf(task: string, extra: number): CallView {
  return {
    system: '',
    task,
    earlier: [],
    rounds: 1,
    calls: [{ id: 'a', name: 'crew_figures', args: {}, round: 0, result: { ok: true, summary: 'k1, k2, k3, pk overtime', evidence: ['ev1'], result: { crews, extra_hours: extra } } }],
  };
}

describe('more overtime for a crew', () => {
  it('finds the crew a task names by its name, ordinal, shift hours or role words', () => {
    expect(askedCrew('could the afternoon gang do 2 more hours?', crews)?.crew).toBe('k2');
    expect(askedCrew('can 4th gang take another 6 h', crews)?.crew).toBe('k3');
    expect(askedCrew('can nights take 6 more hours over the next two days', crews)?.crew).toBe('k3');
    expect(askedCrew('can the packers do 3 more hrs', crews)?.crew).toBe('pk');
    // No crew stands out: no verdict for one.
    expect(askedCrew('can the kiln gangs take 3 more hours?', crews)).toBeUndefined();
  });

  it('leads with no, and the hours left, when the hours asked would pass the limit; yes when they fit', () => {
    const no = composeDraft(viewOf('can the afternoon gang take another 6 hrs of OT this week?', 6), () => false, { singlesOut: false });
    expect(no.answer.split('\n')[0]).toMatch(/^No: k2 has only 3 h of overtime left this week \(17 of its 20 h limit\); 6 h more would take it to 23 h, over the limit/);
    const yes = composeDraft(viewOf('can the packers pick up 5 more hours this week?', 5), () => false, { singlesOut: false });
    expect(yes.answer.split('\n')[0]).toMatch(/^Yes: pk can take 5 h more overtime this week within its 20 h limit \(2 h so far, 18 h left, 13 h to spare after\)/);
  });

  it('goes to the workforce expert when overtime is written as OT', () => {
    const cards = expertCards();
    expect(route('could the evening gang pick up 3 more hrs OT this week?', cards).primary).toBe('workforce');
    expect(route('which gang is nearest its OT cap?', cards).primary).toBe('workforce');
  });
});

describe('people ranked within a crew, or asked for by name', () => {
  it('answers for crews only', () => {
    expect(peopleCheck('which of the morning gang fellas calls in sick the most?').singlesOut).toBe(true);
    expect(peopleCheck('which of the kiln crew chaps is the slowest?').singlesOut).toBe(true);
    expect(peopleCheck('who on the afternoon gang racks up the most absences? need names').singlesOut).toBe(true);
    expect(peopleCheck('how much overtime did the packing shift do? give me names').singlesOut).toBe(true);
    expect(peopleCheck('which of our fitters takes the most sick days?').singlesOut).toBe(true);
  });

  it('leaves crew-level rankings and asset names alone', () => {
    expect(peopleCheck('which of the shifts has the most overtime?').singlesOut).toBe(false);
    expect(peopleCheck('which crew is closest to its overtime limit?').singlesOut).toBe(false);
    expect(peopleCheck('which of the kilns uses the most gas?').singlesOut).toBe(false);
    expect(peopleCheck('list the kilns, want names').singlesOut).toBe(false);
    expect(peopleCheck('which of the day shift hours cost the most?').singlesOut).toBe(false);
  });
});
