/**
 * The one error analytics throws for bad input. Analytics imports nothing of ours (not even src/errors.ts), so callers
 * map this to their own error type: `code` says what kind of problem, `problems` lists every one with a path, in the
 * same `{path, message}` shape the CLI and HTTP layers already print.
 */
export type AnalyticsErrorCode =
  | 'empty_series'
  | 'too_short'
  | 'not_finite'
  | 'unsorted'
  | 'length_mismatch'
  | 'invalid_option'
  | 'invalid_input';

export interface AnalyticsProblem {
  path: string;
  message: string;
}

export class AnalyticsInputError extends Error {
  constructor(
    public readonly code: AnalyticsErrorCode,
    message: string,
    public readonly problems: AnalyticsProblem[] = [{ path: '', message }],
  ) {
    super(message);
    this.name = 'AnalyticsInputError';
  }
}

/** Collects problems and throws them together, so a caller sees every problem at once rather than the first. */
export class ProblemList {
  readonly items: AnalyticsProblem[] = [];
  private firstCode: AnalyticsErrorCode | null = null;

  add(code: AnalyticsErrorCode, path: string, message: string): void {
    this.firstCode ??= code;
    if (this.items.length < 50) this.items.push({ path, message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(message: string): void {
    if (this.firstCode) throw new AnalyticsInputError(this.firstCode, message, this.items);
  }
}
