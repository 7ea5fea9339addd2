/**
 * Approve and reject from Slack: buttons on an action card, or a modal with an optional comment. A user whose
 * role is too low is told so in an ephemeral message; the copilot audits the refusal.
 */
import type { Action } from '../../agents/answer';
import { AppError } from '../errors';
import { ACTION_IDS, actionCard, type Block } from './blocks';
import { roleOf, type SlackDeps } from './deps';
import { escapeSlack } from './mrkdwn';
import { slackClient } from './run-plan';

export const DECIDE_CALLBACK = 'twin_decide';

interface BlockActionsPayload {
  type: 'block_actions';
  trigger_id: string;
  user: { id: string };
  channel?: { id: string };
  message?: { ts: string; thread_ts?: string; blocks?: Block[] };
  actions: { action_id: string; value?: string }[];
}

interface ViewSubmissionPayload {
  type: 'view_submission';
  user: { id: string };
  view: { callback_id: string; private_metadata: string; state: { values: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>> } };
}

export type InteractionPayload = BlockActionsPayload | ViewSubmissionPayload | { type: string };

interface Where {
  channel?: string;
  messageTs?: string;
  threadTs?: string;
}

async function decide(deps: SlackDeps, user: string, actionId: string, approve: boolean, comment: string | undefined, where: Where, blocks?: Block[]): Promise<void> {
  const client = deps.config.botToken ? slackClient(deps) : undefined;
  let action: Action;
  try {
    ({ action } = await deps.copilot.decide({ actionId, approve, comment, actor: { id: `slack:${user}`, role: roleOf(deps.config, user), via: 'slack' } }));
  } catch (err) {
    const text =
      err instanceof AppError && err.code === 'forbidden'
        ? `:no_entry: You can't ${approve ? 'approve' : 'reject'} this action: ${err.message}`
        : `:warning: Could not record your decision: ${err instanceof Error ? err.message : String(err)}`;
    if (client && where.channel) await client.chat.postEphemeral({ channel: where.channel, user, text, thread_ts: where.threadTs });
    return;
  }
  if (!client || !where.channel || !where.messageTs) return;
  const note = `${approve ? 'Approved' : 'Rejected'} by <@${user}>${comment ? `: ${escapeSlack(comment)}` : ''}`;
  const card = actionCard(action, note);
  if (blocks) {
    // Replace this action's card (and its buttons) in place; other cards keep theirs.
    const updated: Block[] = [];
    for (const b of blocks) {
      if (b.block_id === `decide:${actionId}`) continue;
      if (b.block_id === `card:${actionId}`) updated.push(...card);
      else updated.push(b);
    }
    await client.chat.update({ channel: where.channel, ts: where.messageTs, blocks: updated, text: note.replace(/<@(\w+)>/g, '@$1') });
  } else {
    await client.chat.postMessage({ channel: where.channel, thread_ts: where.threadTs ?? where.messageTs, blocks: card, text: note });
  }
}

function commentModal(actionId: string, where: Where): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: DECIDE_CALLBACK,
    private_metadata: JSON.stringify({ actionId, ...where }),
    title: { type: 'plain_text', text: 'Decide on action' },
    submit: { type: 'plain_text', text: 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'decision',
        label: { type: 'plain_text', text: 'Decision' },
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          initial_option: { text: { type: 'plain_text', text: 'Approve' }, value: 'approve' },
          options: [
            { text: { type: 'plain_text', text: 'Approve' }, value: 'approve' },
            { text: { type: 'plain_text', text: 'Reject' }, value: 'reject' },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'comment',
        optional: true,
        label: { type: 'plain_text', text: 'Comment' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}

/**
 * Handle an interaction payload after the request was acknowledged. Returns the work to run in the background.
 */
export async function handleInteraction(deps: SlackDeps, payload: InteractionPayload): Promise<void> {
  if (payload.type === 'block_actions') {
    const p = payload as BlockActionsPayload;
    const where: Where = { channel: p.channel?.id, messageTs: p.message?.ts, threadTs: p.message?.thread_ts ?? p.message?.ts };
    for (const a of p.actions) {
      if (!a.value) continue;
      if (a.action_id === ACTION_IDS.approve) await decide(deps, p.user.id, a.value, true, undefined, where, p.message?.blocks);
      else if (a.action_id === ACTION_IDS.reject) await decide(deps, p.user.id, a.value, false, undefined, where, p.message?.blocks);
      else if (a.action_id === ACTION_IDS.comment && deps.config.botToken) {
        await slackClient(deps).views.open({ trigger_id: p.trigger_id, view: commentModal(a.value, where) as never });
      }
    }
    return;
  }
  if (payload.type === 'view_submission') {
    const p = payload as ViewSubmissionPayload;
    if (p.view.callback_id !== DECIDE_CALLBACK) return;
    const meta = JSON.parse(p.view.private_metadata) as Where & { actionId: string };
    const values = p.view.state.values;
    const approve = values.decision?.value?.selected_option?.value !== 'reject';
    const comment = values.comment?.value?.value ?? undefined;
    await decide(deps, p.user.id, meta.actionId, approve, comment || undefined, meta);
  }
}
