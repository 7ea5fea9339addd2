/**
 * The `twin` command. Each subcommand lives in src/cli/commands/<name>.ts and exports
 * `register(program)`; registration must stay cheap, so heavy modules load inside the action.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';

const program = new Command('twin')
  .description('Twinpilot: a copilot for digital twins')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander's usage errors are bad input: exit 2 as interfaces.md asks.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
for (const file of readdirSync(commandsDir).sort()) {
  if (!file.endsWith('.ts') || file.includes('.test.')) continue;
  const mod = (await import(pathToFileURL(join(commandsDir, file)).href)) as { register?: (p: Command) => void };
  mod.register?.(program);
}

await program.parseAsync(process.argv);
