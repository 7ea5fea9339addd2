/**
 * Keys and audit over the real store (PGlite by default, PostgreSQL when DATABASE_URL is set): only hashes are kept,
 * a revoked key fails at once, the first admin key is made once, and the audit trail is append-only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAudit } from '../../../src/http/adapters/audit';
import { storeKeyRepo } from '../../../src/http/adapters/keys';
import { createKeyStore, hashKey } from '../../../src/http/keys';
import { type Store, createStore, rows } from '../../../src/store';

let store: Store;
beforeAll(async () => {
  store = await createStore({ databaseUrl: process.env.DATABASE_URL, memory: true, schema: `http_adapters_${process.pid}` });
  await store.migrate();
});
afterAll(async () => {
  if (store?.kind === 'postgres') await store.db.execute(sql.raw(`drop schema if exists "${store.schema}" cascade`));
  await store?.close();
});

describe('keys and audit in the store', () => {
  it('stores only the hash, verifies, revokes at once and creates the first admin once', async () => {
    const keys = createKeyStore(storeKeyRepo(store.db));
    const first = await keys.ensureAdmin();
    expect(first?.role).toBe('admin');
    expect(await keys.ensureAdmin()).toBeNull();
    const k = await keys.create('operator', 'line lead');
    const stored = await rows<{ hash: string; prefix: string }>(store.db, sql`select hash, prefix from api_keys where id = ${k.id}`);
    expect(stored[0].hash).toBe(hashKey(k.key));
    expect(JSON.stringify(stored)).not.toContain(k.key);
    expect(await keys.verify(k.key)).toMatchObject({ id: k.id, role: 'operator' });
    expect(await keys.verify(k.key.slice(0, -1) + (k.key.endsWith('A') ? 'B' : 'A'))).toBeNull();
    // Another process sharing the database revokes: a fresh key store (no cache) sees it at once.
    const other = createKeyStore(storeKeyRepo(store.db));
    expect(await other.revoke(k.id)).toBe(true);
    expect(await createKeyStore(storeKeyRepo(store.db)).verify(k.key)).toBeNull();
    expect(await keys.revoke(k.id)).toBe(false);
    expect((await keys.list()).find((x) => x.id === k.id)?.revoked_at).toBeTruthy();
  });

  it('appends audit rows, lists newest first, and the database refuses to change them', async () => {
    const audit = storeAudit(store.db);
    await audit.append({ actor: 'key_a', role: 'viewer', via: 'api', event: 'approval_refused', target: 'act_1', details: { risk: 'low' } });
    await audit.append({ actor: 'key_b', role: 'manager', via: 'web', event: 'action.approved', target: 'act_1' });
    const list = (await audit.list({ limit: 10, target: 'act_1' })) as { event: string }[];
    expect(list.map((r) => r.event)).toEqual(['action.approved', 'approval_refused']);
    await expect(store.db.execute(sql`update audit_log set actor = 'x'`)).rejects.toThrow();
  });
});
