/**
 * `twin migrate`: apply the store's migrations (idempotent) and create the readings partitions around today, on
 * PostgreSQL when DATABASE_URL is set, else on the embedded store in DATA_DIR. The service does the same on start;
 * this is for deployments that migrate before rolling out replicas (`npm run db:migrate`).
 */
import type { Command } from 'commander';
import { action, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations to the store (PostgreSQL or the embedded store)')
    .option('--json', 'print {kind, schema} as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const { loadConfig } = await import('../../config');
        const { createStore } = await import('../../store');
        const config = loadConfig();
        const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
        try {
          await store.migrate();
        } finally {
          await store.close();
        }
        if (opts.json) printJson({ kind: store.kind, schema: store.schema });
        else process.stdout.write(`migrated the ${store.kind} store (schema ${store.schema})\n`);
      }),
    );
}
