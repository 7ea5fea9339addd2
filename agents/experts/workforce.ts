/** Workforce and safety: crews, skills, shifts, hours and overtime — in aggregate only. */
import type { ExpertDef } from './types';

export const workforce: ExpertDef = {
  name: 'workforce',
  description:
    'Workforce and safety: crews, shifts, skills and qualified technicians, hours, overtime and fatigue, who should do a job, and staffing changes. Crew-level aggregates only; never about fewer than 5 individual people.',
  examples: [
    'Who should do this repair job, given crew fatigue?',
    'Which shift has a qualified technician on nights?',
    'Is any crew working too much overtime?',
    'Can we add a shift this weekend?',
    'How many hours did the teams work this week?',
  ],
  reviews: ['crew availability', 'skills on shift', 'overtime and fatigue', 'privacy of people data'],
  tools: ['crews', 'work_orders', 'maintenance_window', 'propose_action'],
  reviewTools: ['crews'],
  prompt: 'workforce',
};
