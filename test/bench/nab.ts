/**
 * `npm run bench -- nab --dir DIR [--cli] [--split]`: the anomaly detector on a folder in the Numenta Anomaly Benchmark
 * layout (DIR/data/<category>/<file>.csv and DIR/labels/combined_windows.json), scored with NAB's standard profile
 * (_nab.ts, after NAB's sweeper). Each file is read with the same parser as `twin detect` and scored with the same
 * detector and output rounding; with --cli every file actually goes through `twin detect` (slower, same figures).
 * NAB's data is not part of this repository: fetch it yourself. Files listed in the labels but absent from DIR are
 * skipped and named.
 *
 * --split reports two halves as well (alternate files of each category, in name order): "tune" and "held out", each
 * with its own optimised threshold and the held-out half also at the tune half's threshold, so a change tuned on one
 * half can be checked on files it never saw.
 *
 * --holdout a.csv,b.csv (names as in the labels, e.g. realKnownCause/x.csv) keeps the named files out of the per-file
 * table and of the tuned score: they are reported only as one aggregate, at their own optimised threshold and at the
 * threshold optimised on the other files, so a change can be tuned without looking at them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreAnomalies } from '../../src/analytics';
import { parseDetectCsv } from '../../src/cli/commands/detect';
import { scoreCorpus, STANDARD, type CorpusResult, type ScoredFile } from './_nab';

interface LabelledFile extends ScoredFile {
  rows: number;
}

/** Row-index windows for NAB's timestamp windows: every row whose time lies inside [start, end]. */
export function windowsToRows(t: readonly number[], windows: Array<[string, string]>): Array<[number, number]> {
  const parse = (s: string) => Date.parse(`${s.trim().replace(' ', 'T').replace(/(\.\d{3})\d*$/, '$1')}Z`);
  const out: Array<[number, number]> = [];
  for (const [a, b] of windows) {
    const ta = parse(a);
    const tb = parse(b);
    let i = t.findIndex((x) => x >= ta);
    let j = -1;
    for (let k = t.length - 1; k >= 0; k--) if (t[k] <= tb) { j = k; break; }
    if (i < 0 || j < i) continue;
    out.push([i, j]);
    i = j;
  }
  return out;
}

/** Load every labelled file present under dir and score it as `twin detect` would. */
export function loadAndScore(dir: string, viaCli = false): { files: LabelledFile[]; missing: string[] } {
  const labels = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, Array<[string, string]>>;
  const files: LabelledFile[] = [];
  const missing: string[] = [];
  const out = viaCli ? mkdtempSync(join(tmpdir(), 'nab-')) : '';
  for (const name of Object.keys(labels).sort()) {
    const path = join(dir, 'data', name);
    if (!existsSync(path)) {
      missing.push(name);
      continue;
    }
    const rows = parseDetectCsv(readFileSync(path, 'utf8'));
    if (rows.problems.length) throw new Error(`${name}: ${rows.problems[0].path} ${rows.problems[0].message}`);
    let scores: number[];
    if (viaCli) {
      const target = join(out, name.replace(/\//g, '_'));
      execFileSync('node', ['bin/twin.mjs', 'detect', '--input', path, '--output', target], { stdio: 'ignore' });
      scores = readFileSync(target, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',').pop()));
    } else {
      // Same rounding as the CLI's output, so the threshold sweep sees what NAB would read.
      scores = Array.from(scoreAnomalies(rows.t, rows.v), (s) => (s === 0 ? 0 : Number(s.toFixed(6))));
    }
    files.push({ name, scores, windows: windowsToRows(rows.t, labels[name]), rows: rows.t.length });
  }
  return { files, missing };
}

/** Alternate files of each category into two halves, in name order. */
export function splitHalves<T extends { name: string }>(files: T[]): [T[], T[]] {
  const a: T[] = [];
  const b: T[] = [];
  const seen = new Map<string, number>();
  for (const f of files) {
    const cat = f.name.split('/')[0];
    const k = seen.get(cat) ?? 0;
    seen.set(cat, k + 1);
    (k % 2 === 0 ? a : b).push(f);
  }
  return [a, b];
}

function line(label: string, r: CorpusResult): string {
  return `| ${label.padEnd(34)} | ${r.normalized.toFixed(1).padStart(6)} | ${String(r.tp).padStart(3)} | ${String(r.fp).padStart(4)} | ${String(r.fn).padStart(3)} | ${String(r.windows).padStart(3)} | ${r.threshold.toFixed(4)} |`;
}

export default async function bench(args: string[]): Promise<void> {
  const at = args.indexOf('--dir');
  const dir = at >= 0 ? args[at + 1] : '/tmp/nab';
  if (!existsSync(join(dir, 'labels', 'combined_windows.json'))) {
    console.error(`no ${join(dir, 'labels', 'combined_windows.json')}: put NAB's labels and data there (NAB layout)`);
    process.exit(2);
  }
  const started = performance.now();
  const { files, missing } = loadAndScore(dir, args.includes('--cli'));
  const ms = performance.now() - started;
  if (files.length === 0) {
    console.error('none of the labelled files is present');
    process.exit(2);
  }
  const hold = args.indexOf('--holdout');
  if (hold >= 0) {
    const names = new Set((args[hold + 1] ?? '').split(',').filter(Boolean));
    const tune = files.filter((f) => !names.has(f.name));
    const held = files.filter((f) => names.has(f.name));
    if (held.length !== names.size) console.error(`--holdout: ${names.size - held.length} named files are absent`);
    const rt = scoreCorpus(tune, STANDARD);
    console.log(`NAB standard profile, ${tune.length} tuning files (${held.length} held out, not shown), ${tune.reduce((a, f) => a + f.rows, 0)} rows\n`);
    console.log('| file                                                          | rows | windows | tp | fp | fn | score  |');
    console.log('|---------------------------------------------------------------|------|---------|----|----|----|--------|');
    rt.files.forEach((r, i) => {
      console.log(`| ${r.name.padEnd(61)} | ${String(tune[i].rows).padStart(4)} | ${String(r.windows).padStart(7)} | ${String(r.tp).padStart(2)} | ${String(r.fp).padStart(2)} | ${String(r.fn).padStart(2)} | ${r.score.toFixed(3).padStart(6)} |`);
    });
    console.log('\n| corpus                             | score  |  tp |   fp |  fn | win | threshold |');
    console.log('|------------------------------------|--------|-----|------|-----|-----|-----------|');
    console.log(line(`tuning files (${tune.length})`, rt));
    if (held.length) {
      console.log(line(`held-out files (${held.length})`, scoreCorpus(held, STANDARD)));
      console.log(line('held-out at the tuning threshold', scoreCorpus(held, STANDARD, rt.threshold)));
      console.log(line(`all files (${files.length})`, scoreCorpus(files, STANDARD)));
    }
    return;
  }
  const all = scoreCorpus(files, STANDARD);
  console.log(`NAB standard profile, ${files.length} files, ${files.reduce((a, f) => a + f.rows, 0)} rows (${ms.toFixed(0)} ms)${missing.length ? `; ${missing.length} labelled files absent` : ''}\n`);
  console.log('| file                                                          | rows | windows | tp | fp | fn | score  |');
  console.log('|---------------------------------------------------------------|------|---------|----|----|----|--------|');
  all.files.forEach((r, i) => {
    console.log(`| ${r.name.padEnd(61)} | ${String(files[i].rows).padStart(4)} | ${String(r.windows).padStart(7)} | ${String(r.tp).padStart(2)} | ${String(r.fp).padStart(2)} | ${String(r.fn).padStart(2)} | ${r.score.toFixed(3).padStart(6)} |`);
  });
  console.log('\n| corpus                             | score  |  tp |   fp |  fn | win | threshold |');
  console.log('|------------------------------------|--------|-----|------|-----|-----|-----------|');
  console.log(line('all files (one optimised threshold)', all));
  if (args.includes('--split')) {
    const [tune, held] = splitHalves(files);
    const rt = scoreCorpus(tune, STANDARD);
    console.log(line(`tune half (${tune.length} files)`, rt));
    console.log(line(`held-out half (${held.length} files)`, scoreCorpus(held, STANDARD)));
    console.log(line('held-out at the tune threshold', scoreCorpus(held, STANDARD, rt.threshold)));
  }
}
