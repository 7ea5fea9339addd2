/**
 * The offline model's reading of tasks it has never seen: routing against invented expert cards, linking words to an
 * invented twin's catalog (typos, names, types, ids written loosely), times relative to a frozen now, intent and the
 * people check. Nothing here names the demo plant.
 */
import { describe, expect, it } from 'vitest';
import { intentOf, peopleCheck } from '../../../src/llm/offline/intent';
import { linkText } from '../../../src/llm/offline/link';
import { route } from '../../../src/llm/offline/route';
import { parseTimes, spanOf } from '../../../src/llm/offline/times';
import { editDistance, wordSimilarity } from '../../../src/llm/offline/text';
import { cards, catalog, NOW } from './fixtures';

describe('routing against expert cards', () => {
  it.each([
    ['which fillr is going to brake down first?', 'reliability'],
    ['is the capper wearing out', 'reliability'],
    ['gas usage up this week, why', 'utilities'],
    ['can we move the chiller load off peak and what does that save', 'utilities'],
    ['how much overtime this week by team', 'people'],
    ['will the lemonade order be late', 'planning'],
    ['what if filler two stops for a day, do we still make our due dates?', 'planning'],
    ['whats the electricty tarif at peak', 'utilities'],
  ])('%s → %s', (task, expected) => {
    expect(route(task, cards).primary).toBe(expected);
  });

  it('gives a reason naming the matched words, and falls back to the first card when nothing matches', () => {
    const r = route('overtime by team', cards);
    expect(r.reason).toMatch(/overtime/);
    const none = route('zzz qqq', cards);
    expect(none.primary).toBe(cards[0].name);
    expect(none.reviewers).toEqual([]);
  });

  it('picks reviewers whose review concerns the task touches, never the primary', () => {
    const r = route('the capper is wearing out, when can we repair it without missing an order?', cards);
    expect(r.primary).toBe('reliability');
    expect(r.reviewers).toContain('planning');
    expect(r.reviewers).not.toContain('reliability');
  });
});

describe('linking words to the catalog', () => {
  it('links ids written loosely and with one typo', () => {
    expect(linkText('how is filler-f2 doing', catalog).assets[0].id).toBe('filler-f2');
    expect(linkText('how is FILLER F2 doing', catalog).assets[0].id).toBe('filler-f2');
    expect(linkText('check fillerf2', catalog).assets[0].id).toBe('filler-f2');
    expect(linkText('what about boiler-99', catalog).assets[0]?.id).toBe('boiler-9');
  });

  it('does not guess between near-identical ids', () => {
    expect(linkText('what about filler-f3', catalog).assets.map((a) => a.id)).toEqual([]);
  });

  it('links names, types (by head noun, plural, typo) and properties', () => {
    expect(linkText('is the capping turret ok', catalog).assets[0].id).toBe('capper-c7');
    expect(linkText('are the fillers ok', catalog).types[0].type).toBe('bottle_filler');
    expect(linkText('are the filers ok', catalog).types[0].type).toBe('bottle_filler');
    expect(linkText('steam pressure on the boiler', catalog).properties[0].name).toBe('steam_pressure_bar');
    expect(linkText('motor current trend', catalog).properties[0].name).toBe('motor_current_a');
  });

  it('links orders and crews by id, loosely, and by a number unique to one id', () => {
    const l = linkText('will bo 501 ship if team red fixes it', catalog);
    expect(l.orders[0].id).toBe('BO-501');
    expect(l.crews[0].id).toBe('team-red');
    expect(linkText('what about 502?', catalog).orders[0].id).toBe('BO-502');
  });

  it('reads quantities with units but not digits inside ids', () => {
    const n = linkText('a 6 hour job on filler-f2 for BO-501, two days max, 15% more', catalog).numbers;
    expect(n).toEqual(expect.arrayContaining([{ value: 6, unit: 'hour' }, { value: 2, unit: 'days' }, { value: 15, unit: '%' }]));
    expect(n.some((x) => x.value === 501 || x.value === 2 && x.unit === '')).toBe(false);
  });
});

describe('times relative to the frozen now (Wednesday 2026-05-13 09:30Z, Europe/Madrid = UTC+2)', () => {
  const now = new Date(NOW);
  const one = (text: string) => parseTimes(text, now, 'Europe/Madrid')[0];

  it('tomorrow night is 22:00–06:00 local', () => {
    expect(one('can we do it tomorrow night?')).toMatchObject({ start: '2026-05-14T20:00:00.000Z', end: '2026-05-15T04:00:00.000Z', kind: 'window' });
  });
  it('this week runs Monday to Monday local', () => {
    expect(one('why is gas up this week')).toMatchObject({ start: '2026-05-10T22:00:00.000Z', end: '2026-05-17T22:00:00.000Z' });
  });
  it('the past 2 days reach back from now; the next 48 hours reach forward', () => {
    expect(one('over the past 2 days')).toMatchObject({ start: '2026-05-11T09:30:00.000Z', end: NOW.replace('Z', '.000Z') });
    expect(one('in the next 48 hours')).toMatchObject({ start: NOW.replace('Z', '.000Z'), end: '2026-05-15T09:30:00.000Z' });
  });
  it('friday morning, a weekday, a deadline', () => {
    expect(one('friday morning')).toMatchObject({ start: '2026-05-15T04:00:00.000Z', end: '2026-05-15T10:00:00.000Z' });
    expect(one('on saturday')).toMatchObject({ start: '2026-05-15T22:00:00.000Z', end: '2026-05-16T22:00:00.000Z' });
    expect(one('before friday')).toMatchObject({ kind: 'deadline', end: '2026-05-14T22:00:00.000Z' });
  });
  it('no time words, no windows', () => {
    expect(parseTimes('is the capper ok', now, 'Europe/Madrid')).toEqual([]);
  });
});

describe('intent and people', () => {
  it.each([
    ['why is gas up this week?', 'explain'],
    ['gas usage up this week, why', 'explain'],
    ['which filler fails first?', 'explain'],
    ['when should we repair the boiler?', 'action'],
    ['plan a repair window for the capper', 'action'],
    ['stop filler two', 'action'],
    ['can we move the chiller load off peak?', 'action'],
  ])('%s → %s', (task, intent) => expect(intentOf(task)).toBe(intent));

  it('flags questions that single out people, not crew-level ones', () => {
    expect(peopleCheck('which operator on team-blue is the slowest?').singlesOut).toBe(true);
    expect(peopleCheck('how did Maria Lopez perform last week').singlesOut).toBe(true);
    expect(peopleCheck('how much overtime did each team do?').singlesOut).toBe(false);
    expect(peopleCheck('which team should do the repair job given fatigue?').singlesOut).toBe(false);
    // Person by person, names, states of mind, "who did the most": all single people out.
    expect(peopleCheck('is anyone on team-night stressed out?').singlesOut).toBe(true);
    expect(peopleCheck('give me the hours worked by each tech on the night shift').singlesOut).toBe(true);
    expect(peopleCheck('list the names of our operators').singlesOut).toBe(true);
    expect(peopleCheck('ok who on that team did the most?').singlesOut).toBe(true);
    // Head counts and shifts are crew-level.
    expect(peopleCheck('do we have enough people on nights for a 4h job?').singlesOut).toBe(false);
    expect(peopleCheck('move 2 people from team red to team blue for the late shift').singlesOut).toBe(false);
  });
});

describe('spans, rates and "since"', () => {
  const at = new Date(NOW);
  it('the next two days is 48 h from now, in words as in digits', () => {
    const [w] = parseTimes('what if we lose filler-f2 for the next two days?', at, 'Europe/Madrid');
    expect([w.start, w.end]).toEqual([at.toISOString(), new Date(at.getTime() + 48 * 3600e3).toISOString()]);
    expect(spanOf('a couple of hours')).toBe(2 * 3600e3);
    expect(spanOf('nothing here')).toBeNull();
  });
  it('"down for 24h" is a span from now, or from the start the sentence gives; not the instant 24 hours on', () => {
    const H = 3600e3;
    for (const text of ['what if the capper is down for 24h starting now?', 'what if the capper is down for 24 hours']) {
      const ws = parseTimes(text, at, 'Europe/Madrid');
      expect(ws.map((w) => [w.start, w.end])).toEqual([[at.toISOString(), new Date(at.getTime() + 24 * H).toISOString()]]);
    }
    const [from] = parseTimes('what if filler-f2 is down for two days from tomorrow?', at, 'Europe/Madrid');
    expect(Date.parse(from.end) - Date.parse(from.start)).toBe(48 * H);
    expect(from.start).toBe('2026-05-13T22:00:00.000Z'); // tomorrow 00:00 in Madrid
  });
  it('"offline 24hrs from now" is an outage of 24 h starting now; "the load 24 hours from now" is that hour', () => {
    const H = 3600e3;
    const [outage] = parseTimes('what if the UV unit is offline 24hrs from now, do we still make it?', at, 'Australia/Brisbane');
    expect([outage.start, outage.end]).toEqual([at.toISOString(), new Date(at.getTime() + 24 * H).toISOString()]);
    const [down] = parseTimes('what if the filler is down 2 days?', at, 'Europe/Madrid');
    expect([down.start, down.end]).toEqual([at.toISOString(), new Date(at.getTime() + 48 * H).toISOString()]);
    // A length with nothing anchoring it is an amount ("another 5 hrs of OT"), not the hour five hours on.
    expect(parseTimes('can the late crew take another 5 hrs of OT?', at, 'Europe/Madrid')).toEqual([]);
    expect(parseTimes('what will the load be in 5 hours?', at, 'Europe/Madrid')).toHaveLength(1);
    const [instant] = parseTimes('what will our load be 24 hours from now?', at, 'Australia/Brisbane');
    expect([instant.start, instant.end]).toEqual([new Date(at.getTime() + 24 * H).toISOString(), new Date(at.getTime() + 25 * H).toISOString()]);
  });
  it('a price "a month" is a rate, not a time; "since the weekend" runs to now', () => {
    expect(parseTimes('what does the leak cost us a month?', at, 'Europe/Madrid')).toEqual([]);
    const [since] = parseTimes('did gas use go up since the weekend?', at, 'Europe/Madrid');
    expect(since.end).toBe(at.toISOString());
    expect(Date.parse(since.start)).toBeLessThan(at.getTime() - 2 * 86400e3);
  });
});

describe('kinds named by a short plural', () => {
  it('"the fillers" and an acronym plural name every asset of the kind', () => {
    const cat = { ...catalog, assets: [...catalog.assets, { id: 'plc-1', name: 'Line PLC 1', type: 'plc_controller', properties: ['cpu_load'] }, { id: 'plc-2', name: 'Line PLC 2', type: 'plc_controller', properties: ['cpu_load'] }] };
    expect(linkText('cpu load on the plcs since monday?', cat).group?.ids).toEqual(['plc-1', 'plc-2']);
    expect(wordSimilarity('plcs', 'plc')).toBeGreaterThan(0.85);
  });
});

describe('fuzzy words', () => {
  it('tolerates one typo and word forms but not different short words', () => {
    expect(editDistance('serivce', 'service')).toBe(1);
    expect(wordSimilarity('compressed', 'compressor')).toBeGreaterThan(0.7);
    expect(wordSimilarity('late', 'date')).toBe(0);
    expect(wordSimilarity('kw', 'kg')).toBe(0);
  });
});
