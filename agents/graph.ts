/**
 * The copilot graph, wiring only:
 *   route → expert ─(reviewers?)─ Send→ review ×N → consensus ─(revise?)→ expert …
 *                                                  └→ propose ─(actions?)→ approve ⇄ execute → answer
 */
import { END, Send, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { afterApprove, approveNode } from './nodes/approve';
import { answerNode } from './nodes/answer';
import { consensusNode } from './nodes/consensus';
import { afterExecute, executeNode } from './nodes/execute';
import { expertNode } from './nodes/expert';
import { proposeNode } from './nodes/propose';
import { reviewNode } from './nodes/review';
import { routeNode } from './nodes/route';
import type { GraphDeps } from './runtime';
import { CopilotState, type ReviewInput, type State } from './state';

/** Fan out one Send per pending reviewer, each with a compact brief; none left: straight to consensus. */
function toReviewers(state: State): Send[] | 'consensus' {
  if (!state.pendingReviewers.length) return 'consensus';
  return state.pendingReviewers.map(
    (reviewer) =>
      new Send('review', {
        reviewer,
        round: state.round,
        task: state.task,
        twin: state.twin,
        at: state.at,
        runId: state.runId,
        draft: state.draft!,
        evidence: state.evidence,
      } satisfies ReviewInput),
  );
}

export function createGraph(deps: GraphDeps, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(CopilotState)
    .addNode('route', routeNode(deps.experts, { single: deps.baseline === 'single' }))
    .addNode('expert', expertNode(deps))
    .addNode('review', reviewNode(deps) as never)
    .addNode('consensus', consensusNode(deps))
    .addNode('propose', proposeNode(deps))
    .addNode('approve', approveNode(deps))
    .addNode('execute', executeNode(deps))
    .addNode('answer', answerNode())
    .addEdge(START, 'route')
    .addEdge('route', 'expert')
    .addConditionalEdges('expert', toReviewers, ['review', 'consensus'])
    .addEdge('review', 'consensus')
    .addConditionalEdges('consensus', (s: State) => (s.agreement ? 'propose' : 'expert'), ['propose', 'expert'])
    .addConditionalEdges('propose', (s: State) => (s.actions.length ? 'approve' : 'answer'), ['approve', 'answer'])
    .addConditionalEdges('approve', afterApprove, ['execute', 'approve'])
    .addConditionalEdges('execute', afterExecute, ['approve', 'answer'])
    .addEdge('answer', END)
    .compile({ checkpointer });
}

export type CopilotGraph = ReturnType<typeof createGraph>;
