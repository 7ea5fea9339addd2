/**
 * The tools' cross-run read cache (src/store/queries/read-cache.ts), kept current by the event bus. Every write to a
 * twin that the tools can read is announced on the bus after it commits, and each announcement drops that twin's
 * cached reads and computations:
 * - `readings`: a committed batch (series, rollups, reported state, and so health, remaining life, energy);
 * - `alarm_raised`, `alarm_cleared`: the open alarms;
 * - `state_changed`: reported or desired state (commands included);
 * - `twin_loaded`: a manifest load or reload (types, assets, relations, orders, crews, tariffs, work orders);
 * - `action_changed` with `executed`, `failed` or any other status: the executor's writes (a work order, a moved order,
 *   a crew's shift). Proposing, approving or rejecting writes only the proposal, which no tool reads: those keep it.
 * An event that names no twin drops every twin.
 *
 * The bus is in-process, so the cache is only as current as the writes this process sees: use it where every writer
 * of the store publishes on this bus (the embedded store, which one process owns), not where other processes write
 * the same database (replicas on PostgreSQL).
 */
import type { EventBus } from '../../src/events';
import { createReadCache, type ReadCache, type ReadCacheOptions } from '../../src/store/queries/read-cache';

export type { ReadCache } from '../../src/store/queries/read-cache';

/** Statuses whose change writes only the proposal row (and its audit), nothing a tool reads. */
const PROPOSAL_ONLY = new Set(['pending_approval', 'approved', 'rejected']);

/** A read cache invalidated by `bus`; `close()` unsubscribes. */
export function toolCache(bus: EventBus, options: ReadCacheOptions = {}): ReadCache & { close(): void } {
  const cache = createReadCache(options);
  const drop = (e: { twin?: string }) => cache.invalidate(e.twin || undefined);
  const offs = [
    bus.subscribe('readings', drop),
    bus.subscribe('alarm_raised', drop),
    bus.subscribe('alarm_cleared', drop),
    bus.subscribe('state_changed', drop),
    bus.subscribe('twin_loaded', drop),
    bus.subscribe('action_changed', (e) => {
      if (!PROPOSAL_ONLY.has(e.status)) drop(e);
    }),
  ];
  return Object.assign(cache, { close: () => offs.forEach((off) => off()) });
}
