/**
 * One read of a twin as the copilot's tools see it: the twin, its types (with inheritance resolved), its live assets
 * with state, its relations, and the planning records. Tools read this once per run and compute over it; the time
 * series stay in the database (see series-window.ts).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { readCacheOf } from './read-cache';
import { alarms, assetRelations, assets, assetTypes, crews, productionOrders, routings, tariffs, twins, workOrders } from '../schema';
import type { State } from '../schema/assets';
import type { StoredCommandDef, StoredPropertyDef } from '../schema/twins';
import type { StoredRoutingStep } from '../schema/orders';
import type { StoredTariffBand } from '../schema/tariffs';

export interface SnapshotAsset {
  /** Surrogate key readings refer to. */
  pk: number;
  id: string;
  type: string;
  name: string | null;
  parent: string | null;
  attributes: Record<string, unknown>;
  reported: State;
  desired: State;
}

export interface SnapshotType {
  key: string;
  chain: string[];
  description: string | null;
  properties: Record<string, StoredPropertyDef>;
  commands: Record<string, StoredCommandDef>;
}

export interface TwinSnapshot {
  twin: { id: string; name: string; timezone: string; loadedAt: Date };
  types: Map<string, SnapshotType>;
  assets: SnapshotAsset[];
  relations: { from: string; type: string; to: string }[];
  orders: { id: string; sku: string; quantity: number; completed: number; due: Date; priority: string; status: string; customer: string | null }[];
  routings: { sku: string; name: string | null; steps: StoredRoutingStep[] }[];
  crews: { id: string; name: string | null; shift: string; size: number; skills: Record<string, number>; overtimeHoursWeek: number; overtimeLimitHoursWeek: number | null }[];
  tariffs: { id: string; currency: string; energy: StoredTariffBand[]; demandChargePerKwMonth: number | null; demandWindowMinutes: number; meter: string | null }[];
  workOrders: { id: string; asset: string; kind: string; status: string; due: Date | null; start: Date | null; end: Date | null; durationHours: number | null; crew: string | null; skill: string | null; note: string | null }[];
}

/**
 * The snapshot of one twin, or null when the store has no such twin. Through a cached view of the database
 * (read-cache.ts) it is read once per version of the twin; callers must not modify it.
 */
export async function twinSnapshot(db: Db, params: { twin: string }): Promise<TwinSnapshot | null> {
  const cache = readCacheOf(db);
  if (!cache) return readSnapshot(db, params);
  // A twin that is not there is not cached: whatever loads it next is seen at once.
  return cache
    .get(params.twin, 'snapshot', async () => (await readSnapshot(db, params)) ?? Promise.reject(ABSENT))
    .catch((err: unknown) => (err === ABSENT ? null : Promise.reject(err)));
}

const ABSENT = new Error('no such twin');

async function readSnapshot(db: Db, params: { twin: string }): Promise<TwinSnapshot | null> {
  const [t] = await db.select().from(twins).where(eq(twins.id, params.twin));
  if (!t) return null;
  const [typeRows, assetRows, relRows, orderRows, routingRows, crewRows, tariffRows, woRows] = await Promise.all([
    db.select().from(assetTypes).where(eq(assetTypes.twinId, t.id)),
    db.select().from(assets).where(and(eq(assets.twinId, t.id), isNull(assets.retiredAt))),
    db.select().from(assetRelations).where(eq(assetRelations.twinId, t.id)),
    db.select().from(productionOrders).where(eq(productionOrders.twinId, t.id)),
    db.select().from(routings).where(eq(routings.twinId, t.id)),
    db.select().from(crews).where(eq(crews.twinId, t.id)),
    db.select().from(tariffs).where(eq(tariffs.twinId, t.id)),
    db.select().from(workOrders).where(eq(workOrders.twinId, t.id)),
  ]);
  const keyOf = new Map(assetRows.map((a) => [a.id, a.key]));
  return {
    twin: { id: t.id, name: t.name, timezone: t.timezone, loadedAt: t.loadedAt },
    types: new Map(typeRows.map((r) => [r.key, { key: r.key, chain: r.chain, description: r.description, properties: r.effectiveProperties, commands: r.effectiveCommands }])),
    assets: assetRows
      .map((a) => ({ pk: a.id, id: a.key, type: a.type, name: a.name, parent: a.parentId ? (keyOf.get(a.parentId) ?? null) : null, attributes: a.attributes, reported: a.reported, desired: a.desired }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    relations: relRows
      .filter((r) => keyOf.has(r.fromId) && keyOf.has(r.toId))
      .map((r) => ({ from: keyOf.get(r.fromId)!, type: r.type, to: keyOf.get(r.toId)! })),
    orders: orderRows
      .map((o) => ({ id: o.key, sku: o.sku, quantity: o.quantity, completed: o.completed, due: o.dueAt, priority: o.priority, status: o.status, customer: o.customer ?? null }))
      .sort((a, b) => a.due.getTime() - b.due.getTime()),
    routings: routingRows.map((r) => ({ sku: r.sku, name: r.name, steps: r.steps })),
    crews: crewRows.map((c) => ({ id: c.key, name: c.name, shift: c.shift, size: c.size, skills: c.skills, overtimeHoursWeek: c.overtimeHoursWeek, overtimeLimitHoursWeek: c.overtimeLimitHoursWeek })).sort((a, b) => a.id.localeCompare(b.id)),
    tariffs: tariffRows.map((r) => ({ id: r.key, currency: r.currency, energy: r.energy, demandChargePerKwMonth: r.demandChargePerKwMonth, demandWindowMinutes: r.demandWindowMinutes, meter: r.meter })),
    workOrders: woRows
      .map((w) => ({ id: w.key, asset: keyOf.get(w.assetId) ?? String(w.assetId), kind: w.kind, status: w.status, due: w.dueAt, start: w.startAt, end: w.endAt, durationHours: w.durationHours, crew: w.crew, skill: w.skill, note: w.note }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** Open alarms of a twin (optionally one asset), newest first (cached per version of the twin, like the snapshot). */
export async function openAlarmsOf(db: Db, params: { twin: string; assetPk?: number }) {
  const cache = readCacheOf(db);
  return cache ? cache.get(params.twin, `alarms\u0000${params.assetPk ?? '*'}`, () => readOpenAlarms(db, params)) : readOpenAlarms(db, params);
}

async function readOpenAlarms(db: Db, params: { twin: string; assetPk?: number }) {
  const where = params.assetPk === undefined ? and(eq(alarms.twinId, params.twin), isNull(alarms.clearedAt)) : and(eq(alarms.twinId, params.twin), isNull(alarms.clearedAt), eq(alarms.assetId, params.assetPk));
  const rows = await db.select().from(alarms).where(where);
  return rows.sort((a, b) => b.raisedAt.getTime() - a.raisedAt.getTime());
}
