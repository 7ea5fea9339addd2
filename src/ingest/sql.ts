/**
 * The narrow SQL surface ingestion and control need: parameterised text queries and a transaction, over either
 * backend (postgres.js or PGlite). The hot path uses hand-written SQL (multi-row unnest with ON CONFLICT and
 * data-modifying CTEs), which a query builder would only obscure.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../store/db';

export interface SqlRunner {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Embedded store only: run `COPY … FROM '/dev/blob'` with `data` as the blob (bulk loads). Absent on PostgreSQL,
   * where callers keep their multi-row statements.
   */
  copyFrom?(statement: string, data: Uint8Array): Promise<void>;
}

type PgliteQuery = <R>(text: string, params?: unknown[], options?: { blob?: Blob }) => Promise<{ rows: R[] }>;

interface PgliteLike {
  query: PgliteQuery;
  transaction<T>(fn: (tx: { query: PgliteQuery }) => Promise<T>): Promise<T>;
}

interface PostgresLike {
  unsafe(text: string, params?: unknown[]): Promise<unknown[]>;
  begin<T>(fn: (tx: PostgresLike) => Promise<T>): Promise<T>;
}

export function pgliteRunner(pg: PgliteLike): SqlRunner {
  const inner = (q: { query: PgliteQuery }, nested: boolean): SqlRunner => ({
    query: async <R>(text: string, params?: unknown[]) => (await q.query<R>(text, params)).rows,
    transaction: (fn) => (nested ? fn(inner(q, true)) : pg.transaction((tx) => fn(inner(tx, true)))),
    copyFrom: async (statement, data) => void (await q.query(statement, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) })),
  });
  return inner(pg, false);
}

export function postgresRunner(sql: PostgresLike): SqlRunner {
  const inner = (q: PostgresLike, nested: boolean): SqlRunner => ({
    query: async <R>(text: string, params?: unknown[]) => (await q.unsafe(text, (params ?? []) as never[])) as R[],
    transaction: (fn) => (nested ? fn(inner(q, true)) : q.begin((tx) => fn(inner(tx, true)))),
  });
  return inner(sql, false);
}

/** A PostgreSQL array literal of text (`{"a","b\"c"}`), passed as one parameter and cast in SQL. */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) out += ',';
    const v = values[i];
    out += v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  return `${out}}`;
}

/** A PostgreSQL array literal of numbers. */
export function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/**
 * A runner over the store's Drizzle database (either backend, any schema the store was opened with). `$n`
 * placeholders become Drizzle parameters, so the text stays plain SQL and values never enter it.
 */
export function dbRunner(db: Db): SqlRunner {
  const toSql = (text: string, params: unknown[] = []): SQL => {
    const parts = text.split(/\$(\d+)/);
    const chunks: SQL[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        if (parts[i]) chunks.push(sql.raw(parts[i]));
      } else chunks.push(sql`${params[Number(parts[i]) - 1]}`);
    }
    return sql.join(chunks);
  };
  const inner = (d: Db, nested: boolean): SqlRunner => {
    const client = pgliteClientOf(d);
    return {
      query: <R>(text: string, params?: unknown[]) => rows<R>(d, toSql(text, params)),
      transaction: (fn) => (nested ? fn(inner(d, true)) : d.transaction((tx) => fn(inner(tx as unknown as Db, true)))),
      ...(client ? { copyFrom: async (statement: string, data: Uint8Array) => void (await client.query(statement, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) })) } : {}),
    };
  };
  return inner(db, false);
}

/**
 * The PGlite connection under a Drizzle database or transaction (Drizzle's pglite driver keeps it as `$client`, and
 * a transaction's session holds PGlite's own transaction object), or null on PostgreSQL.
 */
function pgliteClientOf(d: Db): { query: PgliteQuery } | null {
  const x = d as unknown as { $client?: unknown; session?: { client?: unknown } };
  const c = (x.session?.client ?? x.$client) as { query?: unknown; unsafe?: unknown; exec?: unknown } | undefined;
  if (!c || typeof c.query !== 'function' || typeof c.unsafe === 'function' || typeof c.exec !== 'function') return null;
  return c as unknown as { query: PgliteQuery };
}
