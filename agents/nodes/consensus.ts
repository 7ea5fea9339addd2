/**
 * Step 4: read this round's verdicts. Amend or object sends the draft back to the primary for another round, up to
 * the round limit; after that the answer states the dissent honestly. Only reviewers who did not agree review again.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { GraphDeps } from '../runtime';
import type { Review, State, Update } from '../state';
import { runtimeOf } from './common';

export function consensusNode(deps: GraphDeps) {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    const run = runtimeOf(config);
    const route = state.routed!;
    const round = state.round;
    const latest = new Map<string, Review>();
    for (const r of state.reviews) if (r.round <= round) latest.set(r.expert, r);
    const open = state.reviews.filter((r) => r.round === round && r.verdict !== 'agree');
    const base = { provider: run.models.provider, fallback: run.models.fallback };

    if (open.length && round < deps.limits.maxRounds) {
      return { ...base, round: round + 1, pendingReviewers: open.map((r) => r.expert) };
    }
    const agreed = [route.primary, ...route.reviewers.filter((n) => latest.get(n)?.verdict === 'agree')];
    const dissent = open.flatMap((r) =>
      r.concerns.length
        ? r.concerns.map((c) => ({ expert: r.expert, concern: c.text }))
        : [{ expert: r.expert, concern: `${r.verdict === 'object' ? 'objects to' : 'asks to amend'} the draft without a stated reason` }],
    );
    const consensus = { rounds: round, agreed, dissent };
    run.emit({ type: 'consensus', ...consensus });
    return { ...base, agreement: consensus, pendingReviewers: [] };
  };
}
