/** Production: orders, capacity, what-if simulation and rescheduling. */
import type { ExpertDef } from './types';

export const production: ExpertDef = {
  name: 'production',
  description:
    'Production planning and orders: whether an order is on track, on time, late or at risk, its status and progress, how many units are still left to make or produce, due dates and deliveries, capacity, output and throughput, bottlenecks and which machine limits an order, what-if simulation of a machine being down, the order sequence (running one order before or after another), rescheduling or moving orders, and rush orders.',
  examples: [
    'Will this order ship on time?',
    "where are we with the retailer's order?",
    'how much is left to produce on that order?',
    'what if the line is down till tomorrow, are we late?',
    'What happens to our due dates if one machine goes down for two days?',
    'whats due this week',
    'Can we take a rush order this week?',
    'Reschedule the late order to another line.',
    'which machine holds the order up?',
    'Where is the bottleneck on the line?',
    'could we run the small order before the big one?',
  ],
  reviews: ['order due dates', 'capacity and throughput', 'downtime impact on orders'],
  tools: ['list_assets', 'orders', 'routings', 'capacity', 'simulate_schedule', 'asset_state', 'propose_action'],
  reviewTools: ['orders', 'capacity', 'simulate_schedule'],
  prompt: 'production',
};
