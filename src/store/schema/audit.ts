/**
 * The audit trail: every proposal, approval, refusal and command. Append-only, enforced in the database: a trigger
 * (drizzle/0002_*.sql) refuses UPDATE, DELETE and TRUNCATE, whatever the code does.
 */
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: timestamp('ts', { withTimezone: true }).notNull().default(sql`now()`),
    twinId: text('twin_id'),
    actor: text('actor').notNull(),
    actorRole: text('actor_role'),
    via: text('via'),
    /** What happened, dotted: `action.proposed`, `action.approved`, `approval.refused`, `command.sent`, `twin.loaded`. */
    event: text('event').notNull(),
    /** What it happened to: an action id, a command id, a twin. */
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_ts_idx').on(t.ts), index('audit_log_target_idx').on(t.target)],
);
