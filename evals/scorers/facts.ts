/**
 * Facts: what the answer must state (plain text or /regex/, case-insensitive), checked in the answer text and the
 * recommendations. Facts that must be absent are checked over every turn of the case: a wrong claim made once is made.
 */
import type { Expect } from '../suite';
import type { Score, TurnResult } from '../types';
import { factMatcher } from './match';

export function answerText(turn: TurnResult): string {
  return [turn.answer.answer, ...turn.answer.recommendations.map((r) => r.text)].join('\n');
}

export function scoreFacts(expect: Expect, last: TurnResult | undefined, all: TurnResult[]): Score[] {
  const out: Score[] = [];
  if (expect.facts?.length) {
    const text = last ? answerText(last) : '';
    const missing = expect.facts.filter((f) => !factMatcher(f)(text));
    out.push({
      scorer: 'facts',
      applies: true,
      passed: missing.length === 0,
      failures: missing.map((f) => `facts: missing ${f}`),
    });
  }
  if (expect.facts_absent?.length) {
    const text = all.map(answerText).join('\n');
    const present = expect.facts_absent.filter((f) => factMatcher(f)(text));
    out.push({
      scorer: 'facts_absent',
      applies: true,
      passed: present.length === 0,
      failures: present.map((f) => `facts_absent: found ${f}`),
    });
  }
  return out;
}
