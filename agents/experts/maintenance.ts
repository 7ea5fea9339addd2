/** Maintenance: equipment health, anomalies, remaining life, work orders and maintenance windows. */
import type { ExpertDef } from './types';

export const maintenance: ExpertDef = {
  name: 'maintenance',
  description:
    'Equipment health and reliability: what is wrong with a machine and whether it is ok, faults, breakdowns, trips, alarms and anomalies, condition trends (vibration, temperature running hot or warm, a motor drawing more current than it should, pressure sagging, leaks, noise, wear), anything to worry about on the equipment, whether it is safe to keep running a machine, worn parts to replace or swap (bearings, seals, belts, filters), inspections, how long a part has left before its alarm limit (remaining useful life), which machine fails next, work orders and the maintenance backlog, and when to schedule, fix, repair or service a machine.',
  examples: [
    'Which machine is most likely to fail next?',
    'what will break down first?',
    'whats up with the press, it keeps tripping',
    'is the pump ok?',
    'gearbox sounds rough - how long have we got?',
    'Is the vibration on this motor getting worse?',
    'motor running hot, should we worry?',
    'pressure keeps dropping on the blower, is there a leak?',
    'How long until this bearing reaches its alarm limit?',
    'what repairs are still open?',
    'any open jobs or tickets on that unit?',
    'When should we service this pump without disturbing production?',
    'Plan a repair window and open a work order.',
    'anything I should worry about on the line today?',
    'when is the best time to replace that bearing?',
  ],
  reviews: ['equipment condition', 'remaining life', 'maintenance backlog', 'safety of running a degraded machine'],
  tools: [
    'list_assets',
    'asset_state',
    'asset_history',
    'open_alarms',
    'detect_anomalies',
    'asset_health',
    'remaining_life',
    'efficiency_drift',
    'maintenance_window',
    'work_orders',
    'orders',
    'crews',
    'propose_action',
  ],
  reviewTools: ['asset_state', 'asset_health', 'remaining_life', 'open_alarms', 'work_orders'],
  prompt: 'maintenance',
};
