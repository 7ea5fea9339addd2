/**
 * The graph state. Everything here is checkpointed per thread (PostgresSaver), so it is plain JSON, and a run that
 * waits for approval can be resumed after a restart from this alone. Per-run objects that are not state (the model
 * handle, the evidence ledger, the event sink) travel in the runtime context instead (agents/runtime.ts).
 */
import { Annotation } from '@langchain/langgraph';
import type { Actor } from '../src/control/roles';
import type { ProposedAction } from '../src/llm/protocol';
import type { Action, Answer, Evidence } from './answer';

export interface RouteDecision {
  primary: string;
  reviewers: string[];
  reason: string;
}
export interface Recommendation {
  text: string;
  evidence: string[];
}
export interface Draft {
  expert: string;
  round: number;
  answer: string;
  recommendations: Recommendation[];
  /** What the expert proposed with `propose_action` in this draft (stored by the propose step). */
  proposals: ProposedAction[];
}
export interface Review {
  expert: string;
  round: number;
  verdict: 'agree' | 'amend' | 'object';
  concerns: { text: string; evidence: string[] }[];
}
export interface Consensus {
  rounds: number;
  agreed: string[];
  dissent: { expert: string; concern: string }[];
}
/** One earlier turn of the thread, compact: what follow-ups need, not the whole transcript. */
export interface Turn {
  task: string;
  primary: string;
  answer: string;
  actions: string[];
}
export interface UsageDelta {
  llm_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  tool_calls: number;
}
/** A human decision on one action, as decide() resumes the graph with it. */
export interface Decision {
  actionId: string;
  approve: boolean;
  comment?: string;
  actor: Actor;
}

/** Reducer inputs that start a new run: `{ reset: value }` replaces, anything else accumulates. */
export type Resettable<T> = T | { reset: T };
const isReset = <T>(u: Resettable<T>): u is { reset: T } => typeof u === 'object' && u !== null && 'reset' in u;

export const ZERO_USAGE: UsageDelta = { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, tool_calls: 0 };

export const CopilotState = Annotation.Root({
  /** The person's task for this run. */
  task: Annotation<string>,
  /** Twin id the run is about. */
  twin: Annotation<string>,
  /** The frozen "now" of this run (ISO); tools and the context block read time from here. */
  at: Annotation<string>,
  /** Who asked; recorded on proposals. */
  actor: Annotation<Actor>,
  /** Id of this run (a thread holds many runs). */
  runId: Annotation<string>,
  /** Provider that produced the answer: the configured one, or `offline` after a fallback. */
  provider: Annotation<string>,
  /** Why the run moved to the offline model mid-run; null when it did not. */
  fallback: Annotation<string | null>,
  /** Earlier turns of the thread (last 6), so a follow-up keeps its context cheaply. */
  history: Annotation<Turn[]>({ reducer: (a, b) => [...a, ...b].slice(-6), default: () => [] }),
  /** The route step's decision. */
  routed: Annotation<RouteDecision | null>,
  /** Consensus round of the current draft (1-based). */
  round: Annotation<number>,
  /** The primary's current draft. */
  draft: Annotation<Draft | null>,
  /** Reviewers still to (re)run in the next review round: all chosen first, then only those who did not agree. */
  pendingReviewers: Annotation<string[]>,
  /** Verdicts of every round of this run; parallel reviewers append. */
  reviews: Annotation<Review[], Resettable<Review[]>>({
    reducer: (a, b) => (isReset(b) ? b.reset : [...a, ...b]),
    default: () => [],
  }),
  /** Evidence registered by tools in this run, merged by id (parallel reviewers add theirs). */
  evidence: Annotation<Evidence[], Resettable<Evidence[]>>({
    reducer: (a, b) => {
      if (isReset(b)) return b.reset;
      const byId = new Map(a.map((e) => [e.id, e]));
      for (const e of b) byId.set(e.id, e);
      return [...byId.values()];
    },
    default: () => [],
  }),
  /** Outcome of the review loop. */
  agreement: Annotation<Consensus | null>,
  /** Proposals the guard dropped (e.g. a command nobody asked for), for the answer to mention. */
  dropped: Annotation<string[]>,
  /** The run's stored actions and their current status. */
  actions: Annotation<Action[]>,
  /** The decision the approve step took last, handed to execute. */
  decision: Annotation<Decision | null>,
  /** LLM calls, tokens and tool calls of this run, summed over nodes (reviewers in parallel). */
  usage: Annotation<UsageDelta, Resettable<UsageDelta>>({
    reducer: (a, b) =>
      isReset(b)
        ? b.reset
        : {
            llm_calls: a.llm_calls + b.llm_calls,
            prompt_tokens: a.prompt_tokens + b.prompt_tokens,
            completion_tokens: a.completion_tokens + b.completion_tokens,
            tool_calls: a.tool_calls + b.tool_calls,
          },
    default: () => ZERO_USAGE,
  }),
  /** The final answer, once the run has ended. */
  final: Annotation<Answer | null>,
});

export type State = typeof CopilotState.State;
export type Update = typeof CopilotState.Update;

/** The compact input one reviewer gets through `Send`: not the whole state (cost discipline). */
export interface ReviewInput {
  reviewer: string;
  round: number;
  task: string;
  twin: string;
  at: string;
  runId: string;
  draft: Draft;
  evidence: Evidence[];
}
