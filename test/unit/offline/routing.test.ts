/**
 * Routing the way the graph asks for it: the route call carries the `<experts>` cards, the `<context>` catalog and the
 * thread so far, and the offline model answers it. Tasks are invented, short and vague the way managers write them
 * (typos, bare ids, relative times), over the invented bottling twin of fixtures.ts, with the project's own expert
 * cards and with the invented cards, so that nothing here leans on the demo plant or on the experts' names.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expertCards } from '../../../agents/experts';
import { createOfflineModel } from '../../../src/llm/offline';
import { earlierTurns, joinPhrases, kindWords } from '../../../src/llm/offline/route';
import { block, STRUCTURED, type ExpertCard } from '../../../src/llm/protocol';
import { cards as inventedCards, context } from './fixtures';

const model = createOfflineModel();

/** A route call as agents/nodes/route.ts builds it (the prose is free; the blocks and the thread are what count). */
async function routeOf(task: string, cards: ExpertCard[], history: { task: string; primary: string }[] = []) {
  const names = cards.map((c) => c.name) as [string, ...string[]];
  const schema = z.object({ primary: z.enum(names), reviewers: z.array(z.enum(names)), reason: z.string() });
  const thread = history.length ? history.map((t, i) => `${i + 1}. Task: ${t.task}\n   ${t.primary} answered: (an answer)`).join('\n') : '(none)';
  const system = `Pick the expert.\n${block('experts', cards)}\n${block('context', context('manager'))}\nEarlier in this conversation:\n${thread}`;
  const r = await model.withStructuredOutput(schema, { name: STRUCTURED.route }).invoke([new SystemMessage(system), new HumanMessage(task)]);
  return schema.parse(r);
}

describe('routing with the project cards over an unseen twin', () => {
  const cards = expertCards();
  it.each([
    // An order id alone, or its digits, is a question about the order.
    ['BO-501 gonna make it?', 'production'],
    ['status of 502', 'production'],
    ['how many bottles left to fill for BO-502?', 'production'],
    ['what if filler two is out till friday, does BO-501 slip?', 'production'],
    ['are we behind on the cola run?', 'production'],
    // A machine with a condition word is a health question.
    ['whats up with the capper', 'maintenance'],
    ['capper-c7 making a weird noise, how long have we got?', 'maintenance'],
    ['is the glycol chiller running hot?', 'maintenance'],
    ['boiler pressure keeps dropping, leak somewhere?', 'maintenance'],
    ['wich machine is gona brake down first', 'maintenance'],
    ['any WO-31 progress?', 'maintenance'],
    // "making noise" is a symptom, not production's "make".
    ['filler-f2 making a weird noise, how many days before it goes into alarm?', 'maintenance'],
    // Prices, bills and kWh are energy, even with a machine named.
    ["when's power cheapest tomorrow?", 'energy'],
    ['why did the gas bill spike', 'energy'],
    ['electricty price at peak?', 'energy'],
    ['how much does the chiller cost us per month to run?', 'energy'],
    // People, crews and shifts.
    ["who's on right now?", 'workforce'],
    ['how much overtime did team-red do?', 'workforce'],
    ['enough people for a saturday shift?', 'workforce'],
    ['overtim by crew this week', 'workforce'],
  ])('%s → %s', async (task, expected) => {
    expect((await routeOf(task, cards)).primary).toBe(expected);
  });

  it('lets a follow-up with no topic of its own continue with the thread, and a new topic move it', async () => {
    const thread = [{ task: 'whats wrong with filler-f1?', primary: 'maintenance' }];
    expect((await routeOf('ok go ahead and book it', cards, thread)).primary).toBe('maintenance');
    expect((await routeOf('and when could we fix it without hurting BO-501?', cards, thread)).primary).toBe('maintenance');
    expect((await routeOf('different question: how much overtime is team-blue on?', cards, thread)).primary).toBe('workforce');
    const energyThread = [{ task: 'why is the chiller using more power lately?', primary: 'energy' }];
    expect((await routeOf("what's that costing us per month?", cards, energyThread)).primary).toBe('energy');
  });
});

describe('routing with invented cards', () => {
  it.each([
    ['BO-502 on track?', 'planning'],
    ['is capper-c7 ok?', 'reliability'],
    ['team-night hours this week?', 'people'],
    ['cheapest hour to run the boiler?', 'utilities'],
  ])('%s → %s', async (task, expected) => {
    expect((await routeOf(task, inventedCards)).primary).toBe(expected);
  });
});

describe('route helpers', () => {
  it('keeps multi-word cues whole', () => {
    expect(joinPhrases('What if the capper stops?')).toMatch(/whatif/);
    expect(joinPhrases('any open work orders')).toMatch(/workorder/);
    expect(joinPhrases('is it on track')).toMatch(/ontrack/);
  });

  it('reads the kinds of the linked things from the catalog', () => {
    const { catalog } = context('manager');
    expect(kindWords('BO-501?', catalog)).toContain('order');
    expect(kindWords('team-blue hours', catalog)).toContain('crew');
    expect(kindWords('capper-c7', catalog)).toContain('machine');
    expect(kindWords('nothing here', catalog)).toEqual([]);
  });

  it('reads the earlier turns and who answered them', () => {
    const system = 'x\nEarlier in this conversation:\n1. Task: first\n   planning answered: text\n2. Task: second\n   nobody answered: y';
    expect(earlierTurns(system, ['planning'])).toEqual([{ task: 'first', primary: 'planning' }, { task: 'second' }]);
    expect(earlierTurns('no thread', ['planning'])).toEqual([]);
  });
});
