/** Commands sent to devices (MQTT `twin/<twin>/<asset>/commands`) and their acknowledgements. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const commands = pgTable(
  'commands',
  {
    /** `cmd_…`, also the MQTT payload id the device echoes in its ack. */
    id: text('id').primaryKey(),
    actionId: text('action_id'),
    twinId: text('twin_id').notNull(),
    assetId: integer('asset_id').notNull(),
    command: text('command').notNull(),
    args: jsonb('args').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: ['sent', 'done', 'failed', 'timeout'] }).notNull().default('sent'),
    detail: text('detail'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().default(sql`now()`),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
  },
  (t) => [index('commands_action_idx').on(t.actionId), index('commands_status_idx').on(t.status, t.sentAt)],
);
