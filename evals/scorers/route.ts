/** Route and reviewers: the manager's choice of primary expert, and the reviewers it called in. */
import type { Expect } from '../suite';
import type { Score, TurnResult } from '../types';

export function scoreRoute(expect: Expect, turn: TurnResult | undefined): Score {
  if (!expect.route) return { scorer: 'route', applies: false, passed: true, failures: [] };
  const got = turn?.answer.route.primary ?? null;
  const passed = got !== null && got.toLowerCase() === expect.route.toLowerCase();
  return { scorer: 'route', applies: true, passed, failures: passed ? [] : [`route: expected ${expect.route}, got ${got ?? 'none'}`] };
}

/** In the single-expert baseline there are no reviewers by design, so the expectation is not applied there. */
export function scoreReviewers(expect: Expect, turn: TurnResult | undefined, baseline: boolean): Score {
  const want = expect.reviewers_include ?? [];
  if (want.length === 0 || baseline) return { scorer: 'reviewers', applies: false, passed: true, failures: [] };
  const got = (turn?.answer.route.reviewers ?? []).map((r) => r.toLowerCase());
  const missing = want.filter((r) => !got.includes(r.toLowerCase()));
  return {
    scorer: 'reviewers',
    applies: true,
    passed: missing.length === 0,
    failures: missing.length ? [`reviewers: expected to include ${missing.join(', ')}, got [${got.join(', ')}]`] : [],
  };
}
