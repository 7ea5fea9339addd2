/**
 * Applies drizzle-kit's migrations (drizzle/) with drizzle's own migrator, on either backend, idempotently.
 * drizzle-kit qualifies foreign keys with "public"; the store may live in another schema (tests isolate that way),
 * so the qualifier is dropped before the statements run and every object lands in the connection's search_path.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Db } from './db';

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');

interface DialectMigrator {
  dialect: { migrate(m: unknown, session: unknown, config: { migrationsFolder: string; migrationsSchema?: string; migrationsTable?: string }): Promise<void> };
  session: unknown;
}

export async function applyMigrations(db: Db, schema: string, folder = MIGRATIONS_FOLDER): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: folder }).map((m) => ({
    ...m,
    sql: m.sql.map((stmt) => stmt.replaceAll('"public".', '')),
  }));
  // Same call as drizzle-orm/{pglite,postgres-js}/migrator, with the statements adjusted above.
  const d = db as unknown as DialectMigrator;
  await d.dialect.migrate(migrations, d.session, {
    migrationsFolder: folder,
    migrationsSchema: schema === 'public' ? 'drizzle' : schema,
    migrationsTable: '__drizzle_migrations',
  });
}
