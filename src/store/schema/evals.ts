/** Eval runs (evals.md): one row per `twin eval`, with the summary and the per-case results. */
import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const evalRuns = pgTable('eval_runs', {
  id: text('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().default(sql`now()`),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  provider: text('provider').notNull(),
  /** True for a run kept as the baseline later runs are compared with. */
  baseline: boolean('baseline').notNull().default(false),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
  results: jsonb('results').$type<unknown[]>().notNull().default([]),
});
