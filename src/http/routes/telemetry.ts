/**
 * `POST /api/v1/telemetry`: a JSON array or NDJSON of `{asset, property, ts, value, twin?}`, read as a stream and
 * written in batches as it arrives, so a big body costs the memory of one batch. The answer is
 * `{accepted, rejected, errors:[{index, reason}]}`; valid rows are stored even when others are rejected.
 * Bad bodies are 4xx with `{error:{code,message,details}}`: wrong content type 415, too large 413, malformed 400.
 * A body that breaks off part way has its earlier batches stored (re-sending is safe: duplicates are no-ops),
 * and the 400 says how many were accepted before the break.
 */
import { Hono } from 'hono';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { readJsonArrayBatches, readNdjsonBatches, type RawItem } from '../../ingest/readers';
import type { IngestService } from '../../ingest/service';

export interface TelemetryRouteDeps {
  ingest: IngestService;
  config: Pick<Config, 'INGEST_MAX_BODY_BYTES'>;
  /** Readings per transaction (default 20,000): bigger batches, fewer commits; two batches per request in memory. */
  batchSize?: number;
}

const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-seq', 'application/x-jsonlines'];

/** The request body as chunks, failing with 413 once it passes the limit. */
async function* limited(body: ReadableStream<Uint8Array> | null, max: number): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > max) throw new AppError('payload_too_large', `request body exceeds ${max} bytes`, { limit: max });
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Counts items as they pass (in arrays, one per body chunk), so a parse failure can say how far the body got. */
async function* counted(batches: AsyncIterable<RawItem[]>, seen: { n: number }): AsyncGenerator<RawItem[]> {
  for await (const batch of batches) {
    seen.n = batch[batch.length - 1].n + 1;
    yield batch;
  }
}

export function telemetryRoutes(deps: TelemetryRouteDeps): Hono {
  const app = new Hono();
  app.post('/api/v1/telemetry', async (c) => {
    const fail = (err: AppError) => c.json(err.toJSON(), err.status as 400);
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const isJson = type === 'application/json';
    const isNdjson = NDJSON_TYPES.includes(type);
    if (!isJson && !isNdjson) {
      return fail(new AppError('unsupported_media_type', 'send application/json (an array) or application/x-ndjson', { content_type: type || null }));
    }
    const max = deps.config.INGEST_MAX_BODY_BYTES;
    const length = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(length) && length > max) return fail(new AppError('payload_too_large', `request body exceeds ${max} bytes`, { limit: max }));
    if (deps.ingest.catalog().twins.size === 0) await deps.ingest.reload().catch(() => undefined);
    const seen = { n: 0 };
    const chunks = limited(c.req.raw.body, max);
    const items = counted(isJson ? readJsonArrayBatches(chunks) : readNdjsonBatches(chunks), seen);
    let progress = { accepted: 0, rejected: 0 };
    try {
      const result = await deps.ingest.ingest(items, { source: 'http', indexBy: 'n', batchSize: deps.batchSize ?? 20_000, onProgress: (p) => (progress = p) });
      return c.json({ accepted: result.accepted, rejected: result.rejected, errors: result.errors });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        const details = { ...(typeof err.details === 'object' && err.details ? err.details : {}), stored_before_error: progress.accepted, records_read: seen.n };
        return fail(new AppError(err.code, err.message, details));
      }
      throw err;
    }
  });
  return app;
}
