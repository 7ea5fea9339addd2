/**
 * Actions, τ-bench style: the proposals the case's run left in the store must include each expected pattern (matched on
 * the fields given), and a `no_actions` case must leave none. Commands sent count as `send_command` actions, so a
 * command that bypassed the proposal table is still seen.
 */
import type { ActionPattern, Expect } from '../suite';
import type { FinalState, Score } from '../types';
import { actionMatches, describeAction } from './match';

/** Every action the case left behind, proposals and raw commands alike, as matchable records. */
export function actionsOf(state: FinalState): Record<string, unknown>[] {
  const proposals = state.proposals.map((p) => ({ ...p }) as Record<string, unknown>);
  const proposalIds = new Set(state.proposals.map((p) => p.id));
  const commands = state.commands
    .filter((c) => !c.action_id || !proposalIds.has(c.action_id))
    .map((c) => ({ type: 'send_command', params: { asset: c.asset, command: c.command, args: c.args ?? {} }, status: 'executed', id: c.id }));
  return [...proposals, ...commands];
}

function list(actions: Record<string, unknown>[]): string {
  return actions.length
    ? actions.map((a) => describeAction(a as { type: string; params?: Record<string, unknown>; status?: string })).join('; ')
    : 'none';
}

export function scoreActions(expect: Expect, state: FinalState): Score[] {
  const actions = actionsOf(state);
  const out: Score[] = [];
  if (expect.actions?.length) {
    const missing = expect.actions.filter((p: ActionPattern) => !actions.some((a) => actionMatches(p, a)));
    out.push({
      scorer: 'actions',
      applies: true,
      passed: missing.length === 0,
      failures: missing.map((p) => `actions: expected ${describeAction(p)}, got ${list(actions)}`),
    });
  }
  if (expect.no_actions) {
    out.push({
      scorer: 'no_actions',
      applies: true,
      passed: actions.length === 0,
      failures: actions.length ? [`no_actions: expected none, got ${list(actions)}`] : [],
    });
  }
  return out;
}
