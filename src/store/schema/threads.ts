/** Conversation threads of the copilot, their Slack thread mapping, and processed Slack event ids (retries de-duplicate). */
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const threads = pgTable(
  'threads',
  {
    id: text('id').primaryKey(),
    twinId: text('twin_id'),
    title: text('title'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('threads_updated_idx').on(t.updatedAt)],
);

export const slackThreads = pgTable(
  'slack_threads',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    threadId: text('thread_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'slack_threads_pk', columns: [t.teamId, t.channelId, t.threadTs] })],
);

/** Slack retries an event it thinks was lost; inserting its id first makes the handler run once. */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().default(sql`now()`),
});
