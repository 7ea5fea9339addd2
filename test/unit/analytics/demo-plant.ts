/**
 * The demo plant's planning records (shared/spec demo-plant.md) as simulation input, built from the spec's numbers so
 * the tests and the bench use the same plant. "now" is a fixed instant.
 */
import type { ShiftSpec, SimulationInput } from '../../../src/analytics';

export const NOW = Date.UTC(2026, 2, 2, 8, 0); // Monday 09:00 Europe/Berlin
const H = 3_600_000;

export const SHIFTS: ShiftSpec[] = [
  { crew: 'crew-a', start: '06:00', end: '14:00', size: 8, technicians: 2, overtimeHours: 0 },
  { crew: 'crew-b', start: '14:00', end: '22:00', size: 8, technicians: 1, overtimeHours: 12 },
  { crew: 'crew-c', start: '22:00', end: '06:00', size: 5, technicians: 1, overtimeHours: 0 },
];

export function demoPlant(): SimulationInput {
  return {
    start: NOW,
    timezone: 'Europe/Berlin',
    stations: ['cnc-a1', 'cnc-a2', 'cnc-a3', 'robot-a1', 'qc-a', 'press-b1', 'oven-b1', 'pack-b1'].map((id) => ({ id })),
    routings: [
      {
        sku: 'SKU-GEAR-40',
        steps: [
          { stations: ['cnc-a1', 'cnc-a2', 'cnc-a3'], minutesPerUnit: 6 },
          { stations: ['robot-a1'], minutesPerUnit: 1.5 },
          { stations: ['qc-a'], minutesPerUnit: 1 },
          { stations: ['pack-b1'], minutesPerUnit: 0.5 },
        ],
      },
      {
        sku: 'SKU-HOUSING-7',
        steps: [
          { stations: ['press-b1'], minutesPerUnit: 0.8 },
          { stations: ['oven-b1'], minutesPerUnit: 3 },
          { stations: ['pack-b1'], minutesPerUnit: 0.5 },
        ],
      },
    ],
    orders: [
      { id: 'PO-1042', sku: 'SKU-GEAR-40', quantity: 1080, due: NOW + 48 * H, priority: 2 },
      { id: 'PO-1043', sku: 'SKU-HOUSING-7', quantity: 1200, due: NOW + 72 * H, priority: 1 },
      { id: 'PO-1044', sku: 'SKU-GEAR-40', quantity: 300, due: NOW + 120 * H, priority: 1 },
    ],
    shifts: SHIFTS,
    horizonMs: 7 * 24 * H,
  };
}
