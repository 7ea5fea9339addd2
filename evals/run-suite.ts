/**
 * One trial of one suite on one fresh session: every case in order, each in its own thread, its turns in that thread,
 * then the final state the case left, scored. Cases of a suite share the suite's store, as evals.md asks; the state a
 * case is judged on is scoped to its own thread, runs and proposals, and to commands and audit written after its cursor.
 */
import type { Suite } from './suite';
import { scoreCase } from './scorers/index';
import type { CaseRun, Harness, HarnessOptions, TrialResult, TurnResult, Usage } from './types';

export interface SuiteTrial {
  suite: string;
  trial: number;
  setup_ms: number;
  cases: { id: string; result: TrialResult }[];
  error?: string;
}

export const ZERO_USAGE: Usage = { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, tool_calls: 0, ms: 0 };

export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  return {
    llm_calls: a.llm_calls + (b.llm_calls ?? 0),
    prompt_tokens: a.prompt_tokens + (b.prompt_tokens ?? 0),
    completion_tokens: a.completion_tokens + (b.completion_tokens ?? 0),
    tool_calls: a.tool_calls + (b.tool_calls ?? 0),
    ms: a.ms + (b.ms ?? 0),
  };
}

/** Thread ids are unique per suite, case, trial and mode, so no two runs ever share a conversation. */
export function threadIdFor(suite: string, caseId: string, trial: number, mode: string): string {
  // Thread ids are letters, digits and . : _ - (at most 128): suite names and case ids written by others may hold more.
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 48);
  return `eval:${clean(suite)}:${clean(caseId)}:${mode}:${trial}`;
}

const EMPTY_STATE = { proposals: [], workOrders: [], commands: [], audit: [] };

export async function runSuiteTrial(harness: Harness, suite: Suite, trial: number, opts: HarnessOptions): Promise<SuiteTrial> {
  const t0 = performance.now();
  let session;
  try {
    session = await harness.open(suite, opts);
  } catch (err) {
    const error = `setup failed: ${(err as Error).message}`;
    return {
      suite: suite.name,
      trial,
      setup_ms: performance.now() - t0,
      error,
      cases: suite.cases.map((c) => ({ id: c.id, result: failedTrial(trial, error) })),
    };
  }
  const setup_ms = performance.now() - t0;
  const cases: SuiteTrial['cases'] = [];
  try {
    for (const c of suite.cases) {
      const threadId = threadIdFor(suite.name, c.id, trial, opts.mode);
      const since = await session.cursor();
      const turns: TurnResult[] = [];
      let error: string | undefined;
      let usage = ZERO_USAGE;
      for (const spec of c.turnSpecs) {
        const started = performance.now();
        try {
          const turn = await session.ask({ task: spec.task, threadId, at: suite.now });
          turns.push(turn);
          usage = addUsage(usage, { ...turn.answer.usage, ms: turn.answer.usage.ms || performance.now() - started });
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
          break;
        }
      }
      const state = await session
        .finalState({
          threadId,
          since,
          runIds: turns.map((t) => t.answer.run_id),
          actionIds: turns.flatMap((t) => t.answer.actions.map((a) => a.id)),
        })
        .catch((err: unknown) => {
          // Without the final state nothing can be judged: the case fails, saying why.
          error ??= `cannot read the final state: ${err instanceof Error ? err.message : String(err)}`;
          return EMPTY_STATE;
        });
      const run: CaseRun = { turns, state, ...(error ? { error } : {}) };
      const scores = scoreCase(c, run, opts.mode === 'single');
      const last = turns.at(-1);
      cases.push({
        id: c.id,
        result: {
          trial,
          passed: scores.every((s) => s.passed),
          failures: scores.flatMap((s) => s.failures),
          scores,
          route: last?.answer.route.primary ?? null,
          reviewers: last?.answer.route.reviewers ?? [],
          usage,
          proposals: state.proposals.map((p) => ({ type: p.type, params: p.params, status: p.status })),
          answer: last?.answer.answer ?? '',
          evidence: (last?.answer.evidence ?? []).map((e) => `${e.id} ${e.kind} ${e.ref}: ${e.summary}`),
          ...(error ? { error } : {}),
        },
      });
    }
  } finally {
    await session.close().catch(() => undefined);
  }
  return { suite: suite.name, trial, setup_ms, cases };
}

function failedTrial(trial: number, error: string): TrialResult {
  return {
    trial,
    passed: false,
    failures: [error],
    scores: [{ scorer: 'run', applies: true, passed: false, failures: [error] }],
    route: null,
    reviewers: [],
    usage: ZERO_USAGE,
    proposals: [],
    answer: '',
    error,
  };
}
