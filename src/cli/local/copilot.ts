/**
 * What `twin ask` and `twin approve` share: talk to a running service over HTTP when one answers at TWIN_URL,
 * otherwise open the store in DATA_DIR (or DATABASE_URL) and run the copilot in this process. An empty store gets
 * the demo plant and its simulated history first, unless the caller says `--empty`.
 */
import type { Copilot } from '../../../agents/copilot';
import type { Clock } from '../../clock';
import { type Config, publicUrl } from '../../config';
import { AppError, ErrorCode } from '../../errors';
import type { Store } from '../../store';

export function serviceBase(config: Config): string {
  return config.TWIN_URL ?? publicUrl(config);
}

export async function serviceUp(base: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}

/** POST JSON to the service; its `{error}` body becomes the same AppError the local path would throw. */
export async function postJson<T>(base: string, key: string | undefined, path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new AppError('unavailable', `cannot reach the service at ${base}: ${(err as Error).message}`);
  }
  const parsed = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details: unknown } } | T | null;
  if (!res.ok || !parsed || (typeof parsed === 'object' && 'error' in (parsed as object))) {
    const e = (parsed as { error?: { code: string; message: string; details: unknown } } | null)?.error;
    const code = ErrorCode.safeParse(e?.code);
    throw new AppError(code.success ? code.data : 'unavailable', e?.message ?? `service answered ${res.status}`, e?.details ?? null);
  }
  return parsed as T;
}

export interface LocalCopilot {
  copilot: Copilot;
  store: Store;
  close(): Promise<void>;
}

/** Open the store and build the copilot in-process (the same wiring as the service). */
export async function openLocalCopilot(config: Config, opts: { clock: Clock; empty?: boolean; log: (m: string) => void }): Promise<LocalCopilot> {
  const [{ createStore }, { ensureDemoTwin }, { createEventBus }, { dbRunner }, { createExecutor }, { createLocalTransport }, { buildCopilot }] = await Promise.all([
    import('../../store'),
    import('../../boot/demo'),
    import('../../events'),
    import('../../ingest/sql'),
    import('../../control/executor'),
    import('../../control/transport'),
    import('../../boot/copilot'),
  ]);
  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, maxConnections: 2 });
  try {
    await store.migrate();
    if (!opts.empty && (await ensureDemoTwin(store, opts.clock))) {
      opts.log('loaded the demo plant into the empty store; simulating its history (once)…');
      await backfill(config, store, opts.clock, opts.log);
    }
    const bus = createEventBus();
    const transport = createLocalTransport();
    const executor = createExecutor({ sql: dbRunner(store.db), bus, clock: opts.clock, transport, config });
    const copilot = await buildCopilot({ config, store, clock: opts.clock, bus, executor, log: () => undefined });
    return {
      copilot,
      store,
      async close() {
        executor.close();
        await transport.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function backfill(config: Config, store: Store, clock: Clock, log: (m: string) => void): Promise<void> {
  const [{ sql }, { rows }, { createIngestService }, { dbRunner }, { backfillHistory }] = await Promise.all([
    import('drizzle-orm'),
    import('../../store'),
    import('../../ingest/service'),
    import('../../ingest/sql'),
    import('../../boot/history-backfill'),
  ]);
  const ingest = createIngestService({ sql: dbRunner(store.db), clock });
  // The ingest service validates against the twins it has read: without this, every backfilled reading would be
  // refused as an unknown twin.
  await ingest.reload();
  const twins = await rows<{ id: string; manifest: import('../../twin/manifest').Manifest }>(store.db, sql`select id, manifest from twins order by id`);
  await backfillHistory({ config, store, clock, ingest, manifests: twins.map((t) => t.manifest) });
  log('history ready');
}
