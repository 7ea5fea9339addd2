/**
 * Figures derived from a run: the `--json` document of evals.md, per-expert pass rates, the routing confusion matrix,
 * costs and the worst cases. pass_rate is pass^1 (the share of all case trials that passed); pass_k is the share of
 * cases that passed in every one of the k trials; `passed` counts those cases.
 */
import { ZERO_USAGE, addUsage } from './run-suite';
import type { CaseResult, RunResult, Usage } from './types';

export interface JsonSummary {
  summary: { cases: number; passed: number; pass_rate: number; pass_k: number; k: number; trials: number; trials_passed: number; ms: number; provider: string; mode: string };
  suites: { suite: string; cases: number; passed: number; pass_rate: number; error?: string }[];
  cases: { suite: string; id: string; passed: boolean; failures: string[]; route: string | null; usage: Usage; expected_route: string | null; trials_passed: number }[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function allCases(run: RunResult): CaseResult[] {
  return run.suites.flatMap((s) => s.cases);
}

/** Mean usage per trial of a case. */
export function caseUsage(c: CaseResult): Usage {
  const total = c.trials.reduce((u, t) => addUsage(u, t.usage), ZERO_USAGE);
  const n = Math.max(1, c.trials.length);
  return {
    llm_calls: round(total.llm_calls / n, 2),
    prompt_tokens: Math.round(total.prompt_tokens / n),
    completion_tokens: Math.round(total.completion_tokens / n),
    tool_calls: round(total.tool_calls / n, 2),
    ms: Math.round(total.ms / n),
  };
}

/** The failures of a case across trials; with k > 1 each is prefixed with its trial, once per distinct message. */
export function caseFailures(c: CaseResult): string[] {
  if (c.trials.length <= 1) return c.trials[0]?.failures ?? [];
  const seen = new Map<string, number[]>();
  for (const t of c.trials) for (const f of t.failures) seen.set(f, [...(seen.get(f) ?? []), t.trial + 1]);
  return [...seen].map(([f, trials]) => `trial ${trials.join(',')}: ${f}`);
}

export function summarize(run: RunResult): JsonSummary {
  const cases = allCases(run);
  const trials = cases.flatMap((c) => c.trials);
  const trialsPassed = trials.filter((t) => t.passed).length;
  const passed = cases.filter((c) => c.passed).length;
  return {
    summary: {
      cases: cases.length,
      passed,
      pass_rate: trials.length ? round(trialsPassed / trials.length) : 0,
      pass_k: cases.length ? round(passed / cases.length) : 0,
      k: run.k,
      trials: trials.length,
      trials_passed: trialsPassed,
      ms: run.ms,
      provider: run.provider,
      mode: run.mode,
    },
    suites: run.suites.map((s) => {
      const t = s.cases.flatMap((c) => c.trials);
      return {
        suite: s.suite,
        cases: s.cases.length,
        passed: s.cases.filter((c) => c.passed).length,
        pass_rate: t.length ? round(t.filter((x) => x.passed).length / t.length) : 0,
        ...(s.error ? { error: s.error } : {}),
      };
    }),
    cases: cases.map((c) => ({
      suite: c.suite,
      id: c.id,
      passed: c.passed,
      failures: caseFailures(c),
      route: c.trials[0]?.route ?? null,
      usage: caseUsage(c),
      expected_route: c.expected_route,
      trials_passed: c.trials.filter((t) => t.passed).length,
    })),
  };
}

/** Pass rate per expected expert (cases without a route expectation count under "(none)"). */
export function byExpert(run: RunResult): { expert: string; cases: number; passed: number; pass_rate: number }[] {
  const groups = new Map<string, CaseResult[]>();
  for (const c of allCases(run)) {
    const key = c.expected_route ?? '(none)';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups]
    .map(([expert, cs]) => {
      const t = cs.flatMap((c) => c.trials);
      return { expert, cases: cs.length, passed: cs.filter((c) => c.passed).length, pass_rate: t.length ? round(t.filter((x) => x.passed).length / t.length) : 0 };
    })
    .sort((a, b) => a.expert.localeCompare(b.expert));
}

/** Routing confusion matrix over every trial of cases that state a route: expected (rows) × got (columns). */
export function confusion(run: RunResult): { labels: string[]; counts: Record<string, Record<string, number>> } {
  const counts: Record<string, Record<string, number>> = {};
  const labels = new Set<string>();
  for (const c of allCases(run)) {
    if (!c.expected_route) continue;
    for (const t of c.trials) {
      const got = t.route ?? '(none)';
      labels.add(c.expected_route);
      labels.add(got);
      counts[c.expected_route] ??= {};
      counts[c.expected_route]![got] = (counts[c.expected_route]![got] ?? 0) + 1;
    }
  }
  return { labels: [...labels].sort(), counts };
}

/** Routing accuracy over trials of cases that state a route. */
export function routeAccuracy(run: RunResult): number {
  let n = 0;
  let ok = 0;
  for (const c of allCases(run)) {
    if (!c.expected_route) continue;
    for (const t of c.trials) {
      n++;
      if (t.route?.toLowerCase() === c.expected_route.toLowerCase()) ok++;
    }
  }
  return n ? round(ok / n) : 1;
}

/** Pass rate of each scorer over the trials where it applied. */
export function byScorer(run: RunResult): { scorer: string; applied: number; passed: number }[] {
  const m = new Map<string, { applied: number; passed: number }>();
  for (const t of allCases(run).flatMap((c) => c.trials)) {
    for (const s of t.scores) {
      const e = m.get(s.scorer) ?? { applied: 0, passed: 0 };
      e.applied++;
      if (s.passed) e.passed++;
      m.set(s.scorer, e);
    }
  }
  return [...m].map(([scorer, v]) => ({ scorer, ...v }));
}

/** The worst cases: fewest trials passed, then most failures. */
export function worstCases(run: RunResult, n = 10): CaseResult[] {
  return allCases(run)
    .filter((c) => !c.passed)
    .map((c) => ({ c, ok: c.trials.filter((t) => t.passed).length, f: c.trials.reduce((s, t) => s + t.failures.length, 0) }))
    .sort((a, b) => a.ok - b.ok || b.f - a.f)
    .slice(0, n)
    .map((x) => x.c);
}

export function totalUsage(run: RunResult): Usage {
  return allCases(run)
    .flatMap((c) => c.trials)
    .reduce((u, t) => addUsage(u, t.usage), ZERO_USAGE);
}
