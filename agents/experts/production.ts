/** Production: orders, capacity, what-if simulation and rescheduling. */
import type { ExpertDef } from './types';

export const production: ExpertDef = {
  name: 'production',
  description:
    'Production planning: customer and production orders, due dates, capacity, throughput, bottlenecks, what-if simulation of machine outages, and rescheduling orders.',
  examples: [
    'Will we ship this order on time?',
    'What happens to our due dates if one machine goes down for two days?',
    'Can we take a rush order this week?',
    'Reschedule the late order to another line.',
    'Where is the bottleneck on the line?',
  ],
  reviews: ['order due dates', 'capacity and throughput', 'downtime impact on orders'],
  tools: ['list_assets', 'orders', 'routings', 'capacity', 'simulate_schedule', 'asset_state', 'propose_action'],
  reviewTools: ['orders', 'capacity', 'simulate_schedule'],
  prompt: 'production',
};
