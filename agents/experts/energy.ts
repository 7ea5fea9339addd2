/** Energy: consumption, tariffs, demand peaks and load shifting. */
import type { ExpertDef } from './types';

export const energy: ExpertDef = {
  name: 'energy',
  description:
    'Energy and utilities: electricity, power and gas consumption and what it costs, why usage or the bill went up, energy prices and tariffs, when power is cheap or expensive, the cheapest time to run a load, peak windows and demand charges, load shifting (moving a heat-up, warm-up, pre-heat or charging to other hours), energy per unit made, how efficiently a utility runs, and what a change saves per month.',
  examples: [
    'Why is our energy use up this week?',
    'why did the power bill jump?',
    'when is electricity cheapest?',
    'Can we move a heavy load out of the peak tariff window, and what does it save?',
    'Which machine drives our demand peak?',
    'How much does this equipment cost us to run per month?',
    'how many kwh does each unit take?',
    'Is a utility using more energy than usual?',
    'what will our load be tomorrow afternoon?',
    'how much would we save starting the warm-up two hours earlier?',
  ],
  reviews: ['energy cost', 'peak demand', 'tariff windows'],
  tools: ['list_assets', 'asset_state', 'asset_history', 'energy_breakdown', 'efficiency_drift', 'tariff', 'load_shift', 'detect_anomalies', 'forecast', 'propose_action'],
  reviewTools: ['tariff', 'energy_breakdown', 'load_shift'],
  prompt: 'energy',
};
