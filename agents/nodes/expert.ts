/**
 * Step 2 (and each revision of step 4): the primary expert's tool loop with a step cap, then its `draft`.
 * A revision sees its previous draft and the reviewers' concerns as a compact `<draft>` block, not the transcript.
 */
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { block, STRUCTURED } from '../../src/llm/protocol';
import { expertByName } from '../experts';
import { parseStructured, structured, structuredSpec } from '../structured';
import { newMeter } from '../model-call';
import { loadPrompt, renderPrompt } from '../prompts';
import type { GraphDeps } from '../runtime';
import { DraftSchema, type DraftOutput } from '../schemas';
import type { Draft, State, Update } from '../state';
import { compactTranscript, toolLoop } from '../tool-loop';
import { contextBlock, draftBrief, historyText, idsCatalog, knownIds, pickTools, runtimeOf } from './common';

export function expertNode(deps: GraphDeps) {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const name = state.routed!.primary;
    const def = expertByName(name, deps.experts)!;
    const previous = state.draft;
    const mode = previous ? 'revision' : 'primary';
    run.emit({ type: 'expert_started', expert: name, role: 'primary', round: state.round });

    const system = renderPrompt('expert', { expert: name, expert_prompt: loadPrompt(def.prompt), max_steps: deps.limits.maxSteps, finish: loadPrompt('finish-draft') });
    const context = contextBlock(run, state, name, mode);
    const parts = [block('context', context)];
    if (previous) {
      const concerns = state.reviews.filter((r) => r.round === state.round - 1 && r.verdict !== 'agree');
      parts.push(block('draft', draftBrief(state.task, previous, state.evidence, concerns)), renderPrompt('revise', { round: state.round }));
    }
    if (state.history.length) parts.push(`Earlier in this conversation:\n${historyText(state.history)}`);
    parts.push(`Task: ${state.task}`);
    const start = [new SystemMessage(system), new HumanMessage(parts.join('\n\n'))];
    // The draft is written from the tool results: its call carries the catalog's ids only (see idsCatalog).
    const forDraft = new HumanMessage([block('context', { ...context, catalog: idsCatalog(context.catalog) }), ...parts.slice(1)].join('\n\n'));

    const meter = newMeter();
    const { loop, out } = await run.models.step(async (model) => {
      const tools = pickTools(deps.tools, { twin: state.twin, now: new Date(state.at), ledger: run.ledger, expert: name, mode }, def.tools);
      const finish = structuredSpec(DraftSchema, STRUCTURED.draft);
      const loop = await toolLoop({ model, models: run.models, tools, messages: start, maxSteps: deps.limits.maxSteps, meter, expert: name, emit: run.emit, finish });
      const given = parseStructured(DraftSchema, loop.finished);
      if (given) return { loop, out: given };
      // The model answered in plain text (or gave a malformed draft): one closing call asks for the draft.
      const asStructured = structured(model, DraftSchema, STRUCTURED.draft);
      const transcript = compactTranscript(loop.messages).map((m) => (m === start[1] ? forDraft : m));
      const out = (await run.models.invoke(asStructured, [...transcript, new HumanMessage(loadPrompt('draft'))], meter)) as DraftOutput;
      return { loop, out };
    });

    const evidence = run.ledger.list();
    const known = new Set(evidence.map((e) => e.id));
    const draft: Draft = {
      expert: name,
      round: state.round,
      answer: String(out?.answer ?? '').trim() || '(the expert gave no answer)',
      recommendations: (out?.recommendations ?? []).map((r) => ({ text: String(r.text), evidence: knownIds(r.evidence, known) })),
      // A revision that proposes nothing new keeps the earlier proposals; one that proposes again replaces them.
      proposals: loop.proposals.length || !previous ? loop.proposals.map((p) => ({ ...p, evidence: knownIds(p.evidence, known) })) : previous.proposals,
    };
    return { draft, evidence, usage: meter, provider: run.models.provider, fallback: run.models.fallback };
  };
}
