/** Maintenance: equipment health, anomalies, remaining life, work orders and maintenance windows. */
import type { ExpertDef } from './types';

export const maintenance: ExpertDef = {
  name: 'maintenance',
  description:
    'Equipment health and reliability: anomalies, alarms, condition trends, remaining useful life, which machine is likely to fail next, work orders, and when to schedule maintenance or repairs.',
  examples: [
    'Which machine is most likely to fail next?',
    'When should we service this pump without disturbing production?',
    'Is the vibration on this motor getting worse?',
    'How long until this bearing reaches its alarm limit?',
    'Plan a repair window and open a work order.',
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
    'maintenance_window',
    'work_orders',
    'orders',
    'crews',
    'propose_action',
  ],
  reviewTools: ['asset_state', 'asset_health', 'remaining_life', 'open_alarms', 'work_orders'],
  prompt: 'maintenance',
};
