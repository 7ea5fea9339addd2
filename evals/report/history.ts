/**
 * Earlier runs, for the comparison in the HTML report: the history carried in a previous results.json in the same
 * report folder, and rows of the store's eval_runs table when the caller has them. Each entry is a compact summary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSummary } from '../summary';

export interface HistoryEntry {
  id: string;
  started_at: string;
  provider: string;
  mode: string;
  k: number;
  cases: number;
  passed: number;
  pass_rate: number;
  pass_k: number;
  ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  suites: { suite: string; cases: number; passed: number; pass_rate: number }[];
  /** Case id (suite/id) → passed, for "what changed" between runs. */
  outcomes?: Record<string, boolean>;
}

export const HISTORY_LIMIT = 30;

export function historyEntry(j: JsonSummary, startedAt: string, id = startedAt): HistoryEntry {
  return {
    id,
    started_at: startedAt,
    provider: j.summary.provider,
    mode: j.summary.mode,
    k: j.summary.k,
    cases: j.summary.cases,
    passed: j.summary.passed,
    pass_rate: j.summary.pass_rate,
    pass_k: j.summary.pass_k,
    ms: j.summary.ms,
    prompt_tokens: j.cases.reduce((s, c) => s + c.usage.prompt_tokens, 0),
    completion_tokens: j.cases.reduce((s, c) => s + c.usage.completion_tokens, 0),
    suites: j.suites.map(({ suite, cases, passed, pass_rate }) => ({ suite, cases, passed, pass_rate })),
    outcomes: Object.fromEntries(j.cases.map((c) => [`${c.suite}/${c.id}`, c.passed])),
  };
}

/** History found in DIR/results.json from an earlier run (its own run first, then what it carried). */
export function readReportHistory(dir: string): HistoryEntry[] {
  const file = join(dir, 'results.json');
  if (!existsSync(file)) return [];
  try {
    const prev = JSON.parse(readFileSync(file, 'utf8')) as JsonSummary & { started_at?: string; history?: HistoryEntry[]; baseline?: JsonSummary & { started_at?: string } };
    const out: HistoryEntry[] = [];
    if (prev.summary && prev.cases) out.push(historyEntry(prev, prev.started_at ?? 'earlier'));
    if (prev.baseline?.summary) out.push(historyEntry(prev.baseline, prev.baseline.started_at ?? prev.started_at ?? 'earlier'));
    out.push(...(prev.history ?? []));
    return out;
  } catch {
    return [];
  }
}

/** Merge histories from several sources, newest first, de-duplicated on (started_at, mode, provider). */
export function mergeHistory(...lists: HistoryEntry[][]): HistoryEntry[] {
  const seen = new Set<string>();
  return lists
    .flat()
    .filter((h) => {
      const key = `${h.started_at}|${h.mode}|${h.provider}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => b.started_at.localeCompare(a.started_at))
    .slice(0, HISTORY_LIMIT);
}
