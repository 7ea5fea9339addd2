/**
 * One model call with a timeout and retries with exponential backoff. Every call the graph makes goes through here,
 * whatever the provider, so a hung or flaky server costs at most `timeoutMs × (retries + 1)` plus the backoff.
 */
export interface CallPolicy {
  timeoutMs: number;
  retries: number;
  /** First backoff delay; doubles each retry, with ±25% jitter. */
  backoffMs?: number;
}

export class ModelCallError extends Error {
  constructor(
    message: string,
    public readonly attempts: number,
    public override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

/** Errors that retrying cannot fix: a bad request or a refused key. */
function isPermanent(err: unknown): boolean {
  const status = (err as { status?: number; response?: { status?: number } })?.status ?? (err as { response?: { status?: number } })?.response?.status;
  return status === 400 || status === 401 || status === 403 || status === 404 || status === 422;
}

export async function withRetry<T>(fn: (signal: AbortSignal) => Promise<T>, policy: CallPolicy, parent?: AbortSignal): Promise<T> {
  const backoff = policy.backoffMs ?? 250;
  let last: unknown;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (parent?.aborted) throw parent.reason;
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
    try {
      return await fn(signal);
    } catch (err) {
      last = timeout.aborted ? new Error(`model call timed out after ${policy.timeoutMs} ms`) : err;
      if (parent?.aborted || isPermanent(err) || attempt === policy.retries) break;
      const delay = backoff * 2 ** attempt * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  const why = last instanceof Error ? last.message : String(last);
  throw new ModelCallError(`model call failed: ${why}`, policy.retries + 1, last);
}
