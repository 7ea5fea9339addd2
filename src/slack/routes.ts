/**
 * The Slack endpoints on the service: POST /slack/commands, /slack/events and /slack/interactions.
 * Every request is verified against Slack's signature first; nothing runs for an unsigned one. Each handler answers
 * within Slack's three seconds and hands the work to the background. Retries (X-Slack-Retry-Num) never start a
 * second run: every request is claimed once by its Slack id.
 */
import { Hono } from 'hono';
import { AppError } from '../errors';
import type { SlackDeps } from './deps';
import { handleInteraction, type InteractionPayload } from './interactions';
import { runSlackQuestion, slackClient } from './run-plan';
import { verifySlackRequest } from './verify';

type Env = { Variables: { rawBody: string } };

const MAX_BODY = 1024 * 1024;

function errorJson(err: AppError) {
  return err.toJSON();
}

/** Strip the bot's own mention and Slack's markup from a message's text. */
export function questionText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(\|[^>]+)?>/g, '')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

export function slackRoutes(deps: SlackDeps): Hono<Env> {
  const app = new Hono<Env>();
  const later = (work: Promise<unknown>) => {
    const guarded = work.catch((err) => deps.log?.('slack background work failed', err));
    (deps.background ?? (() => {}))(guarded);
  };

  app.use('*', async (c, next) => {
    const raw = await c.req.text();
    if (raw.length > MAX_BODY) return c.json(errorJson(new AppError('payload_too_large', 'Slack request body too large')), 413);
    const verdict = verifySlackRequest({
      signingSecret: deps.config.signingSecret,
      timestamp: c.req.header('x-slack-request-timestamp'),
      signature: c.req.header('x-slack-signature'),
      rawBody: raw,
    });
    if (!verdict.ok) return c.json(errorJson(new AppError('unauthorized', `Slack signature check failed: ${verdict.reason}`)), 401);
    c.set('rawBody', raw);
    await next();
  });

  app.post('/commands', async (c) => {
    const form = new URLSearchParams(c.get('rawBody'));
    const text = (form.get('text') ?? '').trim();
    const [team, channel, user] = [form.get('team_id') ?? '', form.get('channel_id') ?? '', form.get('user_id') ?? ''];
    if (!text) return c.json({ response_type: 'ephemeral', text: 'Ask me a planning question, e.g. `/twin which machine needs service first?`' });
    if (!channel || !user) return c.json(errorJson(new AppError('bad_request', 'channel_id and user_id are required')), 400);
    if (!(await deps.state.claim(`command:${form.get('trigger_id') ?? `${channel}:${user}:${text}`}`))) return c.body(null, 200);

    later(
      (async () => {
        let threadTs: string | undefined;
        if (deps.config.botToken) {
          // The question goes into the channel as a root message; the answer threads under it.
          const root = await slackClient(deps).chat.postMessage({ channel, text: `<@${user}> asked: ${text.replace(/[<>&]/g, '')}` });
          threadTs = root.ts;
        }
        await runSlackQuestion(deps, { team, channel, user, text, threadTs, responseUrl: form.get('response_url') ?? undefined });
      })(),
    );
    return c.json({ response_type: 'ephemeral', text: 'On it. The answer will appear in the channel.' });
  });

  app.post('/events', async (c) => {
    let body: Record<string, any>;
    try {
      body = JSON.parse(c.get('rawBody'));
    } catch {
      return c.json(errorJson(new AppError('bad_request', 'body is not JSON')), 400);
    }
    if (body.type === 'url_verification') return c.json({ challenge: String(body.challenge ?? '') });
    if (body.type !== 'event_callback' || typeof body.event !== 'object' || body.event === null) return c.body(null, 200);

    const ev = body.event as Record<string, any>;
    const isMention = ev.type === 'app_mention';
    const isDirect = ev.type === 'message' && ev.channel_type === 'im';
    // Our own posts, edits and other bots' messages are not questions.
    if ((!isMention && !isDirect) || ev.bot_id || ev.subtype) return c.body(null, 200);
    if (!(await deps.state.claim(`event:${body.event_id ?? `${ev.channel}:${ev.ts}`}`))) return c.body(null, 200);

    const text = questionText(String(ev.text ?? ''));
    if (text) {
      later(
        runSlackQuestion(deps, {
          team: String(body.team_id ?? ''),
          channel: String(ev.channel),
          user: String(ev.user ?? ''),
          text,
          threadTs: String(ev.thread_ts ?? ev.ts),
        }),
      );
    }
    return c.body(null, 200);
  });

  app.post('/interactions', async (c) => {
    const form = new URLSearchParams(c.get('rawBody'));
    let payload: InteractionPayload & { trigger_id?: string; view?: { id?: string } };
    try {
      payload = JSON.parse(form.get('payload') ?? '');
    } catch {
      return c.json(errorJson(new AppError('bad_request', 'payload is missing or not JSON')), 400);
    }
    const id = payload.trigger_id ?? payload.view?.id;
    if (id && !(await deps.state.claim(`interaction:${id}`))) return c.body(null, 200);
    later(handleInteraction(deps, payload));
    // An empty 200 closes a submitted modal and acknowledges a button press.
    return c.body(null, 200);
  });

  return app;
}
