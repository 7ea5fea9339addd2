/**
 * A store with a twin in it, for ingestion, control and simulator tests: opens the store (PGlite in memory, or
 * PostgreSQL in a fresh schema when DATABASE_URL is given), migrates, and inserts the manifest's twin, types and
 * assets with plain SQL, so these tests depend only on the schema, not on the loader.
 */
import { readFileSync } from 'node:fs';
import { createStore, type Store } from '../../src/store';
import { openTestStore } from './store';
import { dbRunner, type SqlRunner } from '../../src/ingest/sql';
import { parseManifest, type Manifest } from '../../src/twin/manifest';
import { allTypes, resolveType } from '../../src/twin/ontology';

export function demoManifest(): Manifest {
  const r = parseManifest(readFileSync(new URL('../../twins/demo-plant.yaml', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.manifest;
}

export async function insertTwin(sql: SqlRunner, manifest: Manifest, loadedAt = new Date()): Promise<Map<string, number>> {
  await sql.query('INSERT INTO twins (id, name, timezone, manifest, loaded_at) VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)', [
    manifest.twin,
    manifest.name,
    manifest.timezone ?? 'UTC',
    JSON.stringify(manifest),
    loadedAt.toISOString(),
  ]);
  const types = allTypes(manifest.types);
  for (const key of new Set(manifest.assets.map((a) => a.type))) {
    const t = resolveType(types, key)!;
    await sql.query('INSERT INTO asset_types (twin_id, key, effective_properties, effective_commands, chain) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb)', [
      manifest.twin,
      key,
      JSON.stringify(t.properties),
      JSON.stringify(t.commands),
      JSON.stringify(t.chain),
    ]);
  }
  const ids = new Map<string, number>();
  for (const a of manifest.assets) {
    const [row] = await sql.query<{ id: number }>('INSERT INTO assets (twin_id, key, type, name) VALUES ($1, $2, $3, $4) RETURNING id', [manifest.twin, a.id, a.type, a.name ?? null]);
    ids.set(a.id, Number(row.id));
  }
  return ids;
}

let counter = 0;

/**
 * A store for ingestion tests. With `databaseUrl`, a fresh schema on that PostgreSQL (the fault test and the bench
 * need PostgreSQL whatever the suite runs on); without, the suite's harness (test/helpers/store.ts): the shared
 * PGlite of the worker, or PostgreSQL when DATABASE_URL is set, each file in a schema of its own.
 */
export async function openIngestStore(databaseUrl?: string): Promise<{ store: Store; sql: SqlRunner; close: () => Promise<void> }> {
  if (!databaseUrl) {
    const t = await openTestStore({ label: 'ingest' });
    return { store: t.store, sql: dbRunner(t.store.db), close: () => t.close() };
  }
  const schema = `t_ingest_${process.pid}_${Date.now() % 1e6}_${counter++}`;
  const store = await createStore({ databaseUrl, schema, maxConnections: 8 });
  await store.migrate();
  const sql = dbRunner(store.db);
  return {
    store,
    sql,
    async close() {
      await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await store.close();
    },
  };
}
