/**
 * Bundles the browser app (src/web/app) with esbuild into src/web/dist: content-hashed JS and CSS, an index.html
 * that names them, and a manifest.json that records a hash of every source file so a stale bundle is detected and
 * rebuilt on service start. Nothing is fetched from a CDN: the bundle is everything the browser needs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DIST = join(WEB_ROOT, 'dist');

export interface WebManifest {
  js: string;
  css: string;
  builtAt: string;
  /** Hash over every bundled source file outside node_modules, plus the versions of the bundled packages. */
  sourceHash: string;
  inputs: string[];
}

export interface BuildOptions {
  distDir?: string;
  minify?: boolean;
}

function hashInputs(inputs: string[], projectRoot: string): string {
  const h = createHash('sha256');
  for (const rel of [...inputs].sort()) {
    h.update(rel);
    const abs = resolve(projectRoot, rel);
    h.update(existsSync(abs) ? readFileSync(abs) : 'missing');
  }
  h.update(join(WEB_ROOT, 'index.html'));
  h.update(readFileSync(join(WEB_ROOT, 'index.html')));
  return h.digest('hex').slice(0, 20);
}

const PROJECT_ROOT = resolve(WEB_ROOT, '..', '..');

export function readManifest(distDir = DEFAULT_DIST): WebManifest | null {
  try {
    return JSON.parse(readFileSync(join(distDir, 'manifest.json'), 'utf8')) as WebManifest;
  } catch {
    return null;
  }
}

/** True when the bundle is missing, a file it names is gone, or any source it was built from has changed. */
export function isStale(distDir = DEFAULT_DIST): boolean {
  const m = readManifest(distDir);
  if (!m) return true;
  if (!existsSync(join(distDir, m.js)) || !existsSync(join(distDir, m.css)) || !existsSync(join(distDir, 'index.html'))) return true;
  return hashInputs(m.inputs, PROJECT_ROOT) !== m.sourceHash;
}

/** Build the bundle. Files are written under temporary names and renamed, so a concurrent reader never sees half a file. */
export async function buildWeb(opts: BuildOptions = {}): Promise<WebManifest> {
  const distDir = opts.distDir ?? DEFAULT_DIST;
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { app: join(WEB_ROOT, 'app', 'main.ts') },
    bundle: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: opts.minify ?? true,
    sourcemap: false,
    write: false,
    metafile: true,
    outdir: distDir,
    entryNames: '[name]-[hash]',
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'silent',
    legalComments: 'none',
  });
  mkdirSync(distDir, { recursive: true });
  let js = '';
  let css = '';
  for (const file of result.outputFiles) {
    const name = relative(distDir, file.path);
    if (name.endsWith('.js')) js = name;
    else if (name.endsWith('.css')) css = name;
    else continue;
    atomicWrite(join(distDir, name), file.contents);
  }
  if (!js || !css) throw new Error('web build produced no JS or CSS');
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
  // The bundled packages' package.json files stand in for their code: an upgrade changes the version.
  const packages = ['preact', 'htm', 'uplot'];
  const manifest: WebManifest = {
    js,
    css,
    builtAt: new Date().toISOString(),
    sourceHash: '',
    inputs: [...inputs, ...packages.map((p) => `node_modules/${p}/package.json`)],
  };
  manifest.sourceHash = hashInputs(manifest.inputs, PROJECT_ROOT);
  const template = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
  const index = template.replaceAll('%APP_JS%', `/assets/${js}`).replaceAll('%APP_CSS%', `/assets/${css}`);
  atomicWrite(join(distDir, 'index.html'), index);
  atomicWrite(join(distDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  pruneOldBundles(distDir, new Set([js, css]));
  return manifest;
}

/** Drop bundles replaced more than an hour ago (a page loaded before a rebuild may still ask for them). */
function pruneOldBundles(distDir: string, keep: Set<string>): void {
  const cutoff = Date.now() - 3600_000;
  for (const name of readdirSync(distDir)) {
    if (keep.has(name) || !/^app-\w+\.(js|css)$/.test(name)) continue;
    try {
      if (statSync(join(distDir, name)).mtimeMs < cutoff) unlinkSync(join(distDir, name));
    } catch {
      /* another process pruned it first */
    }
  }
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const pending = new Map<string, Promise<WebManifest>>();

/** Build when missing or stale; otherwise return the current manifest. Concurrent callers for one dir share one build. */
export function ensureWebBundle(opts: BuildOptions = {}): Promise<WebManifest> {
  const distDir = resolve(opts.distDir ?? DEFAULT_DIST);
  const running = pending.get(distDir);
  if (running) return running;
  if (!isStale(distDir)) return Promise.resolve(readManifest(distDir)!);
  const p = buildWeb({ ...opts, distDir }).finally(() => pending.delete(distDir));
  pending.set(distDir, p);
  return p;
}
