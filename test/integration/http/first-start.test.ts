/**
 * First start under the advisory lock: two replicas opening one empty PostgreSQL at the same moment make one admin key
 * and load the demo plant once (each store here is its own connection pool, as two processes would have). On the
 * embedded store the same calls run (pg_advisory_xact_lock exists in PGlite) and a second start does nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoTwin } from '../../../src/boot/demo';
import { underFirstStartLock } from '../../../src/boot/first-start';
import { fixedClock } from '../../../src/clock';
import { storeKeyRepo } from '../../../src/http/adapters/keys';
import { createKeyStore } from '../../../src/http/keys';
import { createStore, rows, type Store } from '../../../src/store';
import { openTestStore } from '../../helpers/store';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const clock = fixedClock('2026-03-02T08:00:00Z');
const opened: Store[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  const [first] = opened;
  if (first?.kind === 'postgres') await first.db.execute(sql.raw(`drop schema if exists "${first.schema}" cascade`));
  for (const s of opened.reverse()) await s.close();
  for (const c of closers) await c();
});

/** What one replica does on start: the admin key (under the lock, as src/main.ts does), then the demo plant. */
async function firstStart(store: Store) {
  const admin = await underFirstStartLock(store.db, (tx) => createKeyStore(storeKeyRepo(tx)).ensureAdmin());
  const loaded = await ensureDemoTwin(store, clock);
  return { admin, loaded };
}

async function counts(store: Store) {
  const [r] = await rows<{ keys: number; twins: number; loads: number }>(
    store.db,
    sql`select (select count(*)::int from api_keys where role = 'admin' and revoked_at is null) as keys,
               (select count(*)::int from twins) as twins,
               (select count(*)::int from audit_log where event = 'twin.loaded') as loads`,
  );
  return r;
}

describe('first start', () => {
  if (!DATABASE_URL) console.warn('first-start.test: DATABASE_URL unset, the two-replica race runs only on PostgreSQL');
  it.skipIf(!DATABASE_URL)('two replicas starting together on an empty PostgreSQL make one admin key and load the demo once', async () => {
    const schema = `first_start_${process.pid}`;
    const a = await createStore({ databaseUrl: DATABASE_URL, schema, maxConnections: 3 });
    opened.push(a);
    await a.migrate();
    const b = await createStore({ databaseUrl: DATABASE_URL, schema, maxConnections: 3 });
    opened.push(b);
    const [ra, rb] = await Promise.all([firstStart(a), firstStart(b)]);
    expect([ra.admin, rb.admin].filter(Boolean)).toHaveLength(1);
    expect([ra.loaded, rb.loaded].sort()).toEqual([false, true]);
    expect(await counts(a)).toEqual({ keys: 1, twins: 1, loads: 1 });
  }, 120_000);

  it('on the embedded store, a second start finds the key and the twin and does nothing', async () => {
    const t = await openTestStore({ label: 'first_start' });
    const s = t.store;
    closers.push(() => t.close());
    const first = await firstStart(s);
    const second = await firstStart(s);
    expect(first.admin?.role).toBe('admin');
    expect(first.loaded).toBe(true);
    expect(second).toEqual({ admin: null, loaded: false });
    expect(await counts(s)).toEqual({ keys: 1, twins: 1, loads: 1 });
  }, 120_000);
});
