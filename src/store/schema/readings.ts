/**
 * Time series: raw readings and their per-minute rollups.
 * On both backends `readings` is range-partitioned by day on `ts` (the SQL migration is hand-edited for that; see
 * drizzle/0001_*.sql) with a default partition, so an insert is never refused for lack of a partition.
 * The unique key makes a retried batch a no-op. No foreign keys here: ingestion speed matters more, and assets are
 * retired, never deleted, so their history stays meaningful.
 */
import { doublePrecision, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

export const readings = pgTable(
  'readings',
  {
    twinId: text('twin_id').notNull(),
    assetId: integer('asset_id').notNull(),
    property: text('property').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [unique('readings_key').on(t.twinId, t.assetId, t.property, t.ts)],
);

/** One row per (asset, property, minute), written in the same statement as the readings it summarises. */
export const rollups1m = pgTable(
  'rollups_1m',
  {
    twinId: text('twin_id').notNull(),
    assetId: integer('asset_id').notNull(),
    property: text('property').notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    min: doublePrecision('min').notNull(),
    max: doublePrecision('max').notNull(),
    sum: doublePrecision('sum').notNull(),
    count: integer('count').notNull(),
    last: doublePrecision('last').notNull(),
    lastTs: timestamp('last_ts', { withTimezone: true }).notNull(),
  },
  (t) => [unique('rollups_1m_key').on(t.twinId, t.assetId, t.property, t.minute), index('rollups_1m_minute_idx').on(t.minute)],
);
