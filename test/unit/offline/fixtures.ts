/**
 * An invented twin and invented expert cards for the offline model's unit tests: a bottling plant that shares no
 * ids, names or questions with the demo plant, so passing here says the model generalises rather than remembers.
 */
import type { ExpertCard, TwinContext } from '../../../src/llm/protocol';

export const NOW = '2026-05-13T09:30:00Z'; // a Wednesday

export const catalog: TwinContext['catalog'] = {
  assets: [
    { id: 'site-north', name: 'North bottling site', type: 'site', properties: [] },
    { id: 'hall-2', name: 'Filling hall', type: 'work_center', parent: 'site-north', properties: [] },
    { id: 'filler-f1', name: 'Rotary filler one', type: 'bottle_filler', parent: 'hall-2', properties: ['fill_rate', 'motor_current_a', 'power_kw'] },
    { id: 'filler-f2', name: 'Rotary filler two', type: 'bottle_filler', parent: 'hall-2', properties: ['fill_rate', 'motor_current_a', 'power_kw'] },
    { id: 'capper-c7', name: 'Capping turret', type: 'capper', parent: 'hall-2', properties: ['torque_nm', 'power_kw'] },
    { id: 'boiler-9', name: 'Steam boiler', type: 'steam_boiler', parent: 'site-north', properties: ['steam_pressure_bar', 'gas_flow_m3h', 'flue_temp'] },
    { id: 'chiller-x', name: 'Glycol chiller', type: 'glycol_chiller', parent: 'site-north', properties: ['supply_temp', 'power_kw'] },
  ],
  orders: [
    { id: 'BO-501', sku: 'LEMON-33CL', due: '2026-05-15T18:00:00Z', priority: 'high' },
    { id: 'BO-502', sku: 'COLA-50CL', due: '2026-05-18T18:00:00Z' },
  ],
  crews: [
    { id: 'team-red', shift: '05:00-13:00' },
    { id: 'team-blue', shift: '13:00-21:00' },
    { id: 'team-night', shift: '21:00-05:00' },
  ],
  commands: {
    bottle_filler: [
      { name: 'set_fill_rate', description: 'Change the filling rate', sets: 'fill_rate_setpoint', params: { bottles_per_min: { type: 'number', unit: 'bpm', min: 0, max: 600 } }, risk: 'medium' },
      { name: 'stop', description: 'Controlled stop', params: {}, risk: 'high' },
      { name: 'start', description: 'Start after a stop', params: {}, risk: 'medium' },
    ],
    steam_boiler: [{ name: 'set_steam_pressure', description: 'Change the steam pressure setpoint', sets: 'steam_pressure_setpoint', params: { bar: { type: 'number', unit: 'bar', min: 2, max: 12 } }, risk: 'high' }],
  },
};

export function context(expert: string, mode: TwinContext['mode'] = 'primary'): TwinContext {
  return { twin: 'bottling-north', now: NOW, timezone: 'Europe/Madrid', expert, mode, catalog };
}

export const cards: ExpertCard[] = [
  {
    name: 'reliability',
    description: 'Equipment condition: health, wear, breakdowns, remaining useful life, repairs and maintenance windows.',
    examples: ['Which filler will break down first?', 'Is the capper wearing out?', 'When can we repair the boiler without stopping the line?'],
    reviews: ['equipment condition', 'repair timing', 'breakdown risk'],
  },
  {
    name: 'planning',
    description: 'Customer orders, due dates, throughput, capacity, what-if simulation and rescheduling of orders.',
    examples: ['Will this order ship on time or be late?', 'What happens to our orders if a filler stops for a day?', 'Can we reschedule the cola run?'],
    reviews: ['order due dates', 'lost throughput', 'downtime during production'],
  },
  {
    name: 'utilities',
    description: 'Energy and utilities: electricity and gas consumption, tariffs, peak demand, cost and load shifting.',
    examples: ['Why is the gas bill higher this month?', 'What does the chiller cost us at peak?', 'Could we run the boiler off-peak?'],
    reviews: ['energy cost', 'peak tariff window'],
  },
  {
    name: 'people',
    description: 'Teams, shifts, skills, hours and overtime in aggregate only; never about single persons.',
    examples: ['Which team has capacity for a repair on Friday?', 'How much overtime did the teams do?', 'Who has the skills for the night shift?'],
    reviews: ['team overtime', 'skills on shift', 'workload'],
  },
];
