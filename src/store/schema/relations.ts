/** Typed, directed relations between assets (`cnc-a1 feeds robot-a1`), indexed both ways for traversal. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { assets } from './assets';
import { twins } from './twins';

export const assetRelations = pgTable(
  'relations',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id').notNull().references(() => twins.id, { onDelete: 'cascade' }),
    fromId: integer('from_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    toId: integer('to_id').notNull().references(() => assets.id, { onDelete: 'cascade' }),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    // The unique edge doubles as the outgoing index.
    unique('relations_edge').on(t.fromId, t.type, t.toId),
    index('relations_in_idx').on(t.toId, t.type, t.fromId),
    index('relations_twin_idx').on(t.twinId),
  ],
);
