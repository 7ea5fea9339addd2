/** API keys kept in the store's api_keys table (shared by every replica on the same database). */
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Role } from '../../control/roles';
import type { Db } from '../../store';
import { apiKeys } from '../../store/schema/api-keys';
import type { KeyRecord, KeyRepo } from '../keys';

type Row = typeof apiKeys.$inferSelect;

function toRecord(r: Row): KeyRecord {
  return {
    id: r.id,
    prefix: r.prefix,
    hash: r.hash,
    role: r.role as Role,
    name: r.name ?? '',
    created_at: r.createdAt.toISOString(),
    revoked_at: r.revokedAt ? r.revokedAt.toISOString() : null,
  };
}

export function storeKeyRepo(db: Db): KeyRepo {
  return {
    async insert(rec) {
      await db.insert(apiKeys).values({ id: rec.id, prefix: rec.prefix, hash: rec.hash, role: rec.role, name: rec.name, createdAt: new Date(rec.created_at) });
    },
    async find(prefix, hash) {
      const [r] = await db.select().from(apiKeys).where(and(eq(apiKeys.hash, hash), eq(apiKeys.prefix, prefix))).limit(1);
      return r ? toRecord(r) : null;
    },
    async list() {
      return (await db.select().from(apiKeys).orderBy(apiKeys.createdAt)).map(toRecord);
    },
    async revoke(id, at) {
      const done = await db.update(apiKeys).set({ revokedAt: new Date(at) }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
      return done.length > 0;
    },
    async countActive(role) {
      const where = role ? and(isNull(apiKeys.revokedAt), eq(apiKeys.role, role)) : isNull(apiKeys.revokedAt);
      const [r] = await db.select({ n: count() }).from(apiKeys).where(where);
      return Number(r?.n ?? 0);
    },
  };
}
