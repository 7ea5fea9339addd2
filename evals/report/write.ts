/**
 * `--report DIR`: results.json (the --json document, plus the full run, the baseline and the history of earlier runs),
 * junit.xml and index.html. The earlier results.json in DIR becomes part of the history before it is replaced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from '../summary';
import type { RunResult } from '../types';
import { type HistoryEntry, historyEntry, mergeHistory, readReportHistory } from './history';
import { htmlReport } from './html';
import { junitXml } from './junit';

export interface WrittenReport {
  dir: string;
  files: string[];
  history: HistoryEntry[];
}

export function writeReport(dir: string, run: RunResult, opts: { baseline?: RunResult; storeHistory?: HistoryEntry[] } = {}): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const history = mergeHistory(readReportHistory(dir), opts.storeHistory ?? []).filter(
    (h) => h.started_at !== run.started_at && h.started_at !== opts.baseline?.started_at,
  );
  const json = {
    ...summarize(run),
    started_at: run.started_at,
    ...(opts.baseline ? { baseline: { ...summarize(opts.baseline), started_at: opts.baseline.started_at } } : {}),
    history,
    run,
    ...(opts.baseline ? { baseline_run: opts.baseline } : {}),
  };
  const files = [join(dir, 'results.json'), join(dir, 'junit.xml'), join(dir, 'index.html')];
  writeFileSync(files[0]!, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(files[1]!, junitXml(run));
  writeFileSync(files[2]!, htmlReport(run, { baseline: opts.baseline, history }));
  return { dir, files, history };
}

export { historyEntry };
