/**
 * One scripted model for the token comparison of test/bench/copilot.ts: a fakeModel() whose every reply is computed
 * from the request, as a real model would, so it can drive both our graph and a @langchain/langgraph-supervisor
 * baseline over the same experts and tools. Per task it reads the same two tools, proposes once as the primary, lets
 * one reviewer check, and answers. It does what each system's prompt asks: where the expert may end with the `draft`
 * tool beside its proposals (our graph), the proposal and the draft go in one step; a ReAct expert (the baseline)
 * proposes, reads the tool's reply and then answers in plain text. Otherwise the systems differ only in what they send.
 */
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';

export interface BrainPlan {
  primary: string;
  reviewer: string;
  reads: { name: string; args: Record<string, unknown> }[];
  check: { name: string; args: Record<string, unknown> };
  proposal: { type: string; asset: string; command?: string };
}

let callSeq = 0;
const id = () => `call_${++callSeq}`;

function text(m: BaseMessage): string {
  return typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
}

export function scriptedBrain(current: () => BrainPlan) {
  const model = fakeModel();
  const reply = (messages: BaseMessage[]): AIMessage => {
    const plan = current();
    const tc = (calls: { name: string; args: Record<string, unknown> }[]) => new AIMessage({ content: '', tool_calls: calls.map((c) => ({ ...c, id: id(), type: 'tool_call' as const })) });
    const sys = text(messages.find((m) => m.getType() === 'system') ?? messages[0]!);
    const last = messages[messages.length - 1]!;
    if (sys.includes('<experts>')) return tc([{ name: 'route', args: { primary: plan.primary, reviewers: [plan.reviewer], reason: 'scripted' } }]);
    const draftCall = { name: 'draft', args: { answer: `${plan.proposal.asset}: answer from the readings.`, recommendations: [{ text: `act on ${plan.proposal.asset}`, evidence: ['ev1'] }] } };
    const draft = () => tc([draftCall]);
    const verdict = () => tc([{ name: 'review', args: { verdict: 'agree', concerns: [] } }]);
    if (last.getType() === 'human' && text(last).startsWith('Now write your draft')) return draft();
    if (last.getType() === 'human' && text(last).startsWith('Give your verdict')) return verdict();
    // The supervisor: hand to the primary, then to the reviewer, then finish.
    if (sys.includes(SUPERVISOR_MARK)) {
      const transfers = messages.filter((m) => m.getType() === 'tool' && String((m as { name?: string }).name ?? '').startsWith('transfer_')).length;
      // Each hand-off adds a transfer and a transfer back: 0 → primary, 2 → reviewer, 4 → done.
      if (transfers === 0) return tc([{ name: `transfer_to_${plan.primary}`, args: {} }]);
      if (transfers <= 2) return tc([{ name: `transfer_to_${plan.reviewer}`, args: {} }]);
      return new AIMessage(`${plan.proposal.asset}: answer from the readings; ${plan.reviewer} agrees.`);
    }
    const who = /You are the (\w+) expert/.exec(sys)?.[1] ?? null;
    const lastTool = last.getType() === 'tool' ? String((last as { name?: string }).name ?? '') : '';
    const fresh = !lastTool || lastTool.startsWith('transfer_');
    if (who === plan.primary) {
      if (fresh) return tc(plan.reads);
      const { type, asset, command } = plan.proposal;
      const propose = { name: 'propose_action', args: { type, asset, command, rationale: 'scripted', window: { start: '2026-03-02T22:00:00Z', end: '2026-03-03T02:00:00Z' } } };
      // As the prompt asks: where a `draft` tool is offered beside the proposals, the proposal and the draft go in one
      // step (parallel tool calls, as current chat models make them); where it is not, the agent proposes, reads the
      // tool's reply and then answers in plain text.
      if (sys.includes('call `draft` (alone, or after the `propose_action` calls of the same')) {
        return lastTool === 'propose_action' ? draft() : tc([propose, draftCall]);
      }
      if (lastTool !== 'propose_action') return tc([propose]);
      return new AIMessage(`${plan.primary}: done, see the readings.`);
    }
    if (fresh) return tc([plan.check]);
    return sys.includes('call `review`') ? verdict() : new AIMessage(`${who}: the draft holds on my concerns.`);
  };
  return {
    model,
    /** fakeModel answers from a FIFO queue; keep it stocked with the same factory so it is a function of the request. */
    stock(n = 400) {
      for (let i = 0; i < n; i++) model.respond((msgs) => reply(msgs));
    },
  };
}

export const SUPERVISOR_MARK = 'You supervise a team of expert agents';
