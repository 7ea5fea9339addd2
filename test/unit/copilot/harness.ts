/**
 * Test doubles for the copilot graph: a small invented twin (not the demo plant), in-memory action store and
 * executor, tools that return protocol ToolResults through the run's ledger, and a fakeModel() whose
 * withStructuredOutput behaves like a real model's function calling (the scripted tool call named after the schema).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { fakeModel } from '@langchain/core/testing';
import { tool } from '@langchain/core/tools';
import { MemorySaver, type BaseCheckpointSaver } from '@langchain/langgraph';
import { z } from 'zod';
import { createCopilot } from '../../../agents/copilot';
import type { ActionStore, CopilotDeps, Executor, StoredAction, ToolFactory, TwinReader } from '../../../agents/runtime';
import { fixedClock } from '../../../src/clock';
import type { ModelSet, ProviderName } from '../../../src/llm';
import type { ToolResult } from '../../../src/llm/protocol';

export const NOW = '2030-05-04T08:00:00.000Z';

export const CATALOG = {
  assets: [
    { id: 'pump-1', name: 'Pump 1', type: 'centrifugal_pump', properties: ['vibration', 'power_kw'] },
    { id: 'pump-2', name: 'Pump 2', type: 'centrifugal_pump', properties: ['vibration', 'power_kw'] },
    { id: 'station', name: 'Station', type: 'site', properties: [] },
  ],
  orders: [{ id: 'DEL-9', sku: 'WATER', due: '2030-05-06T00:00:00.000Z' }],
  crews: [
    { id: 'day', shift: '06:00-14:00' },
    { id: 'night', shift: '22:00-06:00' },
  ],
};

export const twinReader = (catalog = CATALOG): TwinReader => ({
  defaultTwin: async () => 'water-station',
  context: async () => ({ timezone: 'UTC', catalog }),
});

/** The "plant": what an executed action changes. A rejection must leave it untouched. */
export interface FakePlant {
  workOrders: { asset: string }[];
  commands: { asset: string; command: string }[];
}

export function memoryActions(): ActionStore & { all: Map<string, StoredAction>; audits: { action: string; target: string }[] } {
  const all = new Map<string, StoredAction>();
  const audits: { action: string; target: string }[] = [];
  let n = 0;
  return {
    all,
    audits,
    async propose(a) {
      const id = `act_${++n}`;
      const stored: StoredAction = { id, type: a.type, params: a.params, risk: a.risk, status: 'pending_approval', proposed_by: a.proposed_by, rationale: a.rationale, twin: a.twin, thread_id: a.thread_id, run_id: a.run_id };
      all.set(id, stored);
      audits.push({ action: 'proposed', target: id });
      return { ...stored };
    },
    async get(id) {
      const a = all.get(id);
      return a ? { ...a } : null;
    },
    async decide(id, d) {
      const a = all.get(id)!;
      a.status = d.status;
      audits.push({ action: d.status, target: id });
      return { ...a };
    },
    async audit(e) {
      audits.push({ action: e.action, target: e.target });
    },
  };
}

export function fakeExecutor(plant: FakePlant, actions: ReturnType<typeof memoryActions>): Executor {
  return {
    async execute(action) {
      if (action.type === 'create_work_order') plant.workOrders.push({ asset: String(action.params.asset) });
      if (action.type === 'send_command') plant.commands.push({ asset: String(action.params.asset), command: String(action.params.command) });
      actions.all.get(action.id)!.status = 'executed';
      return { status: 'executed' };
    },
  };
}

const ok = (r: Omit<Extract<ToolResult, { ok: true }>, 'ok'>): string => JSON.stringify({ ok: true, ...r });

/** Tools shaped like the real ones: zod schema in, ToolResult JSON out, evidence through the ledger. */
export const fakeTools =
  (notes: Record<string, string> = {}): ToolFactory =>
  ({ ledger }) => ({
    asset_health: tool(
      async ({ asset }) => {
        const bad = asset === 'pump-2';
        const ev = ledger.add({ kind: 'analysis', ref: `${asset}/vibration`, summary: `${asset} health ${bad ? 0.41 : 0.93}` });
        return ok({ summary: `${asset} health ${bad ? 0.41 : 0.93}${notes[asset] ? ` note: ${notes[asset]}` : ''}`, evidence: [ev], result: { asset, health: bad ? 0.41 : 0.93, note: notes[asset] } });
      },
      { name: 'asset_health', description: 'Health score of an asset', schema: z.object({ asset: z.string() }) },
    ),
    orders: tool(
      async () => {
        const ev = ledger.add({ kind: 'order', ref: 'DEL-9', summary: 'DEL-9 due in 2 d, 6 h of slack' });
        return ok({ summary: 'DEL-9 due in 2 d, 6 h of slack', evidence: [ev], result: { id: 'DEL-9', slack_h: 6 } });
      },
      { name: 'orders', description: 'Open orders', schema: z.object({}) },
    ),
    crews: tool(
      async () => {
        const ev = ledger.add({ kind: 'record', ref: 'crews', summary: 'night crew has 1 technician, 0 h overtime' });
        return ok({ summary: 'night crew has 1 technician, 0 h overtime', evidence: [ev], result: [] });
      },
      { name: 'crews', description: 'Crews, aggregate only', schema: z.object({}) },
    ),
    propose_action: tool(
      async (p) => ok({ summary: `proposed ${p.type}`, evidence: [], result: { type: p.type, params: p.params, rationale: p.rationale, risk: p.risk } }),
      {
        name: 'propose_action',
        description: 'Record a proposal; never executes',
        schema: z.object({
          type: z.enum(['create_work_order', 'reschedule_order', 'send_command', 'adjust_shift']),
          params: z.record(z.string(), z.unknown()),
          rationale: z.string(),
          risk: z.enum(['low', 'medium', 'high']).optional(),
        }),
      },
    ),
  });

/** fakeModel(): structured outputs are scripted as the function call a real model makes (`route`, `draft`, `review`). */
export function scriptedModel() {
  return fakeModel();
}

export function modelSet(primary: BaseChatModel, offline: BaseChatModel = primary, provider: ProviderName = 'openai'): ModelSet {
  return { primary: { provider, model: primary }, offline, policy: { timeoutMs: 5_000, retries: 1, backoffMs: 5 } };
}

export function makeCopilot(opts: { models: ModelSet; checkpointer?: BaseCheckpointSaver; notes?: Record<string, string>; maxRounds?: number; tools?: ToolFactory }) {
  const actions = memoryActions();
  const plant: FakePlant = { workOrders: [], commands: [] };
  const deps: CopilotDeps = {
    models: opts.models,
    twin: twinReader(),
    checkpointer: opts.checkpointer ?? new MemorySaver(),
    clock: fixedClock(NOW),
    tools: opts.tools ?? fakeTools(opts.notes),
    actions,
    executor: fakeExecutor(plant, actions),
    limits: { maxRounds: opts.maxRounds ?? 2 },
  };
  return { copilot: createCopilot(deps), actions, plant, deps };
}

export const MANAGER = { id: 'u-manager', role: 'manager', via: 'cli' } as const;
export const OPERATOR = { id: 'u-operator', role: 'operator', via: 'cli' } as const;
