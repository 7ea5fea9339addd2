/**
 * The demo plant on a fresh store: loaded once when the store holds no twin, never again, so a second start reuses
 * what is persisted (and whatever the user loaded since). Check and load run under the first-start lock, so replicas
 * starting together on an empty database load it once.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Store } from '../store';
import { underFirstStartLock } from './first-start';
import { twins } from '../store/schema';
import { loadManifest } from '../twin/loader';

export const DEMO_MANIFEST = fileURLToPath(new URL('../../twins/demo-plant.yaml', import.meta.url));

/** Load the demo plant when the store is empty; returns whether it loaded it. */
export async function ensureDemoTwin(store: Pick<Store, 'db'>, clock: Clock): Promise<boolean> {
  const manifest = await readFile(DEMO_MANIFEST, 'utf8');
  return underFirstStartLock(store.db, async (tx) => {
    const [row] = await tx.select({ n: count() }).from(twins);
    if (Number(row?.n ?? 0) > 0) return false;
    await loadManifest(tx, manifest, clock);
    return true;
  });
}
