/**
 * The approval rule at the door: a decision on an action is checked against its risk (canApprove) before the copilot
 * resumes the run. A refusal is audited, then thrown as 403. HTTP and Slack both decide through here.
 */
import type { Action } from '../../agents/answer';
import { type Actor, canApprove, roleNeededFor } from '../control/roles';
import { AppError } from '../errors';
import type { ActionsApi, AuditApi, CopilotApi } from './deps';

export interface DecideDeps {
  actions: ActionsApi;
  audit: AuditApi;
  copilot: CopilotApi;
}

export async function decideChecked(
  deps: DecideDeps,
  req: { actionId: string; approve: boolean; comment?: string; actor: Actor },
): Promise<Action> {
  const { actionId: id, approve, comment, actor } = req;
  const verb = approve ? 'approve' : 'reject';
  const action = await deps.actions.get(id);
  if (!action) throw new AppError('not_found', `action "${id}" not found`);
  if (!canApprove(actor.role, action.risk)) {
    const needed = roleNeededFor(action.risk);
    await deps.audit.append({
      actor: actor.id,
      role: actor.role,
      via: actor.via,
      // The same event the copilot writes for a refusal, so the trail reads one way whichever door refused.
      event: 'approval_refused',
      target: id,
      details: { decision: verb, risk: action.risk, needed, role: actor.role, comment: comment ?? null },
    });
    throw new AppError('forbidden', `a ${action.risk}-risk action needs the ${needed} role to ${verb}; this key is ${actor.role}`, {
      risk: action.risk,
      needed,
      role: actor.role,
    });
  }
  if (action.status !== 'pending_approval') {
    throw new AppError('conflict', `action "${id}" is ${action.status}, not pending approval`, { status: action.status });
  }
  return deps.copilot.decide(id, { approve, comment, actor });
}
