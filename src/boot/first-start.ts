/**
 * First-start work (the first admin key, the demo plant) under one PostgreSQL advisory lock, so two replicas starting
 * together on an empty database do it exactly once: the second waits for the first's transaction to commit, then
 * finds the key or the twin and does nothing. `pg_advisory_xact_lock` is released with the transaction, so a crash
 * never leaves it held; PGlite has it too (and a single session, where it is simply uncontended).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../store';

/** The lock's key: one 64-bit number for "first start" in this database ("twnp" in ASCII). */
export const FIRST_START_LOCK = 0x74776e70;

/** Run `fn` in a transaction that first takes the first-start lock; `fn` must check and write through `tx`. */
export async function underFirstStartLock<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_START_LOCK})`);
    return fn(tx as unknown as Db);
  });
}
