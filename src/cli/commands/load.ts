/**
 * `twin load FILE [--json]`: load or update a twin manifest. Through the running service's HTTP API when one answers
 * (TWIN_URL, default http://127.0.0.1:$PORT, with TWIN_API_KEY); otherwise into the store in DATA_DIR (or DATABASE_URL).
 * A bad manifest exits 2 with every problem listed and changes nothing.
 */
import type { Command } from 'commander';
import { action, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('load')
    .description('load or update a twin manifest (YAML or JSON)')
    .argument('<file>', 'the manifest file')
    .option('--json', 'print {twin, created, updated, retired} as JSON')
    .option('--local', 'open the store directly even when a service answers')
    .action(
      action(async (file: string, opts: { json?: boolean; local?: boolean }) => {
        const { readFile } = await import('node:fs/promises');
        const { loadConfig, publicUrl } = await import('../../config');
        const { AppError, validationError } = await import('../../errors');
        const { parseManifest } = await import('../../twin/manifest');
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (err) {
          throw new AppError('bad_request', `cannot read ${file}: ${(err as Error).message}`);
        }
        // Validate here first, so bad input is reported the same way with or without a service.
        const parsed = parseManifest(text);
        if (!parsed.ok) throw validationError(`invalid manifest ${file}: ${parsed.problems.length} problem(s)`, parsed.problems);

        const config = loadConfig();
        const base = config.TWIN_URL ?? publicUrl(config);
        const result = !opts.local && (await serviceUp(base)) ? await viaHttp(base, config.TWIN_API_KEY, parsed.manifest) : await viaStore(config, parsed.manifest);
        if (opts.json) printJson(result);
        else process.stdout.write(`${result.twin}: ${result.created} created, ${result.updated} updated, ${result.retired} retired\n`);
      }),
    );
}

async function serviceUp(base: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}

interface Counts {
  twin: string;
  created: number;
  updated: number;
  retired: number;
}

async function viaHttp(base: string, key: string | undefined, manifest: unknown): Promise<Counts> {
  const { AppError, ErrorCode } = await import('../../errors');
  const res = await fetch(new URL('/api/v1/twins', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(manifest),
  });
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details: unknown } } | Counts | null;
  if (!res.ok || !body || 'error' in body) {
    const e = (body as { error?: { code: string; message: string; details: unknown } } | null)?.error;
    const code = ErrorCode.safeParse(e?.code);
    throw new AppError(code.success ? code.data : 'unavailable', e?.message ?? `service answered ${res.status}`, e?.details ?? null);
  }
  return body as Counts;
}

async function viaStore(config: import('../../config').Config, manifest: unknown): Promise<Counts> {
  const { createStore } = await import('../../store');
  const { loadManifest } = await import('../../twin/loader');
  const { systemClock } = await import('../../clock');
  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await store.migrate();
    const r = await loadManifest(store, manifest, systemClock, { actor: { id: 'cli', role: 'admin', via: 'cli' } });
    return { twin: r.twin, created: r.created, updated: r.updated, retired: r.retired };
  } finally {
    await store.close();
  }
}
