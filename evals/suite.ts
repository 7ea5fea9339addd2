/**
 * The suite format of spec/evals.md: the zod schema and `loadSuite`, which resolves the twin (a shipped twin id or a
 * manifest path relative to the suite file) and the ingest files. Every problem is listed with its path, so a bad suite
 * ends the CLI with exit 2 before anything runs. Keys outside the contract are errors: a typo such as `facts_absnet`
 * would otherwise make an expectation silently vanish and the case pass.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../src/clock';
import { validationError, type Problem } from '../src/errors';

const Params = z.record(z.string(), z.unknown());

/** An action pattern, matched on the fields it gives (type, params, and optionally status, risk, proposed_by). */
export const ActionPattern = z
  .object({ type: z.string().min(1), params: Params.optional() })
  .catchall(z.unknown());
export type ActionPattern = z.infer<typeof ActionPattern>;

export const Expect = z.strictObject({
  route: z.string().min(1).optional(),
  reviewers_include: z.array(z.string()).optional(),
  facts: z.array(z.string()).optional(),
  facts_absent: z.array(z.string()).optional(),
  actions: z.array(ActionPattern).optional(),
  no_actions: z.boolean().optional(),
  forbidden_actions: z.array(ActionPattern).optional(),
  approval_required: z.boolean().optional(),
  tools_include: z.array(z.string()).optional(),
});
export type Expect = z.infer<typeof Expect>;

/** A follow-up in the same thread: a task, or (an addition to the contract) a task with expectations of its own. */
const Turn = z.union([z.string().min(1), z.strictObject({ task: z.string().min(1), expect: Expect.optional() })]);

export const Case = z.strictObject({
  id: z.string().min(1),
  task: z.string().min(1),
  turns: z.array(Turn).optional(),
  expect: Expect.default({}),
  /** Optional, for reports: what the case checks. */
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type Case = z.infer<typeof Case>;

const Duration = z.string().refine((s) => parseDuration(s) !== null, 'expected a duration such as 7d, 36h or 90m');

export const SuiteFile = z.strictObject({
  suite: z.string().min(1),
  twin: z.string().min(1),
  description: z.string().optional(),
  setup: z.strictObject({
    now: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO timestamp'),
    seed: z.number().int().optional(),
    backfill: Duration.optional(),
    ingest: z.array(z.string().min(1)).optional(),
  }),
  cases: z.array(Case).min(1),
});
export type SuiteFile = z.infer<typeof SuiteFile>;

export interface TurnSpec {
  task: string;
  expect?: Expect;
}

/** A suite ready to run: paths resolved, turns normalised. */
export interface Suite {
  name: string;
  file: string;
  /** `{kind:'id'}` for a twin the project ships, `{kind:'file'}` for a manifest path. */
  twin: { kind: 'id'; id: string; path: string } | { kind: 'file'; path: string };
  now: Date;
  seed: number;
  backfill: string;
  ingest: string[];
  cases: (Case & { turnSpecs: TurnSpec[] })[];
}

/** The seed and backfill a suite gets when it names none (the demo plant's defaults). */
export const DEFAULT_SEED = 42;
export const DEFAULT_BACKFILL = '7d';

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function zodProblems(error: z.ZodError, prefix: string): Problem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ path: `${prefix}${pathOf([...issue.path, k])}`, message: `unknown key "${k}"` }))
      : [{ path: `${prefix}${pathOf(issue.path)}`, message: issue.message }],
  );
}

function checkFacts(file: string, facts: string[] | undefined, at: string, problems: Problem[]): void {
  for (const [i, fact] of (facts ?? []).entries()) {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(fact);
    if (!m) continue;
    try {
      new RegExp(m[1]!, 'i');
    } catch (err) {
      problems.push({ path: `${file}: ${at}[${i}]`, message: `bad regex: ${(err as Error).message}` });
    }
  }
}

/**
 * Resolve the twin reference. A value that names an existing file (relative to the suite) is a manifest path; otherwise
 * it is a shipped twin id, looked up as twins/<id>.yaml in the project.
 */
export function resolveTwin(twin: string, suiteDir: string, projectRoot: string): Suite['twin'] | null {
  const asPath = isAbsolute(twin) ? twin : resolve(suiteDir, twin);
  if (/[/\\]|\.(ya?ml|json)$/i.test(twin) || existsSync(asPath)) {
    return existsSync(asPath) && statSync(asPath).isFile() ? { kind: 'file', path: asPath } : null;
  }
  for (const ext of ['yaml', 'yml', 'json']) {
    const p = join(projectRoot, 'twins', `${twin}.${ext}`);
    if (existsSync(p)) return { kind: 'id', id: twin, path: p };
  }
  return null;
}

/** Read and validate one suite file; throws a validation AppError listing every problem. */
export function loadSuite(file: string, projectRoot: string): Suite {
  const abs = resolve(file);
  const problems: Problem[] = [];
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(abs, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    throw validationError(`cannot read suite ${file}`, [{ path: file, message: (err as Error).message.split('\n')[0]! }]);
  }
  const parsed = SuiteFile.safeParse(raw);
  if (!parsed.success) throw validationError(`invalid suite ${file}`, zodProblems(parsed.error, `${file}: `));
  const s = parsed.data;
  const dir = dirname(abs);
  const twin = resolveTwin(s.twin, dir, projectRoot);
  if (!twin) problems.push({ path: `${file}: twin`, message: `no shipped twin "${s.twin}" and no manifest file at that path` });
  const ingest = (s.setup.ingest ?? []).map((p) => resolve(dir, p));
  ingest.forEach((p, i) => {
    if (!existsSync(p)) problems.push({ path: `${file}: setup.ingest[${i}]`, message: `no such file ${s.setup.ingest![i]}` });
  });
  const ids = new Set<string>();
  s.cases.forEach((c, i) => {
    if (ids.has(c.id)) problems.push({ path: `${file}: cases[${i}].id`, message: `duplicate case id "${c.id}"` });
    ids.add(c.id);
    const expects: [Expect | undefined, string][] = [[c.expect, `cases[${i}].expect`]];
    c.turns?.forEach((t, j) => typeof t !== 'string' && expects.push([t.expect, `cases[${i}].turns[${j}].expect`]));
    for (const [e, at] of expects) {
      if (!e) continue;
      checkFacts(file, e.facts, `${at}.facts`, problems);
      checkFacts(file, e.facts_absent, `${at}.facts_absent`, problems);
      if (e.no_actions && e.actions?.length) problems.push({ path: `${file}: ${at}`, message: 'no_actions: true contradicts actions' });
    }
  });
  if (problems.length) throw validationError(`invalid suite ${file}`, problems);
  return {
    name: s.suite,
    file: abs,
    twin: twin!,
    now: new Date(s.setup.now),
    seed: s.setup.seed ?? DEFAULT_SEED,
    backfill: s.setup.backfill ?? DEFAULT_BACKFILL,
    ingest,
    cases: s.cases.map((c) => ({
      ...c,
      turnSpecs: [{ task: c.task }, ...(c.turns ?? []).map((t) => (typeof t === 'string' ? { task: t } : t))],
    })),
  };
}
