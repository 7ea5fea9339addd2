/**
 * How a copilot Answer reads as one chat message: the answer, then the evidence and the proposed actions with the
 * way to approve them, so a plain chat front end shows everything. Programs read the same data, structured, from the
 * `twinpilot` extra field.
 */
import { createHash } from 'node:crypto';
import type { Answer } from '../../../agents/answer';

export function answerText(a: Answer): string {
  const parts = [a.answer.trim()];
  if (a.evidence.length) {
    parts.push(['**Evidence**', ...a.evidence.map((e) => `- [${e.id}] ${e.kind} \`${e.ref}\`: ${e.summary}${e.window ? ` (${e.window.start} – ${e.window.end})` : ''}`)].join('\n'));
  }
  if (a.actions.length) {
    parts.push(
      [
        '**Proposed actions**',
        ...a.actions.map(
          (x) =>
            `- \`${x.id}\` ${x.type} (${x.risk} risk, ${x.status.replace('_', ' ')}) proposed by ${x.proposed_by}: ${x.rationale}` +
            (x.status === 'pending_approval' ? ` — approve with \`POST /api/v1/actions/${x.id}/approve\` or \`twin approve ${x.id}\`` : ''),
        ),
      ].join('\n'),
    );
  }
  if (a.consensus.dissent.length) {
    parts.push(['**Dissent**', ...a.consensus.dissent.map((d) => `- ${d.expert}: ${d.concern}`)].join('\n'));
  }
  return parts.filter(Boolean).join('\n\n');
}

export interface ChatMessage {
  role: string;
  content?: unknown;
}

/** Text of a message whose content is a string or an array of parts (`{type:'text', text}`). */
export function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) {
    return m.content
      .map((p) => (p && typeof p === 'object' && (p as { type?: unknown }).type === 'text' ? String((p as { text?: unknown }).text ?? '') : ''))
      .join('');
  }
  return '';
}

/**
 * A stable thread id for a conversation: the caller's key and the conversation's opening (system prompt and first
 * user message) never change as the conversation grows, so every turn lands in the same copilot thread.
 */
export function deriveThreadId(keyId: string, messages: ChatMessage[]): string {
  const firstUser = messages.findIndex((m) => m.role === 'user');
  const opening = messages.slice(0, firstUser + 1).map((m) => [m.role, messageText(m)]);
  const h = createHash('sha256').update(JSON.stringify([keyId, opening])).digest('hex').slice(0, 24);
  return `oa_${h}`;
}

/** Split text into chunks at word boundaries so a streaming client sees it arrive progressively. */
export function chunksOf(text: string, size = 64): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let j = Math.min(text.length, i + size);
    if (j < text.length) {
      const space = text.lastIndexOf(' ', j);
      if (space > i) j = space + 1;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}
