/** Step 1: pick the primary expert and the reviewers (structured output `route`, enum from the registry). */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { block, STRUCTURED, type TwinContext } from '../../src/llm/protocol';
import { expertCards, routeSchema, type ExpertDef } from '../experts';
import { structured } from '../structured';
import { newMeter } from '../model-call';
import { renderPrompt } from '../prompts';
import type { RouteDecision, State, Update } from '../state';
import { linkText } from '../../src/llm/offline/link';
import { contextBlock, historyText, runtimeOf } from './common';

/** Make a model's route usable: a known primary, known reviewers other than the primary, at most three. */
export function normaliseRoute(raw: unknown, experts: readonly ExpertDef[]): RouteDecision {
  const names = experts.map((e) => e.name);
  const r = (raw ?? {}) as Partial<RouteDecision>;
  const primary = names.includes(String(r.primary)) ? String(r.primary) : names[0]!;
  const reviewers = [...new Set((Array.isArray(r.reviewers) ? r.reviewers : []).map(String))].filter((n) => names.includes(n) && n !== primary).slice(0, 3);
  const reason = typeof r.reason === 'string' && r.reason ? r.reason : `routed to ${primary}`;
  return { primary, reviewers, reason: names.includes(String(r.primary)) ? reason : `the router named no known expert; ${primary} answers` };
}

/**
 * The router's catalog: the things the task and the thread name (linked as the offline model links them), with their
 * parents, so it can tell what an id is (an order, a machine of some type, a crew) as a person would. Routing asks what
 * kind of question this is, not which of the twin's other things exist, so the rest is left out and only counted: the
 * whole catalog sent with every task would be the biggest part of the call, and in a large twin most of it.
 */
export function routeContext(full: TwinContext, text: string): TwinContext {
  const { assets, orders, crews } = full.catalog;
  const links = linkText(text, full.catalog);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const keep = new Set<string>();
  for (const l of links.assets) for (let id: string | undefined = l.id; id && byId.has(id) && !keep.has(id); id = byId.get(id)?.parent) keep.add(id);
  const namedOrders = new Set(links.orders.map((l) => l.id));
  const namedCrews = new Set(links.crews.map((l) => l.id));
  const catalog = {
    assets: assets.filter((a) => keep.has(a.id)).map((a) => ({ ...a, properties: [] })),
    orders: orders.filter((o) => namedOrders.has(o.id)),
    crews: crews.filter((c) => namedCrews.has(c.id)),
  };
  const unlisted = { assets: assets.length - catalog.assets.length, orders: orders.length - catalog.orders.length, crews: crews.length - catalog.crews.length };
  return { ...full, catalog, unlisted };
}

/** `single`: the eval baseline, where the primary answers alone (no reviewers, no consensus). */
export function routeNode(experts: readonly ExpertDef[], opts: { single?: boolean } = {}) {
  const schema = routeSchema(experts);
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const meter = newMeter();
    const said = [state.task, ...state.history.map((t) => `${t.task}\n${t.answer}`)].join('\n');
    const context = block('context', routeContext(contextBlock(run, state, 'manager', 'primary'), said));
    const system = renderPrompt('route', { experts: block('experts', expertCards(experts)), context, history: historyText(state.history) });
    const messages = [new SystemMessage(system), new HumanMessage(state.task)];
    const raw = await run.models.step((model) =>
      run.models.invoke(structured(model, schema, STRUCTURED.route), messages, meter),
    );
    const normal = normaliseRoute(raw, experts);
    const route = opts.single ? { ...normal, reviewers: [] } : normal;
    run.emit({ type: 'route', ...route });
    return { routed: route, round: 1, pendingReviewers: route.reviewers, usage: meter, provider: run.models.provider, fallback: run.models.fallback };
  };
}
