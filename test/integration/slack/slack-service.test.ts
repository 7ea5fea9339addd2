/**
 * Slack through the real service: `startService` with Slack configured, the offline copilot over the demo plant with
 * simulated history, and Slack's Web API played by a local stand-in. Signed requests go in over HTTP; we check what
 * the service posts back, that a manager's button approval executes the action, and that a viewer's is refused and
 * audited. The four demo questions' answers are checked against Block Kit's limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config';
import { type Service, startService } from '../../../src/main';
import { MAX_BLOCKS, MAX_SECTION_TEXT } from '../../../src/slack/blocks';
import { signSlackRequest } from '../../../src/slack/verify';
import { startSlackStandIn, type SlackStandIn } from '../../helpers/slack-standin';

const SECRET = 'slack-service-secret';
const DEMO_QUESTIONS = [
  'Which machine is most likely to fail next, and when should we service it without missing PO-1042?',
  'Why is our compressed-air energy up this week?',
  'Can we move the oven pre-heat out of the peak window, and what does it save per month?',
  'Who should do the cnc-a2 bearing job, given crew fatigue?',
];

let slack: SlackStandIn;
let service: Service;
let dataDir: string;
let adminKey: string;

beforeAll(async () => {
  slack = await startSlackStandIn();
  dataDir = mkdtempSync(join(tmpdir(), 'twinpilot-slack-'));
  const config = parseConfig({
    DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent', SIMULATOR: 'on',
    SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.url,
    SLACK_USER_ROLES: JSON.stringify({ UMANAGER: 'manager', UOPERATOR: 'operator' }),
  });
  service = await startService(config, { banner: false, log: () => undefined, web: false });
  await service.ready;
  adminKey = service.adminKey!.key;
}, 600_000);

afterAll(async () => {
  await service?.close();
  await slack?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function signed(path: string, body: string, headers: Record<string, string> = {}) {
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${service.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signSlackRequest(SECRET, ts, body), ...headers },
  });
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ask through the slash command and wait for the final chat.update carrying the answer (it has a consensus line). */
async function askBySlash(text: string, trigger: string) {
  const start = slack.calls.length;
  const res = await signed('/slack/commands', new URLSearchParams({ team_id: 'T1', channel_id: 'C1', user_id: 'UMANAGER', command: '/twin', text, trigger_id: trigger }).toString());
  expect(res.status).toBe(200);
  return until(() => slack.calls.slice(start).find((c) => c.method === 'chat.update' && JSON.stringify(c.body.blocks ?? '').includes('Consensus')));
}

function checkLimits(blocks: { type: string; text?: { text: string } }[]) {
  expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
}

describe('Slack on the running service', { timeout: 300_000 }, () => {
  it('refuses an unsigned request with 401 and runs nothing', async () => {
    const before = slack.calls.length;
    const res = await fetch(`${service.url}/slack/commands`, { method: 'POST', body: 'text=hello' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.length).toBe(before);
  });

  it('answers the four demo questions in the thread within Block Kit limits', async () => {
    for (const [i, q] of DEMO_QUESTIONS.entries()) {
      const final = await askBySlash(q, `demo-${i}`);
      checkLimits(final.body.blocks);
      expect(final.body.text.length).toBeGreaterThan(20);
    }
  });

  it("a viewer's approval is refused and audited; a manager's approval executes the action", async () => {
    const final = await askBySlash(DEMO_QUESTIONS[0], 'approve-flow');
    const blocks = final.body.blocks as { type: string; block_id?: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = blocks.find((b) => b.type === 'actions' && b.elements?.some((e) => e.action_id === 'twin_approve'));
    expect(buttons, 'the answer carries an action card with buttons').toBeDefined();
    const actionId = buttons!.elements!.find((e) => e.action_id === 'twin_approve')!.value;

    const press = (user: string, trigger: string) =>
      signed('/slack/interactions', new URLSearchParams({
        payload: JSON.stringify({ type: 'block_actions', trigger_id: trigger, user: { id: user }, channel: { id: 'C1' }, message: { ts: final.body.ts, blocks }, actions: [{ action_id: 'twin_approve', value: actionId }] }),
      }).toString());
    const api = (path: string) => fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${adminKey}` } }).then((r) => r.json());

    const startViewer = slack.calls.length;
    expect((await press('UVIEWER', 'press-viewer')).status).toBe(200);
    const eph = await until(() => slack.calls.slice(startViewer).find((c) => c.method === 'chat.postEphemeral'));
    expect(eph.body.user).toBe('UVIEWER');
    expect((await api(`/api/v1/actions/${actionId}`)).status).toBe('pending_approval');
    const audit = await api('/api/v1/audit');
    expect(JSON.stringify(audit)).toContain('slack:UVIEWER');

    // A retried delivery of the same press must not decide twice.
    const startManager = slack.calls.length;
    await press('UMANAGER', 'press-manager');
    await press('UMANAGER', 'press-manager');
    const status = await until(async () => {
      const a = await api(`/api/v1/actions/${actionId}`);
      return ['executed', 'failed'].includes(a.status) ? a.status : undefined;
    });
    expect(status).toBe('executed');
    const updated = await until(() => slack.calls.slice(startManager).find((c) => c.method === 'chat.update'));
    expect(JSON.stringify(updated.body.blocks)).toContain('Approved by');
  });
});
