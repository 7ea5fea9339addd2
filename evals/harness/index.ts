/**
 * The store-backed harness `twin eval` runs on: per session a fresh in-memory store loaded from the suite's setup
 * snapshot, the real copilot over it (tools, action store, executor, checkpointer), the frozen clock, and the chosen
 * provider. The executor is the real one on a device-less transport: the runner approves nothing, so anything that
 * executes shows up in the commands and audit the safety scorer reads.
 */
import { join } from 'node:path';
import { MemorySaver } from '@langchain/langgraph';
import { createCopilot } from '../../agents/copilot';
import type { CopilotDeps, Executor as GraphExecutor } from '../../agents/runtime';
import { createTools } from '../../agents/tools';
import { toolCache } from '../../agents/tools/cache';
import { storeActionStore, storeTwinReader } from '../../src/boot/copilot';
import { fixedClock } from '../../src/clock';
import type { Config } from '../../src/config';
import { createExecutor } from '../../src/control/executor';
import { createLocalTransport } from '../../src/control/transport';
import { createEventBus } from '../../src/events';
import { pgliteRunner } from '../../src/ingest/sql';
import { createModels } from '../../src/llm';
import { PROJECT_ROOT } from '../discover';
import type { Suite } from '../suite';
import type { Harness, HarnessOptions, SuiteSession } from '../types';
import { ensureSnapshot, readManifest, readSnapshot, storeFromSnapshot } from './setup';
import { cursorOf, readFinalState } from './state';

export interface StoreHarnessOptions {
  /** Where setup snapshots are kept between runs (default DATA_DIR/eval-cache). */
  cacheDir?: string;
  log?: (line: string) => void;
  /**
   * Tests only: change the copilot's dependencies before it is built (a broken router, a rogue action store), to show
   * that the scorers fail when they should. `execute` runs an action through the real executor, bypassing approval.
   */
  customize?: (deps: CopilotDeps, ctx: { execute: GraphExecutor['execute'] }) => CopilotDeps;
}

export interface StoreHarness extends Harness {
  /** Build (or find) the snapshot of a suite's setup; the pool calls it once per distinct setup before the units. */
  prepare(suite: Suite): Promise<{ key: string; built: boolean; ms: number }>;
}

export function createStoreHarness(config: Config, options: StoreHarnessOptions = {}): StoreHarness {
  const cacheDir = options.cacheDir ?? join(config.DATA_DIR, 'eval-cache');
  // One snapshot held in memory at a time: units are ordered by setup, so a worker reuses it across suites and trials.
  let held: { path: string; blob: Blob } | null = null;

  const snapshotBlob = async (suite: Suite): Promise<Blob> => {
    const snap = await ensureSnapshot(suite, cacheDir, PROJECT_ROOT);
    if (held?.path !== snap.path) held = { path: snap.path, blob: await readSnapshot(snap.path) };
    return held.blob;
  };

  return {
    async prepare(suite) {
      const s = await ensureSnapshot(suite, cacheDir, PROJECT_ROOT);
      return { key: s.key, built: s.built, ms: s.ms };
    },

    async open(suite: Suite, opts: HarnessOptions): Promise<SuiteSession> {
      const { store, pglite } = await storeFromSnapshot(await snapshotBlob(suite));
      const manifest = readManifest(suite.twin.path);
      const clock = fixedClock(suite.now);
      const bus = createEventBus();
      const transport = createLocalTransport();
      const control = createExecutor({ sql: pgliteRunner(pglite as never), bus, clock, transport, config: { COMMAND_ACK_TIMEOUT_MS: 2000 }, defaultTwin: manifest.twin });
      const executor: GraphExecutor = {
        async execute(action, actor) {
          const r = await control.execute(action, actor);
          return { status: r.status, detail: typeof r.result?.reason === 'string' ? r.result.reason : undefined };
        },
      };
      // The tools' cross-run read cache, as the service runs it on the embedded store: this session's store has no
      // writer but this process, and every write it makes is announced on `bus`, so cases of a suite share reads.
      const cache = toolCache(bus);
      const models = await createModels(config, { provider: opts.provider });
      const deps: CopilotDeps = {
        models,
        checkpointer: new MemorySaver(),
        clock,
        tools: createTools({ db: store.db, cache }),
        actions: storeActionStore(store, bus),
        executor,
        twin: storeTwinReader(store, { cache }),
        limits: { maxSteps: config.EXPERT_MAX_STEPS, maxRounds: config.CONSENSUS_MAX_ROUNDS },
        ...(opts.mode === 'single' ? { baseline: 'single' as const } : {}),
      };
      const copilot = createCopilot(options.customize ? options.customize(deps, { execute: executor.execute }) : deps);
      return {
        async ask({ task, threadId, at }) {
          const tools: string[] = [];
          const answer = await copilot.ask(
            { task, threadId, at: at.toISOString(), twin: manifest.twin },
            { onEvent: (e) => void (e.type === 'tool_call' && tools.push(e.tool)) },
          );
          return { answer, tools };
        },
        cursor: () => cursorOf(store),
        finalState: (scope) => readFinalState(store, scope),
        async close() {
          cache.close();
          control.close();
          await transport.close().catch(() => undefined);
          await store.close();
          await pglite.close();
        },
      };
    },
  };
}
