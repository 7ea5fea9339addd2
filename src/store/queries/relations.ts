/** Relations of an asset and graph traversal up to N hops, either direction, filtered by relation type (a recursive CTE). */
import { sql } from 'drizzle-orm';
import { type Db, preparedRows, textArray } from '../db';

export interface RelationHop {
  /** Asset key reached. */
  key: string;
  name: string | null;
  type: string;
  /** Hops from the start (1 = a direct neighbour). */
  depth: number;
  /** Relation type of the last hop and its direction as walked: `out` follows from→to, `in` walks to→from. */
  relation: string;
  direction: 'out' | 'in';
  /** The asset key the last hop came from. */
  via: string;
}

export interface TraverseParams {
  twin: string;
  from: string;
  /** Maximum hops (1..10). */
  depth?: number;
  direction?: 'out' | 'in' | 'both';
  /** Only these relation types (all when absent). */
  types?: string[];
}

/** Every asset reachable from `from` within `depth` hops, each once at its shortest depth; retired assets are skipped. */
export async function traverse(db: Db, p: TraverseParams): Promise<RelationHop[]> {
  const depth = Math.max(1, Math.min(10, Math.trunc(p.depth ?? 1)));
  const dir = p.direction ?? 'both';
  const out = dir !== 'in';
  const inn = dir !== 'out';
  const types = p.types && p.types.length > 0 ? textArray(p.types) : null;
  // Prepared on PostgreSQL (see preparedRows): the text is fixed, so the plan is not rebuilt per call.
  const list = await preparedRows<RelationHop>(
    db,
    sql`with recursive walk(id, depth, path, relation, direction, via) as (
          select a.id, 0, array[a.id], null::text, null::text, null::int
            from assets a where a.twin_id = ${p.twin} and a.key = ${p.from}
          union all
          select e.next, w.depth + 1, w.path || e.next, e.type, e.direction, w.id
            from walk w
            cross join lateral (
              select r.to_id as next, r.type, 'out' as direction from relations r
               where ${out}::boolean and r.from_id = w.id and (${types}::text[] is null or r.type = any(${types}::text[]))
              union all
              select r.from_id, r.type, 'in' from relations r
               where ${inn}::boolean and r.to_id = w.id and (${types}::text[] is null or r.type = any(${types}::text[]))
            ) e
           where w.depth < ${depth}::int and e.next <> all(w.path)
        )
        select * from (
          select distinct on (w.id) a.key, a.name, a.type, w.depth, w.relation, w.direction, v.key as via
            from walk w join assets a on a.id = w.id join assets v on v.id = w.via
           where w.depth > 0 and a.retired_at is null
           order by w.id, w.depth, w.relation
        ) hops order by depth, key`,
  );
  return list.map((h) => ({ ...h, depth: Number(h.depth) }));
}

/** Direct relations of one asset, both directions. */
export async function relationsOf(db: Db, p: { twin: string; asset: string }) {
  return traverse(db, { twin: p.twin, from: p.asset, depth: 1, direction: 'both' });
}
