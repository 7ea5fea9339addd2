/**
 * The Slack surface end to end at the HTTP level: signed requests in, Web API calls out to a local stand-in.
 * The copilot here is a small scripted one that applies the real approval rule, so these tests pin down Slack's own
 * behaviour (threads, progress, retries, refusals); the full copilot runs through Slack in slack-copilot.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Answer } from '../../../agents/answer';
import { canApprove } from '../../../src/control/roles';
import { AppError } from '../../../src/errors';
import { memorySlackState, type SlackCopilot, type SlackDeps } from '../../../src/slack/deps';
import { slackRoutes } from '../../../src/slack/routes';
import { signSlackRequest } from '../../../src/slack/verify';
import { startSlackStandIn, type SlackStandIn } from '../../helpers/slack-standin';

const SECRET = 'test-signing-secret';

function scriptedCopilot() {
  const asked: { task: string; threadId?: string }[] = [];
  const actions = new Map<string, Action>();
  let n = 0;
  const copilot: SlackCopilot = {
    async ask(req, opts) {
      asked.push({ task: req.task, threadId: req.threadId });
      n += 1;
      const threadId = req.threadId ?? `th_${n}`;
      opts?.onEvent?.({ type: 'route', primary: 'maintenance', reviewers: ['production'], reason: 'asset health' });
      opts?.onEvent?.({ type: 'expert_started', expert: 'production', role: 'reviewer', round: 1 });
      const action: Action = { id: `act_${n}`, type: 'create_work_order', params: { asset: 'pump-1' }, risk: 'medium', status: 'pending_approval', proposed_by: 'maintenance', rationale: 'bearing wear' };
      actions.set(action.id, action);
      const answer: Answer = {
        thread_id: threadId, run_id: `run_${n}`, provider: 'offline',
        route: { primary: 'maintenance', reviewers: ['production'], reason: 'asset health' },
        answer: `Answer ${n} to: ${req.task}`, recommendations: [{ text: 'Service pump-1', evidence: ['ev1'] }],
        actions: [action], evidence: [{ id: 'ev1', kind: 'analysis', ref: 'pump-1/vibration', summary: 'rising' }],
        consensus: { rounds: 1, agreed: ['maintenance', 'production'], dissent: [] },
        usage: { llm_calls: 0, prompt_tokens: 0, completion_tokens: 0, tool_calls: 1, ms: 1 },
      };
      return answer;
    },
    async decide(req) {
      const action = actions.get(req.actionId);
      if (!action) throw new AppError('not_found', 'no such action');
      if (req.approve && !canApprove(req.actor.role, action.risk)) throw new AppError('forbidden', `a ${req.actor.role} may not approve ${action.risk}-risk actions`);
      action.status = req.approve ? 'executed' : 'rejected';
      return { action };
    },
  };
  return { copilot, asked, actions };
}

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startSlackStandIn();
});
afterAll(async () => slack.close());

function setup() {
  const scripted = scriptedCopilot();
  const pending: Promise<unknown>[] = [];
  const deps: SlackDeps = {
    config: { signingSecret: SECRET, botToken: 'xoxb-test', apiUrl: slack.url, userRoles: { UMGR: 'manager', UOPS: 'operator' }, webUrl: 'http://twin.local' },
    copilot: scripted.copilot,
    state: memorySlackState(),
    background: (p) => pending.push(p),
  };
  const app = slackRoutes(deps);
  const send = (path: string, body: string, headers: Record<string, string> = {}) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return app.request(path, {
      method: 'POST',
      body,
      headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body), ...headers },
    });
  };
  const settle = async () => {
    while (pending.length) await pending.shift();
  };
  return { ...scripted, app, send, settle };
}

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe('Slack routes', () => {
  it('refuses unsigned and wrongly signed requests, and runs nothing', async () => {
    const t = setup();
    const before = slack.calls.length;
    const unsigned = await t.app.request('/commands', { method: 'POST', body: form({ text: 'hi' }) });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error.code).toBe('unauthorized');
    const ts = String(Math.floor(Date.now() / 1000));
    const wrong = await t.app.request('/commands', { method: 'POST', body: form({ text: 'hi' }), headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest('nope', ts, form({ text: 'hi' })) } });
    expect(wrong.status).toBe(401);
    await t.settle();
    expect(t.asked).toHaveLength(0);
    expect(slack.calls.length).toBe(before);
  });

  it('answers url_verification with the challenge', async () => {
    const t = setup();
    const res = await t.send('/events', JSON.stringify({ type: 'url_verification', challenge: 'abc123' }));
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('a slash command acknowledges at once and answers in a thread, updating one progress message', async () => {
    const t = setup();
    const start = slack.calls.length;
    const res = await t.send('/commands', form({ team_id: 'T1', channel_id: 'C1', user_id: 'UMGR', command: '/twin', text: 'which pump next?', trigger_id: 'tr1', response_url: `${slack.url}resp` }));
    expect(res.status).toBe(200);
    expect((await res.json()).response_type).toBe('ephemeral');
    await t.settle();
    const calls = slack.calls.slice(start);
    const posts = calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(2); // the question as the thread root, then one progress message in its thread
    expect(posts[1].body.thread_ts).toBeTruthy();
    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(updates.map((u) => u.body.ts))).toEqual(new Set([updates[0].body.ts])); // always the same message
    const final = updates.at(-1)!.body;
    expect(JSON.stringify(final.blocks)).toContain('Answer 1 to: which pump next?');
    expect(JSON.stringify(final.blocks)).toContain('twin_approve');
  });

  it('a mention leads to the answer in its thread, and a follow-up in that thread keeps the copilot thread', async () => {
    const t = setup();
    const mention = (id: string, ts: string, thread?: string, text = '<@UBOT> why is air energy up?') =>
      t.send('/events', JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: id, event: { type: 'app_mention', user: 'UOPS', channel: 'C9', text, ts, ...(thread ? { thread_ts: thread } : {}) } }));
    expect((await mention('Ev1', '111.1')).status).toBe(200);
    await t.settle();
    expect(t.asked[0]).toEqual({ task: 'why is air energy up?', threadId: undefined });
    await mention('Ev2', '111.5', '111.1', '<@UBOT> and tomorrow?');
    await t.settle();
    expect(t.asked[1]).toEqual({ task: 'and tomorrow?', threadId: 'th_1' });
  });

  it('a retry does not run twice', async () => {
    const t = setup();
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'EvR', event: { type: 'app_mention', user: 'UOPS', channel: 'C9', text: '<@UBOT> status?', ts: '222.1' } });
    await t.send('/events', body);
    const retry = await t.send('/events', body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await t.settle();
    expect(t.asked).toHaveLength(1);
  });

  it("a manager's approval executes the action and updates its card; a viewer's is refused in an ephemeral message", async () => {
    const t = setup();
    await t.send('/events', JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'EvA', event: { type: 'app_mention', user: 'UMGR', channel: 'C3', text: 'plan it', ts: '333.1' } }));
    await t.settle();
    const answerBlocks = slack.of('chat.update').at(-1)!.body.blocks;
    const press = (user: string, trigger: string) =>
      t.send('/interactions', form({ payload: JSON.stringify({ type: 'block_actions', trigger_id: trigger, user: { id: user }, channel: { id: 'C3' }, message: { ts: '333.2', thread_ts: '333.1', blocks: answerBlocks }, actions: [{ action_id: 'twin_approve', value: 'act_1' }] }) }));

    const startViewer = slack.calls.length;
    expect((await press('UVIEWER', 'trV')).status).toBe(200);
    await t.settle();
    const eph = slack.calls.slice(startViewer).filter((c) => c.method === 'chat.postEphemeral');
    expect(eph).toHaveLength(1);
    expect(eph[0].body.user).toBe('UVIEWER');
    expect(t.actions.get('act_1')!.status).toBe('pending_approval');

    const startMgr = slack.calls.length;
    await press('UMGR', 'trM');
    await t.settle();
    expect(t.actions.get('act_1')!.status).toBe('executed');
    const upd = slack.calls.slice(startMgr).find((c) => c.method === 'chat.update')!;
    const text = JSON.stringify(upd.body.blocks);
    expect(text).toContain('executed');
    expect(text).not.toContain('twin_approve');
  });

  it('rejects a malformed interaction payload with 400 and the error shape', async () => {
    const t = setup();
    const res = await t.send('/interactions', form({ payload: '{not json' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
  });
});
