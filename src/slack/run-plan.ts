/**
 * Runs a question from Slack in the background: one progress message updated in place (route, then reviewers),
 * replaced by the answer when it is ready. The Slack thread maps to a copilot thread, so follow-ups keep context.
 */
import { WebClient } from '@slack/web-api';
import type { PlanEvent } from '../../agents/answer';
import { renderAnswer, renderProgress, type Progress } from './blocks';
import { roleOf, type SlackDeps, type SlackThreadKey } from './deps';

export interface SlackQuestion {
  team: string;
  channel: string;
  user: string;
  text: string;
  /** The message the answer threads under. */
  threadTs?: string;
  /** For slash commands without a bot token: answer through response_url. */
  responseUrl?: string;
}

export function slackClient(deps: SlackDeps): WebClient {
  return new WebClient(deps.config.botToken, {
    ...(deps.config.apiUrl ? { slackApiUrl: deps.config.apiUrl } : {}),
    // Stay well inside Slack's rate limits without blocking a request for minutes.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
}

export function threadKey(q: { team: string; channel: string; threadTs?: string }): SlackThreadKey | undefined {
  return q.threadTs ? { team: q.team, channel: q.channel, threadTs: q.threadTs } : undefined;
}

export async function runSlackQuestion(deps: SlackDeps, q: SlackQuestion): Promise<void> {
  const client = deps.config.botToken ? slackClient(deps) : undefined;
  const key = threadKey(q);
  const threadId = key ? await deps.state.threadFor(key) : undefined;
  const progress: Progress = { task: q.text, stage: 'routing', tools: [] };

  let progressTs: string | undefined;
  if (client) {
    const first = renderProgress(progress);
    const posted = await client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, ...first });
    progressTs = posted.ts;
  }
  // Updates are chained so they arrive in order, and only when the visible stage changes (no flood of edits).
  let chain: Promise<unknown> = Promise.resolve();
  let shown = '';
  const show = () => {
    if (!client || !progressTs) return;
    const view = renderProgress(progress);
    if (view.text === shown) return;
    shown = view.text;
    chain = chain.then(() => client.chat.update({ channel: q.channel, ts: progressTs!, ...view })).catch((e) => deps.log?.('slack progress update failed', e));
  };
  const onEvent = (e: PlanEvent) => {
    if (e.type === 'route') Object.assign(progress, { stage: 'expert', primary: e.primary, reviewers: e.reviewers });
    else if (e.type === 'expert_started' && e.role === 'reviewer') progress.stage = 'review';
    else if (e.type === 'consensus') progress.stage = 'consensus';
    else if (e.type === 'tool_call') progress.tools = [...(progress.tools ?? []), e.tool];
    else return;
    if (e.type !== 'tool_call') show();
  };

  try {
    const answer = await deps.copilot.ask(
      { task: q.text, threadId, actor: { id: `slack:${q.user}`, role: roleOf(deps.config, q.user), via: 'slack' } },
      { onEvent },
    );
    if (key && !threadId) await deps.state.bindThread(key, answer.thread_id);
    const view = renderAnswer(answer, { webUrl: deps.config.webUrl });
    await chain;
    if (client && progressTs) await client.chat.update({ channel: q.channel, ts: progressTs, ...view });
    else if (q.responseUrl) await postToResponseUrl(deps, q.responseUrl, { response_type: 'in_channel', ...view });
  } catch (err) {
    deps.log?.('slack plan failed', err);
    const failed = renderProgress({ ...progress, stage: 'failed', error: err instanceof Error ? err.message : String(err) });
    await chain;
    if (client && progressTs) await client.chat.update({ channel: q.channel, ts: progressTs, ...failed });
    else if (q.responseUrl) await postToResponseUrl(deps, q.responseUrl, { response_type: 'ephemeral', ...failed });
  }
}

export async function postToResponseUrl(deps: SlackDeps, url: string, body: Record<string, unknown>): Promise<void> {
  const res = await (deps.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
