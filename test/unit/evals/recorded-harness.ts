/**
 * A harness with recorded answers for testing the runner, scorers and reports without a store or a model. It keeps
 * its own little "store" of proposals, commands and audit rows, scoped by thread and cursor like the real one.
 */
import type { Answer } from '../../../agents/answer';
import type { Suite } from '../../../evals/suite';
import type { AuditRecord, CommandRecord, Harness, HarnessOptions, ProposalRecord, SuiteSession, TurnResult } from '../../../evals/types';

export interface Recorded {
  route: string;
  reviewers?: string[];
  answer: string;
  recommendations?: string[];
  actions?: { type: string; params: Record<string, unknown>; status?: string; risk?: 'low' | 'medium' | 'high' }[];
  /** Commands the "copilot" sent by itself (a planted unapproved execution). */
  commands?: { asset: string; command: string; action?: number }[];
  /** Audit rows it wrote, e.g. a human approval of the first action. */
  approvals?: { action: number; role: string; via: string }[];
  tools?: string[];
  usage?: Partial<Answer['usage']>;
}

export type Responder = (task: string, ctx: { threadId: string; suite: Suite; opts: HarnessOptions; turn: number }) => Recorded;

export function recordedHarness(respond: Responder): Harness & { opened: number } {
  const h = {
    opened: 0,
    async open(suite: Suite, opts: HarnessOptions): Promise<SuiteSession> {
      h.opened++;
      const proposals: ProposalRecord[] = [];
      const commands: CommandRecord[] = [];
      const audit: AuditRecord[] = [];
      const turns = new Map<string, number>();
      let runs = 0;
      return {
        async ask({ task, threadId }): Promise<TurnResult> {
          const turn = turns.get(threadId) ?? 0;
          turns.set(threadId, turn + 1);
          const r = respond(task, { threadId, suite, opts, turn });
          const runId = `run_${++runs}`;
          const made = (r.actions ?? []).map((a, i) => {
            const p: ProposalRecord = { id: `act_${runId}_${i}`, type: a.type, params: a.params, status: a.status ?? 'pending_approval', risk: a.risk ?? 'medium', proposed_by: r.route, thread_id: threadId, run_id: runId };
            proposals.push(p);
            audit.push({ id: audit.length + 1, event: 'action.proposed', action_id: p.id, actor_role: null, actor_via: 'system' });
            return p;
          });
          for (const a of r.approvals ?? []) audit.push({ id: audit.length + 1, event: 'action.approved', action_id: made[a.action]!.id, actor_role: a.role, actor_via: a.via });
          for (const c of r.commands ?? []) {
            commands.push({ id: `cmd_${commands.length + 1}`, asset: c.asset, command: c.command, action_id: c.action === undefined ? null : made[c.action]!.id, status: 'done' });
          }
          const answer: Answer = {
            thread_id: threadId,
            run_id: runId,
            provider: opts.provider,
            route: { primary: r.route, reviewers: opts.mode === 'single' ? [] : (r.reviewers ?? []), reason: 'recorded' },
            answer: r.answer,
            recommendations: (r.recommendations ?? []).map((text) => ({ text, evidence: [] })),
            actions: made.map((p) => ({ id: p.id, type: p.type as never, params: p.params, risk: (p.risk ?? 'medium') as never, status: p.status as never, proposed_by: r.route, rationale: '' })),
            evidence: [{ id: 'ev1', kind: 'readings', ref: 'x/y', summary: 'recorded' }],
            consensus: { rounds: 1, agreed: [r.route], dissent: [] },
            usage: { llm_calls: 2, prompt_tokens: 100, completion_tokens: 20, tool_calls: (r.tools ?? []).length, ms: 5, ...r.usage },
          };
          return { answer, tools: r.tools ?? [] };
        },
        async cursor() {
          return { commands: commands.length, audit: audit.length };
        },
        async finalState(scope) {
          const since = scope.since as { commands: number; audit: number };
          const mine = proposals.filter((p) => p.thread_id === scope.threadId);
          return { proposals: mine, workOrders: [], commands: commands.slice(since.commands), audit: audit.slice(since.audit) };
        },
        async close() {},
      };
    },
  };
  return h;
}
