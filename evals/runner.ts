/**
 * The eval runner: every suite × trial (for pass^k) as a unit of work, run on a pool. Each unit opens a fresh session,
 * so trials never see each other's proposals. Units run in this process on an injected harness, or on worker threads
 * (pool.ts) that build the real harness themselves, which is how the default suites use both cores.
 */
import { parseDuration } from '../src/clock';
import { runSuiteTrial, type SuiteTrial } from './run-suite';
import type { Suite } from './suite';
import type { CaseResult, Harness, Mode, Provider, RunResult, SuiteResult } from './types';

export interface RunOptions {
  provider: Provider;
  mode: Mode;
  k: number;
  /** Called after each unit, for a progress line. */
  onUnit?: (done: number, total: number, unit: SuiteTrial) => void;
}

/** Runs one unit: the in-process executor calls the harness; the worker pool sends the unit to a thread. */
export type UnitExecutor = (suite: Suite, trial: number) => Promise<SuiteTrial>;

export function inProcess(harness: Harness, opts: Pick<RunOptions, 'provider' | 'mode'>): UnitExecutor {
  return (suite, trial) => runSuiteTrial(harness, suite, trial, { provider: opts.provider, mode: opts.mode });
}

/** Run `fn` over items with at most `limit` at a time, results in input order. */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export interface EvalHooks {
  /** The setup a suite needs (suites with the same key share a prepared store); units are grouped by it. */
  setupKey?: (suite: Suite) => string;
  /** Build each distinct setup once, before the units that need it run (in parallel, on the pool). */
  prepare?: (suite: Suite) => Promise<unknown>;
}

export async function runEval(suites: Suite[], execute: UnitExecutor, opts: RunOptions & { concurrency?: number } & EvalHooks): Promise<RunResult> {
  const started = new Date();
  const t0 = performance.now();
  const keyOf = new Map(suites.map((s) => [s, opts.setupKey?.(s) ?? '']));
  const limit = Math.max(1, opts.concurrency ?? 1);
  const slots = semaphore(limit);
  // Each distinct setup is built once; the units of a setup start as soon as it is ready, so the cases of short
  // setups run beside the build of a long one instead of after every build.
  const ready = new Map<string, Promise<unknown>>();
  if (opts.prepare) {
    // The longest history first: it takes longest to build, and the others fit beside it on the pool.
    const firsts = [...new Map(suites.map((s) => [keyOf.get(s)!, s])).values()].sort(
      (a, b) => (parseDuration(b.backfill) ?? 0) - (parseDuration(a.backfill) ?? 0),
    );
    for (const s of firsts) ready.set(keyOf.get(s)!, slots.run(() => opts.prepare!(s)));
  }
  // Grouped by setup (a worker keeps one prepared store in memory), longest suites first within a group.
  const units = suites
    .flatMap((suite, index) => Array.from({ length: opts.k }, (_, trial) => ({ suite, index, trial })))
    .sort((a, b) => keyOf.get(a.suite)!.localeCompare(keyOf.get(b.suite)!) || b.suite.cases.length - a.suite.cases.length || a.trial - b.trial);
  let done = 0;
  const trials = await Promise.all(
    units.map(async ({ suite, index, trial }) => {
      await ready.get(keyOf.get(suite)!);
      const r = await slots.run(() => execute(suite, trial));
      opts.onUnit?.(++done, units.length, r);
      return { index, r };
    }),
  );
  return {
    started_at: started.toISOString(),
    provider: opts.provider,
    mode: opts.mode,
    k: opts.k,
    ms: Math.round(performance.now() - t0),
    suites: suites.map((s, i) => assemble(s, trials.filter((t) => t.index === i).map((t) => t.r))),
  };
}

/** At most `n` tasks at a time, started in the order they asked. */
function semaphore(n: number): { run<T>(fn: () => Promise<T>): Promise<T> } {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active >= n) await new Promise<void>((r) => queue.push(r));
      else active++;
      try {
        return await fn();
      } finally {
        const next = queue.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

function assemble(suite: Suite, trials: SuiteTrial[]): SuiteResult {
  trials.sort((a, b) => a.trial - b.trial);
  const cases: CaseResult[] = suite.cases.map((c) => {
    const results = trials.map((t) => t.cases.find((x) => x.id === c.id)?.result).filter((r) => r !== undefined);
    return {
      suite: suite.name,
      id: c.id,
      task: c.task,
      expected_route: c.expect.route ?? null,
      passed: results.length > 0 && results.every((r) => r.passed),
      trials: results,
    };
  });
  const error = trials.find((t) => t.error)?.error;
  return {
    suite: suite.name,
    file: suite.file,
    twin: suite.twin.kind === 'id' ? suite.twin.id : suite.twin.path,
    cases,
    setup_ms: Math.round(trials.reduce((s, t) => s + t.setup_ms, 0) / Math.max(1, trials.length)),
    ...(error ? { error } : {}),
  };
}
