/**
 * Thread persistence with the official PostgresSaver, on PostgreSQL (a `pg` pool) and on embedded PGlite alike.
 * PGlite has one connection, so the adapter gives each `connect()` a real PGlite transaction held open until
 * `release()`: the saver's BEGIN/COMMIT/ROLLBACK map onto it, and other queries on the same PGlite (the store's)
 * wait on PGlite's own lock instead of interleaving with ours.
 */
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';

export const CHECKPOINT_SCHEMA = 'copilot';

/** The parts of PGlite the adapter uses (so the store may hand over its instance or a wrapper). */
export interface PGliteLike {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T>;
}
export interface PGliteTx {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  rollback(): Promise<void>;
}

interface QueryResultLike {
  rows: Record<string, unknown>[];
  rowCount: number;
}
export interface PoolClientLike {
  query(text: string, params?: unknown[]): Promise<QueryResultLike>;
  release(): void;
}
export interface PoolLike {
  query(text: string, params?: unknown[]): Promise<QueryResultLike>;
  connect(): Promise<PoolClientLike>;
  end(): Promise<void>;
}

const asResult = (r: { rows: Record<string, unknown>[]; affectedRows?: number }): QueryResultLike => ({ rows: r.rows, rowCount: r.affectedRows ?? r.rows.length });

/** A pg-style pool (connect/query/release) over one PGlite instance. */
export function pgliteAsPool(db: PGliteLike): PoolLike {
  return {
    query: async (text, params) => asResult(await db.query(text, params)),
    async connect() {
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      let settled: Promise<unknown> = Promise.resolve();
      const tx = await new Promise<PGliteTx>((resolve, reject) => {
        settled = db
          .transaction(async (t) => {
            resolve(t);
            await held;
          })
          .catch((err: unknown) => reject(err));
      });
      let closed = false;
      return {
        async query(text, params) {
          const verb = text.trim().replace(/;$/, '').toUpperCase();
          // The PGlite transaction is already open; COMMIT happens when the client is released.
          if (verb === 'BEGIN' || verb === 'COMMIT') return { rows: [], rowCount: 0 };
          if (verb === 'ROLLBACK') {
            if (!closed) await tx.rollback();
            closed = true;
            return { rows: [], rowCount: 0 };
          }
          return asResult(await tx.query(text, params));
        },
        release() {
          finish();
          void settled;
        },
      };
    },
    end: async () => {},
  };
}

/** A PostgresSaver on PostgreSQL (databaseUrl) or on a PGlite instance; tables are created on first use. */
export async function createCheckpointer(opts: { databaseUrl?: string; pglite?: PGliteLike; schema?: string }): Promise<PostgresSaver> {
  const schema = opts.schema ?? CHECKPOINT_SCHEMA;
  let pool: pg.Pool;
  if (opts.pglite) pool = pgliteAsPool(opts.pglite) as unknown as pg.Pool;
  else if (opts.databaseUrl) pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 5 });
  else throw new Error('createCheckpointer needs a databaseUrl or a PGlite instance');
  const saver = new PostgresSaver(pool, undefined, { schema });
  await saver.setup();
  return saver;
}
