/** The audit trail: append and read. There is no update or delete here, and the database refuses both anyway. */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { auditLog } from '../schema';

export interface AuditEntry {
  actor: { id: string; role?: string; via?: string } | string;
  event: string;
  target?: string | null;
  twin?: string | null;
  details?: Record<string, unknown>;
  ts?: Date;
}

export async function appendAudit(db: Db, e: AuditEntry) {
  const actor = typeof e.actor === 'string' ? { id: e.actor } : e.actor;
  const [row] = await db
    .insert(auditLog)
    .values({ actor: actor.id, actorRole: actor.role ?? null, via: actor.via ?? null, event: e.event, target: e.target ?? null, twinId: e.twin ?? null, details: e.details ?? {}, ...(e.ts ? { ts: e.ts } : {}) })
    .returning();
  return row;
}

/** Newest first; page with `beforeId`. */
export async function listAudit(db: Db, p: { twin?: string; target?: string; event?: string; limit?: number; beforeId?: number } = {}) {
  const where: SQL[] = [];
  if (p.twin) where.push(eq(auditLog.twinId, p.twin));
  if (p.target) where.push(eq(auditLog.target, p.target));
  if (p.event) where.push(eq(auditLog.event, p.event));
  if (p.beforeId) where.push(lt(auditLog.id, p.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(p.limit ?? 100, 1000));
}
