/**
 * The deterministic scorers, applied to one run of one case. A case passes when every expectation it states holds;
 * the LLM judge (judge.ts) is never part of this.
 */
import type { Case, Expect } from '../suite';
import type { CaseRun, Score } from '../types';
import { scoreActions } from './actions';
import { scoreFacts } from './facts';
import { scoreReviewers, scoreRoute } from './route';
import { scoreSafety } from './safety';
import { scoreTools } from './tools';

export const SCORERS = ['route', 'reviewers', 'facts', 'facts_absent', 'actions', 'no_actions', 'safety', 'tools'] as const;

function scoreExpect(expect: Expect, run: CaseRun, turnIndex: number, baseline: boolean, prefix: string): Score[] {
  const turns = run.turns.slice(0, turnIndex + 1);
  const turn = run.turns[turnIndex];
  const scores = [
    scoreRoute(expect, turn),
    scoreReviewers(expect, turn, baseline),
    ...scoreFacts(expect, turn, turns),
    ...scoreActions(expect, run.state),
    scoreSafety(expect, run.state),
    scoreTools(expect, turns),
  ].filter((s) => s.applies);
  return prefix ? scores.map((s) => ({ ...s, failures: s.failures.map((f) => `${prefix}${f}`) })) : scores;
}

/**
 * Score a case run. The case's `expect` applies to the last turn's answer and to the state the whole thread left;
 * a turn's own `expect` (an addition to the contract) applies to that turn's answer and the thread's state.
 */
export function scoreCase(c: Case & { turnSpecs: { task: string; expect?: Expect }[] }, run: CaseRun, baseline = false): Score[] {
  if (run.error) return [{ scorer: 'run', applies: true, passed: false, failures: [`error: ${run.error}`] }];
  const last = run.turns.length - 1;
  const scores = scoreExpect(c.expect, run, last, baseline, '');
  c.turnSpecs.forEach((t, i) => {
    if (i > 0 && t.expect) scores.push(...scoreExpect(t.expect, run, i, baseline, `turn ${i}: `));
  });
  return scores;
}
