/**
 * The one batch writer every door uses. In a single transaction it inserts readings with a multi-row `unnest`
 * (ON CONFLICT DO NOTHING, so a redelivered or retried batch is a no-op), folds the rows actually inserted into the
 * per-minute rollups (aggregated here, one upsert row per minute, in the same transaction), moves each asset's reported state forward (only when newer), raises and
 * clears alarms with hysteresis, and stores dead letters. Events go out on the bus only after the commit.
 */
import type { EventBus, TwinEvents } from '../events';
import { alarmMessage, hasThresholds, walk, type AlarmTransition, type Level } from './alarms';
import type { Catalog } from './catalog';
import type { Reading, StateReport } from './contracts';
import { encodeBinaryCopy, type CopyColumn } from './copy-binary';
import { numberArray, textArray, type SqlRunner } from './sql';

export interface DeadLetter {
  twin?: string | null;
  source: string;
  payload: unknown;
  reason: string;
}

export interface WriteBatch {
  readings: Reading[];
  /**
   * Bulk history (the simulator's backfill): on the embedded store readings and rollups go in by binary COPY, which
   * is several times cheaper than the statements. A COPY that meets a stored row (a duplicate) is rolled back to its
   * savepoint and the batch takes the idempotent statements instead, so a reading is still never stored twice.
   */
  bulk?: boolean;
  states?: StateReport[];
  deadLetters?: DeadLetter[];
}

export interface WriteOutcome {
  inserted: number;
  duplicates: number;
}

export interface BatchWriter {
  write(batch: WriteBatch): Promise<WriteOutcome>;
}

const INSERT_READINGS = `
WITH names AS (SELECT $1::text[] AS twins, $3::text[] AS props),
input AS (
  SELECT * FROM unnest($2::int[], $4::int[], $5::int[], $6::float8[], $7::float8[]) AS u(twin_ix, asset_id, prop_ix, epoch_ms, value)
), ins AS (
  INSERT INTO readings (twin_id, asset_id, property, ts, value)
  SELECT names.twins[twin_ix], asset_id, names.props[prop_ix], to_timestamp(epoch_ms / 1000.0), value FROM input, names
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS inserted FROM ins`;

// Rows this transaction inserted (a batch with duplicates): only those may count in the rollups.
const INSERTED_BY_THIS_TX = `
SELECT asset_id, property, (extract(epoch FROM ts) * 1000)::float8 AS epoch_ms, value FROM readings
WHERE xmin = pg_current_xact_id()::xid AND ts >= to_timestamp($1::float8 / 1000.0) AND ts <= to_timestamp($2::float8 / 1000.0)
  AND asset_id = ANY($3::int[])`;

// Per-minute aggregates computed here, one row per (asset, property, minute), folded in additively.
const UPSERT_ROLLUPS = `
WITH names AS (SELECT $1::text[] AS twins, $3::text[] AS props)
INSERT INTO rollups_1m AS r (twin_id, asset_id, property, minute, min, max, sum, count, last, last_ts)
SELECT names.twins[t], a, names.props[p], to_timestamp(m / 1000.0), mn, mx, sm, c, l, to_timestamp(lt / 1000.0)
FROM unnest($2::int[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::int[], $11::float8[], $12::float8[])
  AS u(t, a, p, m, mn, mx, sm, c, l, lt), names
ON CONFLICT (twin_id, asset_id, property, minute) DO UPDATE SET
  min = least(r.min, excluded.min), max = greatest(r.max, excluded.max),
  sum = r.sum + excluded.sum, count = r.count + excluded.count,
  last = CASE WHEN excluded.last_ts >= r.last_ts THEN excluded.last ELSE r.last END,
  last_ts = greatest(r.last_ts, excluded.last_ts)`;

const COPY_READINGS = `COPY readings (twin_id, asset_id, property, ts, value) FROM '/dev/blob' WITH (FORMAT binary)`;
const READING_COLUMNS: CopyColumn[] = ['text', 'int4', 'text', 'timestamptz', 'float8'];
const COPY_ROLLUPS = `COPY rollups_1m (twin_id, asset_id, property, minute, min, max, sum, count, last, last_ts) FROM '/dev/blob' WITH (FORMAT binary)`;
const ROLLUP_COLUMNS: CopyColumn[] = ['text', 'int4', 'text', 'timestamptz', 'float8', 'float8', 'float8', 'int4', 'float8', 'timestamptz'];

/** COPY inside a savepoint: true when every row went in, false (and nothing written) when one hit a unique key. */
async function copyUnlessConflict(tx: SqlRunner, savepoint: string, statement: string, data: () => Uint8Array): Promise<boolean> {
  await tx.query(`SAVEPOINT ${savepoint}`);
  try {
    await tx.copyFrom!(statement, data());
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) !== '23505') throw err;
    // Released too, so what follows runs in the transaction itself: the fallback finds its rows by xmin.
    await tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    await tx.query(`RELEASE SAVEPOINT ${savepoint}`);
    return false;
  }
  await tx.query(`RELEASE SAVEPOINT ${savepoint}`);
  return true;
}

/** Row indexes sorted by (asset, property, time): one series after another, each in time order. */
function keyOrder(n: number, asset: (i: number) => number, prop: (i: number) => number, ts: (i: number) => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => asset(a) - asset(b) || prop(a) - prop(b) || ts(a) - ts(b));
}

interface Bucket {
  twin: number;
  asset: number;
  prop: number;
  minute: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
  lastTs: number;
}

/** Fold readings into per-minute buckets. */
function buckets(rows: { twin: number; asset: number; prop: number; ts: number; value: number }[]): Bucket[] {
  const map = new Map<string, Bucket>();
  for (const r of rows) {
    const minute = r.ts - (((r.ts % 60_000) + 60_000) % 60_000);
    const k = `${r.asset}|${r.prop}|${minute}`;
    const b = map.get(k);
    if (!b) map.set(k, { twin: r.twin, asset: r.asset, prop: r.prop, minute, min: r.value, max: r.value, sum: r.value, count: 1, last: r.value, lastTs: r.ts });
    else {
      if (r.value < b.min) b.min = r.value;
      if (r.value > b.max) b.max = r.value;
      b.sum += r.value;
      b.count++;
      if (r.ts >= b.lastTs) (b.last = r.value), (b.lastTs = r.ts);
    }
  }
  // One order for every writer: concurrent batches touching the same minutes then queue instead of deadlocking.
  return [...map.values()].sort((x, y) => x.asset - y.asset || x.prop - y.prop || x.minute - y.minute);
}

/** Deadlock or serialization failure: the transaction is safe to run again (it is idempotent). */
function retryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '40P01' || code === '40001') return true;
  }
  return false;
}

// Only properties whose incoming ts is newer than the reported one move; the patch is returned for the events.
const UPDATE_REPORTED = `
WITH latest AS (
  SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[]) AS u(asset_id, property, ts, value)
), newer AS (
  SELECT l.asset_id,
         jsonb_object_agg(l.property, jsonb_build_object('value', l.value::jsonb,
           'ts', to_char(l.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS patch
  FROM latest l JOIN assets a ON a.id = l.asset_id
  WHERE (a.reported -> l.property ->> 'ts') IS NULL OR (a.reported -> l.property ->> 'ts')::timestamptz < l.ts
  GROUP BY l.asset_id
)
UPDATE assets a SET reported = a.reported || n.patch, version = a.version + 1, updated_at = now()
FROM newer n WHERE a.id = n.asset_id
RETURNING a.id AS asset_id, n.patch AS patch`;

interface KeyState {
  twin: string;
  asset: string;
  assetId: number;
  property: string;
  /** The batch's newest reading. */
  ts: number;
  value: number | string | boolean;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function createBatchWriter(deps: { sql: SqlRunner; bus?: EventBus; catalog: () => Catalog }): BatchWriter {
  const { sql, bus } = deps;

  return {
    async write(batch: WriteBatch): Promise<WriteOutcome> {
      const readings = batch.readings;
      const states = batch.states ?? [];
      const dead = batch.deadLetters ?? [];
      // Newest value per (asset, property) of this batch, for reported state.
      const latest = new Map<string, KeyState>();
      for (const r of [...readings, ...states]) {
        const k = `${r.assetId}\u0000${r.property}`;
        const cur = latest.get(k);
        if (!cur || r.ts >= cur.ts) latest.set(k, { twin: r.twin, asset: r.asset, assetId: r.assetId, property: r.property, ts: r.ts, value: r.value });
      }
      // Readings of thresholded properties, grouped, for alarm evaluation.
      const catalog = deps.catalog();
      const watched = new Map<string, Reading[]>();
      for (const r of readings) {
        const rule = catalog.twins.get(r.twin)?.get(r.asset)?.props.get(r.property);
        if (!rule || !hasThresholds(rule)) continue;
        const k = `${r.assetId}\u0000${r.property}`;
        (watched.get(k) ?? watched.set(k, []).get(k)!).push(r);
      }

      const attempt = () => sql.transaction(async (tx) => {
        let inserted = 0;
        if (readings.length > 0) {
          // Twin and property names go once each, rows carry 1-based indexes: integers parse far faster than text.
          const twins = new Map<string, number>();
          const props = new Map<string, number>();
          const ix = (m: Map<string, number>, k: string) => m.get(k) ?? (m.set(k, m.size + 1), m.size);
          const twinIx = readings.map((r) => ix(twins, r.twin));
          const propIx = readings.map((r) => ix(props, r.property));
          const bulk = batch.bulk === true && tx.copyFrom !== undefined;
          const copied =
            bulk &&
            (await copyUnlessConflict(tx, 'bulk_readings', COPY_READINGS, () => {
              // Grouped by series in time order: each series' index entries then go in side by side (about a quarter cheaper).
              const order = keyOrder(readings.length, (i) => readings[i].assetId, (i) => propIx[i], (i) => readings[i].ts);
              return encodeBinaryCopy(READING_COLUMNS, readings.length, (i, c) => {
                const r = readings[order[i]];
                return c === 0 ? r.twin : c === 1 ? r.assetId : c === 2 ? r.property : c === 3 ? r.ts : r.value;
              });
            }));
          if (copied) inserted = readings.length;
          else {
            const [row] = await tx.query<{ inserted: number }>(INSERT_READINGS, [
              textArray([...twins.keys()]),
              numberArray(twinIx),
              textArray([...props.keys()]),
              numberArray(readings.map((r) => r.assetId)),
              numberArray(propIx),
              numberArray(readings.map((r) => r.ts)),
              numberArray(readings.map((r) => r.value)),
            ]);
            inserted = Number(row?.inserted ?? 0);
          }
          // Rollups: from the batch itself when every row was new (the usual case); otherwise from exactly the
          // rows this transaction inserted, so a redelivered reading is never counted twice.
          let rows = readings.map((r, i) => ({ twin: twinIx[i], asset: r.assetId, prop: propIx[i], ts: r.ts, value: r.value }));
          if (inserted < readings.length) {
            let lo = Infinity;
            let hi = -Infinity;
            for (const r of readings) (lo = Math.min(lo, r.ts)), (hi = Math.max(hi, r.ts));
            const twinOf = new Map(readings.map((r, i) => [r.assetId, twinIx[i]]));
            const fresh = inserted === 0 ? [] : await tx.query<{ asset_id: number; property: string; epoch_ms: number; value: number }>(INSERTED_BY_THIS_TX, [lo, hi, numberArray([...twinOf.keys()])]);
            rows = fresh.map((f) => ({ twin: twinOf.get(Number(f.asset_id))!, asset: Number(f.asset_id), prop: props.get(f.property)!, ts: Math.round(Number(f.epoch_ms)), value: Number(f.value) }));
          }
          const bs = buckets(rows);
          const twinNames = [...twins.keys()];
          const propNames = [...props.keys()];
          const rollupsCopied =
            bs.length > 0 &&
            bulk &&
            (await copyUnlessConflict(tx, 'bulk_rollups', COPY_ROLLUPS, () => {
              // buckets() returns them in key order already.
              return encodeBinaryCopy(ROLLUP_COLUMNS, bs.length, (i, c) => {
                const b = bs[i];
                switch (c) {
                  case 0: return twinNames[b.twin - 1];
                  case 1: return b.asset;
                  case 2: return propNames[b.prop - 1];
                  case 3: return b.minute;
                  case 4: return b.min;
                  case 5: return b.max;
                  case 6: return b.sum;
                  case 7: return b.count;
                  case 8: return b.last;
                  default: return b.lastTs;
                }
              });
            }));
          if (bs.length > 0 && !rollupsCopied) {
            await tx.query(UPSERT_ROLLUPS, [
              textArray([...twins.keys()]),
              numberArray(bs.map((b) => b.twin)),
              textArray([...props.keys()]),
              numberArray(bs.map((b) => b.asset)),
              numberArray(bs.map((b) => b.prop)),
              numberArray(bs.map((b) => b.minute)),
              numberArray(bs.map((b) => b.min)),
              numberArray(bs.map((b) => b.max)),
              numberArray(bs.map((b) => b.sum)),
              numberArray(bs.map((b) => b.count)),
              numberArray(bs.map((b) => b.last)),
              numberArray(bs.map((b) => b.lastTs)),
            ]);
          }
        }
        // Previous reported ts and open alarms of the watched keys: alarms only follow readings newer than both.
        const transitions: AlarmTransition[] = [];
        const raised: TwinEvents['alarm_raised'][] = [];
        const cleared: TwinEvents['alarm_cleared'][] = [];
        if (watched.size > 0) {
          const ids = [...new Set([...watched.values()].map((rs) => rs[0].assetId))];
          const prior = await tx.query<{ asset_id: number; reported: Record<string, { ts?: string }> }>(
            'SELECT id AS asset_id, reported FROM assets WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE',
            [numberArray(ids)],
          );
          const open = await tx.query<{ asset_id: number; property: string; level: 'warn' | 'alarm'; raised_at: Date | string }>(
            'SELECT asset_id, property, level, raised_at FROM alarms WHERE cleared_at IS NULL AND asset_id = ANY($1::int[])',
            [numberArray(ids)],
          );
          const reportedTs = new Map<string, number>();
          for (const p of prior) for (const [prop, v] of Object.entries(p.reported ?? {})) if (v?.ts) reportedTs.set(`${p.asset_id}\u0000${prop}`, Date.parse(v.ts));
          const levels = new Map<string, Level>();
          const lastRaised = new Map<string, number>();
          for (const a of open) {
            const k = `${a.asset_id}\u0000${a.property}`;
            if (a.level === 'alarm' || !levels.has(k)) levels.set(k, a.level);
            lastRaised.set(k, Math.max(lastRaised.get(k) ?? 0, new Date(a.raised_at).getTime()));
          }
          for (const [k, rs] of watched) {
            const since = Math.max(reportedTs.get(k) ?? -Infinity, lastRaised.get(k) ?? -Infinity);
            const fresh = rs.filter((r) => r.ts > since).sort((a, b) => a.ts - b.ts);
            if (fresh.length === 0) continue;
            const first = fresh[0];
            const rule = catalog.twins.get(first.twin)!.get(first.asset)!.props.get(first.property)!;
            transitions.push(...walk(rule, levels.get(k) ?? 'none', fresh, { twin: first.twin, asset: first.asset, property: first.property }).transitions);
          }
          for (const t of transitions) {
            const rule = catalog.twins.get(t.twin)!.get(t.asset)!.props.get(t.property)!;
            const assetId = catalog.twins.get(t.twin)!.get(t.asset)!.id;
            const rank = { none: 0, warn: 1, alarm: 2 } as const;
            // Each threshold is its own alarm: rising opens every level passed, falling clears every level left.
            for (const level of ['warn', 'alarm'] as const) {
              const was = rank[t.from] >= rank[level];
              const is = rank[t.to] >= rank[level];
              if (!was && is) {
                const message = alarmMessage({ ...t, to: level }, rule);
                await tx.query(
                  `INSERT INTO alarms (twin_id, asset_id, property, level, raised_at, message, value, threshold)
                   VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8)
                   ON CONFLICT (asset_id, property, level) WHERE cleared_at IS NULL DO NOTHING`,
                  [t.twin, assetId, t.property, level, iso(t.ts), message, t.value, level === 'alarm' ? (rule.alarm ?? null) : (rule.warn ?? null)],
                );
                raised.push({ twin: t.twin, asset: t.asset, property: t.property, level, value: t.value, ts: iso(t.ts), message });
              } else if (was && !is) {
                await tx.query('UPDATE alarms SET cleared_at = $1::timestamptz WHERE asset_id = $2 AND property = $3 AND level = $4 AND cleared_at IS NULL', [
                  iso(t.ts),
                  assetId,
                  t.property,
                  level,
                ]);
                if (level === 'warn' || t.to === 'none') cleared.push({ twin: t.twin, asset: t.asset, property: t.property, ts: iso(t.ts) });
              }
            }
          }
        }
        let patches: { asset_id: number; patch: Record<string, { value: unknown; ts: string }> | string }[] = [];
        if (latest.size > 0) {
          const ls = [...latest.values()];
          patches = await tx.query(UPDATE_REPORTED, [
            numberArray(ls.map((l) => l.assetId)),
            textArray(ls.map((l) => l.property)),
            textArray(ls.map((l) => iso(l.ts))),
            textArray(ls.map((l) => JSON.stringify(l.value))),
          ]);
        }
        if (dead.length > 0) {
          await tx.query(
            `INSERT INTO dead_letters (twin_id, source, payload, reason)
             SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])`,
            [
              textArray(dead.map((d) => d.twin ?? null)),
              textArray(dead.map((d) => d.source)),
              textArray(dead.map((d) => JSON.stringify(d.payload === undefined ? null : d.payload))),
              textArray(dead.map((d) => d.reason)),
            ],
          );
        }
        return { inserted, patches, raised, cleared };
      });
      let result: Awaited<ReturnType<typeof attempt>>;
      for (let tries = 1; ; tries++) {
        try {
          result = await attempt();
          break;
        } catch (err) {
          if (tries >= 5 || !retryable(err)) throw err;
          await new Promise((r) => setTimeout(r, 10 * tries + Math.random() * 20));
        }
      }

      if (bus) {
        const byTwin = new Map<string, KeyState[]>();
        for (const l of latest.values()) (byTwin.get(l.twin) ?? byTwin.set(l.twin, []).get(l.twin)!).push(l);
        for (const [twin, ls] of byTwin) {
          bus.publish('readings', {
            twin,
            count: readings.filter((r) => r.twin === twin).length,
            assets: [...new Set(ls.map((l) => l.asset))],
            latest: ls.filter((l) => typeof l.value === 'number').map((l) => ({ asset: l.asset, property: l.property, ts: iso(l.ts), value: l.value as number })),
          });
        }
        const keyOf = new Map<number, { twin: string; asset: string }>();
        for (const l of latest.values()) keyOf.set(l.assetId, { twin: l.twin, asset: l.asset });
        for (const p of result.patches) {
          const who = keyOf.get(Number(p.asset_id));
          const patch = typeof p.patch === 'string' ? JSON.parse(p.patch) : p.patch;
          if (who) bus.publish('state_changed', { twin: who.twin, asset: who.asset, side: 'reported', changes: patch });
        }
        for (const r of result.raised) bus.publish('alarm_raised', r);
        for (const c of result.cleared) bus.publish('alarm_cleared', c);
      }
      return { inserted: result.inserted, duplicates: readings.length - result.inserted };
    },
  };
}
