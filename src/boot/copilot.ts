/**
 * The copilot over the store: chat models from config, the LangGraph checkpointer on the same database (so threads
 * and paused approvals are shared by replicas and survive restarts), the tools, and adapters from the graph's small
 * interfaces (ActionStore, Executor, TwinReader) to the store queries and control's executor.
 */
import { sql } from 'drizzle-orm';
import { createCheckpointer } from '../../agents/checkpointer';
import { createCopilot, type Copilot } from '../../agents/copilot';
import type { ActionStore, Executor as GraphExecutor, StoredAction, TwinReader } from '../../agents/runtime';
import { createTools } from '../../agents/tools';
import { toolCache, type ReadCache } from '../../agents/tools/cache';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Executor } from '../control/executor';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { createModels } from '../llm';
import { rows, type Store } from '../store';
import { type ActionRow, actionFields, appendAudit, createAction, getAction, listTwins, transitionAction } from '../store/queries';
import { cachedDb } from '../store/queries/read-cache';
import { twinSnapshot, type TwinSnapshot } from '../store/queries/twin-snapshot';
import type { CommandCard } from '../llm/protocol';
import { threads } from '../store/schema';
import { threadReader, type ThreadDoc } from './thread-doc';

export interface CopilotParts {
  config: Config;
  store: Store;
  clock: Clock;
  bus: EventBus;
  executor: Executor;
  log: (msg: string) => void;
}

function stored(r: ActionRow): StoredAction {
  return { ...actionFields<StoredAction['type']>(r), thread_id: r.threadId ?? '', run_id: r.runId ?? '' };
}

export function storeActionStore(store: Store, bus: EventBus): ActionStore {
  const { db } = store;
  return {
    async propose(a) {
      const row = await createAction(db, { twin: a.twin, runId: a.run_id, threadId: a.thread_id, type: a.type, params: a.params, risk: a.risk, proposedBy: a.proposed_by, rationale: a.rationale, evidence: a.evidence }, a.actor);
      await appendAudit(db, { actor: a.actor, event: 'action.proposed', target: row.id, twin: a.twin, details: { type: a.type, risk: a.risk, proposed_by: a.proposed_by } });
      bus.publish('action_changed', { id: row.id, status: row.status, twin: a.twin });
      return stored(row);
    },
    async get(id) {
      const r = await getAction(db, { id });
      return r ? stored(r) : null;
    },
    async decide(id, d) {
      const res = await transitionAction(db, { id, from: ['pending_approval'], to: d.status, actor: d.actor, comment: d.comment ?? null });
      if (!res.ok) throw new AppError(res.reason === 'not_found' ? 'not_found' : 'conflict', res.reason === 'not_found' ? `no action ${id}` : `action ${id} is already ${res.current}`);
      await appendAudit(db, { actor: d.actor, event: `action.${d.status}`, target: id, twin: res.action.twinId, details: { comment: d.comment ?? null } });
      bus.publish('action_changed', { id, status: d.status, twin: res.action.twinId });
      return stored(res.action);
    },
    async audit(e) {
      await appendAudit(db, { actor: e.actor, event: e.action, target: e.target, details: e.detail ?? {} });
    },
  };
}

/** The commands of the asset types in use, for the `<context>` catalog (types without commands are left out). */
function commandCards(snap: TwinSnapshot): Record<string, CommandCard[]> {
  const out: Record<string, CommandCard[]> = {};
  for (const type of new Set(snap.assets.map((a) => a.type))) {
    const cmds = Object.entries(snap.types.get(type)?.commands ?? {});
    if (cmds.length) out[type] = cmds.map(([name, c]) => ({ name, ...(c.description ? { description: c.description } : {}), ...(c.sets ? { sets: c.sets } : {}), params: c.params ?? {}, risk: c.risk }));
  }
  return out;
}

/** With `cache`, the catalog's snapshot comes from the tools' cross-run read cache. */
export function storeTwinReader(store: Store, opts: { cache?: ReadCache } = {}): TwinReader {
  const db = opts.cache ? cachedDb(store.db, opts.cache) : store.db;
  return {
    async defaultTwin() {
      const list = await listTwins(store.db);
      if (!list.length) throw new AppError('unavailable', 'no twin is loaded');
      return list[0].id;
    },
    async context(twin) {
      const snap = await twinSnapshot(db, { twin });
      if (!snap) throw new AppError('not_found', `twin "${twin}" not found`);
      // An order is named by whom it is for and what it makes as often as by its id.
      const products = new Map(snap.routings.flatMap((r) => (r.name ? [[r.sku, r.name] as const] : [])));
      return {
        timezone: snap.twin.timezone,
        catalog: {
          assets: snap.assets.map((a) => ({
            id: a.id,
            name: a.name ?? a.id,
            type: a.type,
            ...(a.parent ? { parent: a.parent } : {}),
            properties: Object.keys(snap.types.get(a.type)?.properties ?? {}),
          })),
          orders: snap.orders.map((o) => ({
            id: o.id,
            sku: o.sku,
            due: o.due.toISOString(),
            priority: o.priority,
            ...(o.customer ? { customer: o.customer } : {}),
            ...(products.get(o.sku) ? { product: products.get(o.sku) } : {}),
          })),
          crews: snap.crews.map((c) => ({ id: c.id, shift: c.shift, ...(c.name ? { name: c.name } : {}) })),
          commands: commandCards(snap),
        },
      };
    },
  };
}

function graphExecutor(executor: Executor): GraphExecutor {
  return {
    async execute(action, actor) {
      const r = await executor.execute(action, actor);
      return { status: r.status, detail: typeof r.result?.reason === 'string' ? r.result.reason : undefined };
    },
  };
}

/** Keep the threads table current so the web chat can list conversations. */
async function touchThread(store: Store, threadId: string, twin: string, title: string): Promise<void> {
  await store.db
    .insert(threads)
    .values({ id: threadId, twinId: twin, title: title.slice(0, 200) })
    .onConflictDoUpdate({ target: threads.id, set: { updatedAt: sql`now()` } });
}

export async function buildCopilot(parts: CopilotParts): Promise<Copilot & { thread(id: string): Promise<ThreadDoc | null> }> {
  const { config, store, clock } = parts;
  const models = await createModels(config);
  const checkpointer = await createCheckpointer(store.pgPool());
  // Reads shared across plans, dropped by this process's write events: only on the embedded store, which this
  // process alone writes. Replicas on PostgreSQL would not see each other's writes on their buses.
  const cache = store.kind === 'pglite' ? toolCache(parts.bus) : undefined;
  const copilot = createCopilot({
    models,
    checkpointer,
    clock,
    tools: createTools({ db: store.db, cache }),
    actions: storeActionStore(store, parts.bus),
    executor: graphExecutor(parts.executor),
    twin: storeTwinReader(store, { cache }),
    limits: { maxSteps: config.EXPERT_MAX_STEPS, maxRounds: config.CONSENSUS_MAX_ROUNDS },
  });
  const plan = copilot.plan;
  copilot.plan = async (input, opts) => {
    const answer = await plan(input, opts);
    const [t] = await rows<{ twin_id: string }>(store.db, sql`select twin_id from action_proposals where run_id = ${answer.run_id} limit 1`);
    await touchThread(store, answer.thread_id, t?.twin_id ?? input.twin ?? (await storeTwinReader(store).defaultTwin()), input.task).catch((err: unknown) =>
      parts.log(`threads: ${err instanceof Error ? err.message : String(err)}`),
    );
    return answer;
  };
  parts.log(`copilot ready (model: ${models.primary.provider})`);
  return Object.assign(copilot, { thread: threadReader(store, copilot) });
}
