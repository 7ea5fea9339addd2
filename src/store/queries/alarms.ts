/** Alarms: the open ones (not cleared), and the history of a twin or asset. */
import { and, desc, eq, gte, isNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { alarms, assets } from '../schema';

const view = {
  id: alarms.id,
  twin: alarms.twinId,
  asset: assets.key,
  property: alarms.property,
  level: alarms.level,
  raisedAt: alarms.raisedAt,
  clearedAt: alarms.clearedAt,
  message: alarms.message,
  value: alarms.value,
  threshold: alarms.threshold,
};

export async function openAlarms(db: Db, p: { twin: string; asset?: string }) {
  const where: SQL[] = [eq(alarms.twinId, p.twin), isNull(alarms.clearedAt)];
  if (p.asset) where.push(eq(assets.key, p.asset));
  return db.select(view).from(alarms).innerJoin(assets, eq(assets.id, alarms.assetId)).where(and(...where)).orderBy(desc(alarms.raisedAt));
}

export async function alarmHistory(db: Db, p: { twin: string; asset?: string; from?: Date; to?: Date; limit?: number }) {
  const where: SQL[] = [eq(alarms.twinId, p.twin)];
  if (p.asset) where.push(eq(assets.key, p.asset));
  if (p.from) where.push(gte(alarms.raisedAt, p.from));
  if (p.to) where.push(lt(alarms.raisedAt, p.to));
  return db
    .select(view)
    .from(alarms)
    .innerJoin(assets, eq(assets.id, alarms.assetId))
    .where(and(...where))
    .orderBy(desc(alarms.raisedAt))
    .limit(p.limit ?? 500);
}
