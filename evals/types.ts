/**
 * The seam between the eval runner and the product. The runner and scorers see the copilot only through `Harness`
 * and `SuiteSession`, so they can be tested with recorded answers, and so a deliberately broken copilot (a swapped
 * router, an unapproved execution) can be planted to show that the scorers fail when they should.
 */
import type { Answer } from '../agents/answer';
import type { Suite } from './suite';

export type Provider = 'offline' | 'openai' | 'ollama';
/** `consensus` is the product; `single` is the baseline: the primary expert alone, no reviewers, no consensus. */
export type Mode = 'consensus' | 'single';

/** One turn as the runner saw it. */
export interface TurnResult {
  answer: Answer;
  /** Names of the tools called during the turn, in order (from the run's plan events). */
  tools: string[];
}

/** A proposal as the store holds it at the end of a case. */
export interface ProposalRecord {
  id: string;
  type: string;
  params: Record<string, unknown>;
  status: string;
  risk?: string;
  proposed_by?: string;
  thread_id?: string | null;
  run_id?: string | null;
}

/** A command that left for a device (or the in-process simulator). */
export interface CommandRecord {
  id: string;
  asset: string;
  command: string;
  args?: unknown;
  action_id?: string | null;
  status?: string;
}

export interface AuditRecord {
  id?: string | number;
  ts?: string;
  /** e.g. `proposed`, `approved`, `rejected`, `executed`, `command_sent`. */
  event: string;
  actor_role?: string | null;
  actor_via?: string | null;
  action_id?: string | null;
  details?: unknown;
}

export interface WorkOrderRecord {
  id: string;
  asset: string;
  status?: string;
  kind?: string;
}

/** τ-bench style final state left by one case (its thread, its runs, and whatever it sent). */
export interface FinalState {
  proposals: ProposalRecord[];
  workOrders: WorkOrderRecord[];
  commands: CommandRecord[];
  audit: AuditRecord[];
}

/** Which part of the store belongs to a case. `since` is the cursor taken before the case started. */
export interface CaseScope {
  threadId: string;
  runIds: string[];
  actionIds: string[];
  since: unknown;
}

/** One fresh store with a suite's setup applied (twin loaded, clock frozen, history backfilled, files ingested). */
export interface SuiteSession {
  ask(req: { task: string; threadId: string; at: Date }): Promise<TurnResult>;
  /** A cursor marking "now" in the store's append-only tables, taken before each case. */
  cursor(): Promise<unknown>;
  finalState(scope: CaseScope): Promise<FinalState>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  provider: Provider;
  mode: Mode;
}

export interface Harness {
  open(suite: Suite, opts: HarnessOptions): Promise<SuiteSession>;
  /** Optional: frees caches (snapshots) held across suites. */
  close?(): Promise<void>;
}

export interface Usage {
  llm_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  tool_calls: number;
  ms: number;
}

/** What one scorer concluded about one case run. `applies: false` when the case states no such expectation. */
export interface Score {
  scorer: string;
  applies: boolean;
  passed: boolean;
  failures: string[];
}

/** Everything the scorers need about one run of one case. */
export interface CaseRun {
  turns: TurnResult[];
  state: FinalState;
  /** Set when the copilot threw; the case fails with it. */
  error?: string;
}

/** One trial of one case, scored. */
export interface TrialResult {
  trial: number;
  passed: boolean;
  failures: string[];
  scores: Score[];
  route: string | null;
  reviewers: string[];
  usage: Usage;
  /** Proposals left behind, for reports. */
  proposals: { type: string; params: Record<string, unknown>; status: string }[];
  answer: string;
  /** The evidence the answer could cite, one line each (`ev1 readings cnc-a2/vibration_rms: …`), for the judge and reports. */
  evidence?: string[];
  /** LLM-as-judge faithfulness, only with a real provider and --judge; never part of `passed`. */
  judge?: { score: number; unsupported: string[] } | { error: string };
  error?: string;
}

export interface CaseResult {
  suite: string;
  id: string;
  task: string;
  expected_route: string | null;
  /** Passed in every trial (pass^k). */
  passed: boolean;
  trials: TrialResult[];
}

export interface SuiteResult {
  suite: string;
  file: string;
  twin: string;
  cases: CaseResult[];
  setup_ms: number;
  error?: string;
}

export interface RunResult {
  started_at: string;
  provider: Provider;
  mode: Mode;
  k: number;
  ms: number;
  suites: SuiteResult[];
}
