/** Dead letters: refused input with its reason. */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { deadLetters } from '../schema';

export interface NewDeadLetter {
  twin?: string | null;
  source: string;
  payload: unknown;
  reason: string;
  receivedAt?: Date;
}

export async function addDeadLetters(db: Db, list: NewDeadLetter[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await db
    .insert(deadLetters)
    .values(list.map((d) => ({ twinId: d.twin ?? null, source: d.source, payload: d.payload ?? null, reason: d.reason, ...(d.receivedAt ? { receivedAt: d.receivedAt } : {}) })))
    .returning({ id: deadLetters.id });
  return rows.length;
}

export async function listDeadLetters(db: Db, p: { twin?: string; source?: string; limit?: number } = {}) {
  const where: SQL[] = [];
  if (p.twin) where.push(eq(deadLetters.twinId, p.twin));
  if (p.source) where.push(eq(deadLetters.source, p.source));
  return db
    .select()
    .from(deadLetters)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(deadLetters.id))
    .limit(Math.min(p.limit ?? 100, 1000));
}
