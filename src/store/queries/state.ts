/**
 * Latest state: reported and desired values per asset (`{prop: {value, ts}}`), kept on the asset row by ingestion
 * and control, so reading the state of 1,000 assets is one indexed lookup. Desired-state changes use the asset's
 * version for optimistic concurrency.
 */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, preparedRows, textArray } from '../db';
import { assets } from '../schema';
import type { State } from '../schema/assets';

export interface AssetState {
  key: string;
  type: string;
  reported: State;
  desired: State;
  version: number;
}

/** State of some assets (by key), or of every live asset of the twin. */
export async function latestState(db: Db, p: { twin: string; assets?: string[] }): Promise<AssetState[]> {
  // Prepared on PostgreSQL (see preparedRows). The state documents come back as text and are parsed in one
  // JSON.parse per column rather than two per row: this read returns up to thousands of rows, and per-value parsing
  // and mapping were most of its client-side cost.
  const list = await preparedRows<{ key: string; type: string; reported: string; desired: string; version: number }>(
    db,
    sql`select key, type, reported::text as reported, desired::text as desired, version from assets
         where twin_id = ${p.twin} and retired_at is null
           ${p.assets ? sql`and key = any(${textArray(p.assets)}::text[])` : sql``}
         order by key`, // One array parameter, not one per key: 1,000 keys stay one small statement.
  );
  const reported = JSON.parse(`[${list.map((r) => r.reported).join(',')}]`) as State[];
  const desired = JSON.parse(`[${list.map((r) => r.desired).join(',')}]`) as State[];
  return list.map((r, i) => ({ key: r.key, type: r.type, reported: reported[i], desired: desired[i], version: Number(r.version) }));
}

/**
 * Merge desired values into an asset. With `expectedVersion`, the write happens only if nobody changed the asset
 * since it was read; returns the new version, or null on a version conflict (or an unknown asset).
 */
export async function setDesired(db: Db, p: { twin: string; asset: string; changes: Record<string, unknown>; ts?: Date; expectedVersion?: number }): Promise<number | null> {
  const ts = (p.ts ?? new Date()).toISOString();
  const patch: State = Object.fromEntries(Object.entries(p.changes).map(([k, value]) => [k, { value, ts }]));
  const [r] = await db
    .update(assets)
    .set({ desired: sql`${assets.desired} || ${JSON.stringify(patch)}::jsonb`, version: sql`${assets.version} + 1`, updatedAt: new Date(ts) })
    .where(and(eq(assets.twinId, p.twin), eq(assets.key, p.asset), p.expectedVersion === undefined ? undefined : eq(assets.version, p.expectedVersion)))
    .returning({ version: assets.version });
  return r?.version ?? null;
}

/** Merge reported values; each property moves only if its timestamp is newer than the one stored. Returns the new version or null. */
export async function mergeReported(db: Db, p: { twin: string; asset: string; values: Record<string, { value: unknown; ts: Date | string }> }): Promise<number | null> {
  const patch = Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, { value: v.value, ts: new Date(v.ts).toISOString() }]));
  const [r] = await db
    .update(assets)
    .set({
      reported: sql`${assets.reported} || coalesce((
        select jsonb_object_agg(n.key, n.value) from jsonb_each(${JSON.stringify(patch)}::jsonb) n
         where (${assets.reported} -> n.key ->> 'ts') is null or (${assets.reported} -> n.key ->> 'ts')::timestamptz < (n.value ->> 'ts')::timestamptz
      ), '{}'::jsonb)`,
      version: sql`${assets.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(assets.twinId, p.twin), eq(assets.key, p.asset)))
    .returning({ version: assets.version });
  return r?.version ?? null;
}
