/**
 * What the graph depends on, as small injected interfaces (the store, control and tools land separately and are
 * adapted to these), and the per-run runtime that travels in LangGraph's `context`, never in checkpointed state.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Clock } from '../src/clock';
import type { Actor, Risk } from '../src/control/roles';
import type { ModelSet } from '../src/llm';
import type { EvidenceLedger, TwinContext } from '../src/llm/protocol';
import type { Action, ActionType, PlanEvent } from './answer';
import type { ExpertDef } from './experts';
import type { RunModels } from './model-call';

/** Reads the twin's catalog for the `<context>` block. */
export interface TwinReader {
  /** The twin to use when a request names none. */
  defaultTwin(): Promise<string>;
  context(twin: string, at: Date): Promise<{ timezone: string; catalog: TwinContext['catalog'] }>;
}

/** An action as the store keeps it: the answer's Action plus where it came from. */
export interface StoredAction extends Action {
  twin: string;
  thread_id: string;
  run_id: string;
}

export interface NewAction {
  twin: string;
  thread_id: string;
  run_id: string;
  type: ActionType;
  params: Record<string, unknown>;
  risk: Risk;
  proposed_by: string;
  rationale: string;
  evidence: string[];
  actor: Actor;
}

/** Action proposals and their audited status changes (src/store + src/control). */
export interface ActionStore {
  propose(action: NewAction): Promise<StoredAction>;
  get(id: string): Promise<StoredAction | null>;
  /** Record an approval or a rejection (audited). */
  decide(id: string, decision: { status: 'approved' | 'rejected'; actor: Actor; comment?: string }): Promise<StoredAction>;
  /** Append to the audit trail (e.g. a refused approval). */
  audit(entry: { actor: Actor; action: string; target: string; detail?: Record<string, unknown> }): Promise<void>;
}

/** Carries out an approved action through src/control (commands, work orders, schedule changes). */
export interface Executor {
  execute(action: StoredAction, actor: Actor): Promise<{ status: 'executed' | 'failed'; detail?: string }>;
}

/** What the tools get for one run: the frozen time, the twin, the run's ledger and who is calling. */
export interface ToolScope {
  twin: string;
  now: Date;
  ledger: EvidenceLedger;
  expert: string;
  mode: 'primary' | 'reviewer' | 'revision';
}

/** Builds the tools for one expert call, keyed by name (agents/tools). */
export type ToolFactory = (scope: ToolScope) => Record<string, StructuredToolInterface>;

export interface GraphLimits {
  /** Tool-loop step cap of a primary or revision (EXPERT_MAX_STEPS). */
  maxSteps: number;
  /** Tool-loop step cap of a reviewer (small: reviewers verify, they do not research). */
  reviewSteps: number;
  /** Consensus rounds before the dissent is reported (CONSENSUS_MAX_ROUNDS). */
  maxRounds: number;
}

export interface GraphDeps {
  experts: readonly ExpertDef[];
  tools: ToolFactory;
  actions: ActionStore;
  executor: Executor;
  limits: GraphLimits;
  /**
   * Eval baseline (`twin eval --baseline single`): the primary expert answers alone, with no reviewers and so no
   * consensus round. Never set in the product.
   */
  baseline?: 'single';
}

export interface CopilotDeps extends Omit<GraphDeps, 'experts' | 'limits'> {
  models: ModelSet;
  twin: TwinReader;
  checkpointer: BaseCheckpointSaver;
  clock: Clock;
  experts?: readonly ExpertDef[];
  limits?: Partial<GraphLimits>;
}

/** Per-run objects, passed as LangGraph `context` on every invoke (rebuilt on resume). */
export interface RunRuntime {
  emit(event: PlanEvent): void;
  models: RunModels;
  ledger: EvidenceLedger;
  twinContext: { timezone: string; catalog: TwinContext['catalog'] };
}
