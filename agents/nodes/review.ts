/**
 * Step 3: one reviewer, run in parallel with the others through `Send`. It gets a compact brief (the task, the draft,
 * the evidence the draft cites), may verify with its own small tool loop, and returns agree | amend | object.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { block, STRUCTURED } from '../../src/llm/protocol';
import { expertByName } from '../experts';
import { parseStructured, structured, structuredSpec } from '../structured';
import { newMeter } from '../model-call';
import { loadPrompt, renderPrompt } from '../prompts';
import type { GraphDeps } from '../runtime';
import { ReviewSchema, type ReviewOutput } from '../schemas';
import type { Review, ReviewInput, Update } from '../state';
import { compactTranscript, toolLoop } from '../tool-loop';
import { catalogFor, contextBlock, draftBrief, knownIds, pickTools, runtimeOf } from './common';

export function reviewNode(deps: GraphDeps) {
  return async (input: ReviewInput, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const def = expertByName(input.reviewer, deps.experts)!;
    run.emit({ type: 'expert_started', expert: def.name, role: 'reviewer', round: input.round });

    const system = renderPrompt('review', {
      expert: def.name,
      expert_prompt: loadPrompt(def.prompt),
      reviews: def.reviews.join(', '),
      max_steps: deps.limits.reviewSteps,
    });
    const brief = draftBrief(input.task, input.draft, input.evidence);
    const context = contextBlock(run, input, def.name, 'reviewer');
    const human = [
      block('context', { ...context, catalog: catalogFor(context.catalog, brief) }),
      block('draft', brief),
      'Review the draft on your concerns.',
    ].join('\n\n');
    const start = [new SystemMessage(system), new HumanMessage(human)];

    const meter = newMeter();
    const out = await run.models.step(async (model) => {
      const scope = { twin: input.twin, now: new Date(input.at), ledger: run.ledger, expert: def.name, mode: 'reviewer' as const };
      const tools = pickTools(deps.tools, scope, def.reviewTools);
      const finish = structuredSpec(ReviewSchema, STRUCTURED.review);
      const loop = await toolLoop({ model, models: run.models, tools, messages: start, maxSteps: deps.limits.reviewSteps, meter, expert: def.name, emit: run.emit, finish });
      const given = parseStructured(ReviewSchema, loop.finished);
      if (given) return given;
      const asStructured = structured(model, ReviewSchema, STRUCTURED.review);
      return (await run.models.invoke(asStructured, [...compactTranscript(loop.messages), new HumanMessage('Give your verdict now.')], meter)) as ReviewOutput;
    });

    const evidence = run.ledger.list();
    const known = new Set(evidence.map((e) => e.id));
    const verdict = out?.verdict === 'amend' || out?.verdict === 'object' ? out.verdict : 'agree';
    const review: Review = {
      expert: def.name,
      round: input.round,
      verdict,
      concerns: (out?.concerns ?? []).map((c) => ({ text: String(c.text), evidence: knownIds(c.evidence, known) })),
    };
    run.emit({ type: 'review', expert: def.name, verdict, concerns: review.concerns.map((c) => c.text) });
    // No provider/fallback writes here: parallel reviewers must not write the same single-value channel.
    return { reviews: [review], evidence, usage: meter };
  };
}
