/**
 * The `twin eval` action: validate the flags, load the suites, run them (and the single-expert baseline when asked)
 * on a pool of worker threads, print the console table or the --json document, write the report folder, record the
 * run in the store's eval_runs table, and return the exit code: 1 when pass^1 is below EVAL_PASS_THRESHOLD.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../src/config';
import { validationError } from '../src/errors';
import { loadSuites, PROJECT_ROOT } from './discover';
import { setupKey } from './harness/key';
import { createWorkerPool } from './pool';
import { consoleReport } from './report/console';
import { writeReport } from './report/write';
import { runEval } from './runner';
import { recordRun, readStoredHistory } from './store-history';
import { summarize } from './summary';
import type { Mode, Provider, RunResult } from './types';

const Flags = z.object({
  suite: z.array(z.string()).default([]),
  provider: z.enum(['offline', 'openai', 'ollama']).optional(),
  k: z.coerce.number().int().min(1).max(50).default(1),
  json: z.boolean().optional(),
  report: z.string().optional(),
  baseline: z.enum(['single']).optional(),
  jobs: z.coerce.number().int().min(1).max(16).optional(),
  judge: z.boolean().optional(),
  store: z.boolean().default(true),
});

export function resolveProvider(flag: Provider | undefined, config: Pick<Config, 'LLM_PROVIDER'>): Provider {
  // Evals must be reproducible: `auto` means offline here, unless a provider is named.
  return flag ?? (config.LLM_PROVIDER === 'auto' ? 'offline' : config.LLM_PROVIDER);
}

export async function evalCommand(raw: Record<string, unknown>, config: Config): Promise<number> {
  const parsed = Flags.safeParse(raw);
  if (!parsed.success) {
    throw validationError('invalid flags', parsed.error.issues.map((i) => ({ path: `--${i.path.join('.')}`, message: i.message })));
  }
  const flags = parsed.data;
  const provider = resolveProvider(flags.provider, config);
  const suites = loadSuites(flags.suite.map((p) => resolve(p)));
  const jobs = flags.jobs ?? Math.max(1, Math.min(2, availableParallelism()));
  // Progress goes to stderr in every mode: with --json, stdout carries the one document only.
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  const progress = (label: string) => (done: number, total: number, unit: { suite: string; trial: number }) =>
    log(`  ${label} ${done}/${total}  ${unit.suite}${flags.k > 1 ? ` (trial ${unit.trial + 1})` : ''}`);

  const runMode = async (mode: Mode): Promise<RunResult> => {
    const pool = createWorkerPool(Math.min(jobs, suites.length * flags.k), { config, provider, mode });
    try {
      return await runEval(suites, pool.execute, {
        provider,
        mode,
        k: flags.k,
        concurrency: pool.size,
        onUnit: progress(mode),
        setupKey: (s) => setupKey(s, PROJECT_ROOT),
        prepare: async (s) => {
          const p = await pool.prepare(s);
          if (p.built) log(`  setup ${s.twin.kind === 'id' ? s.twin.id : s.twin.path} (${p.key}) built in ${(p.ms / 1000).toFixed(1)} s`);
        },
      });
    } finally {
      await pool.close();
    }
  };

  log(`eval: ${suites.length} suite(s), ${suites.reduce((n, s) => n + s.cases.length, 0)} case(s), provider ${provider}, k=${flags.k}, ${jobs} worker(s)`);
  const run = await runMode('consensus');
  const baseline = flags.baseline === 'single' ? await runMode('single') : undefined;

  if (flags.judge) {
    const { judgeRun } = await import('./scorers/judge');
    const judged = await judgeRun(run, config, provider);
    log(judged.note);
    (run as RunResult & { judge?: number | null }).judge = judged.mean;
  }

  const storeHistory = flags.store ? await readStoredHistory(config).catch(() => []) : [];
  if (flags.report) {
    const written = writeReport(resolve(flags.report), run, { baseline, storeHistory });
    log(`report: ${written.files.join(', ')}`);
  }
  if (flags.store) {
    const note = await recordRun(config, [run, ...(baseline ? [baseline] : [])]).catch((err: Error) => `eval_runs not written: ${err.message}`);
    if (note) log(note);
  }

  const summary = summarize(run);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(baseline ? { ...summary, baseline: summarize(baseline) } : summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${consoleReport(run, baseline)}\n`);
  }
  const gate = config.EVAL_PASS_THRESHOLD;
  if (summary.summary.pass_rate < gate) {
    process.stderr.write(`eval gate: pass rate ${(summary.summary.pass_rate * 100).toFixed(1)}% is below ${(gate * 100).toFixed(0)}% (EVAL_PASS_THRESHOLD)\n`);
    return 1;
  }
  return 0;
}
