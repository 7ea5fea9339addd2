/**
 * The Drizzle database type both backends share, so callers write one code path, and a helper for raw SQL results,
 * whose shape differs by driver (PGlite returns `{rows}`, postgres.js an array).
 */
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;

/** A Drizzle database over PGlite or PostgreSQL. A transaction (`db.transaction(async (tx) => …)`) is one too. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Run raw SQL and return its rows, whichever driver is underneath. */
export async function rows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const dialect = new PgDialect();

/**
 * Like rows(), for hot reads whose SQL text is fixed (every value a parameter, never inlined): on PostgreSQL it runs
 * as a prepared statement. Drizzle otherwise sends raw SQL unprepared, and postgres.js then makes two round trips
 * per query (Parse/Describe to learn the parameter types, then Bind/Execute) and the server plans it afresh each time.
 * Prepared, it is one round trip, and the server may reuse a generic plan. postgres.js keys its statement cache on the
 * SQL text, per connection, so text built from values would grow it without bound: keep values in parameters.
 * On PGlite this is the same as rows().
 */
export async function preparedRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  // Any name makes Drizzle's postgres.js driver pass `prepare: true`; postgres.js names the statement itself.
  const result = (await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, 'store_read', false).execute()) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A PostgreSQL text[] literal (`{"a","b"}`) to pass as ONE parameter and cast with `::text[]` (both drivers take it). */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

