/** Energy: consumption, tariffs, demand peaks and load shifting. */
import type { ExpertDef } from './types';

export const energy: ExpertDef = {
  name: 'energy',
  description:
    'Energy and utilities: electricity and gas consumption, why usage went up, tariffs and peak windows, demand charges, load shifting, compressed air and cooling efficiency, and what savings a change brings per month.',
  examples: [
    'Why is our energy use up this week?',
    'Can we move a heavy load out of the peak tariff window, and what does it save?',
    'Which machine drives our demand peak?',
    'How much does this equipment cost us to run per month?',
    'Is a utility running less efficiently than usual?',
  ],
  reviews: ['energy cost', 'peak demand', 'tariff windows'],
  tools: ['list_assets', 'asset_state', 'asset_history', 'energy_breakdown', 'efficiency_drift', 'tariff', 'load_shift', 'detect_anomalies', 'propose_action'],
  reviewTools: ['tariff', 'energy_breakdown', 'load_shift'],
  prompt: 'energy',
};
