/**
 * The copilot's tools, one file per family: twin reads (twin.ts), planning records and crews (records.ts),
 * production (production.ts), maintenance (maintenance.ts), energy (energy.ts) and proposals (propose.ts).
 * `createTools(deps)` is the graph's ToolFactory: given a run's scope it returns every tool keyed by name;
 * `pickTools` narrows that to an expert's list. Every tool returns a ToolResult JSON string and never throws.
 */
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { ToolFactory, ToolScope } from '../runtime';
import type { ToolDeps } from './common';
import { energyTools } from './energy';
import { forecastTools } from './forecast';
import { maintenanceTools } from './maintenance';
import { productionTools } from './production';
import { proposeTools } from './propose';
import { recordTools } from './records';
import { twinTools } from './twin';

export type { ToolDeps } from './common';
export { proposalsOf } from './propose';
export { createEvidenceLedger } from './evidence';

export function allTools(deps: ToolDeps, scope: ToolScope): Record<string, StructuredToolInterface> {
  return {
    ...twinTools(deps, scope),
    ...recordTools(deps, scope),
    ...productionTools(deps, scope),
    ...maintenanceTools(deps, scope),
    ...energyTools(deps, scope),
    ...forecastTools(deps, scope),
    ...proposeTools(deps, scope),
  };
}

/** Tool names every family defines, for registries and docs. */
export const TOOL_NAMES = [
  'list_assets', 'relations', 'asset_state', 'asset_history', 'open_alarms',
  'crews', 'work_orders', 'tariff',
  'orders', 'routings', 'capacity', 'simulate_schedule',
  'remaining_life', 'asset_health', 'detect_anomalies', 'maintenance_window',
  'energy_breakdown', 'efficiency_drift', 'load_shift', 'forecast',
  'propose_action',
] as const;

/** The graph's ToolFactory over a store. A reviewer's scope never gets propose_action: reviewers check, they do not act. */
export function createTools(deps: ToolDeps): ToolFactory {
  return (scope) => {
    const tools = allTools(deps, scope);
    if (scope.mode === 'reviewer') delete tools.propose_action;
    return tools;
  };
}

/** An expert's subset, in the order given; unknown names are skipped. */
export function pickTools(tools: Record<string, StructuredToolInterface>, names: readonly string[]): StructuredToolInterface[] {
  return names.map((n) => tools[n]).filter((t): t is StructuredToolInterface => Boolean(t));
}
