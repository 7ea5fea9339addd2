/**
 * Step 7: carry out an approved action through src/control (injected as the Executor). A rejection changes nothing
 * in the twin: it was recorded by the approve step and is skipped here.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { GraphDeps } from '../runtime';
import type { State, Update } from '../state';

export function executeNode(deps: GraphDeps) {
  return async (state: State, _config: LangGraphRunnableConfig): Promise<Update> => {
    const decision = state.decision;
    if (!decision?.approve) return { decision: null };
    const stored = await deps.actions.get(decision.actionId);
    if (!stored) return { decision: null };
    const result = await deps.executor.execute(stored, decision.actor);
    const actions = state.actions.map((a) => (a.id === stored.id ? { ...a, status: result.status } : a));
    return { actions, decision: null };
  };
}

/** More actions waiting: back to approve; otherwise the answer. */
export function afterExecute(state: State): 'approve' | 'answer' {
  return state.actions.some((a) => a.status === 'pending_approval') ? 'approve' : 'answer';
}
