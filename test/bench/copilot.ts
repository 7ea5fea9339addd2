/**
 * `npm run bench -- copilot [--backfill 7d] [--skip-latency] [--no-cache]`
 * 1. Latency: the offline model over 20 mixed tasks on the demo plant (real tools, real store), p50/p95 per plan,
 *    with the cross-run read cache the service uses on the embedded store (`--no-cache`: every plan reads afresh).
 * 2. Cost: one scripted model drives our graph and a @langchain/langgraph-supervisor baseline (same experts, same
 *    tools, same prompts) over the same tasks; prompt tokens per plan are counted the same way for both (every chat
 *    model call's input, estimated at 4 characters a token — the scripted model reports no usage).
 * Ends with `tokens_vs_supervisor=<ratio>` (goal ≤ 0.5).
 */
import { loadavg } from 'node:os';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createSupervisor } from '@langchain/langgraph-supervisor';
import { createCopilot } from '../../agents/copilot';
import { EXPERTS, expertCards } from '../../agents/experts';
import { estimateTokens, messageText } from '../../agents/model-call';
import { loadPrompt, renderPrompt } from '../../agents/prompts';
import { createTools, pickTools } from '../../agents/tools';
import { storeActionStore, storeTwinReader } from '../../src/boot/copilot';
import { fixedClock } from '../../src/clock';
import { createEventBus } from '../../src/events';
import { block, createLedger } from '../../src/llm/protocol';
import { demoCopilot, DEMO_NOW } from '../integration/copilot/demo-plant';
import { scriptedBrain, SUPERVISOR_MARK, type BrainPlan } from './_copilot-brain';

const TASKS: { task: string; plan: BrainPlan }[] = (() => {
  const mnt = (asset: string): BrainPlan => ({
    primary: 'maintenance', reviewer: 'production',
    reads: [{ name: 'asset_health', args: {} }, { name: 'remaining_life', args: { asset } }],
    check: { name: 'orders', args: {} },
    proposal: { type: 'create_work_order', asset },
  });
  const prod = (asset: string): BrainPlan => ({
    primary: 'production', reviewer: 'maintenance',
    reads: [{ name: 'orders', args: {} }, { name: 'capacity', args: {} }],
    check: { name: 'asset_health', args: { asset } },
    proposal: { type: 'create_work_order', asset },
  });
  const nrg = (asset: string): BrainPlan => ({
    primary: 'energy', reviewer: 'production',
    reads: [{ name: 'energy_breakdown', args: {} }, { name: 'tariff', args: {} }],
    check: { name: 'orders', args: {} },
    proposal: { type: 'create_work_order', asset },
  });
  const wf = (asset: string): BrainPlan => ({
    primary: 'workforce', reviewer: 'maintenance',
    reads: [{ name: 'crews', args: {} }, { name: 'work_orders', args: {} }],
    check: { name: 'asset_health', args: { asset } },
    proposal: { type: 'create_work_order', asset },
  });
  return [
    { task: 'Which machine is most likely to fail next, and when should we service it without missing PO-1042?', plan: mnt('cnc-a2') },
    { task: 'Why is our compressed-air energy up this week?', plan: nrg('compressor-1') },
    { task: 'Can we move the oven pre-heat out of the peak window, and what does it save per month?', plan: nrg('oven-b1') },
    { task: 'Who should do the cnc-a2 bearing job, given crew fatigue?', plan: wf('cnc-a2') },
    { task: 'How long until cnc-a2 reaches its vibration alarm?', plan: mnt('cnc-a2') },
    { task: 'Is the bearing temperature on cnc-a2 getting worse?', plan: mnt('cnc-a2') },
    { task: 'Any open alarms right now?', plan: mnt('compressor-1') },
    { task: 'What is the health of the press?', plan: mnt('press-b1') },
    { task: 'Will PO-1043 ship on time?', plan: prod('press-b1') },
    { task: 'What happens to our due dates if cnc-a2 goes down for two days?', plan: prod('cnc-a2') },
    { task: 'Can we take a rush order of 200 gears this week?', plan: prod('cnc-a1') },
    { task: 'Where is the bottleneck on line B?', plan: prod('oven-b1') },
    { task: 'Which machine drives our demand peak?', plan: nrg('oven-b1') },
    { task: 'How much does compressor-1 cost us to run per month?', plan: nrg('compressor-1') },
    { task: 'Is the chiller running less efficiently than usual?', plan: nrg('chiller-1') },
    { task: 'What did the site use yesterday during the peak tariff?', plan: nrg('meter-main') },
    { task: 'Is any crew working too much overtime?', plan: wf('cnc-a1') },
    { task: 'Which shift has a maintenance technician on nights?', plan: wf('cnc-a3') },
    { task: 'Can crew-a cover a four hour repair tomorrow morning?', plan: wf('cnc-a2') },
    { task: 'Plan the service of compressor-2 and open a work order.', plan: mnt('compressor-2') },
  ];
})();

const MANAGER = { id: 'bench', role: 'manager', via: 'cli' } as const;

/** Questions of each expert's kind that are not among TASKS. */
const WARM_UP = [
  'Which asset is in the worst condition, and should we plan a repair before the end of next week?',
  'How did the main meter consumption change since Monday, and what did it cost?',
  'Are the orders due on Friday at risk if the press slows down by 20%?',
  'How many hours of overtime did the crews work last week?',
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class PromptCounter extends BaseCallbackHandler {
  name = 'bench_prompt_counter';
  tokens = 0;
  calls = 0;
  override handleChatModelStart(_llm: unknown, messages: BaseMessage[][]): void {
    this.calls += 1;
    this.tokens += estimateTokens(messages.flat().map(messageText).join('\n'));
  }
}

export default async function bench(args: string[]): Promise<void> {
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const backfill = flag('--backfill', '7d');
  const t0 = Date.now();
  // The latency copilot shares reads across plans as the service does on the embedded store; --no-cache reads afresh.
  const { copilot, plant, cache } = await demoCopilot(undefined, DEMO_NOW, backfill, { cache: !args.includes('--no-cache') });
  console.log(`demo plant with ${backfill} of history ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const rows: string[][] = [];

  // 1. Latency on the offline model.
  let p50 = NaN;
  if (!args.includes('--skip-latency')) {
    // Warm-up on other questions: a running service has compiled its code and its parsers' patterns (chrono's take
    // ~150 ms to compile on first use), while each measured task is still new to every per-text memory.
    for (const task of WARM_UP) await copilot.ask({ task, actor: MANAGER });
    const ms: number[] = [];
    for (const { task } of TASKS) {
      const s = performance.now();
      await copilot.ask({ task, actor: MANAGER });
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    p50 = pct(ms, 50);
    if (cache) {
      const st = cache.stats();
      console.log(`read cache: ${st.hits} hits, ${st.misses} misses, ${st.entries} entries, weight ${st.weight}`);
    }
    rows.push([`offline plan latency (20 tasks${cache ? '' : ', no read cache'})`, `p50 ${p50.toFixed(0)} ms`, `p95 ${pct(ms, 95).toFixed(0)} ms`, `goal p50 ≤ 50 ms: ${p50 <= 50 ? 'met' : 'not met'}`]);
    // Wall times on a shared machine: the load average says how much of them was waiting for a core.
    rows.push(['load average (1/5/15 min) after the latency run', loadavg().map((x) => x.toFixed(2)).join(' / '), '', '']);
  }

  // 2. Prompt tokens: our graph vs the supervisor baseline, one scripted model.
  let current = TASKS[0]!.plan;
  const brain = scriptedBrain(() => current);
  const ours = createCopilot({
    models: { primary: { provider: 'openai', model: brain.model }, offline: brain.model, policy: { timeoutMs: 30_000, retries: 0 } },
    checkpointer: new MemorySaver(),
    clock: fixedClock(plant.now),
    tools: createTools({ db: plant.store.db }),
    actions: storeActionStore(plant.store, createEventBus()),
    executor: { execute: async () => ({ status: 'executed' }) },
    twin: storeTwinReader(plant.store),
  });
  const toolsFor = createTools({ db: plant.store.db });
  // The baseline's agents get the same <context> block our experts get: without it no model could link words to ids.
  const twinCtx = await storeTwinReader(plant.store).context('demo-plant', plant.now);
  const contextFor = (expert: string) =>
    block('context', { twin: 'demo-plant', now: plant.now.toISOString(), timezone: twinCtx.timezone, expert, mode: 'primary', catalog: twinCtx.catalog });
  let oursTokens = 0;
  let oursCalls = 0;
  let supTokens = 0;
  let supCalls = 0;
  for (const { task, plan } of TASKS) {
    current = plan;
    brain.stock();
    const a = await ours.ask({ task, actor: MANAGER });
    oursTokens += a.usage.prompt_tokens;
    oursCalls += a.usage.llm_calls;

    // The baseline: a supervisor with the same four experts, each a ReAct agent with the same prompt and tools.
    const ledger = createLedger();
    const agents = EXPERTS.map((e) =>
      createReactAgent({
        llm: brain.model,
        name: e.name,
        tools: pickTools(toolsFor({ twin: 'demo-plant', now: plant.now, ledger, expert: e.name, mode: 'primary' }), e.tools),
        prompt: `${renderPrompt('expert', { expert: e.name, expert_prompt: loadPrompt(e.prompt), max_steps: 8, finish: 'When you have what you need, stop calling tools and answer in plain text.' })}\n\n${contextFor(e.name)}`,
      }),
    );
    const supervisor = createSupervisor({
      agents,
      llm: brain.model,
      prompt: `${SUPERVISOR_MARK}. Hand the task to the expert who should answer it, then to the experts who should review the answer, then give the final answer.\n\n${renderPrompt('route', { experts: block('experts', expertCards()), history: '(none)' }).replace('<experts>', '[experts]').replace('</experts>', '[/experts]')}`,
    }).compile();
    const counter = new PromptCounter();
    await supervisor.invoke({ messages: [new HumanMessage(task)] }, { callbacks: [counter], recursionLimit: 60 });
    supTokens += counter.tokens;
    supCalls += counter.calls;
  }
  const ratio = oursTokens / supTokens;
  rows.push(['prompt tokens per plan, our graph', `${Math.round(oursTokens / TASKS.length)}`, `${(oursCalls / TASKS.length).toFixed(1)} calls`, '']);
  rows.push(['prompt tokens per plan, supervisor baseline', `${Math.round(supTokens / TASKS.length)}`, `${(supCalls / TASKS.length).toFixed(1)} calls`, '']);
  rows.push(['ratio (ours / supervisor)', ratio.toFixed(2), '', `goal ≤ 0.5: ${ratio <= 0.5 ? 'met' : 'not met'}`]);

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  │  '));
  await plant.close();
  console.log(`tokens_vs_supervisor=${ratio.toFixed(3)}`);
}
