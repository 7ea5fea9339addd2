/** Twins and assets: list by twin, type (subtypes included), parent or subtree; one asset; key ↔ id lookups. */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, rows } from '../db';
import { assets, assetTypes, twins } from '../schema';
import type { State } from '../schema/assets';

export interface AssetView {
  /** Surrogate id (readings, relations and alarms refer to it). */
  id: number;
  /** The manifest id, e.g. `cnc-a2`. */
  key: string;
  twin: string;
  type: string;
  parent: string | null;
  name: string | null;
  description: string | null;
  attributes: Record<string, unknown>;
  reported: State;
  desired: State;
  version: number;
  updatedAt: Date;
  retiredAt: Date | null;
}

const parent = alias(assets, 'parent');
const view = {
  id: assets.id,
  key: assets.key,
  twin: assets.twinId,
  type: assets.type,
  parent: parent.key,
  name: assets.name,
  description: assets.description,
  attributes: assets.attributes,
  reported: assets.reported,
  desired: assets.desired,
  version: assets.version,
  updatedAt: assets.updatedAt,
  retiredAt: assets.retiredAt,
};

export async function listTwins(db: Db) {
  return db
    .select({ id: twins.id, name: twins.name, description: twins.description, timezone: twins.timezone, revision: twins.revision, loadedAt: twins.loadedAt, updatedAt: twins.updatedAt })
    .from(twins)
    .orderBy(asc(twins.id));
}

export async function getTwin(db: Db, p: { twin: string }) {
  const [t] = await db.select().from(twins).where(eq(twins.id, p.twin));
  return t ?? null;
}

export interface ListAssetsParams {
  twin: string;
  /** An asset type; assets of its subtypes match too (`machine` finds every cnc_mill). */
  type?: string;
  /** Direct children of this asset key. */
  parent?: string;
  includeRetired?: boolean;
}

export async function listAssets(db: Db, p: ListAssetsParams): Promise<AssetView[]> {
  const where: SQL[] = [eq(assets.twinId, p.twin)];
  if (!p.includeRetired) where.push(isNull(assets.retiredAt));
  if (p.type !== undefined) {
    where.push(sql`exists (select 1 from ${assetTypes} t where t.twin_id = ${assets.twinId} and t.key = ${assets.type} and t.chain @> ${JSON.stringify([p.type])}::jsonb)`);
  }
  if (p.parent !== undefined) where.push(eq(parent.key, p.parent));
  return db.select(view).from(assets).leftJoin(parent, eq(parent.id, assets.parentId)).where(and(...where)).orderBy(asc(assets.key));
}

export async function getAsset(db: Db, p: { twin: string; key: string }): Promise<AssetView | null> {
  const [a] = await db.select(view).from(assets).leftJoin(parent, eq(parent.id, assets.parentId)).where(and(eq(assets.twinId, p.twin), eq(assets.key, p.key)));
  return a ?? null;
}

/** An asset and everything below it in the hierarchy, with the depth below the root (root = 0). */
export async function subtree(db: Db, p: { twin: string; root: string; includeRetired?: boolean }): Promise<(AssetView & { depth: number })[]> {
  const found = await rows<{ id: number; depth: number }>(
    db,
    sql`with recursive tree(id, depth) as (
          select id, 0 from ${assets} where twin_id = ${p.twin} and key = ${p.root}
          union all
          select a.id, tree.depth + 1 from ${assets} a join tree on a.parent_id = tree.id where tree.depth < 64
        ) select id, depth from tree`,
  );
  if (found.length === 0) return [];
  const depth = new Map(found.map((r) => [Number(r.id), Number(r.depth)]));
  const list = await db
    .select(view)
    .from(assets)
    .leftJoin(parent, eq(parent.id, assets.parentId))
    .where(and(sql`${assets.id} = any(${`{${[...depth.keys()].join(',')}}`}::int[])`, p.includeRetired ? undefined : isNull(assets.retiredAt)));
  return list.map((a) => ({ ...a, depth: depth.get(a.id)! })).sort((x, y) => x.depth - y.depth || x.key.localeCompare(y.key));
}

/** Asset key → surrogate id for a twin (retired assets excluded unless asked). */
export async function assetIds(db: Db, p: { twin: string; includeRetired?: boolean }): Promise<Map<string, number>> {
  const list = await db
    .select({ id: assets.id, key: assets.key })
    .from(assets)
    .where(and(eq(assets.twinId, p.twin), p.includeRetired ? undefined : isNull(assets.retiredAt)));
  return new Map(list.map((r) => [r.key, r.id]));
}

/** A type as stored, with inheritance resolved (`effectiveProperties`, `effectiveCommands`). */
export async function getAssetType(db: Db, p: { twin: string; type: string }) {
  const [t] = await db.select().from(assetTypes).where(and(eq(assetTypes.twinId, p.twin), eq(assetTypes.key, p.type)));
  return t ?? null;
}

export async function listAssetTypes(db: Db, p: { twin: string }) {
  return db.select().from(assetTypes).where(eq(assetTypes.twinId, p.twin)).orderBy(asc(assetTypes.key));
}
