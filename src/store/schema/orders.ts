/** Production orders and the routings their SKUs follow (planning records of a manifest). */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { twins } from './twins';

export interface StoredRoutingStep {
  station: string | string[];
  minutes: number;
  name?: string;
}

export const routings = pgTable(
  'routings',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name'),
    /** `[{station: id | id[], minutes, name?}]`, in order; a list of stations means any of them. */
    steps: jsonb('steps').$type<StoredRoutingStep[]>().notNull(),
  },
  (t) => [unique('routings_twin_sku').on(t.twinId, t.sku)],
);

export const productionOrders = pgTable(
  'production_orders',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    /** The manifest id (`PO-1042`). */
    key: text('key').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    completed: integer('completed').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).notNull().default('normal'),
    status: text('status', { enum: ['planned', 'released', 'in_progress', 'done', 'cancelled'] }).notNull().default('planned'),
    customer: text('customer'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [unique('production_orders_twin_key').on(t.twinId, t.key), index('production_orders_due_idx').on(t.twinId, t.dueAt)],
);
