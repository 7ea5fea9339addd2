/** Input that was refused (bad JSON, unknown asset, out of physical bounds), kept with the reason. */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const deadLetters = pgTable(
  'dead_letters',
  {
    id: serial('id').primaryKey(),
    twinId: text('twin_id'),
    /** `mqtt:<topic>`, `http`, `csv:<file>:<line>` … */
    source: text('source').notNull(),
    /** The refused input as received (a JSON value; raw text is stored as a JSON string). */
    payload: jsonb('payload').$type<unknown>(),
    reason: text('reason').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('dead_letters_received_idx').on(t.receivedAt)],
);
