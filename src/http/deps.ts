/**
 * What the HTTP layer needs from the rest of the service. Routes reach these through `c.var.deps` and never import
 * the store, ingest or copilot directly, so the app can be built over the real service (src/main.ts) or over test
 * doubles, and a piece that has not landed yet is an absent optional field, never a global.
 */
import type { Hono } from 'hono';
import type { Action, ActionStatus, Answer, PlanEvent } from '../../agents/answer';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Actor, Role } from '../control/roles';
import type { EventBus } from '../events';
import type { KeyStore } from './keys';
import type { Metrics } from './metrics';

/** Counts `twin load` and `POST /api/v1/twins` report. */
export interface LoadResult {
  twin: string;
  created: number;
  updated: number;
  retired: number;
}

export interface ReadingsQuery {
  property?: string;
  from: Date;
  to: Date;
  bucket: 'raw' | '1m' | '1h';
}

/** The twin store as the twins and assets routes read it. Objects are passed through as the store shapes them. */
export interface TwinsApi {
  /** Validate and load (or update) a manifest in one transaction; throws AppError('validation_failed') listing problems. */
  load(manifest: unknown, actor: Actor): Promise<LoadResult>;
  listTwins(): Promise<unknown[]>;
  /** null when the twin does not exist (→ 404). */
  listAssets(twin: string, filter: { type?: string; parent?: string }): Promise<unknown[] | null>;
  getAsset(twin: string, id: string): Promise<unknown | null>;
  relations(twin: string, id: string, depth: number): Promise<unknown[] | null>;
  readings(twin: string, id: string, q: ReadingsQuery): Promise<unknown[] | null>;
  /** Asset types with inheritance resolved (properties with kind, unit, thresholds; commands); null for no such twin. */
  types?(twin: string): Promise<unknown[] | null>;
  /** Open alarms (or every alarm, newest first, with state 'all'); null for no such twin. */
  alarms?(twin: string, filter: { state: 'open' | 'all'; asset?: string; limit: number }): Promise<unknown[] | null>;
}

export interface PlanInput {
  task: string;
  thread_id?: string;
  /** Freeze "now" for this run (ISO). */
  at?: string;
  actor: Actor;
}

export interface PlanOptions {
  onEvent?: (e: PlanEvent) => void;
  /** Aborted when a streaming client goes away before any action was proposed. */
  signal?: AbortSignal;
}

export interface ThreadSummary {
  thread_id: string;
  title: string;
  updated_at: string;
  [k: string]: unknown;
}

/** The copilot (agents/copilot.ts) as the plans, actions and chat routes use it. */
export interface CopilotApi {
  plan(input: PlanInput, opts?: PlanOptions): Promise<Answer>;
  /** Record a human decision and resume the paused run; returns the action as it ends up. */
  decide(actionId: string, decision: { approve: boolean; comment?: string; actor: Actor }): Promise<Action>;
  threads?(limit: number): Promise<ThreadSummary[]>;
  /** One thread for the web chat to reopen: `{thread_id, answer, turns:[{task, answer, at}]}`; null when unknown. */
  thread?(id: string): Promise<unknown | null>;
  /** The latest answer of a thread (final, or as it stands while waiting for approval); null when unknown. */
  answer?(threadId: string): Promise<Answer | null>;
  provider?(): string;
}

export interface ActionsApi {
  list(filter: { status?: ActionStatus; limit: number }): Promise<Action[]>;
  get(id: string): Promise<Action | null>;
}

/** One audit row as the store keeps it (audit_log). `event` is dotted or snake, e.g. `approval_refused`, `key.create`. */
export interface AuditEntry {
  actor: string;
  role: Role | 'system';
  via: Actor['via'];
  event: string;
  target: string;
  twin?: string;
  details?: Record<string, unknown>;
}

export interface AuditApi {
  append(entry: AuditEntry): Promise<void>;
  list(filter: { limit: number; target?: string; before?: string }): Promise<unknown[]>;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: unknown }>;
}

export interface IngestStats {
  /** Dead letters stored so far (for /metrics). */
  deadLetters(): Promise<number>;
}

export interface HttpDeps {
  config: Config;
  clock: Clock;
  bus: EventBus;
  keys: KeyStore;
  metrics: Metrics;
  audit: AuditApi;
  twins?: TwinsApi;
  copilot?: CopilotApi;
  actions?: ActionsApi;
  ingest?: IngestStats;
  evalRuns?: (limit: number) => Promise<unknown[]>;
  /** Threads for the web chat list; falls back to copilot.threads. */
  threads?: (limit: number) => Promise<ThreadSummary[]>;
  /** Store, broker, model, backfill… each reported by /readyz; ready only when all are ok. */
  readiness: ReadinessCheck[];
  /** Apps other parts bring (telemetry, Slack, the web app), mounted after the API routes; those under /api and /v1 need a key. */
  mounts?: { path: string; app: Hono<any> }[];
}
