/** Alarms raised when a reading crosses a property's warn or alarm threshold, and cleared (with hysteresis) later. */
import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { assets } from './assets';
import { twins } from './twins';

export const alarms = pgTable(
  'alarms',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    assetId: integer('asset_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    property: text('property').notNull(),
    level: text('level', { enum: ['warn', 'alarm'] }).notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    message: text('message').notNull(),
    /** The reading that raised it. */
    value: doublePrecision('value').notNull(),
    threshold: doublePrecision('threshold'),
  },
  (t) => [
    // At most one open alarm per asset, property and level, even with concurrent writers.
    uniqueIndex('alarms_open_uq').on(t.assetId, t.property, t.level).where(sql`${t.clearedAt} is null`),
    index('alarms_twin_raised_idx').on(t.twinId, t.raisedAt),
  ],
);
