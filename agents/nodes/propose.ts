/** Step 5: guard the draft's proposals and store them as `pending_approval`; nothing executes here. */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Action } from '../answer';
import { guardProposals } from '../guard';
import type { GraphDeps } from '../runtime';
import type { State, Update } from '../state';
import { runtimeOf } from './common';

export function proposeNode(deps: GraphDeps) {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const draft = state.draft!;
    const { kept, dropped } = guardProposals(state.task, draft.proposals, run.twinContext.catalog);
    const actions: Action[] = [];
    for (const p of kept) {
      const stored = await deps.actions.propose({
        twin: state.twin,
        thread_id: String(config.configurable?.thread_id ?? ''),
        run_id: state.runId,
        type: p.type,
        params: p.params,
        risk: p.risk ?? 'medium',
        proposed_by: draft.expert,
        rationale: p.rationale,
        evidence: p.evidence ?? [],
        actor: state.actor,
      });
      const { id, type, params, risk, status, proposed_by, rationale } = stored;
      const action: Action = { id, type, params, risk, status, proposed_by, rationale };
      actions.push(action);
      run.emit({ type: 'action_proposed', action });
    }
    const turn = { task: state.task, primary: draft.expert, answer: draft.answer, actions: actions.map((a) => `${a.id} ${a.type}`) };
    return { actions, dropped, history: [turn] };
  };
}
