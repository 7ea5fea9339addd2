/**
 * `twin serve`: run the service (what `npm start` runs) until SIGINT or SIGTERM, then shut down gracefully: stop
 * taking requests, stop the simulator and MQTT, close the store.
 */
import type { Command } from 'commander';
import { action } from '../output';

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the Twinpilot service: HTTP API, web app, ingestion, simulator and copilot')
    .option('--port <port>', 'override PORT')
    .option('--host <host>', 'override HOST')
    .action(
      action(async (opts: { port?: string; host?: string }) => {
        const { loadConfig } = await import('../../config');
        const { startService } = await import('../../main');
        const overrides = Object.fromEntries(Object.entries({ PORT: opts.port, HOST: opts.host }).filter(([, v]) => v !== undefined));
        const config = loadConfig(overrides);
        const service = await startService(config);
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) {
            process.exit(1); // a second signal: do not wait any longer
          }
          stopping = true;
          console.log(`\n${signal}: shutting down`);
          const force = setTimeout(() => process.exit(1), 10_000);
          force.unref();
          service.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        };
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGTERM', () => stop('SIGTERM'));
      }),
    );
}
