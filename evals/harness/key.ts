/**
 * The key of a suite's setup: what its store is built from (manifest, now, seed, backfill, ingest files) and the
 * sources that write that data. Suites with the same key share one snapshot. Light on purpose: the main thread computes
 * it to hand each distinct setup to one worker.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Suite } from '../suite';

/** Sources whose change changes the data a setup produces; their hash is part of every snapshot key. */
const DATA_SOURCES = ['src/sim', 'src/ingest', 'src/store', 'src/twin', 'drizzle'];
let sourcesHash: string | undefined;

function hashTree(h: ReturnType<typeof createHash>, root: string, dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashTree(h, root, p);
    else h.update(`${relative(root, p)}\n`).update(readFileSync(p));
  }
}

export function dataSourcesHash(root: string): string {
  if (!sourcesHash) {
    const h = createHash('sha256');
    for (const d of DATA_SOURCES) hashTree(h, root, join(root, d));
    sourcesHash = h.digest('hex').slice(0, 12);
  }
  return sourcesHash;
}

export function setupKey(suite: Suite, root?: string): string {
  const h = createHash('sha256');
  if (root) h.update(dataSourcesHash(root));
  h.update(readFileSync(suite.twin.path));
  h.update(`|${suite.now.toISOString()}|${suite.seed}|${suite.backfill}`);
  for (const f of suite.ingest) h.update(`|${f}|`).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

