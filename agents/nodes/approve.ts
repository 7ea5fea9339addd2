/**
 * Step 6: wait for a human. `interrupt()` pauses the thread (checkpointed, so it survives a restart) until decide()
 * resumes it with one decision. The role is checked against the action's risk here too (decide() checks first);
 * a refused or stale decision is audited and the step waits again.
 */
import { interrupt, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { canApprove } from '../../src/control/roles';
import type { GraphDeps } from '../runtime';
import type { Decision, State, Update } from '../state';

/** What the interrupt carries to the caller: the actions still waiting. */
export interface ApprovalRequest {
  run_id: string;
  pending: { id: string; type: string; risk: string; params: Record<string, unknown> }[];
}

export function approveNode(deps: GraphDeps) {
  return async (state: State, _config: LangGraphRunnableConfig): Promise<Update> => {
    const pending = state.actions.filter((a) => a.status === 'pending_approval');
    const request: ApprovalRequest = { run_id: state.runId, pending: pending.map(({ id, type, risk, params }) => ({ id, type, risk, params })) };
    // Nothing with side effects may run before interrupt(): the node re-runs from the top on resume.
    const decision = interrupt(request) as Decision;
    const action = pending.find((a) => a.id === decision?.actionId);
    if (!action) return { decision: null };
    if (!canApprove(decision.actor.role, action.risk)) {
      await deps.actions.audit({ actor: decision.actor, action: 'approval_refused', target: action.id, detail: { risk: action.risk, role: decision.actor.role } });
      return { decision: null };
    }
    const stored = await deps.actions.decide(action.id, { status: decision.approve ? 'approved' : 'rejected', actor: decision.actor, comment: decision.comment });
    const actions = state.actions.map((a) => (a.id === action.id ? { ...a, status: stored.status } : a));
    return { actions, decision };
  };
}

/** After approve: execute a decision, or wait again when there was none to act on. */
export function afterApprove(state: State): 'execute' | 'approve' {
  return state.decision ? 'execute' : 'approve';
}
