/**
 * The copilot over a real store holding the demo plant and its simulated history: offline model, real tools, the
 * store's action adapter, a MemorySaver (checkpointing has its own tests). Shared by the demo-question and
 * prompt-injection tests.
 */
import { MemorySaver } from '@langchain/langgraph';
import { createCopilot } from '../../../agents/copilot';
import type { Executor } from '../../../agents/runtime';
import { createTools } from '../../../agents/tools';
import { toolCache } from '../../../agents/tools/cache';
import { storeActionStore, storeTwinReader } from '../../../src/boot/copilot';
import { fixedClock } from '../../../src/clock';
import { createEventBus } from '../../../src/events';
import { createModels } from '../../../src/llm';
import { parseConfig } from '../../../src/config';
import { plantWithHistory, type PlantHistory } from '../../helpers/plant-history';

export const DEMO_NOW = '2026-03-02T08:00:00.000Z';

/** `opts.cache`: share reads across runs as the service does on the embedded store (agents/tools/cache.ts). */
export async function demoCopilot(manifest: URL | string = new URL('../../../twins/demo-plant.yaml', import.meta.url), now = DEMO_NOW, backfill = '7d', opts: { cache?: boolean } = {}) {
  const plant: PlantHistory = await plantWithHistory({ manifestPath: manifest, now, seed: 42, backfill });
  const executed: string[] = [];
  const executor: Executor = {
    async execute(action) {
      executed.push(action.id);
      return { status: 'executed' };
    },
  };
  const models = await createModels(parseConfig({ LLM_PROVIDER: 'offline' }));
  const bus = createEventBus();
  const cache = opts.cache ? toolCache(bus) : undefined;
  const copilot = createCopilot({
    models,
    checkpointer: new MemorySaver(),
    clock: fixedClock(plant.now),
    tools: createTools({ db: plant.store.db, cache }),
    actions: storeActionStore(plant.store, bus),
    executor,
    twin: storeTwinReader(plant.store, { cache }),
  });
  return { copilot, plant, executed, bus, cache };
}
