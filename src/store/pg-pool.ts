/**
 * A minimal pg-style pool (`query`, `connect` → client with `query`/`release`, `end`) for libraries that want one,
 * such as LangGraph's PostgresSaver. Over PostgreSQL it is a real `pg` Pool; over PGlite it is an adapter.
 * PGlite has a single session, so a connected client holds it exclusively (inside one PGlite transaction) until
 * release(); its BEGIN/COMMIT are folded into that transaction, and ROLLBACK rolls it back.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';

export interface PoolClientLike {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  release(): void;
}
export interface PoolLike {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  connect(): Promise<PoolClientLike>;
  end(): Promise<void>;
}

export function postgresPool(databaseUrl: string, schema: string): PoolLike {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, options: `-c search_path=${schema}` });
  return pool as unknown as PoolLike;
}

export function pglitePool(client: PGlite): PoolLike {
  const asResult = <R>(r: { rows: unknown[]; affectedRows?: number }) => ({ rows: r.rows as R[], rowCount: r.affectedRows ?? r.rows.length });
  return {
    async query<R>(text: string, params?: unknown[]) {
      return asResult<R>(await client.query(text, params));
    },
    connect() {
      return new Promise<PoolClientLike>((resolveClient, rejectClient) => {
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        client
          .transaction(async (tx: Transaction) => {
            let rolledBack = false;
            resolveClient({
              async query<R>(text: string, params?: unknown[]) {
                const verb = text.trim().replace(/;$/, '').toUpperCase();
                if (verb === 'BEGIN' || verb === 'START TRANSACTION' || verb === 'COMMIT' || verb === 'END') return { rows: [], rowCount: 0 };
                if (verb === 'ROLLBACK') {
                  if (!rolledBack) (rolledBack = true), await tx.rollback();
                  return { rows: [], rowCount: 0 };
                }
                return asResult<R>(await tx.query(text, params));
              },
              release: () => release(),
            });
            await released;
          })
          .catch(rejectClient);
      });
    },
    async end() {},
  };
}
