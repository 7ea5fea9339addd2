/** Action proposals of the copilot and every change of their status (who, when, why). */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const ACTION_STATUSES = ['pending_approval', 'approved', 'rejected', 'executed', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const actionProposals = pgTable(
  'action_proposals',
  {
    /** `act_…` */
    id: text('id').primaryKey(),
    twinId: text('twin_id').notNull(),
    runId: text('run_id'),
    threadId: text('thread_id'),
    type: text('type').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    risk: text('risk', { enum: ['low', 'medium', 'high'] }).notNull(),
    status: text('status', { enum: ACTION_STATUSES }).notNull().default('pending_approval'),
    proposedBy: text('proposed_by').notNull(),
    rationale: text('rationale'),
    /** Evidence ids or records the proposal rests on. */
    evidence: jsonb('evidence').$type<unknown[]>().notNull().default([]),
    /** What execution produced (work order key, command id) or why it failed. */
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('action_proposals_status_idx').on(t.status, t.createdAt), index('action_proposals_thread_idx').on(t.threadId)],
);

export const actionEvents = pgTable(
  'action_events',
  {
    id: serial('id').primaryKey(),
    actionId: text('action_id')
      .notNull()
      .references(() => actionProposals.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    actorRole: text('actor_role'),
    via: text('via'),
    comment: text('comment'),
    ts: timestamp('ts', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('action_events_action_idx').on(t.actionId, t.ts)],
);
