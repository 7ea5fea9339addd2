/** Small shared pieces: status and risk badges, an error notice that says what to do, a loading line. */
import { html } from '../lib/html';
import type { ApiError } from '../lib/api';
import { errorText, label } from '../lib/format';

export function Badge({ kind, text }: { kind: string; text?: string }) {
  return html`<span class=${`badge badge-${kind}`}>${label(text ?? kind)}</span>`;
}

export function ErrorNote({ error, what }: { error: unknown; what?: string }) {
  const e = error as Partial<ApiError>;
  let hint = '';
  if (e?.status === 403) hint = 'Your key’s role is not allowed to do this. Ask a manager or admin.';
  else if (e?.status === 401) hint = 'Your key was not accepted. Open the login link the service printed, or paste a key.';
  else if (e?.status === 0) hint = 'The service is not reachable.';
  else if (e?.status === 429) hint = 'Too many requests for this key; wait a minute.';
  return html`<div class=${`notice notice-error${e?.status === 403 ? ' notice-forbidden' : ''}`} role="alert">
    <strong>${e?.status === 403 ? 'Not allowed' : what ? `Could not ${what}` : 'Something went wrong'}${e?.status ? ` (${e.status})` : ''}:</strong>
    ${' '}${errorText(error)}${hint ? html`<div class="hint">${hint}</div>` : null}
  </div>`;
}

export function Loading({ text = 'Loading…' }: { text?: string }) {
  return html`<p class="muted loading" role="status"><span class="spinner" aria-hidden="true"></span>${text}</p>`;
}
