/**
 * The store's eval_runs table: every `twin eval` run is recorded there (the web app draws the trend from it), and the
 * HTML report reads earlier runs back for its comparison. The embedded store is never opened while a service holds it:
 * when the service answers, the row is not written and the run says so.
 */
import { desc } from 'drizzle-orm';
import type { Config } from '../src/config';
import { publicUrl } from '../src/config';
import { createStore, schema, type Store } from '../src/store';
import type { HistoryEntry } from './report/history';
import { historyEntry } from './report/history';
import { summarize, type JsonSummary } from './summary';
import type { RunResult } from './types';

async function serviceAnswers(config: Config): Promise<boolean> {
  const url = config.TWIN_URL ?? publicUrl(config);
  try {
    const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(400) });
    return res.ok;
  } catch {
    return false;
  }
}

async function openStore(config: Config): Promise<Store | null> {
  if (!config.DATABASE_URL && (await serviceAnswers(config))) return null;
  const store = await createStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, maxConnections: 1 });
  await store.migrate();
  return store;
}

/** The row written for a run: the --json summary plus the per-suite figures, and the per-case results. */
export function evalRunRow(run: RunResult, json: JsonSummary = summarize(run)) {
  return {
    id: `eval_${run.started_at.replace(/[^0-9]/g, '')}_${run.mode}_${run.provider}`,
    startedAt: new Date(run.started_at),
    finishedAt: new Date(Date.parse(run.started_at) + run.ms),
    provider: run.provider,
    baseline: run.mode === 'single',
    summary: { ...json.summary, suites: json.suites } as Record<string, unknown>,
    results: json.cases as unknown[],
  };
}

/** Write the runs; returns a note for the log, or null when written. */
export async function recordRun(config: Config, runs: RunResult[]): Promise<string | null> {
  const store = await openStore(config);
  if (!store) return 'eval_runs not written: a service is using the embedded store (its report folder keeps the history)';
  try {
    for (const run of runs) await store.db.insert(schema.evalRuns).values(evalRunRow(run)).onConflictDoNothing();
    return null;
  } finally {
    await store.close();
  }
}

/** Earlier runs from eval_runs, newest first, as history entries for the report. */
export async function readStoredHistory(config: Config, limit = 30): Promise<HistoryEntry[]> {
  const store = await openStore(config);
  if (!store) return [];
  try {
    const rows = await store.db.select().from(schema.evalRuns).orderBy(desc(schema.evalRuns.startedAt)).limit(limit);
    return rows.flatMap((r) => {
      const s = r.summary as Partial<JsonSummary['summary']> & { suites?: JsonSummary['suites'] };
      if (typeof s.pass_rate !== 'number') return [];
      const json: JsonSummary = {
        summary: {
          cases: s.cases ?? 0,
          passed: s.passed ?? 0,
          pass_rate: s.pass_rate,
          pass_k: s.pass_k ?? s.pass_rate,
          k: s.k ?? 1,
          trials: s.trials ?? 0,
          trials_passed: s.trials_passed ?? 0,
          ms: s.ms ?? 0,
          provider: r.provider,
          mode: s.mode ?? (r.baseline ? 'single' : 'consensus'),
        },
        suites: s.suites ?? [],
        cases: (r.results as JsonSummary['cases']) ?? [],
      };
      return [historyEntry(json, r.startedAt.toISOString(), r.id)];
    });
  } finally {
    await store.close();
  }
}
