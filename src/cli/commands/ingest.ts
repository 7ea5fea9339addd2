/**
 * `twin ingest FILE [--format csv|ndjson|json] [--json]`: import telemetry (CSV `ts,asset,property,value`, NDJSON, or
 * a JSON array) through the same validation and batch writer as HTTP and MQTT. Through the running service when one
 * answers, else into the store in DATA_DIR (or DATABASE_URL). Prints `{accepted, rejected, errors:[{line, reason}]}`
 * with --json, a progress bar on a terminal. Rejected rows do not fail the command; an unreadable file exits 2.
 */
import type { Command } from 'commander';
import { action, printJson } from '../output';

interface Result {
  accepted: number;
  rejected: number;
  errors: { line: number; reason: string }[];
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('import telemetry from a CSV (ts,asset,property,value), NDJSON or JSON array file')
    .argument('<file>', 'the telemetry file')
    .option('--format <format>', 'csv | ndjson | json (default: from the file name or content)')
    .option('--json', 'print {accepted, rejected, errors:[{line, reason}]} as JSON')
    .option('--local', 'open the store directly even when a service answers')
    .option('--empty', 'do not load the demo plant into an empty store')
    .action(
      action(async (file: string, opts: { format?: string; json?: boolean; local?: boolean; empty?: boolean }) => {
        const { open, stat } = await import('node:fs/promises');
        const { AppError } = await import('../../errors');
        const { guessFormat } = await import('../../ingest/readers');
        if (opts.format && !['csv', 'ndjson', 'json'].includes(opts.format)) {
          throw new AppError('bad_request', `--format must be csv, ndjson or json, got "${opts.format}"`, { problems: [{ path: '--format', message: 'expected csv, ndjson or json' }] });
        }
        let size: number;
        let head = '';
        try {
          size = (await stat(file)).size;
          const fh = await open(file, 'r');
          const buf = Buffer.alloc(256);
          const { bytesRead } = await fh.read(buf, 0, 256, 0);
          head = buf.subarray(0, bytesRead).toString('utf8');
          await fh.close();
        } catch (err) {
          throw new AppError('bad_request', `cannot read ${file}: ${(err as Error).message}`);
        }
        const format = (opts.format as 'csv' | 'ndjson' | 'json' | undefined) ?? guessFormat(file, head);
        const result = await run(file, format, size, opts);
        if (opts.json) printJson(result);
        else {
          process.stdout.write(`${result.accepted} accepted, ${result.rejected} rejected\n`);
          for (const e of result.errors.slice(0, 20)) process.stdout.write(`  line ${e.line}: ${e.reason}\n`);
        }
      }),
    );
}

async function run(file: string, format: 'csv' | 'ndjson' | 'json', size: number, opts: { json?: boolean; local?: boolean; empty?: boolean }): Promise<Result> {
  const { createReadStream } = await import('node:fs');
  const { loadConfig } = await import('../../config');
  const { readerFor } = await import('../../ingest/readers');
  const config = loadConfig();
  // A progress bar on a terminal, by bytes read; never on --json output or a pipe.
  const bar = process.stderr.isTTY && !opts.json ? new (await import('cli-progress')).SingleBar({ format: 'ingest [{bar}] {percentage}% | {accepted} accepted, {rejected} rejected', stream: process.stderr }, (await import('cli-progress')).Presets.shades_classic) : null;
  bar?.start(size, 0, { accepted: 0, rejected: 0 });
  let read = 0;
  // Bytes are counted as the reader pulls them (a 'data' listener would start the stream flowing on its own).
  const counted = async function* () {
    for await (const chunk of createReadStream(file)) {
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  };
  const items = readerFor(format)(counted());

  const { publicUrl } = await import('../../config');
  const base = config.TWIN_URL ?? publicUrl(config);
  if (!opts.local && (await serviceUp(base))) {
    try {
      return await viaHttp(base, config.TWIN_API_KEY, items, (p) => bar?.update(read, p));
    } finally {
      bar?.stop();
    }
  }

  const { createStore } = await import('../../store');
  const { dbRunner } = await import('../../ingest/sql');
  const { createIngestService } = await import('../../ingest/service');
  const { createEventBus } = await import('../../events');
  const { systemClock } = await import('../../clock');
  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await store.migrate();
    const ingest = createIngestService({ sql: dbRunner(store.db), bus: createEventBus(), clock: systemClock });
    if (!opts.empty) await demoOnEmptyStore(config, store, ingest);
    const catalog = await ingest.reload();
    if (catalog.twins.size === 0) {
      const { AppError } = await import('../../errors');
      throw new AppError('bad_request', 'no twin is loaded: run `twin load FILE` first', null);
    }
    const result = await ingest.ingest(items, {
      source: `file:${file}`,
      textual: format === 'csv',
      indexBy: 'line',
      onProgress: (p) => bar?.update(read, p),
    });
    bar?.update(size, result);
    bar?.stop();
    return { accepted: result.accepted, rejected: result.rejected, errors: result.errors.map((e) => ({ line: e.index, reason: e.reason })) };
  } finally {
    bar?.stop();
    await store.close();
  }
}

async function serviceUp(base: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

/**
 * Stream the records to the service as NDJSON (the CSV is converted on the way), keeping only each record's line
 * number to translate the service's indexes back into lines.
 */
async function viaHttp(
  base: string,
  key: string | undefined,
  items: AsyncIterable<import('../../ingest/readers').RawItem>,
  progress: (p: { accepted: number; rejected: number }) => void,
): Promise<Result> {
  const { AppError, ErrorCode } = await import('../../errors');
  const lines: number[] = [];
  const local: Result = { accepted: 0, rejected: 0, errors: [] };
  const it = items[Symbol.asyncIterator]();
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      let out = '';
      while (out.length < 256 * 1024) {
        const next = await it.next();
        if (next.done) break;
        const item = next.value;
        if ('error' in item) {
          local.rejected++;
          if (local.errors.length < 100) local.errors.push({ line: item.line, reason: item.error });
          continue;
        }
        lines.push(item.line);
        out += `${JSON.stringify(item.value)}\n`;
      }
      if (out) ctrl.enqueue(enc.encode(out));
      else ctrl.close();
      progress({ accepted: lines.length, rejected: local.rejected });
    },
  });
  const res = await fetch(new URL('/api/v1/telemetry', base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
    duplex: 'half',
  } as RequestInit);
  const json = (await res.json().catch(() => null)) as { accepted: number; rejected: number; errors: { index: number; reason: string }[]; error?: { code: string; message: string; details: unknown } } | null;
  if (!res.ok || !json || json.error) {
    const code = ErrorCode.safeParse(json?.error?.code);
    throw new AppError(code.success ? code.data : 'unavailable', json?.error?.message ?? `service answered ${res.status}`, json?.error?.details ?? null);
  }
  return {
    accepted: json.accepted,
    rejected: json.rejected + local.rejected,
    errors: [...local.errors, ...json.errors.map((e) => ({ line: lines[e.index] ?? e.index + 1, reason: e.reason }))].sort((a, b) => a.line - b.line).slice(0, 100),
  };
}

/** An empty store gets the demo plant and its simulated history first (interfaces.md), unless `--empty`. */
async function demoOnEmptyStore(
  config: import('../../config').Config,
  store: import('../../store').Store,
  ingest: import('../../ingest/service').IngestService,
): Promise<void> {
  const { ensureDemoTwin } = await import('../../boot/demo');
  const { systemClock } = await import('../../clock');
  if (!(await ensureDemoTwin(store, systemClock))) return;
  process.stderr.write('loaded the demo plant into the empty store; simulating its history (once)…\n');
  const { parseManifest } = await import('../../twin/manifest');
  const { readFile } = await import('node:fs/promises');
  const { DEMO_MANIFEST } = await import('../../boot/demo');
  const parsed = parseManifest(await readFile(DEMO_MANIFEST, 'utf8'));
  if (!parsed.ok) return;
  await ingest.reload();
  const { backfillHistory } = await import('../../boot/history-backfill');
  await backfillHistory({ config, store, clock: systemClock, ingest, manifests: [parsed.manifest] });
}
