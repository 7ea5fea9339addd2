/**
 * The world a suite runs in: a fresh embedded store (in-memory PGlite) with the twin loaded at the frozen clock, the
 * simulator's seeded backfill written through the ingestion pipeline, and the suite's files ingested. A 7-day backfill
 * is hundreds of thousands of readings, so each distinct setup (manifest, now, seed, backfill, files, and the sources
 * that write the data) is built once into a snapshot file (PGlite's data directory), and every session loads a fresh
 * in-memory store from it: each suite and each trial still starts from the same state, and none sees another.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import { fixedClock } from '../../src/clock';
import { validationError } from '../../src/errors';
import { readerFor, guessFormat } from '../../src/ingest/readers';
import { createIngestService, loadCatalog } from '../../src/ingest/service';
import { pgliteRunner } from '../../src/ingest/sql';
import { ingestSink } from '../../src/sim/sinks';
import { startSimulator } from '../../src/sim/run';
import { createStore, type Store } from '../../src/store';
import { loadManifest } from '../../src/twin/loader';
import { parseManifest, type Manifest } from '../../src/twin/manifest';
import type { Suite } from '../suite';
import { setupKey } from './key';

export interface Prepared {
  key: string;
  manifest: Manifest;
  pglite: PGlite;
  readings: number;
  ms: number;
}

export function readManifest(path: string): Manifest {
  const parsed = parseManifest(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw validationError(`invalid manifest ${path}`, parsed.problems);
  return parsed.manifest;
}

/** Build the template store for a suite's setup. */
export async function prepare(suite: Suite): Promise<Prepared> {
  const t0 = performance.now();
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  const store = await createStore({ pglite });
  try {
    await store.migrate();
    const clock = fixedClock(suite.now);
    const manifest = readManifest(suite.twin.path);
    await loadManifest(store.db, manifest, clock);
    const sql = pgliteRunner(pglite as never);
    const ingest = createIngestService({ sql, clock, catalog: await loadCatalog(sql) });
    const rejected: string[] = [];
    const sim = startSimulator({
      manifest,
      clock,
      seed: suite.seed,
      backfill: suite.backfill,
      live: false,
      sink: ingestSink({ ingestRecords: (r, s, o) => ingest.ingestRecords(r, s, o), onRejected: (reasons) => rejected.push(...reasons) }),
      prepare: async (from, to) => void (await store.ensurePartitions(from, to)),
    });
    const { readings } = await sim.backfillDone;
    await sim.stop();
    for (const file of suite.ingest) {
      const format = guessFormat(file, readFileSync(file, 'utf8').slice(0, 200));
      const res = await ingest.ingest(readerFor(format)(createReadStream(file)), { source: `file:${basename(file)}`, textual: format === 'csv', indexBy: 'line' });
      if (res.rejected > 0) {
        throw validationError(`setup.ingest: ${basename(file)} had ${res.rejected} rejected row(s)`, res.errors.map((e) => ({ path: `${basename(file)}:${e.index}`, message: e.reason })));
      }
    }
    return { key: setupKey(suite), manifest, pglite, readings, ms: Math.round(performance.now() - t0) };
  } finally {
    await store.close(); // leaves the PGlite open: it is the template
  }
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The snapshot file of a suite's setup, built when missing. Returns its path and whether it was built now. */
export async function ensureSnapshot(suite: Suite, cacheDir: string, root: string): Promise<{ key: string; path: string; built: boolean; ms: number }> {
  const key = setupKey(suite, root);
  const path = join(cacheDir, `${key}.tar.gz`);
  if (existsSync(path)) return { key, path, built: false, ms: 0 };
  const t0 = performance.now();
  const p = await prepare(suite);
  try {
    // The data directory is mostly WAL and compresses to a sixth. PGlite's own gzip dump is slow (8 s for a 7-day
    // store) and so is loading it (7 s, against 3 s for the plain tarball), so the plain dump is compressed here with
    // zlib's fastest level, and `readSnapshot` hands PGlite the plain tarball.
    const dump = await p.pglite.dumpDataDir('none');
    const packed = await gzipAsync(Buffer.from(await dump.arrayBuffer()), { level: 1 });
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, packed);
    renameSync(tmp, path); // atomic: a reader never sees half a snapshot
    pruneSnapshots(cacheDir, SNAPSHOTS_KEPT);
  } finally {
    await p.pglite.close();
  }
  return { key, path, built: true, ms: Math.round(performance.now() - t0) };
}

/** Snapshots are up to about 80 MB each and their keys change with the sources: keep only the newest few. */
const SNAPSHOTS_KEPT = 6;

export function pruneSnapshots(cacheDir: string, keep: number): void {
  const files = readdirSync(cacheDir)
    .filter((f) => /\.tar(\.gz)?$/.test(f))
    .map((f) => ({ f, t: statSync(join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(keep)) rmSync(join(cacheDir, f), { force: true });
}

/** A fresh in-memory store loaded from a snapshot. */
/** A snapshot file as the plain tarball PGlite loads fastest. */
export async function readSnapshot(path: string): Promise<Blob> {
  return new Blob([await gunzipAsync(readFileSync(path))]);
}

export async function storeFromSnapshot(snapshot: Blob): Promise<{ store: Store; pglite: PGlite }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create({ loadDataDir: snapshot });
  const store = await createStore({ pglite });
  return { store, pglite };
}
