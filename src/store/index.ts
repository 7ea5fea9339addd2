/**
 * The twin store: `createStore()` opens PostgreSQL (postgres.js) when a database URL is given, else an in-process
 * PGlite (persisted under dataDir, or in memory). Nothing connects until createStore is called; `migrate()` applies
 * drizzle/ idempotently on both. `schema` puts every table in a PostgreSQL schema of its own (tests isolate that way).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { AppError } from '../errors';
import { type Db, rows } from './db';
import { applyMigrations } from './migrate';
import { type PoolLike, pglitePool, postgresPool } from './pg-pool';
import * as schema from './schema';

export { type Db, type Schema, rows } from './db';
export type { PoolLike, PoolClientLike } from './pg-pool';
export { schema };

export interface StoreOptions {
  /** PostgreSQL URL; when absent the store is an embedded PGlite. */
  databaseUrl?: string;
  /** Where the embedded store persists (`<dataDir>/pglite`). */
  dataDir?: string;
  /** Embedded store in memory only (tests). */
  memory?: boolean;
  /** PostgreSQL schema holding every table (default `public`); created by migrate(). */
  schema?: string;
  /** Reuse an open PGlite (the test harness shares one per worker); close() then leaves it open. */
  pglite?: PGlite;
  /** Connection pool size on PostgreSQL. */
  maxConnections?: number;
}

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  schema: string;
  /** Apply drizzle/ migrations (idempotent), then make sure the readings partitions around today exist. */
  migrate(): Promise<void>;
  /** Create daily readings partitions for [from, to] (UTC days); returns how many were created. */
  ensurePartitions(from: Date, to: Date): Promise<number>;
  /** Housekeeping to run periodically: partitions for yesterday through a week ahead. */
  maintain(now?: Date): Promise<void>;
  /** Run maintain() every `everyMs` (default hourly) until the returned function is called. */
  startMaintenance(everyMs?: number): () => void;
  /** A pg-style pool on the same database and schema (LangGraph's PostgresSaver takes one). */
  pgPool(): PoolLike;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DAY = 86_400_000;

export async function createStore(options: StoreOptions = {}): Promise<Store> {
  const schemaName = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schemaName)) throw new AppError('bad_request', `invalid schema name "${schemaName}"`);
  const opened = options.databaseUrl ? await openPostgres(options.databaseUrl, schemaName, options.maxConnections ?? 10) : await openPglite(options, schemaName);
  const { db } = opened;
  const pools: PoolLike[] = [];

  const ensurePartitions = async (from: Date, to: Date) => {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const [r] = await rows<{ n: number }>(db, sql`select readings_ensure_partitions(${day(from)}::date, ${day(to)}::date) as n`);
    return Number(r?.n ?? 0);
  };
  const maintain = async (now = new Date()) => {
    await ensurePartitions(new Date(now.getTime() - DAY), new Date(now.getTime() + 7 * DAY));
  };

  return {
    db,
    kind: opened.kind,
    schema: schemaName,
    async migrate() {
      await db.execute(sql.raw(`create schema if not exists "${schemaName}"`));
      await applyMigrations(db, schemaName);
      await maintain();
    },
    ensurePartitions,
    maintain,
    startMaintenance(everyMs = 3_600_000) {
      const timer = setInterval(() => void maintain().catch(() => undefined), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    pgPool() {
      const pool = opened.kind === 'postgres' ? postgresPool(options.databaseUrl!, schemaName) : pglitePool(opened.pglite!);
      pools.push(pool);
      return pool;
    },
    async close() {
      for (const p of pools.splice(0)) await p.end().catch(() => undefined);
      await opened.close();
    },
  };
}

interface Opened {
  db: Db;
  kind: 'pglite' | 'postgres';
  pglite?: PGlite;
  close(): Promise<void>;
}

async function openPostgres(url: string, schemaName: string, max: number): Promise<Opened> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max,
    onnotice: () => undefined,
    connection: { search_path: schemaName, TimeZone: 'UTC' },
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
}

async function openPglite(options: StoreOptions, schemaName: string): Promise<Opened> {
  const { drizzle } = await import('drizzle-orm/pglite');
  let client = options.pglite;
  const owned = !client;
  if (!client) {
    const { PGlite } = await import('@electric-sql/pglite');
    if (options.memory || !options.dataDir) {
      client = await PGlite.create();
    } else {
      const dir = resolve(join(options.dataDir, 'pglite'));
      mkdirSync(dir, { recursive: true });
      client = await PGlite.create(dir);
    }
  }
  // One session: search_path and time zone hold for every query that follows.
  await client.exec(`set search_path to "${schemaName}"; set timezone to 'UTC'`);
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, kind: 'pglite', pglite: client, close: async () => (owned ? client.close() : undefined) };
}
