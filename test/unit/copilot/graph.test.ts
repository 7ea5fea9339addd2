/**
 * The graph driven by a scripted model (fakeModel from @langchain/core/testing): each scripted reply is what a real
 * model would send — tool calls, plain text, and the function call that carries a structured output.
 */
import { AIMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import type { PlanEvent } from '../../../agents/answer';
import { readBlock, type TwinContext } from '../../../src/llm/protocol';
import { MANAGER, OPERATOR, makeCopilot, modelSet, scriptedModel } from './harness';

const ROUTE = { name: 'route', args: { primary: 'maintenance', reviewers: ['production'], reason: 'a machine health question' } };

/** The primary's part: two tool steps (read, propose), a plain answer, then the draft. */
function scriptPrimary(m: ReturnType<typeof scriptedModel>, answer = 'pump-2 is degrading (health 0.41).') {
  return m
    .respondWithTools([{ name: 'asset_health', args: { asset: 'pump-1' } }, { name: 'asset_health', args: { asset: 'pump-2' } }])
    .respondWithTools([{ name: 'propose_action', args: { type: 'create_work_order', params: { asset: 'pump-2' }, rationale: 'worst health' } }])
    .respond(new AIMessage('pump-2 needs service.'))
    .respondWithTools([{ name: 'draft', args: { answer, recommendations: [{ text: 'Service pump-2', evidence: ['ev2', 'ev99'] }] } }]);
}

function scriptReview(m: ReturnType<typeof scriptedModel>, verdict: 'agree' | 'amend' | 'object', concern?: string) {
  return m
    .respondWithTools([{ name: 'orders', args: {} }])
    .respond(new AIMessage('checked'))
    .respondWithTools([{ name: 'review', args: { verdict, concerns: concern ? [{ text: concern, evidence: ['ev3'] }] : [] } }]);
}

describe('copilot graph with a scripted model', () => {
  it('routes, runs the tool loop, reviews, proposes and waits for approval', async () => {
    const m = scriptedModel().respondWithTools([ROUTE]);
    scriptPrimary(m);
    scriptReview(m, 'agree');
    const { copilot, actions } = makeCopilot({ models: modelSet(m) });
    const events: PlanEvent[] = [];
    const answer = await copilot.ask({ task: 'Which pump fails first?', actor: MANAGER }, { onEvent: (e) => events.push(e) });

    expect(answer.route).toEqual({ primary: 'maintenance', reviewers: ['production'], reason: 'a machine health question' });
    expect(answer.answer).toContain('pump-2 is degrading');
    // ev99 was never returned by a tool: the citation is dropped.
    expect(answer.recommendations).toEqual([{ text: 'Service pump-2', evidence: ['ev2'] }]);
    expect(answer.evidence.map((e) => e.id)).toEqual(['ev1', 'ev2', 'ev3']);
    expect(answer.actions).toHaveLength(1);
    expect(answer.actions[0]).toMatchObject({ type: 'create_work_order', params: { asset: 'pump-2' }, status: 'pending_approval', risk: 'medium', proposed_by: 'maintenance' });
    expect(actions.all.get(answer.actions[0]!.id)?.status).toBe('pending_approval');
    expect(answer.consensus).toEqual({ rounds: 1, agreed: ['maintenance', 'production'], dissent: [] });
    expect(answer.usage).toMatchObject({ llm_calls: 8, tool_calls: 4 });
    expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
    expect(answer.provider).toBe('openai');
    expect(events.map((e) => e.type)).toEqual([
      'route', 'expert_started', 'tool_call', 'tool_call', 'tool_result', 'tool_result', 'tool_call', 'tool_result',
      'expert_started', 'tool_call', 'tool_result', 'review', 'consensus', 'action_proposed', 'answer',
    ]);
    expect(m.callCount).toBe(8);
    // The reviewer got a compact brief: the draft, and only the part of the catalog the draft names.
    const reviewerPrompt = String(m.calls[5]!.messages[1]!.content);
    expect(reviewerPrompt).toContain('<draft>');
    const ctx = readBlock<TwinContext>('context', reviewerPrompt)!;
    expect(ctx.mode).toBe('reviewer');
    expect(ctx.catalog.assets.map((a) => a.id)).toEqual(['pump-2']);
  });

  it('an expert and a reviewer that end their loops with the draft and review tools need no closing calls', async () => {
    const m = scriptedModel().respondWithTools([ROUTE]);
    m.respondWithTools([{ name: 'asset_health', args: { asset: 'pump-2' } }])
      // The proposal and the draft in one step: the proposal still runs, and the draft ends the loop.
      .respondWithTools([
        { name: 'propose_action', args: { type: 'create_work_order', params: { asset: 'pump-2' }, rationale: 'worst health' } },
        { name: 'draft', args: { answer: 'pump-2 is degrading.', recommendations: [{ text: 'Service pump-2', evidence: ['ev1'] }] } },
      ])
      .respondWithTools([{ name: 'orders', args: {} }])
      .respondWithTools([{ name: 'review', args: { verdict: 'amend', concerns: [{ text: 'after DEL-9', evidence: ['ev3'] }] } }]);
    scriptPrimary(m, 'Revised: after DEL-9.');
    scriptReview(m, 'agree');
    const { copilot } = makeCopilot({ models: modelSet(m) });
    const answer = await copilot.ask({ task: 'Which pump fails first?', actor: MANAGER });

    // Round 1 took 5 calls (route, 2 expert steps, 2 reviewer steps) where a plain-text finish takes 8 (next round).
    expect(m.callCount).toBe(5 + 7);
    expect(answer.consensus).toMatchObject({ rounds: 2, dissent: [] });
    expect(answer.answer).toContain('Revised');
    // The prompt says to end with the draft tool.
    expect(String(m.calls[1]!.messages[0]!.content)).toContain('call `draft`');
    // The reviewer's concern reached the revision although it came from the in-loop review call.
    expect(m.calls[5]!.messages.map((x) => String(x.content)).join('\n')).toContain('after DEL-9');
    expect(answer.actions).toHaveLength(1);
  });

  it('an objection forces a second round, and the revision is reviewed again', async () => {
    const m = scriptedModel().respondWithTools([ROUTE]);
    scriptPrimary(m);
    scriptReview(m, 'object', 'the window misses DEL-9');
    scriptPrimary(m, 'Revised: service pump-2 after DEL-9 ships.');
    scriptReview(m, 'agree');
    const { copilot } = makeCopilot({ models: modelSet(m) });
    const answer = await copilot.ask({ task: 'Which pump fails first?', actor: MANAGER });
    expect(answer.consensus).toEqual({ rounds: 2, agreed: ['maintenance', 'production'], dissent: [] });
    expect(answer.answer).toContain('Revised');
    // The revision saw the reviewer's concern in its <draft> block.
    const revisionPrompt = m.calls[8]!.messages.map((x) => String(x.content)).join('\n');
    expect(revisionPrompt).toContain('the window misses DEL-9');
    expect(revisionPrompt).toContain('"mode":"revision"');
  });

  it('reports the dissent honestly after the round limit', async () => {
    const m = scriptedModel().respondWithTools([ROUTE]);
    scriptPrimary(m);
    scriptReview(m, 'object', 'the window misses DEL-9');
    scriptPrimary(m);
    scriptReview(m, 'object', 'still misses DEL-9');
    const { copilot } = makeCopilot({ models: modelSet(m), maxRounds: 2 });
    const answer = await copilot.ask({ task: 'Which pump fails first?', actor: MANAGER });
    expect(answer.consensus.rounds).toBe(2);
    expect(answer.consensus.agreed).toEqual(['maintenance']);
    expect(answer.consensus.dissent).toEqual([{ expert: 'production', concern: 'still misses DEL-9' }]);
    expect(answer.answer).toMatch(/Not agreed after 2 rounds[\s\S]*production: still misses DEL-9/);
    expect(m.callCount).toBe(15);
  });

  it('pauses at the approval interrupt and executes after an approval', async () => {
    const m = scriptedModel().respondWithTools([{ name: 'route', args: { primary: 'maintenance', reviewers: [], reason: 'r' } }]);
    scriptPrimary(m);
    const { copilot, plant, actions } = makeCopilot({ models: modelSet(m) });
    const answer = await copilot.ask({ task: 'Service the worst pump', actor: MANAGER, threadId: 't-approve' });
    const id = answer.actions[0]!.id;
    expect(plant.workOrders).toEqual([]);
    const state = await copilot.graph.getState({ configurable: { thread_id: 't-approve' } });
    expect(state.next).toEqual(['approve']);

    // An operator may not approve a medium-risk action: refused, audited, the thread keeps waiting.
    await expect(copilot.decide({ actionId: id, approve: true, actor: OPERATOR })).rejects.toMatchObject({ code: 'forbidden' });
    expect(actions.audits.some((a) => a.action === 'approval_refused' && a.target === id)).toBe(true);

    const decided = await copilot.decide({ actionId: id, approve: true, actor: MANAGER });
    expect(decided.status).toBe('executed');
    expect(plant.workOrders).toEqual([{ asset: 'pump-2' }]);
    const final = await copilot.answer('t-approve');
    expect(final?.actions[0]?.status).toBe('executed');
    expect((await copilot.graph.getState({ configurable: { thread_id: 't-approve' } })).next).toEqual([]);
  });

  it('a rejection leaves the plant unchanged and is recorded', async () => {
    const m = scriptedModel().respondWithTools([{ name: 'route', args: { primary: 'maintenance', reviewers: [], reason: 'r' } }]);
    scriptPrimary(m);
    const { copilot, plant, actions } = makeCopilot({ models: modelSet(m) });
    const answer = await copilot.ask({ task: 'Service the worst pump', actor: MANAGER, threadId: 't-reject' });
    const id = answer.actions[0]!.id;
    const decided = await copilot.decide({ actionId: id, approve: false, comment: 'not now', actor: MANAGER });
    expect(decided.status).toBe('rejected');
    expect(plant).toEqual({ workOrders: [], commands: [] });
    expect(actions.audits.filter((a) => a.target === id).map((a) => a.action)).toEqual(['proposed', 'rejected']);
    expect((await copilot.answer('t-reject'))?.answer).toMatch(/rejected/);
    await expect(copilot.decide({ actionId: id, approve: true, actor: MANAGER })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('falls back to the offline model when the provider fails mid-run, and says so', async () => {
    const failing = scriptedModel().respondWithTools([{ name: 'route', args: { primary: 'maintenance', reviewers: [], reason: 'r' } }]);
    failing.respondWithTools([{ name: 'asset_health', args: { asset: 'pump-2' } }]);
    for (let i = 0; i < 4; i++) failing.respond(Object.assign(new Error('upstream 503'), { status: 503 }));
    const offline = scriptedModel();
    scriptPrimary(offline, 'Offline: pump-2 is degrading.');
    const { copilot } = makeCopilot({ models: modelSet(failing, offline) });
    const answer = await copilot.ask({ task: 'Which pump fails first?', actor: MANAGER });
    expect(answer.provider).toBe('offline');
    expect(answer.answer).toContain('Offline: pump-2 is degrading.');
    expect(answer.answer).toMatch(/openai model failed[\s\S]*finished by the offline model/);
    expect(answer.route.primary).toBe('maintenance');
    // The expert step was redone from the start on the offline model: 4 calls there, 2 retries spent upstream.
    expect(offline.callCount).toBe(4);
    expect(failing.callCount).toBe(4);
  });

  it('keeps context across a follow-up in the same thread', async () => {
    const m = scriptedModel().respondWithTools([{ name: 'route', args: { primary: 'maintenance', reviewers: [], reason: 'r' } }]);
    m.respond(new AIMessage('nothing to read')).respondWithTools([{ name: 'draft', args: { answer: 'pump-2 first.', recommendations: [] } }]);
    m.respondWithTools([{ name: 'route', args: { primary: 'workforce', reviewers: [], reason: 'r' } }]);
    m.respond(new AIMessage('ok')).respondWithTools([{ name: 'draft', args: { answer: 'The night crew.', recommendations: [] } }]);
    const { copilot } = makeCopilot({ models: modelSet(m) });
    const first = await copilot.ask({ task: 'Which pump fails first?', threadId: 't-follow' });
    const second = await copilot.ask({ task: 'Who should fix it?', threadId: 't-follow' });
    expect(second.thread_id).toBe(first.thread_id);
    expect(second.run_id).not.toBe(first.run_id);
    expect(second.route.primary).toBe('workforce');
    const routePrompt = m.calls[3]!.messages.map((x) => String(x.content)).join('\n');
    expect(routePrompt).toContain('Which pump fails first?');
    expect(routePrompt).toContain('pump-2 first.');
    expect(second.usage.llm_calls).toBe(3);
  });
});
