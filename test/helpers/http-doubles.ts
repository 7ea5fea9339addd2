/**
 * Test doubles for the HTTP layer's dependencies: an in-memory audit log, actions and a scripted copilot that emits
 * the same PlanEvents a real run does. HTTP tests that are about the HTTP contract (auth, errors, streaming, the
 * OpenAI shape) use these; tests of the real copilot and store live with those modules and in the service tests.
 */
import type { Action, Answer, PlanEvent } from '../../agents/answer';
import { fixedClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import type { Role } from '../../src/control/roles';
import { createEventBus } from '../../src/events';
import type { ActionsApi, AuditApi, AuditEntry, CopilotApi, HttpDeps, PlanInput, TwinsApi } from '../../src/http/deps';
import { createKeyStore, memoryKeyRepo } from '../../src/http/keys';
import { createMetrics } from '../../src/http/metrics';
import { AppError } from '../../src/errors';

export function memoryAudit(): AuditApi & { rows: (AuditEntry & { ts: string })[] } {
  const rows: (AuditEntry & { ts: string })[] = [];
  return {
    rows,
    async append(e) {
      rows.push({ ...e, ts: new Date().toISOString() });
    },
    async list({ limit, target }) {
      return rows.filter((r) => !target || r.target === target).slice(-limit).reverse();
    },
  };
}

export function memoryActions(): ActionsApi & { byId: Map<string, Action> } {
  const byId = new Map<string, Action>();
  return {
    byId,
    async list({ status, limit }) {
      return [...byId.values()].filter((a) => !status || a.status === status).slice(0, limit);
    },
    async get(id) {
      return byId.get(id) ?? null;
    },
  };
}

/** A copilot that answers every task with one proposed action of `risk`, emitting the run's steps as it goes. */
export function scriptedCopilot(actions: ReturnType<typeof memoryActions>, audit: AuditApi, risk: Action['risk'] = 'medium'): CopilotApi & { turns: Map<string, string[]>; finished: string[] } {
  let n = 0;
  const turns = new Map<string, string[]>();
  const finished: string[] = [];
  return {
    turns,
    finished,
    provider: () => 'offline',
    async plan(input: PlanInput, opts = {}) {
      const emit = (e: PlanEvent) => opts.onEvent?.(e);
      const thread_id = input.thread_id ?? `th_${++n}`;
      turns.set(thread_id, [...(turns.get(thread_id) ?? []), input.task]);
      emit({ type: 'route', primary: 'maintenance', reviewers: ['production'], reason: 'asks about a machine' });
      emit({ type: 'expert_started', expert: 'maintenance', role: 'primary', round: 1 });
      emit({ type: 'tool_call', expert: 'maintenance', tool: 'read_state', args: { asset: 'm1' } });
      await new Promise((r) => setTimeout(r, 5));
      if (opts.signal?.aborted) throw new AppError('unavailable', 'cancelled');
      emit({ type: 'tool_result', expert: 'maintenance', tool: 'read_state', ok: true, summary: 'vibration rising', evidence: ['ev1'] });
      const action: Action = {
        id: `act_${thread_id}_${turns.get(thread_id)!.length}`,
        type: 'create_work_order',
        params: { asset: 'm1' },
        risk,
        status: 'pending_approval',
        proposed_by: 'maintenance',
        rationale: 'wear is rising',
      };
      actions.byId.set(action.id, action);
      emit({ type: 'action_proposed', action });
      await new Promise((r) => setTimeout(r, 20)); // reviewers work; a dropped client must not stop them now
      if (opts.signal?.aborted) throw new AppError('unavailable', 'cancelled');
      emit({ type: 'review', expert: 'production', verdict: 'agree', concerns: [] });
      emit({ type: 'consensus', rounds: 1, agreed: ['maintenance', 'production'], dissent: [] });
      const answer: Answer = {
        thread_id,
        run_id: `run_${n}_${turns.get(thread_id)!.length}`,
        provider: 'offline',
        route: { primary: 'maintenance', reviewers: ['production'], reason: 'asks about a machine' },
        answer: `Turn ${turns.get(thread_id)!.length} on ${thread_id}: schedule maintenance for m1.`,
        recommendations: [{ text: 'service m1', evidence: ['ev1'] }],
        actions: [action],
        evidence: [{ id: 'ev1', kind: 'readings', ref: 'm1/vibration', summary: 'vibration rising' }],
        consensus: { rounds: 1, agreed: ['maintenance', 'production'], dissent: [] },
        usage: { llm_calls: 3, prompt_tokens: 120, completion_tokens: 40, tool_calls: 1, ms: 5 },
      };
      emit({ type: 'answer', answer });
      finished.push(thread_id);
      return answer;
    },
    async decide(id, d) {
      const a = actions.byId.get(id);
      if (!a) throw new AppError('not_found', 'no action');
      const next: Action = { ...a, status: d.approve ? 'executed' : 'rejected' };
      actions.byId.set(id, next);
      await audit.append({ actor: d.actor.id, role: d.actor.role, via: d.actor.via, event: d.approve ? 'action.approved' : 'action.rejected', target: id });
      return next;
    },
    async threads(limit) {
      return [...turns.entries()].slice(0, limit).map(([thread_id, t]) => ({ thread_id, title: t[0], updated_at: new Date().toISOString() }));
    },
  };
}

export function memoryTwins(): TwinsApi {
  const assets = new Map<string, Record<string, unknown>>([['m1', { id: 'm1', type: 'machine', name: 'Mill 1', reported: {} }]]);
  return {
    async load(manifest) {
      const m = manifest as { twin?: unknown };
      if (typeof m.twin !== 'string') throw new AppError('validation_failed', 'invalid manifest', { problems: [{ path: 'twin', message: 'required' }] });
      return { twin: m.twin, created: 0, updated: 0, retired: 0 };
    },
    async listTwins() {
      return [{ id: 'demo' }];
    },
    async listAssets(twin) {
      return twin === 'demo' ? [...assets.values()] : null;
    },
    async getAsset(twin, id) {
      return twin === 'demo' ? (assets.get(id) ?? null) : null;
    },
    async relations(twin, id) {
      return twin === 'demo' && assets.has(id) ? [] : null;
    },
    async readings(twin, id) {
      return twin === 'demo' && assets.has(id) ? [{ ts: '2026-01-01T00:00:00Z', value: 1 }] : null;
    },
  };
}

export interface TestService {
  deps: HttpDeps;
  audit: ReturnType<typeof memoryAudit>;
  actions: ReturnType<typeof memoryActions>;
  copilot: ReturnType<typeof scriptedCopilot>;
  keyFor(role: Role): Promise<string>;
}

export function testDeps(opts: { risk?: Action['risk']; env?: Record<string, string> } = {}): TestService {
  const audit = memoryAudit();
  const actions = memoryActions();
  const copilot = scriptedCopilot(actions, audit, opts.risk);
  const keys = createKeyStore(memoryKeyRepo());
  const deps: HttpDeps = {
    config: parseConfig({ RATE_LIMIT_PER_MINUTE: '100000', ...opts.env }),
    clock: fixedClock('2026-03-02T10:00:00Z'),
    bus: createEventBus(),
    keys,
    metrics: createMetrics(),
    audit,
    twins: memoryTwins(),
    copilot,
    actions,
    readiness: [{ name: 'store', check: async () => ({ ok: true }) }],
  };
  return { deps, audit, actions, copilot, keyFor: async (role) => (await keys.create(role)).key };
}
