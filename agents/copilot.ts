/**
 * The copilot as every surface uses it (HTTP, Slack, CLI, evals): `ask` runs a plan and returns the Answer while the
 * thread waits at the approval interrupt; `decide` records a human decision and resumes the paused thread (after a
 * restart too: the thread lives in the checkpointer). Free of hono and of any transport.
 */
import { randomUUID } from 'node:crypto';
import { Command } from '@langchain/langgraph';
import { AppError, validationError } from '../src/errors';
import { canApprove, type Actor } from '../src/control/roles';
import { createLedger } from '../src/llm/protocol';
import type { Action, Answer, PlanEvent } from './answer';
import { EXPERTS } from './experts';
import { createGraph } from './graph';
import { RunModels } from './model-call';
import type { ApprovalRequest } from './nodes/approve';
import { composeAnswer } from './nodes/answer';
import type { CopilotDeps, GraphLimits, RunRuntime, StoredAction } from './runtime';
import { ZERO_USAGE, type Decision, type State, type Update } from './state';

export interface AskInput {
  task: string;
  threadId?: string;
  /** Freeze "now" (ISO). */
  at?: string;
  twin?: string;
  actor?: Actor;
}
export interface AskOptions {
  onEvent?: (e: PlanEvent) => void;
  signal?: AbortSignal;
}
export interface DecideInput {
  actionId: string;
  approve: boolean;
  comment?: string;
  actor: Actor;
}

const DEFAULT_LIMITS: GraphLimits = { maxSteps: 8, reviewSteps: 3, maxRounds: 2 };
/**
 * Threads are checkpointed when a run stops: at the approval interrupt (so a paused approval survives a restart) and
 * at the end (so a follow-up keeps its context), not after every step. A plan is seconds long and is asked again if
 * the process dies mid-run; a checkpoint per step cost a write of the whole state about eight times a plan.
 */
const DURABILITY = 'exit' as const;

const ANONYMOUS: Actor = { id: 'anonymous', role: 'viewer', via: 'api' };

function publicAction(a: StoredAction): Action {
  const { id, type, params, risk, status, proposed_by, rationale } = a;
  return { id, type, params, risk, status, proposed_by, rationale };
}

export function createCopilot(deps: CopilotDeps) {
  const experts = deps.experts ?? EXPERTS;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const graph = createGraph({ experts, tools: deps.tools, actions: deps.actions, executor: deps.executor, limits, baseline: deps.baseline }, deps.checkpointer);

  async function runtimeFor(twin: string, at: Date, resumed: Partial<State> | undefined, onEvent?: (e: PlanEvent) => void): Promise<RunRuntime> {
    const twinContext = await deps.twin.context(twin, at);
    const emit = (e: PlanEvent) => {
      try {
        onEvent?.(e);
      } catch {
        /* a failing listener (a closed SSE stream) must not break the run */
      }
    };
    return { emit, twinContext, ledger: createLedger(resumed?.evidence ?? []), models: new RunModels(deps.models, resumed) };
  }

  async function stateOf(threadId: string): Promise<{ values: State; waiting: ApprovalRequest | null }> {
    const snap = await graph.getState({ configurable: { thread_id: threadId } });
    const request = snap.tasks.flatMap((t) => t.interrupts ?? []).map((i) => i.value as ApprovalRequest)[0] ?? null;
    return { values: snap.values as State, waiting: request };
  }

  function validate(input: AskInput): Date | null {
    const problems: { path: string; message: string }[] = [];
    if (typeof input.task !== 'string' || !input.task.trim()) problems.push({ path: 'task', message: 'a task is required' });
    else if (input.task.length > 8000) problems.push({ path: 'task', message: 'a task is at most 8000 characters' });
    const at = input.at ? new Date(input.at) : null;
    if (at && Number.isNaN(at.getTime())) problems.push({ path: 'at', message: `not an ISO time: ${input.at}` });
    if (input.threadId !== undefined && !/^[\w.:-]{1,128}$/.test(input.threadId)) problems.push({ path: 'thread_id', message: 'letters, digits, . : _ - only, at most 128' });
    if (problems.length) throw validationError('invalid plan request', problems);
    return at;
  }

  async function ask(input: AskInput, opts: AskOptions = {}): Promise<Answer> {
    const t0 = performance.now();
    const at = validate(input) ?? deps.clock.now();
    const threadId = input.threadId ?? `th_${randomUUID()}`;
    const twin = input.twin ?? (await deps.twin.defaultTwin());
    const run = await runtimeFor(twin, at, undefined, opts.onEvent);
    const start: Update = {
      task: input.task.trim(),
      twin,
      at: at.toISOString(),
      actor: input.actor ?? ANONYMOUS,
      runId: `run_${randomUUID()}`,
      provider: run.models.provider,
      fallback: null,
      routed: null,
      round: 1,
      draft: null,
      pendingReviewers: [],
      reviews: { reset: [] },
      evidence: { reset: [] },
      agreement: null,
      dropped: [],
      actions: [],
      decision: null,
      usage: { reset: ZERO_USAGE },
      final: null,
    };
    const config = { configurable: { thread_id: threadId }, context: run as never, signal: opts.signal, recursionLimit: 100, durability: DURABILITY };
    await graph.invoke(start, config);
    const { values } = await stateOf(threadId);
    const answer = composeAnswer(values, { threadId, ms: Math.round(performance.now() - t0) });
    run.emit({ type: 'answer', answer });
    return answer;
  }

  /** Decide on one action; resumes its thread when the thread waits on it, else decides it directly. */
  async function decide(arg: DecideInput | string, more?: Omit<DecideInput, 'actionId'>): Promise<Action> {
    const d: DecideInput = typeof arg === 'string' ? { actionId: arg, ...more! } : arg;
    const action = await deps.actions.get(d.actionId);
    if (!action) throw new AppError('not_found', `no action ${d.actionId}`);
    if (action.status !== 'pending_approval') throw new AppError('conflict', `action ${d.actionId} is already ${action.status}`);
    if (!canApprove(d.actor.role, action.risk)) {
      await deps.actions.audit({ actor: d.actor, action: 'approval_refused', target: action.id, detail: { risk: action.risk, role: d.actor.role } });
      throw new AppError('forbidden', `a ${d.actor.role} cannot approve a ${action.risk}-risk action`, { needed: action.risk === 'low' ? 'operator' : 'manager' });
    }
    const decision: Decision = { actionId: d.actionId, approve: d.approve, comment: d.comment, actor: d.actor };
    const { values, waiting } = action.thread_id ? await stateOf(action.thread_id) : { values: undefined, waiting: null };
    if (values && waiting?.run_id === action.run_id && waiting.pending.some((p) => p.id === action.id)) {
      const run = await runtimeFor(values.twin, new Date(values.at), values);
      await graph.invoke(new Command({ resume: decision }), { configurable: { thread_id: action.thread_id }, context: run as never, recursionLimit: 100, durability: DURABILITY });
    } else {
      // The thread moved on to a newer run (or the action came from elsewhere): decide it without the graph.
      await deps.actions.decide(action.id, { status: d.approve ? 'approved' : 'rejected', actor: d.actor, comment: d.comment });
      if (d.approve) await deps.executor.execute({ ...action, status: 'approved' }, d.actor);
    }
    return publicAction((await deps.actions.get(action.id))!);
  }

  /** The latest answer of a thread: final when the run ended, else as it stands (waiting for approval). */
  async function answerOf(threadId: string): Promise<Answer | null> {
    const { values } = await stateOf(threadId);
    if (!values?.runId) return null;
    return values.final ?? composeAnswer(values, { threadId, ms: 0 });
  }

  return {
    ask,
    /** The HTTP API's name for ask (src/http/deps.ts CopilotApi). */
    plan: (input: { task: string; thread_id?: string; at?: string; actor: Actor; twin?: string }, opts?: AskOptions) =>
      ask({ task: input.task, threadId: input.thread_id, at: input.at, actor: input.actor, twin: input.twin }, opts),
    decide,
    answer: answerOf,
    provider: () => deps.models.primary.provider,
    graph,
  };
}

export type Copilot = ReturnType<typeof createCopilot>;
