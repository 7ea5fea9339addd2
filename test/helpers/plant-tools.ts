/**
 * The copilot's tools on a plant of plant-history.ts, called as an expert of a fresh run would call them, with the
 * JSON they return parsed.
 */
import { createTools } from '../../agents/tools';
import { createLedger, type ToolResult } from '../../src/llm/protocol';
import type { PlantHistory } from './plant-history';

export type ToolOk = Extract<ToolResult, { ok: true }> & { result: any };

export async function callTool(p: PlantHistory, name: string, args: Record<string, unknown> = {}, mode: 'primary' | 'reviewer' = 'primary') {
  const tools = createTools({ db: p.store.db })({ twin: p.twin, now: p.now, ledger: createLedger(), expert: 'test', mode });
  return JSON.parse(String(await tools[name].invoke(args))) as ToolOk | { ok: false; error: string };
}

/** A call that must succeed: its result, or the tool's error thrown. */
export async function toolOk(p: PlantHistory, name: string, args: Record<string, unknown> = {}): Promise<ToolOk> {
  const r = await callTool(p, name, args);
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r;
}
