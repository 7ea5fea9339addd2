/**
 * Step 8: the Answer of agents/answer.ts. `composeAnswer` also serves ask() while the thread waits at the approval
 * interrupt, so the answer a person gets first and the final one are written the same way.
 */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Answer } from '../answer';
import type { State, Update } from '../state';

function statusLine(a: Answer['actions'][number]): string {
  const what = `\`${a.id}\` ${a.type} ${JSON.stringify(a.params)} (risk ${a.risk})`;
  switch (a.status) {
    case 'pending_approval':
      return `- ${what}: waiting for approval (\`twin approve ${a.id}\`)`;
    default:
      return `- ${what}: ${a.status}`;
  }
}

export function composeAnswer(state: State, extra: { threadId: string; ms: number }): Answer {
  const draft = state.draft;
  const consensus = state.agreement ?? { rounds: state.round || 1, agreed: state.routed ? [state.routed.primary] : [], dissent: [] };
  const parts = [draft?.answer ?? '(no answer)'];
  if (consensus.dissent.length) {
    parts.push(
      `**Not agreed after ${consensus.rounds} round${consensus.rounds === 1 ? '' : 's'}:**\n${consensus.dissent.map((d) => `- ${d.expert}: ${d.concern}`).join('\n')}`,
    );
  }
  if (state.actions?.length) parts.push(`**Actions:**\n${state.actions.map(statusLine).join('\n')}`);
  if (state.dropped?.length) parts.push(`**Not proposed** (data or model asked for something the task did not):\n${state.dropped.map((d) => `- ${d}`).join('\n')}`);
  if (state.fallback) parts.push(`_Note: ${state.fallback}; this answer was finished by the offline model._`);
  const usage = state.usage;
  return {
    thread_id: extra.threadId,
    run_id: state.runId,
    provider: state.provider,
    route: state.routed ?? { primary: '', reviewers: [], reason: '' },
    answer: parts.join('\n\n'),
    recommendations: draft?.recommendations ?? [],
    actions: state.actions ?? [],
    evidence: state.evidence,
    consensus,
    usage: { ...usage, ms: extra.ms },
  };
}

export function answerNode() {
  return async (state: State, config: LangGraphRunnableConfig): Promise<Update> => {
    // ms is the caller's wall time; copilot.ts fills it in.
    return { final: composeAnswer(state, { threadId: String(config.configurable?.thread_id ?? ''), ms: 0 }) };
  };
}
