/** Planning records: production orders, routings, crews, tariffs and work orders of a twin. */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { assets, crews, productionOrders, routings, tariffs, workOrders } from '../schema';

type OrderStatus = (typeof productionOrders.$inferSelect)['status'];
type WorkOrderStatus = (typeof workOrders.$inferSelect)['status'];

export async function listOrders(db: Db, p: { twin: string; status?: OrderStatus[]; sku?: string }) {
  const where: SQL[] = [eq(productionOrders.twinId, p.twin)];
  if (p.status?.length) where.push(inArray(productionOrders.status, p.status));
  if (p.sku) where.push(eq(productionOrders.sku, p.sku));
  return db.select().from(productionOrders).where(and(...where)).orderBy(asc(productionOrders.dueAt), asc(productionOrders.key));
}

export async function getOrder(db: Db, p: { twin: string; key: string }) {
  const [o] = await db.select().from(productionOrders).where(and(eq(productionOrders.twinId, p.twin), eq(productionOrders.key, p.key)));
  return o ?? null;
}

/** Move an order's due date (`reschedule_order`); returns the updated order or null. */
export async function rescheduleOrder(db: Db, p: { twin: string; key: string; dueAt: Date; now?: Date }) {
  const [o] = await db
    .update(productionOrders)
    .set({ dueAt: p.dueAt, updatedAt: p.now ?? new Date() })
    .where(and(eq(productionOrders.twinId, p.twin), eq(productionOrders.key, p.key)))
    .returning();
  return o ?? null;
}

export async function listRoutings(db: Db, p: { twin: string }) {
  return db.select().from(routings).where(eq(routings.twinId, p.twin)).orderBy(asc(routings.sku));
}

export async function getRouting(db: Db, p: { twin: string; sku: string }) {
  const [r] = await db.select().from(routings).where(and(eq(routings.twinId, p.twin), eq(routings.sku, p.sku)));
  return r ?? null;
}

export async function listCrews(db: Db, p: { twin: string }) {
  return db.select().from(crews).where(eq(crews.twinId, p.twin)).orderBy(asc(crews.key));
}

/** Change a crew's overtime or shift (`adjust_shift`); returns the crew or null. */
export async function updateCrew(db: Db, p: { twin: string; key: string; shift?: string; overtimeHoursWeek?: number }) {
  const set: Partial<typeof crews.$inferInsert> = {};
  if (p.shift !== undefined) set.shift = p.shift;
  if (p.overtimeHoursWeek !== undefined) set.overtimeHoursWeek = p.overtimeHoursWeek;
  if (Object.keys(set).length === 0) return (await db.select().from(crews).where(and(eq(crews.twinId, p.twin), eq(crews.key, p.key))))[0] ?? null;
  const [c] = await db.update(crews).set(set).where(and(eq(crews.twinId, p.twin), eq(crews.key, p.key))).returning();
  return c ?? null;
}

export async function listTariffs(db: Db, p: { twin: string }) {
  return db.select().from(tariffs).where(eq(tariffs.twinId, p.twin)).orderBy(asc(tariffs.key));
}

const woView = {
  id: workOrders.id,
  twin: workOrders.twinId,
  key: workOrders.key,
  asset: assets.key,
  kind: workOrders.kind,
  status: workOrders.status,
  dueAt: workOrders.dueAt,
  startAt: workOrders.startAt,
  endAt: workOrders.endAt,
  durationHours: workOrders.durationHours,
  crew: workOrders.crew,
  skill: workOrders.skill,
  note: workOrders.note,
  source: workOrders.source,
  actionId: workOrders.actionId,
  createdAt: workOrders.createdAt,
};

export async function listWorkOrders(db: Db, p: { twin: string; asset?: string; status?: WorkOrderStatus[] }) {
  const where: SQL[] = [eq(workOrders.twinId, p.twin)];
  if (p.asset) where.push(eq(assets.key, p.asset));
  if (p.status?.length) where.push(inArray(workOrders.status, p.status));
  return db.select(woView).from(workOrders).innerJoin(assets, eq(assets.id, workOrders.assetId)).where(and(...where)).orderBy(asc(workOrders.dueAt), asc(workOrders.key));
}

export interface NewWorkOrder {
  twin: string;
  asset: string;
  kind: (typeof workOrders.$inferInsert)['kind'];
  /** Defaults to `WO-<n>` with the next free number. */
  key?: string;
  status?: WorkOrderStatus;
  dueAt?: Date | null;
  startAt?: Date | null;
  endAt?: Date | null;
  durationHours?: number | null;
  crew?: string | null;
  skill?: string | null;
  note?: string | null;
  actionId?: string | null;
}

/** Create a work order (an approved `create_work_order`); returns it, or null when the asset is unknown. */
export async function createWorkOrder(db: Db, p: NewWorkOrder) {
  const [asset] = await db.select({ id: assets.id }).from(assets).where(and(eq(assets.twinId, p.twin), eq(assets.key, p.asset)));
  if (!asset) return null;
  let key = p.key;
  if (!key) {
    const keys = await db.select({ key: workOrders.key }).from(workOrders).where(eq(workOrders.twinId, p.twin));
    const max = keys.reduce((m, r) => Math.max(m, Number(/^WO-(\d+)$/.exec(r.key)?.[1] ?? 0)), 0);
    key = `WO-${max + 1}`;
  }
  const endAt = p.endAt ?? (p.startAt && p.durationHours ? new Date(p.startAt.getTime() + p.durationHours * 3_600_000) : null);
  const [w] = await db
    .insert(workOrders)
    .values({
      twinId: p.twin, key, assetId: asset.id, kind: p.kind, status: p.status ?? (p.startAt ? 'scheduled' : 'open'), dueAt: p.dueAt ?? null, startAt: p.startAt ?? null, endAt,
      durationHours: p.durationHours ?? null, crew: p.crew ?? null, skill: p.skill ?? null, note: p.note ?? null, source: p.actionId ? 'action' : 'manual', actionId: p.actionId ?? null,
    })
    .returning();
  return { ...w, asset: p.asset };
}
