/**
 * Thread persistence with the official PostgresSaver, on PostgreSQL and embedded PGlite alike: it takes the store's
 * pg-style pool (`store.pgPool()`, src/store/pg-pool.ts), which over PGlite holds one PGlite transaction per
 * connected client so the saver's BEGIN/COMMIT never interleave with the store's own queries.
 * Its tables live in a schema of their own, apart from the store's drizzle tables.
 */
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import type { PoolLike } from '../src/store';

export const CHECKPOINT_SCHEMA = 'copilot';

/** A PostgresSaver over the pool; its tables are created (idempotently) before it is returned. */
export async function createCheckpointer(pool: PoolLike, schema = CHECKPOINT_SCHEMA): Promise<PostgresSaver> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid checkpoint schema "${schema}"`);
  // setup() probes the migrations table and catches "no such table"; over PGlite that probe runs inside one
  // transaction, where a failed statement aborts the rest. Creating the table first (migration 0, verbatim) keeps
  // the probe from failing on a fresh database.
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS "${schema}".checkpoint_migrations (\n    v INTEGER PRIMARY KEY\n  );`);
  const saver = new PostgresSaver(pool as unknown as pg.Pool, undefined, { schema });
  await saver.setup();
  return saver;
}
