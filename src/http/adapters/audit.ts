/** The audit trail over the store's append-only audit_log: rows are only ever inserted and read. */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../store';
import { auditLog } from '../../store/schema/audit';
import type { AuditApi } from '../deps';

export function storeAudit(db: Db): AuditApi {
  return {
    async append(e) {
      await db.insert(auditLog).values({
        actor: e.actor,
        actorRole: e.role,
        via: e.via,
        event: e.event,
        target: e.target,
        twinId: e.twin ?? null,
        details: e.details ?? {},
      });
    },
    async list({ limit, target, before }) {
      const beforeTs = before && Number.isFinite(Date.parse(before)) ? new Date(before) : undefined;
      const where = and(target ? eq(auditLog.target, target) : undefined, beforeTs ? lt(auditLog.ts, beforeTs) : undefined);
      const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.ts), desc(auditLog.id)).limit(limit);
      return rows.map((r) => ({
        id: r.id,
        ts: r.ts.toISOString(),
        twin: r.twinId,
        actor: r.actor,
        role: r.actorRole,
        via: r.via,
        event: r.event,
        target: r.target,
        details: r.details,
      }));
    },
  };
}
