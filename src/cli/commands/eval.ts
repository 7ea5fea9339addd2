/**
 * `twin eval [--suite PATH]… [--provider P] [--k N] [--json] [--report DIR] [--baseline single]`: score the copilot
 * on eval suites (spec/evals.md). Registration stays cheap; the runner loads inside the action.
 */
import type { Command } from 'commander';
import { action } from '../output';

export function register(program: Command): void {
  program
    .command('eval')
    .description('run eval suites (default: evals/suites/) and score routing, facts, actions, safety, tools and cost')
    .option('--suite <path>', 'a suite file or a folder of suites (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--provider <provider>', 'offline, openai or ollama (default: LLM_PROVIDER when set, else offline)')
    .option('--k <n>', 'run every case N times and report pass^k', '1')
    .option('--json', 'print the results as one JSON document on stdout')
    .option('--report <dir>', 'write results.json, junit.xml and index.html to DIR')
    .option('--baseline <kind>', 'also run a baseline on the same suites: single (primary expert alone, no reviewers, no consensus)')
    .option('--jobs <n>', 'worker threads (default: min(2, CPUs))')
    .option('--judge', 'also run the LLM-as-judge faithfulness scorer (real providers only; reported separately)')
    .option('--no-store', 'do not record the run in the store\'s eval_runs table')
    .action(
      action(async (opts: Record<string, unknown>) => {
        const { evalCommand } = await import('../../../evals/cli');
        const { loadConfig } = await import('../../config');
        process.exitCode = await evalCommand(opts, loadConfig());
      }),
    );
}
