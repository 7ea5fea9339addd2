/** Crews and their shifts: aggregate figures only (size, skill counts, overtime), never individuals. */
import { doublePrecision, integer, jsonb, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
import { twins } from './twins';

export const crews = pgTable(
  'crews',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name'),
    /** `06:00-14:00`, local to the twin's timezone. */
    shift: text('shift').notNull(),
    size: integer('size').notNull(),
    /** Skill → how many crew members hold it. */
    skills: jsonb('skills').$type<Record<string, number>>().notNull().default({}),
    overtimeHoursWeek: doublePrecision('overtime_hours_week').notNull().default(0),
    overtimeLimitHoursWeek: doublePrecision('overtime_limit_hours_week'),
    area: text('area'),
  },
  (t) => [unique('crews_twin_key').on(t.twinId, t.key)],
);
