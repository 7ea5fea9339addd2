/** Maintenance work orders: from the manifest, or created by an approved `create_work_order` action. */
import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { assets } from './assets';
import { twins } from './twins';

export const workOrders = pgTable(
  'work_orders',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    /** `WO-77`; generated for work orders created by actions. */
    key: text('key').notNull(),
    assetId: integer('asset_id').notNull().references(() => assets.id),
    kind: text('kind', { enum: ['preventive', 'corrective', 'predictive', 'inspection'] }).notNull(),
    status: text('status', { enum: ['open', 'scheduled', 'in_progress', 'done', 'cancelled'] }).notNull().default('open'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    startAt: timestamp('start_at', { withTimezone: true }),
    endAt: timestamp('end_at', { withTimezone: true }),
    durationHours: doublePrecision('duration_hours'),
    /** Crew key (`crew-c`). */
    crew: text('crew'),
    skill: text('skill'),
    note: text('note'),
    /** `manifest` or `action`. */
    source: text('source').notNull().default('manifest'),
    actionId: text('action_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [unique('work_orders_twin_key').on(t.twinId, t.key), index('work_orders_asset_idx').on(t.assetId)],
);
