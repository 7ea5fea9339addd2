/** Tools: the tool names a case must have called (over all its turns). */
import type { Expect } from '../suite';
import type { Score, TurnResult } from '../types';

export function scoreTools(expect: Expect, turns: TurnResult[]): Score {
  const want = expect.tools_include ?? [];
  if (want.length === 0) return { scorer: 'tools', applies: false, passed: true, failures: [] };
  const called = new Set(turns.flatMap((t) => t.tools.map((n) => n.toLowerCase())));
  const missing = want.filter((n) => !called.has(n.toLowerCase()));
  return {
    scorer: 'tools',
    applies: true,
    passed: missing.length === 0,
    failures: missing.length ? [`tools: expected ${missing.join(', ')} to be called, got [${[...called].join(', ')}]`] : [],
  };
}
