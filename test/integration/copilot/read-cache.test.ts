/**
 * The tools' cross-run read cache on a real store: a second run reads nothing again, and each kind of write the
 * tools can see (a reading batch through the ingest writer, a manifest reload, an executed action's work order)
 * reaches the very next run. A proposal, which no tool reads, keeps the cache.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCache } from '../../../agents/tools/cache';
import { createTools } from '../../../agents/tools';
import { storeActionStore } from '../../../src/boot/copilot';
import { createExecutor, type Executor } from '../../../src/control/executor';
import { createLocalTransport } from '../../../src/control/transport';
import { createEventBus } from '../../../src/events';
import { storeTwins } from '../../../src/http/adapters/twins';
import { createIngestService, type IngestService } from '../../../src/ingest/service';
import { dbRunner } from '../../../src/ingest/sql';
import { createLedger, type ToolResult } from '../../../src/llm/protocol';
import { useTestStore } from '../../helpers/store';

const t = useTestStore({ label: 'readcache' });
const manifest = readFileSync(new URL('../../../twins/demo-plant.yaml', import.meta.url), 'utf8');
const bus = createEventBus();
const cache = toolCache(bus);
let ingest: IngestService;
let executor: Executor;
const actor = { id: 'test', role: 'manager', via: 'cli' } as const;

/** One tool call in a fresh run (its own ledger), as the next plan would make it. */
async function run(tool: string, args: Record<string, unknown>): Promise<Extract<ToolResult, { ok: true }>> {
  const tools = createTools({ db: t.db, cache })({ twin: 'demo-plant', now: t.clock.now(), ledger: createLedger(), expert: 'maintenance', mode: 'primary' });
  const r = JSON.parse(String(await tools[tool]!.invoke(args))) as ToolResult;
  if (!r.ok) throw new Error(r.error);
  return r;
}
const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();

beforeAll(async () => {
  await storeTwins(t.db, t.clock, undefined, bus).load(manifest, actor);
  ingest = createIngestService({ sql: dbRunner(t.db), bus, clock: t.clock });
  await ingest.reload();
  executor = createExecutor({ sql: dbRunner(t.db), bus, clock: t.clock, transport: createLocalTransport(), config: { COMMAND_ACK_TIMEOUT_MS: 1000 } });
});
afterAll(() => {
  executor?.close();
  cache.close();
});

describe('cross-run read cache', () => {
  it('serves a second run from the cache, and a reading batch reaches the next run', async () => {
    await ingest.ingestRecords([{ asset: 'cnc-a1', property: 'vibration_rms', ts: minutesAgo(30), value: 2.5 }], 'test');
    const first = await run('asset_state', { asset: 'cnc-a1' });
    expect(first.summary).toMatch(/2\.5/);
    const before = cache.stats();
    const again = await run('asset_state', { asset: 'cnc-a1' });
    expect(again.summary).toBe(first.summary);
    expect(cache.stats().misses).toBe(before.misses);
    expect(cache.stats().hits).toBeGreaterThan(before.hits);

    const history = await run('asset_history', { asset: 'cnc-a1', property: 'vibration_rms' });
    await ingest.ingestRecords([{ asset: 'cnc-a1', property: 'vibration_rms', ts: minutesAgo(5), value: 3.75 }], 'test');
    expect((await run('asset_state', { asset: 'cnc-a1' })).summary).toMatch(/3\.75/);
    expect(JSON.stringify((await run('asset_history', { asset: 'cnc-a1', property: 'vibration_rms' })).result)).not.toBe(JSON.stringify(history.result));
  });

  it('an alarm raised by ingestion reaches the next run', async () => {
    expect((await run('open_alarms', { asset: 'cnc-a1' })).summary).not.toMatch(/vibration_rms/);
    await ingest.ingestRecords([{ asset: 'cnc-a1', property: 'vibration_rms', ts: minutesAgo(1), value: 9.5 }], 'test');
    expect((await run('open_alarms', { asset: 'cnc-a1' })).summary).toMatch(/vibration_rms/);
  });

  it('a manifest reload reaches the next run', async () => {
    const before = await run('list_assets', {});
    expect(JSON.stringify(before)).not.toMatch(/Renamed mill/);
    const renamed = manifest.replace(/(- \{ id: cnc-a1, type: cnc_mill, parent: line-a, name: )([^,}]+)/, '$1Renamed mill');
    expect(renamed).not.toBe(manifest);
    await storeTwins(t.db, t.clock, undefined, bus).load(renamed, actor);
    expect(JSON.stringify(await run('list_assets', {}))).toMatch(/Renamed mill/);
  });

  it('a proposal keeps the cache; the executed work order reaches the next run', async () => {
    const listed = await run('work_orders', { asset: 'cnc-a2' });
    const actions = storeActionStore(t.store, bus);
    const start = new Date(t.clock.now().getTime() + 20 * 3600e3).toISOString();
    const end = new Date(t.clock.now().getTime() + 24 * 3600e3).toISOString();
    const proposed = await actions.propose({
      twin: 'demo-plant', thread_id: 'th_cache', run_id: 'run_cache', type: 'create_work_order', params: { asset: 'cnc-a2', window: { start, end }, crew: 'crew-c', note: 'cache test job' },
      risk: 'medium', proposed_by: 'maintenance', rationale: 'test', evidence: [], actor,
    });
    const misses = cache.stats().misses;
    expect((await run('work_orders', { asset: 'cnc-a2' })).summary).toBe(listed.summary);
    expect(cache.stats().misses).toBe(misses); // the proposal dropped nothing
    const approved = await actions.decide(proposed.id, { status: 'approved', actor });
    const done = await executor.execute(approved, actor);
    expect(done.status).toBe('executed');
    const after = await run('work_orders', { asset: 'cnc-a2' });
    expect(after.summary).not.toBe(listed.summary);
    expect(JSON.stringify(after)).toContain(String(done.result.work_order));
  });
});
