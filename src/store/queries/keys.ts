/** API keys as stored: a hash and a display prefix; the caller hashes and generates (src/http owns the format). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { apiKeys } from '../schema';

type Role = (typeof apiKeys.$inferSelect)['role'];

export async function createKey(db: Db, k: { id: string; name?: string | null; role: Role; hash: string; prefix: string }) {
  const [row] = await db.insert(apiKeys).values({ id: k.id, name: k.name ?? null, role: k.role, hash: k.hash, prefix: k.prefix }).returning();
  return row;
}

/** An active (not revoked) key by its hash. */
export async function findKeyByHash(db: Db, p: { hash: string }) {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.hash, p.hash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

export async function listKeys(db: Db) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .orderBy(asc(apiKeys.createdAt));
}

/** Returns false when no such active key exists. */
export async function revokeKey(db: Db, p: { id: string; now?: Date }): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: p.now ?? new Date() })
    .where(and(eq(apiKeys.id, p.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function touchKey(db: Db, p: { id: string; now?: Date }): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: p.now ?? new Date() }).where(eq(apiKeys.id, p.id));
}

export async function countKeys(db: Db): Promise<number> {
  return (await db.select({ id: apiKeys.id }).from(apiKeys)).length;
}
