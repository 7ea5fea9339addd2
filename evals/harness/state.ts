/**
 * Reading the final state a case left in the store (τ-bench's judge): the proposals of its thread and runs, the work
 * orders created for them, and the commands and audit rows written after the cursor taken before the case.
 */
import { sql } from 'drizzle-orm';
import { rows, type Store } from '../../src/store';

// Drizzle renders a JS array in a sql`` template as a parenthesised list of parameters: `x in ${list}`.
import type { CaseScope, FinalState } from '../types';

export interface Cursor {
  audit: number;
  workOrders: number;
  commands: string[];
}

export async function cursorOf(store: Store): Promise<Cursor> {
  const [a] = await rows<{ n: number | string | null }>(store.db, sql`select max(id) as n from audit_log`);
  const [w] = await rows<{ n: number | string | null }>(store.db, sql`select max(id) as n from work_orders`);
  const c = await rows<{ id: string }>(store.db, sql`select id from commands`);
  return { audit: Number(a?.n ?? 0), workOrders: Number(w?.n ?? 0), commands: c.map((r) => r.id) };
}

export async function readFinalState(store: Store, scope: CaseScope): Promise<FinalState> {
  const since = scope.since as Cursor;
  const runIds = scope.runIds.length ? scope.runIds : [''];
  const actionIds = scope.actionIds.length ? scope.actionIds : [''];
  const proposals = await rows<{ id: string; type: string; params: Record<string, unknown>; status: string; risk: string; proposed_by: string; thread_id: string | null; run_id: string | null }>(
    store.db,
    sql`select id, type, params, status, risk, proposed_by, thread_id, run_id from action_proposals
        where thread_id = ${scope.threadId} or run_id in ${runIds} or id in ${actionIds} order by created_at, id`,
  );
  const ids = proposals.map((p) => p.id);
  const workOrders = await rows<{ id: string; asset: string; status: string; kind: string }>(
    store.db,
    sql`select w.key as id, a.key as asset, w.status, w.kind from work_orders w join assets a on a.id = w.asset_id
        where w.id > ${since.workOrders} or w.action_id in ${ids.length ? ids : ['']}`,
  );
  const before = since.commands.length ? since.commands : [''];
  const commands = await rows<{ id: string; asset: string; command: string; args: unknown; action_id: string | null; status: string }>(
    store.db,
    sql`select c.id, a.key as asset, c.command, c.args, c.action_id, c.status from commands c join assets a on a.id = c.asset_id
        where c.id not in ${before} order by c.sent_at, c.id`,
  );
  const audit = await rows<{ id: number; ts: string; event: string; actor_role: string | null; via: string | null; target: string | null; details: unknown }>(
    store.db,
    sql`select id, ts, event, actor_role, via, target, details from audit_log where id > ${since.audit} order by id`,
  );
  return {
    proposals: proposals.map((p) => ({ ...p, params: p.params ?? {} })),
    workOrders,
    commands,
    audit: audit.map((a) => ({ id: a.id, ts: String(a.ts), event: a.event, actor_role: a.actor_role, actor_via: a.via, action_id: a.target, details: a.details })),
  };
}
