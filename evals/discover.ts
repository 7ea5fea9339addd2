/**
 * Which suites a run covers: the paths given with --suite (a file, or a folder whose suite files are taken), or the
 * project's own suites in evals/suites/. A folder's YAML files that are not suites (a manifest kept beside them) are
 * skipped; a file named explicitly must be a suite.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { AppError, validationError, type Problem } from '../src/errors';
import { loadSuite, type Suite } from './suite';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SUITES_DIR = join(PROJECT_ROOT, 'evals', 'suites');

function looksLikeSuite(file: string): boolean {
  try {
    const v = parseYaml(readFileSync(file, 'utf8')) as unknown;
    return typeof v === 'object' && v !== null && 'suite' in v && 'cases' in v;
  } catch {
    return true; // let loadSuite report the parse error
  }
}

export function suiteFiles(paths: string[]): string[] {
  const roots = paths.length ? paths : [DEFAULT_SUITES_DIR];
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const p of roots) {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push({ path: p, message: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      const found = readdirSync(p)
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => join(p, f))
        .filter(looksLikeSuite);
      if (found.length === 0) problems.push({ path: p, message: 'no suite files (*.yaml with suite and cases) in this folder' });
      files.push(...found);
    } else files.push(p);
  }
  if (problems.length) throw validationError('cannot find the suites', problems);
  return files;
}

/** Load every suite, collecting the problems of all of them before failing. */
export function loadSuites(paths: string[]): Suite[] {
  const suites: Suite[] = [];
  const problems: Problem[] = [];
  for (const f of suiteFiles(paths)) {
    try {
      suites.push(loadSuite(f, PROJECT_ROOT));
    } catch (err) {
      if (err instanceof AppError) problems.push(...((err.details as { problems?: Problem[] })?.problems ?? [{ path: f, message: err.message }]));
      else throw err;
    }
  }
  const names = new Map<string, string>();
  for (const s of suites) {
    if (names.has(s.name)) problems.push({ path: s.file, message: `suite name "${s.name}" is also used by ${names.get(s.name)}` });
    names.set(s.name, s.file);
  }
  if (problems.length) throw validationError('invalid suites', problems);
  return suites;
}
