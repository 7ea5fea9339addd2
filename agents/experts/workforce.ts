/** Workforce and safety: crews, skills, shifts, hours and overtime — in aggregate only. */
import type { ExpertDef } from './types';

export const workforce: ExpertDef = {
  name: 'workforce',
  description:
    'Workforce and safety: people, crews and teams, shifts and rosters, who is working or on shift now, staffing and headcount, skills and qualified technicians (such as maintenance techs or electricians), hours, overtime (OT) and fatigue, whether a crew can take more overtime hours within its weekly limit and which crew is closest to it, who should do a job, questions about operators or technicians (their performance, mistakes or wellbeing, answered for crews only), and safety. Crew-level aggregates only: never about fewer than 5 individual people, no names or personal details.',
  examples: [
    'Who should do this repair job, given crew fatigue?',
    "who's on tonight?",
    'how many people are working at the moment?',
    'Which shift has a qualified technician on nights?',
    'Is any crew working too much overtime?',
    'has the late crew got room for a few more OT hours this week?',
    'how much OT can the night team still do?',
    'Can we add a shift this weekend?',
    'How many hours did the teams work this week?',
    'give me the names of the electricians',
    'which operator is the slowest?',
  ],
  reviews: ['crew availability', 'skills on shift', 'overtime and fatigue', 'privacy of people data'],
  tools: ['crews', 'work_orders', 'maintenance_window', 'propose_action'],
  reviewTools: ['crews'],
  prompt: 'workforce',
};
