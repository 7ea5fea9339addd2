/**
 * Action proposals: create, read, list, and change status. Every status change writes an action_events row in the
 * same transaction, and a change only happens from the status the caller expects (two approvers cannot both win).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { type ActionStatus, actionEvents, actionProposals } from '../schema';

export interface ActorRef {
  id: string;
  role?: string;
  via?: string;
}

export interface NewAction {
  id?: string;
  twin: string;
  runId?: string | null;
  threadId?: string | null;
  type: string;
  params: Record<string, unknown>;
  risk: 'low' | 'medium' | 'high';
  proposedBy: string;
  rationale?: string | null;
  evidence?: unknown[];
}

export type ActionRow = typeof actionProposals.$inferSelect;

/**
 * A proposal row in the answer's Action shape (agents/answer.ts), plus its twin. The store does not import agents, so
 * the caller names the action-type union it expects: `actionFields<Action['type']>(row)`.
 */
export function actionFields<Type extends string = string>(r: ActionRow) {
  return {
    id: r.id,
    type: r.type as Type,
    params: r.params,
    risk: r.risk,
    status: r.status,
    proposed_by: r.proposedBy,
    rationale: r.rationale ?? '',
    twin: r.twinId,
  };
}

export function newActionId(): string {
  return `act_${randomBytes(9).toString('base64url')}`;
}

export async function createAction(db: Db, a: NewAction, actor: ActorRef) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(actionProposals)
      .values({ id: a.id ?? newActionId(), twinId: a.twin, runId: a.runId ?? null, threadId: a.threadId ?? null, type: a.type, params: a.params, risk: a.risk, proposedBy: a.proposedBy, rationale: a.rationale ?? null, evidence: a.evidence ?? [] })
      .returning();
    await tx.insert(actionEvents).values({ actionId: row.id, fromStatus: null, toStatus: row.status, actor: actor.id, actorRole: actor.role ?? null, via: actor.via ?? null });
    return row;
  });
}

export async function getAction(db: Db, p: { id: string }) {
  const [a] = await db.select().from(actionProposals).where(eq(actionProposals.id, p.id));
  return a ?? null;
}

export async function listActions(db: Db, p: { twin?: string; status?: ActionStatus[]; threadId?: string; runId?: string; limit?: number } = {}) {
  const where: SQL[] = [];
  if (p.twin) where.push(eq(actionProposals.twinId, p.twin));
  if (p.status?.length) where.push(inArray(actionProposals.status, p.status));
  if (p.threadId) where.push(eq(actionProposals.threadId, p.threadId));
  if (p.runId) where.push(eq(actionProposals.runId, p.runId));
  return db
    .select()
    .from(actionProposals)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(actionProposals.createdAt))
    .limit(Math.min(p.limit ?? 200, 1000));
}

export type TransitionResult =
  | { ok: true; action: typeof actionProposals.$inferSelect }
  | { ok: false; reason: 'not_found' | 'conflict'; current?: ActionStatus };

/** Move an action to `to` if its status is one of `from`; records who, when and why. */
export async function transitionAction(
  db: Db,
  p: { id: string; from: ActionStatus[]; to: ActionStatus; actor: ActorRef; comment?: string | null; result?: Record<string, unknown>; now?: Date },
): Promise<TransitionResult> {
  return db.transaction(async (tx) => {
    const now = p.now ?? new Date();
    const [prev] = await tx.select({ status: actionProposals.status }).from(actionProposals).where(eq(actionProposals.id, p.id)).for('update');
    if (!prev) return { ok: false, reason: 'not_found' } as const;
    if (!p.from.includes(prev.status)) return { ok: false, reason: 'conflict', current: prev.status } as const;
    const [row] = await tx
      .update(actionProposals)
      .set({ status: p.to, updatedAt: now, ...(p.result ? { result: p.result } : {}) })
      .where(and(eq(actionProposals.id, p.id), eq(actionProposals.status, prev.status)))
      .returning();
    await tx.insert(actionEvents).values({ actionId: p.id, fromStatus: prev.status, toStatus: p.to, actor: p.actor.id, actorRole: p.actor.role ?? null, via: p.actor.via ?? null, comment: p.comment ?? null, ts: now });
    return { ok: true, action: row } as const;
  });
}

export async function actionHistory(db: Db, p: { id: string }) {
  return db.select().from(actionEvents).where(eq(actionEvents.actionId, p.id)).orderBy(asc(actionEvents.ts), asc(actionEvents.id));
}

/** Counts by status, for dashboards and metrics. */
export async function actionCounts(db: Db, p: { twin?: string } = {}) {
  return db
    .select({ status: actionProposals.status, count: sql<number>`count(*)::int` })
    .from(actionProposals)
    .where(p.twin ? eq(actionProposals.twinId, p.twin) : undefined)
    .groupBy(actionProposals.status);
}
