/** Step 1: pick the primary expert and the reviewers (structured output `route`, enum from the registry). */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { block, STRUCTURED, type TwinContext } from '../../src/llm/protocol';
import { expertCards, routeSchema, type ExpertDef } from '../experts';
import { structured } from '../structured';
import { newMeter } from '../model-call';
import { renderPrompt } from '../prompts';
import type { RouteDecision, State, Update } from '../state';
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
 * The catalog lets the router see what the task's ids are (an order, a machine, a crew, and of which type), as a person
 * would. Routing needs only what each thing is, so properties and commands are left out to keep the call small.
 */
export function routeContext(full: TwinContext): TwinContext {
  const { assets, orders, crews } = full.catalog;
  return { ...full, catalog: { assets: assets.map((a) => ({ ...a, properties: [] })), orders, crews } };
}

/** `single`: the eval baseline, where the primary answers alone (no reviewers, no consensus). */
export function routeNode(experts: readonly ExpertDef[], opts: { single?: boolean } = {}) {
  const schema = routeSchema(experts);
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const meter = newMeter();
    const context = block('context', routeContext(contextBlock(run, state, 'manager', 'primary')));
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
