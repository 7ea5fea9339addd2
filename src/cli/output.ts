/**
 * How every CLI command ends: JSON on stdout with --json, problems on stderr, and the exit code of interfaces.md
 * (0 success, 1 runtime failure, 2 bad input with every problem listed).
 */
import { AppError, exitCodeOf, type Problem } from '../errors';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Report an error on stderr, listing every problem it carries, and exit with its code. */
export function fail(err: unknown): never {
  if (err instanceof AppError) {
    process.stderr.write(`error: ${err.message}\n`);
    const problems = (err.details as { problems?: Problem[] } | null)?.problems;
    for (const p of problems ?? []) process.stderr.write(`  - ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  } else {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(exitCodeOf(err));
}

/** Wrap a command action so that any error ends as `fail`. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      fail(err);
    }
  };
}
