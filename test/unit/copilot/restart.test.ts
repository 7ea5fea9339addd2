/**
 * A paused approval survives a restart: the thread is checkpointed by PostgresSaver on embedded PGlite (persisted in
 * a temp DATA_DIR), the process "restarts" (store closed and reopened, a new copilot), and decide() resumes it.
 * The same runs on PostgreSQL when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage } from '@langchain/core/messages';
import { afterAll, describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../../agents/checkpointer';
import { createCopilot } from '../../../agents/copilot';
import { createStore } from '../../../src/store';
import { MANAGER, makeCopilot, modelSet, scriptedModel } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'twinpilot-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script() {
  return scriptedModel()
    .respondWithTools([{ name: 'route', args: { primary: 'maintenance', reviewers: [], reason: 'r' } }])
    .respondWithTools([{ name: 'asset_health', args: { asset: 'pump-2' } }])
    .respondWithTools([{ name: 'propose_action', args: { type: 'create_work_order', params: { asset: 'pump-2' }, rationale: 'worst' } }])
    .respond(new AIMessage('done'))
    .respondWithTools([{ name: 'draft', args: { answer: 'Service pump-2.', recommendations: [{ text: 'Service pump-2', evidence: ['ev1'] }] } }]);
}

async function restartRoundTrip(open: () => Promise<Awaited<ReturnType<typeof createStore>>>) {
  const store1 = await open();
  const first = makeCopilot({ models: modelSet(script()), checkpointer: await createCheckpointer(store1.pgPool()) });
  const answer = await first.copilot.ask({ task: 'Service the worst pump', threadId: 't-restart', actor: MANAGER });
  const id = answer.actions[0]!.id;
  await store1.close();

  // A new process: new store handle, new checkpointer, new copilot; the action store and plant carry over.
  const store2 = await open();
  const unused = scriptedModel(); // resuming needs no model call
  const copilot = createCopilot({ ...first.deps, models: modelSet(unused), checkpointer: await createCheckpointer(store2.pgPool()) });
  const pending = await copilot.answer('t-restart');
  expect(pending?.actions[0]).toMatchObject({ id, status: 'pending_approval' });
  const decided = await copilot.decide({ actionId: id, approve: true, actor: MANAGER });
  expect(decided.status).toBe('executed');
  expect(first.plant.workOrders).toEqual([{ asset: 'pump-2' }]);
  const final = await copilot.answer('t-restart');
  expect(final?.actions[0]?.status).toBe('executed');
  expect(final?.evidence.map((e) => e.id)).toEqual(['ev1']);
  expect(unused.callCount).toBe(0);
  await store2.close();
}

describe('approval across a restart', () => {
  it('resumes a paused thread from PGlite after reopening the store', async () => {
    await restartRoundTrip(() => createStore({ dataDir: dir }));
  });

  const url = process.env.DATABASE_URL;
  if (!url) console.warn('restart.test: DATABASE_URL unset, skipping the PostgreSQL variant');
  it.skipIf(!url)('resumes a paused thread from PostgreSQL', async () => {
    const schema = `cp_restart_${process.pid}`;
    await restartRoundTrip(() => createStore({ databaseUrl: url, schema }));
  });
});
