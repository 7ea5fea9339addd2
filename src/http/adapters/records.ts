/**
 * Read models the routes list from the store: action proposals (by status), threads for the web chat, eval runs for
 * the trend chart. Writes to these tables belong to the copilot, control and eval runner, not to HTTP.
 */
import { desc, eq } from 'drizzle-orm';
import type { Action } from '../../../agents/answer';
import type { Db } from '../../store';
import { type ActionRow, actionFields } from '../../store/queries/actions';
import { actionProposals } from '../../store/schema/actions';
import { evalRuns } from '../../store/schema/evals';
import { threads } from '../../store/schema/threads';
import type { ActionsApi, ThreadSummary } from '../deps';

function toAction(r: ActionRow): Action & { twin: string; thread_id: string | null; run_id: string | null; created_at: string; updated_at: string; result: unknown } {
  return {
    ...actionFields<Action['type']>(r),
    thread_id: r.threadId,
    run_id: r.runId,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    result: r.result ?? null,
  };
}

export function storeActions(db: Db): ActionsApi & { countPending(): Promise<number> } {
  return {
    async list({ status, limit }) {
      const q = db.select().from(actionProposals);
      const rows = await (status ? q.where(eq(actionProposals.status, status)) : q).orderBy(desc(actionProposals.createdAt)).limit(limit);
      return rows.map(toAction);
    },
    async get(id) {
      const [r] = await db.select().from(actionProposals).where(eq(actionProposals.id, id)).limit(1);
      return r ? toAction(r) : null;
    },
    async countPending() {
      return db.$count(actionProposals, eq(actionProposals.status, 'pending_approval'));
    },
  };
}

export function storeThreads(db: Db): (limit: number) => Promise<ThreadSummary[]> {
  return async (limit) => {
    const rows = await db.select().from(threads).orderBy(desc(threads.updatedAt)).limit(limit);
    return rows.map((r) => ({ thread_id: r.id, title: r.title ?? '', twin: r.twinId, created_at: r.createdAt.toISOString(), updated_at: r.updatedAt.toISOString() }));
  };
}

export function storeEvalRuns(db: Db): (limit: number) => Promise<unknown[]> {
  return async (limit) => {
    const rows = await db
      .select({ id: evalRuns.id, started_at: evalRuns.startedAt, finished_at: evalRuns.finishedAt, provider: evalRuns.provider, baseline: evalRuns.baseline, summary: evalRuns.summary })
      .from(evalRuns)
      .orderBy(desc(evalRuns.startedAt))
      .limit(limit);
    return rows.map((r) => ({ ...r, started_at: r.started_at.toISOString(), finished_at: r.finished_at?.toISOString() ?? null }));
  };
}
