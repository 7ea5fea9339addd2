/**
 * The ingestion pipeline behind every door: records → validation → batches → the batch writer. It owns the
 * catalog (rebuilt from the store when a manifest loads) and counts accepted and rejected records exactly, keeping
 * the first reasons by index (HTTP) or line (files). Rejected records go to dead letters with their reason.
 */
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { Manifest } from '../twin/manifest';
import { addManifest, emptyCatalog, type Catalog } from './catalog';
import { MAX_ERRORS_REPORTED, type IngestResult, type Reading, type StateReport } from './contracts';
import type { InboundMessage } from './mqtt-subscriber';
import { recordsOfMessage } from './mqtt-topics';
import type { RawItem } from './readers';
import type { SqlRunner } from './sql';
import { validateRecord } from './validate';
import { createBatchWriter, type BatchWriter, type DeadLetter } from './writer';

export interface IngestOptions {
  /** Dead-letter source label: `http`, `file:<name>`, `sim`. */
  source: string;
  /** Values arrive as text (CSV). */
  textual?: boolean;
  /** Report errors by record index (HTTP, 0-based) or by line (files, 1-based). */
  indexBy?: 'n' | 'line';
  /** Readings per transaction. */
  batchSize?: number;
  /** Bulk history in time order (the simulator's backfill): the writer may COPY it (see WriteBatch.bulk). */
  bulk?: boolean;
  /** Called after each committed batch with the running counts. */
  onProgress?: (p: { accepted: number; rejected: number }) => void;
}

export interface IngestService {
  catalog(): Catalog;
  /** Rebuild the catalog from the store (after a manifest load). */
  reload(): Promise<Catalog>;
  /** Validate and store a stream of records, one at a time or in arrays (the batch readers). */
  ingest(items: AsyncIterable<RawItem | RawItem[]> | Iterable<RawItem | RawItem[]>, opts: IngestOptions): Promise<IngestResult>;
  /** Validate and store loose records already in memory (the in-process simulator). */
  ingestRecords(records: unknown[], source: string, opts?: { bulk?: boolean }): Promise<IngestResult>;
  /** Commit a batch of MQTT messages in one transaction (the MQTT door). */
  commitMessages(messages: InboundMessage[]): Promise<void>;
  writer: BatchWriter;
}

export async function loadCatalog(sql: SqlRunner): Promise<Catalog> {
  const twins = await sql.query<{ id: string; manifest: Manifest | string }>('SELECT id, manifest FROM twins ORDER BY id');
  const assets = await sql.query<{ id: number; twin_id: string; key: string }>('SELECT id, twin_id, key FROM assets WHERE retired_at IS NULL');
  const catalog = emptyCatalog();
  for (const t of twins) {
    const manifest = typeof t.manifest === 'string' ? (JSON.parse(t.manifest) as Manifest) : t.manifest;
    const ids = new Map(assets.filter((a) => a.twin_id === t.id).map((a) => [a.key, Number(a.id)]));
    addManifest(catalog, manifest, ids);
  }
  return catalog;
}

export function createIngestService(deps: { sql: SqlRunner; bus?: EventBus; clock: Clock; catalog?: Catalog }): IngestService {
  let catalog = deps.catalog ?? emptyCatalog();
  const writer = createBatchWriter({ sql: deps.sql, bus: deps.bus, catalog: () => catalog });

  /**
   * Batches are written one behind the reading: while batch k commits, batch k+1 is parsed and validated, so the
   * database and this process work at the same time. At most one write is in flight per call, which bounds memory
   * at two batches; the counts (and onProgress) move only when a write has committed.
   */
  async function ingest(items: AsyncIterable<RawItem | RawItem[]> | Iterable<RawItem | RawItem[]>, opts: IngestOptions): Promise<IngestResult> {
    const batchSize = opts.batchSize ?? 5000;
    const result: IngestResult = { accepted: 0, rejected: 0, duplicates: 0, errors: [] };
    let readings: Reading[] = [];
    let states: StateReport[] = [];
    let dead: DeadLetter[] = [];
    let writing: Promise<void> | null = null;
    const flush = async () => {
      if (readings.length === 0 && states.length === 0 && dead.length === 0) return;
      const batch = { readings, states, deadLetters: dead, bulk: opts.bulk };
      readings = [];
      states = [];
      dead = [];
      const previous = writing;
      writing = (async () => {
        if (previous) await previous;
        const out = await writer.write(batch);
        result.accepted += batch.readings.length + batch.states.length;
        result.duplicates! += out.duplicates;
        result.rejected += batch.deadLetters.length;
        opts.onProgress?.({ accepted: result.accepted, rejected: result.rejected });
      })();
      // Handled where it is awaited (the next flush, or the end); this only keeps an early failure from counting
      // as an unhandled rejection in the meantime.
      writing.catch(() => undefined);
      // Keep reading while this batch commits, unless the one before it is still going (then wait for that).
      if (previous) await previous;
    };
    const reject = (item: RawItem, reason: string, payload: unknown) => {
      dead.push({ source: opts.source, payload, reason, twin: null });
      if (result.errors.length < MAX_ERRORS_REPORTED) result.errors.push({ index: opts.indexBy === 'line' ? item.line : item.n, reason });
    };
    const now = deps.clock.now().getTime();
    const one = (item: RawItem) => {
      if ('error' in item) reject(item, item.error, null);
      else {
        const checked = validateRecord(catalog, item.value, { now, textual: opts.textual });
        if (checked.ok === 'reading') readings.push(checked.reading);
        else if (checked.ok === 'state') states.push(checked.state);
        else reject(item, checked.reason, item.value);
      }
    };
    try {
      for await (const got of items as AsyncIterable<RawItem | RawItem[]>) {
        if (Array.isArray(got)) {
          for (const item of got) {
            one(item);
            if (readings.length + dead.length >= batchSize) await flush();
          }
        } else {
          one(got);
          if (readings.length + dead.length >= batchSize) await flush();
        }
      }
      await flush();
    } finally {
      // A body that breaks off still has its earlier batches committed (or failed) before the caller reports.
      // The failure of a write, if any, is the one thrown.
      if (writing) await writing;
    }
    return result;
  }

  return {
    writer,
    catalog: () => catalog,
    async reload() {
      catalog = await loadCatalog(deps.sql);
      return catalog;
    },
    ingest,
    ingestRecords(records, source, opts) {
      return ingest(
        records.map((value, n) => ({ n, line: n + 1, value })),
        // A bulk batch is written whole: the caller sized it.
        { source, batchSize: opts?.bulk ? Math.max(50_000, records.length) : 50_000, bulk: opts?.bulk },
      );
    },
    async commitMessages(messages) {
      const now = deps.clock.now().getTime();
      const readings: Reading[] = [];
      const states: StateReport[] = [];
      const dead: DeadLetter[] = [];
      for (const m of messages) {
        const got = recordsOfMessage(catalog, m.topic, m.payload, m.receivedAt);
        if ('error' in got) {
          dead.push({ source: `mqtt:${m.topic}`, payload: m.payload.toString('utf8').slice(0, 10_000), reason: got.error });
          continue;
        }
        for (const rec of got.records) {
          const checked = validateRecord(catalog, rec, { now });
          if (checked.ok === 'reading') readings.push(checked.reading);
          else if (checked.ok === 'state') states.push(checked.state);
          else dead.push({ source: `mqtt:${m.topic}`, payload: rec, reason: checked.reason, twin: typeof rec.twin === 'string' ? rec.twin : null });
        }
      }
      await writer.write({ readings, states, deadLetters: dead });
    },
  };
}

/** Ingestion cannot run before a twin is loaded; a clear error instead of rejecting every row. */
export function requireTwins(catalog: Catalog): void {
  if (catalog.twins.size === 0) throw new AppError('bad_request', 'no twin is loaded: load a manifest first (twin load FILE)', null);
}
