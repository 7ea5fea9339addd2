/**
 * One eval worker thread: builds the store-backed harness once, then serves `prepare` (a setup's snapshot) and `run`
 * (one suite trial) requests. The suite is re-read from its file here: a Suite holds Dates and is cheap to load.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PROJECT_ROOT } from './discover';
import { createStoreHarness } from './harness/index';
import type { WorkerInit } from './pool';
import { runSuiteTrial } from './run-suite';
import { loadSuite } from './suite';

const init = workerData as WorkerInit;
const harness = createStoreHarness(init.config, { cacheDir: init.cacheDir });

parentPort!.on('message', async (msg: { id: number; kind: 'run' | 'prepare'; file: string; trial?: number }) => {
  try {
    const suite = loadSuite(msg.file, PROJECT_ROOT);
    const result =
      msg.kind === 'prepare'
        ? await harness.prepare(suite)
        : await runSuiteTrial(harness, suite, msg.trial ?? 0, { provider: init.provider, mode: init.mode });
    parentPort!.postMessage({ id: msg.id, ok: true, result });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
