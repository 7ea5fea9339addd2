/**
 * Block Kit rendering of an answer, of progress, and of action cards. Slack allows at most 50 blocks in a message
 * and 3000 characters in a section's text; we stay inside both and link to the full answer in the web app.
 */
import type { Action, Answer } from '../../agents/answer';
import { escapeSlack, toMrkdwn, truncate } from './mrkdwn';

export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
/** Top-level `text` is the notification fallback; Slack truncates it beyond 40,000, we keep it short. */
const MAX_FALLBACK_TEXT = 2900;
const MAX_EVIDENCE = 5;
const MAX_ACTION_CARDS = 10;

// Minimal Block Kit shapes: enough for what we send, without pulling in @slack/types' whole union.
export type Block = Record<string, unknown> & { type: string };

export interface RenderOptions {
  /** Base URL of the web app, for links back to the full answer and evidence charts. */
  webUrl: string;
}

export const ACTION_IDS = { approve: 'twin_approve', reject: 'twin_reject', comment: 'twin_comment' } as const;

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT).text } };
}

function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT).text }] };
}

export function threadUrl(webUrl: string, threadId: string): string {
  return `${webUrl.replace(/\/$/, '')}/#/chat/${encodeURIComponent(threadId)}`;
}

export function evidenceUrl(webUrl: string, ref: string, window?: { start: string; end: string }): string {
  const [asset, property] = ref.split('/');
  const q = new URLSearchParams();
  if (property) q.set('property', property);
  if (window) {
    q.set('from', window.start);
    q.set('to', window.end);
  }
  const qs = q.toString();
  return `${webUrl.replace(/\/$/, '')}/#/assets/${encodeURIComponent(asset ?? ref)}${qs ? `?${qs}` : ''}`;
}

const STATUS_LABEL: Record<Action['status'], string> = {
  pending_approval: ':hourglass_flowing_sand: pending approval',
  approved: ':white_check_mark: approved',
  rejected: ':no_entry_sign: rejected',
  executed: ':white_check_mark: executed',
  failed: ':warning: failed',
};

function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** One card per proposed action; buttons only while it waits for a decision. */
export function actionCard(action: Action, note?: string): Block[] {
  const head = `*${escapeSlack(action.type)}* · risk *${action.risk}* · ${STATUS_LABEL[action.status]}`;
  const body = `${escapeSlack(describeParams(action.params))}\n_${escapeSlack(action.rationale)}_`;
  const blocks: Block[] = [{ ...section(`${head}\n${body}`), block_id: `card:${action.id}` }];
  if (action.status === 'pending_approval') {
    blocks.push({
      type: 'actions',
      block_id: `decide:${action.id}`,
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', action_id: ACTION_IDS.approve, value: action.id },
        { type: 'button', text: { type: 'plain_text', text: 'Reject' }, style: 'danger', action_id: ACTION_IDS.reject, value: action.id },
        { type: 'button', text: { type: 'plain_text', text: 'Decide with comment…' }, action_id: ACTION_IDS.comment, value: action.id },
      ],
    });
  } else if (note) {
    blocks.push(context(escapeSlack(note)));
  }
  return blocks;
}

/** The whole answer: text, top evidence, consensus, action cards; within Slack's limits. */
export function renderAnswer(answer: Answer, opts: RenderOptions): { text: string; blocks: Block[] } {
  const full = threadUrl(opts.webUrl, answer.thread_id);
  const reviewers = answer.route.reviewers.length ? `, reviewed by ${answer.route.reviewers.join(', ')}` : '';
  const blocks: Block[] = [context(`*${escapeSlack(answer.route.primary)}*${escapeSlack(reviewers)} · ${escapeSlack(answer.provider)}`)];

  // The answer takes at most two sections; beyond that we link to the full answer rather than flood the thread.
  const mrkdwn = toMrkdwn(answer.answer);
  const first = truncate(mrkdwn, MAX_SECTION_TEXT);
  blocks.push(section(first.text));
  let cut = first.cut;
  if (cut) {
    const rest = truncate(mrkdwn.slice(first.text.length - 1), MAX_SECTION_TEXT - 40);
    blocks.push(section(rest.text));
    cut = rest.cut;
  }
  if (cut) blocks.push(context(`Answer shortened for Slack. <${full}|Read the full answer>`));

  if (answer.recommendations.length) {
    const lines = answer.recommendations.map((r) => `• ${toMrkdwn(r.text)}${r.evidence.length ? ` _(${r.evidence.join(', ')})_` : ''}`);
    blocks.push(section(`*Recommendations*\n${lines.join('\n')}`));
  }

  if (answer.evidence.length) {
    const top = answer.evidence.slice(0, MAX_EVIDENCE).map((e) => `<${evidenceUrl(opts.webUrl, e.ref, e.window)}|${e.id}> ${escapeSlack(e.summary)}`);
    const more = answer.evidence.length > MAX_EVIDENCE ? `\n<${full}|${answer.evidence.length - MAX_EVIDENCE} more>` : '';
    blocks.push(context(`*Evidence*\n${top.join('\n')}${more}`));
  }

  const c = answer.consensus;
  const agreed = c.agreed.length ? `agreed: ${c.agreed.join(', ')}` : 'no agreement recorded';
  const dissent = c.dissent.map((d) => `\n:warning: *${escapeSlack(d.expert)}* dissents: ${escapeSlack(d.concern)}`).join('');
  blocks.push(context(`*Consensus* after ${c.rounds} round${c.rounds === 1 ? '' : 's'}: ${agreed}${dissent}`));

  const cards = answer.actions.slice(0, MAX_ACTION_CARDS);
  if (cards.length) blocks.push({ type: 'divider' });
  for (const a of cards) blocks.push(...actionCard(a));
  if (answer.actions.length > cards.length) blocks.push(context(`<${full}|${answer.actions.length - cards.length} more proposed actions>`));

  return { text: truncate(answer.answer, MAX_FALLBACK_TEXT).text, blocks: clampBlocks(blocks, full) };
}

/** Keep at most 50 blocks, ending with a link when something had to go. */
export function clampBlocks(blocks: Block[], fullUrl: string): Block[] {
  if (blocks.length <= MAX_BLOCKS) return blocks;
  return [...blocks.slice(0, MAX_BLOCKS - 1), context(`More in <${fullUrl}|the full answer>`)];
}

export interface Progress {
  task: string;
  stage: 'routing' | 'expert' | 'review' | 'consensus' | 'done' | 'failed';
  primary?: string;
  reviewers?: string[];
  tools?: string[];
  error?: string;
}

/** The single progress message we keep updating while a plan runs. */
export function renderProgress(p: Progress): { text: string; blocks: Block[] } {
  const lines = [`:hourglass_flowing_sand: *Working on:* ${escapeSlack(truncate(p.task, 500).text)}`];
  if (p.primary) lines.push(`Routed to *${escapeSlack(p.primary)}*`);
  if (p.tools?.length) lines.push(`Tools: ${escapeSlack(p.tools.slice(-6).join(', '))}`);
  if (p.stage === 'review' && p.reviewers?.length) lines.push(`Under review by ${escapeSlack(p.reviewers.join(', '))}`);
  if (p.stage === 'consensus') lines.push('Reaching consensus…');
  if (p.stage === 'failed') lines[0] = `:warning: Could not answer: ${escapeSlack(p.error ?? 'unknown error')}`;
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}
