/**
 * The narrow SQL surface ingestion and control need: parameterised text queries and a transaction, over either
 * backend (postgres.js or PGlite). The hot path uses hand-written SQL (multi-row unnest with ON CONFLICT and
 * data-modifying CTEs), which a query builder would only obscure.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../store/db';

export interface SqlRunner {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Binary COPY of `data` (copy-binary.ts) into `target` (`table (col, …)`): from '/dev/blob' on the embedded store,
   * FROM STDIN on PostgreSQL. Rejects with the server's error (a unique violation is code 23505); inside a
   * transaction, callers wrap it in a savepoint. Absent on runners that cannot COPY; callers then use statements.
   */
  copyFrom?(target: string, data: Uint8Array): Promise<void>;
}

const binaryCopy = (target: string, source: string) => `COPY ${target} FROM ${source} WITH (FORMAT binary)`;

interface PostgresQueryLike extends PromiseLike<unknown> {
  reject: (err: unknown) => void;
  writable(): Promise<Writable>;
}

/**
 * COPY … FROM STDIN through postgres.js. Its writable never finishes when the server rejects the data after the
 * last byte was sent (porsager/postgres#1173: the pending final callback is dropped), which would hang the
 * transaction and leak its connection. The server's error still reaches the query's `reject`, so that is wrapped
 * (the query is a pinned-version internal object; the writer tests exercise a rejected COPY on PostgreSQL).
 */
async function copyViaPostgres(client: PostgresLike, target: string, data: Uint8Array): Promise<void> {
  const q = client.unsafe(binaryCopy(target, 'STDIN')) as unknown as PostgresQueryLike;
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const reject = q.reject;
  q.reject = (err) => (fail(err), reject(err));
  const stream = await q.writable();
  stream.on('error', fail);
  stream.end(data);
  await Promise.race([once(stream, 'finish'), failed]);
}

const copyViaPglite = async (q: { query: PgliteQuery }, target: string, data: Uint8Array) =>
  void (await q.query(binaryCopy(target, "'/dev/blob'"), [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) }));

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
    copyFrom: (target, data) => copyViaPglite(q, target, data),
  });
  return inner(pg, false);
}

export function postgresRunner(sql: PostgresLike): SqlRunner {
  const inner = (q: PostgresLike, nested: boolean): SqlRunner => ({
    query: async <R>(text: string, params?: unknown[]) => (await q.unsafe(text, (params ?? []) as never[])) as R[],
    transaction: (fn) => (nested ? fn(inner(q, true)) : q.begin((tx) => fn(inner(tx, true)))),
    copyFrom: (target, data) => copyViaPostgres(q, target, data),
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
    const client = clientOf(d);
    const copyFrom =
      client?.kind === 'pglite'
        ? (target: string, data: Uint8Array) => copyViaPglite(client.pglite, target, data)
        : client?.kind === 'postgres'
          ? (target: string, data: Uint8Array) => copyViaPostgres(client.postgres, target, data)
          : undefined;
    return {
      query: <R>(text: string, params?: unknown[]) => rows<R>(d, toSql(text, params)),
      transaction: (fn) => (nested ? fn(inner(d, true)) : d.transaction((tx) => fn(inner(tx as unknown as Db, true)))),
      ...(copyFrom ? { copyFrom } : {}),
    };
  };
  return inner(db, false);
}

/**
 * The driver's connection under a Drizzle database or transaction (Drizzle keeps it as `$client`, and a
 * transaction's session holds the driver's own transaction object): PGlite (or its transaction) or a postgres.js
 * sql (or transaction sql). Null when neither is recognised; COPY is then not offered.
 */
function clientOf(d: Db): { kind: 'pglite'; pglite: { query: PgliteQuery } } | { kind: 'postgres'; postgres: PostgresLike } | null {
  const x = d as unknown as { $client?: unknown; session?: { client?: unknown } };
  const c = (x.session?.client ?? x.$client) as { query?: unknown; unsafe?: unknown; exec?: unknown } | undefined;
  if (!c) return null;
  if (typeof c.unsafe === 'function') return { kind: 'postgres', postgres: c as unknown as PostgresLike };
  if (typeof c.query === 'function' && typeof c.exec === 'function') return { kind: 'pglite', pglite: c as unknown as { query: PgliteQuery } };
  return null;
}
