/**
 * `twin simulate [--manifest FILE] [--speed N] [--backfill 7d] [--seed N]`: play the plant. It backfills history,
 * then runs live until interrupted, answering commands as the devices would. Telemetry goes over MQTT when MQTT_URL
 * is set, else to the running service's HTTP API, else straight into the store in DATA_DIR (loading the manifest).
 */
import type { Command } from 'commander';
import { action } from '../output';

export function register(program: Command): void {
  program
    .command('simulate')
    .description('publish simulated telemetry for a twin (the demo plant by default): backfill, then live')
    .option('--manifest <file>', 'twin manifest to simulate', 'twins/demo-plant.yaml')
    .option('--speed <n>', 'live speed-up: samples this many times as often, faults progress as fast', '1')
    .option('--backfill <span>', 'history to backfill first (7d, 36h, 0)', '7d')
    .option('--seed <n>', 'random seed (same seed, same plant)', '42')
    .option('--no-live', 'stop after the backfill')
    .action(
      action(async (opts: { manifest: string; speed: string; backfill: string; seed: string; live: boolean }) => {
        const { readFile } = await import('node:fs/promises');
        const { AppError, validationError } = await import('../../errors');
        const { parseDuration, systemClock } = await import('../../clock');
        const { loadConfig, publicUrl } = await import('../../config');
        const { parseManifest } = await import('../../twin/manifest');
        const { startSimulator } = await import('../../sim/run');
        const problems: { path: string; message: string }[] = [];
        const speed = Number(opts.speed);
        const seed = Number(opts.seed);
        if (!Number.isFinite(speed) || speed <= 0) problems.push({ path: '--speed', message: 'must be a positive number' });
        if (!Number.isInteger(seed)) problems.push({ path: '--seed', message: 'must be an integer' });
        if (opts.backfill !== '0' && parseDuration(opts.backfill) === null) problems.push({ path: '--backfill', message: 'expected a duration such as 7d or 36h' });
        let text = '';
        try {
          text = await readFile(opts.manifest, 'utf8');
        } catch (err) {
          problems.push({ path: '--manifest', message: `cannot read ${opts.manifest}: ${(err as Error).message}` });
        }
        if (problems.length) throw validationError('invalid options', problems);
        const parsed = parseManifest(text);
        if (!parsed.ok) throw validationError(`invalid manifest ${opts.manifest}`, parsed.problems);
        const manifest = parsed.manifest;
        const config = loadConfig();
        const log = (m: string) => process.stderr.write(`${m}\n`);

        let sink: import('../../sim/sinks').TelemetrySink;
        let cleanup: () => Promise<void> = async () => undefined;
        let prepare: ((a: Date, b: Date) => Promise<void>) | undefined;
        const base = config.TWIN_URL ?? publicUrl(config);
        const up = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(500) }).then((r) => r.ok, () => false);
        if (config.MQTT_URL) {
          const { mqttSink } = await import('../../sim/sinks');
          sink = mqttSink({ url: config.MQTT_URL, clientId: `twin-sim-${manifest.twin}` });
          log(`simulate: publishing ${manifest.twin} to ${config.MQTT_URL}`);
        } else if (up) {
          const { httpSink } = await import('../../sim/sinks');
          sink = httpSink({ base, key: config.TWIN_API_KEY });
          log(`simulate: posting ${manifest.twin} to ${base}`);
        } else {
          const { createStore } = await import('../../store');
          const { dbRunner } = await import('../../ingest/sql');
          const { createIngestService } = await import('../../ingest/service');
          const { ingestSink } = await import('../../sim/sinks');
          const { loadManifest } = await import('../../twin/loader');
          const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
          await store.migrate();
          await loadManifest(store, manifest, systemClock, { actor: { id: 'cli', role: 'admin', via: 'cli' } });
          const ingest = createIngestService({ sql: dbRunner(store.db), clock: systemClock });
          await ingest.reload();
          sink = ingestSink({ ingestRecords: ingest.ingestRecords, onRejected: (r) => log(`simulate: rejected ${r.join('; ')}`) });
          prepare = async (a, b) => void (await store.ensurePartitions(a, b));
          cleanup = () => store.close();
          log(`simulate: writing ${manifest.twin} into the local store`);
        }
        if (!Number.isFinite(speed)) throw new AppError('bad_request', 'bad speed');
        const sim = startSimulator({
          manifest,
          clock: systemClock,
          sink,
          seed,
          speed,
          backfill: opts.backfill,
          live: opts.live,
          prepare,
          log,
          onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\rbackfill ${Math.round((100 * p.done) / p.total)}% (${p.readings} readings)`),
        });
        await sim.backfillDone;
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (!opts.live) {
          await sim.stop();
          await sink.close();
          await cleanup();
          return;
        }
        log('simulate: live; Ctrl-C to stop');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await sim.stop();
        await sink.close();
        await cleanup();
      }),
    );
}
