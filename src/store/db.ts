/**
 * The Drizzle database type both backends share, so callers write one code path, and a helper for raw SQL results,
 * whose shape differs by driver (PGlite returns `{rows}`, postgres.js an array).
 */
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
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
