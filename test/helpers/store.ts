/**
 * The store test harness. Each test file gets a store in a PostgreSQL schema of its own, so files run in parallel
 * on one database and never see each other's rows:
 *
 *   import { useTestStore } from '../../helpers/store';
 *   const t = useTestStore();                 // registers beforeAll/afterAll for this file
 *   it('…', async () => { await loadManifest(t.store, text, t.clock); … t.db … });
 *
 * - Without DATABASE_URL: one PGlite per worker process, kept on globalThis (booting one takes seconds), and a
 *   schema per file on it. Vitest's default isolation gives every file its own process, so the cluster is booted
 *   from a cached snapshot of a fresh PGlite data directory (node_modules/.cache/twinpilot), which is several times
 *   faster than initdb. With `isolate: false` the same instance serves every file of the worker.
 * - With DATABASE_URL: the same suite on PostgreSQL, each file in its own schema, dropped in afterAll.
 * `openTestStore()` is the same without the hooks, for files that manage their own lifecycle.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { type Clock, fixedClock } from '../../src/clock';
import { createStore, type Db, type Store } from '../../src/store';

export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const backend: 'postgres' | 'pglite' = DATABASE_URL ? 'postgres' : 'pglite';

/** The instant tests freeze "now" at unless they pick their own. */
export const TEST_NOW = '2026-03-02T08:00:00.000Z';

export interface TestStore {
  store: Store;
  db: Db;
  schema: string;
  clock: Clock;
  close(): Promise<void>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const g = globalThis as typeof globalThis & { __twinpilotPglite?: Promise<PGlite> };

async function bootPglite(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const version = (JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const cacheDir = join(root, 'node_modules', '.cache', 'twinpilot');
  const snapshot = join(cacheDir, `pglite-${version}-fresh.tar`);
  if (existsSync(snapshot)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(snapshot)]) });
    } catch {
      /* a damaged snapshot: boot from scratch and rewrite it */
    }
  }
  const pg = await PGlite.create();
  try {
    const dump = await pg.dumpDataDir('none');
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${snapshot}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, snapshot);
  } catch {
    /* the cache is an optimisation only */
  }
  return pg;
}

/** The worker's shared PGlite. */
export function sharedPglite(): Promise<PGlite> {
  g.__twinpilotPglite ??= bootPglite();
  return g.__twinpilotPglite;
}

let counter = 0;

export async function openTestStore(opts: { label?: string; now?: string } = {}): Promise<TestStore> {
  const label = (opts.label ?? 'store').toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  const schema = `t_${label}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const store = DATABASE_URL
    ? await createStore({ databaseUrl: DATABASE_URL, schema, maxConnections: 4 })
    : await createStore({ pglite: await sharedPglite(), schema });
  await store.migrate();
  return {
    store,
    db: store.db,
    schema,
    clock: fixedClock(opts.now ?? TEST_NOW),
    async close() {
      await store.db.execute(sql.raw(`drop schema if exists "${schema}" cascade`)).catch(() => undefined);
      await store.close();
    },
  };
}

/** Open a store for this file in beforeAll and drop it in afterAll; read `.store`, `.db`, `.clock` inside tests. */
export function useTestStore(opts: { label?: string; now?: string } = {}): TestStore {
  let current: TestStore | undefined;
  beforeAll(async () => {
    current = await openTestStore(opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  const need = () => {
    if (!current) throw new Error('useTestStore: the store opens in beforeAll; use it inside tests or hooks');
    return current;
  };
  return {
    get store() {
      return need().store;
    },
    get db() {
      return need().db;
    },
    get schema() {
      return need().schema;
    },
    get clock() {
      return need().clock;
    },
    close: () => need().close(),
  };
}
