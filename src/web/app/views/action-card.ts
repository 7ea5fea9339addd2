/**
 * One proposed action: what it does, its risk and who proposed it, and approve/reject with a comment. After a
 * decision the card follows the action until it settles (approved → executed or failed), so the person who approved
 * sees what the plant did. A refusal (403: role too low for the risk) is shown on the card, not swallowed.
 */
import { html, useEffect, useRef, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtValue, label } from '../lib/format';
import type { Action } from '../lib/types';
import { Badge, ErrorNote } from './status';


function ParamList({ params }: { params: Record<string, unknown> }) {
  const entries = Object.entries(params ?? {});
  if (!entries.length) return null;
  return html`<dl class="params">
    ${entries.map(([k, v]) => {
      let text: string;
      if (v && typeof v === 'object' && 'start' in (v as object) && 'end' in (v as object)) {
        const w = v as { start: string; end: string };
        text = `${new Date(w.start).toLocaleString()} → ${new Date(w.end).toLocaleString()}`;
      } else text = fmtValue(v);
      return html`<div key=${k}><dt>${label(k)}</dt><dd>${text}</dd></div>`;
    })}
  </dl>`;
}

export function ActionCard({ action: initial, onChange }: { action: Action; onChange?: (a: Action) => void }) {
  const [action, setAction] = useState(initial);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);
  useEffect(() => setAction(initial), [initial.id, initial.status]);

  const update = (a: Action) => {
    if (!alive.current) return;
    setAction(a);
    onChange?.(a);
  };

  // Follow an approved action until the executor reports its outcome.
  useEffect(() => {
    if (action.status !== 'approved') return;
    let stop = false;
    let tries = 0;
    const tick = async () => {
      if (stop || tries++ > 60) return;
      try {
        const found = await client.action(action.id);
        if (found && found.status !== action.status) return update({ ...action, ...found });
      } catch {
        /* keep trying: the status will come */
      }
      if (!stop) setTimeout(tick, 1000);
    };
    const t = setTimeout(tick, 500);
    return () => {
      stop = true;
      clearTimeout(t);
    };
  }, [action.id, action.status]);

  const decide = async (approve: boolean) => {
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      const res = await client.decide(action.id, approve, comment.trim());
      update({ ...action, ...res, status: res?.status ?? (approve ? 'approved' : 'rejected') });
    } catch (err) {
      if (alive.current) setError(err);
    } finally {
      if (alive.current) setBusy(null);
    }
  };

  const pending = action.status === 'pending_approval';
  const cid = `comment-${action.id}`;
  return html`<article class=${`card action-card status-${action.status}`} data-action-id=${action.id} aria-label=${`Action ${label(action.type)}`}>
    <header class="card-head">
      <h4>${label(action.type)}${typeof action.params?.asset === 'string' ? html` · <span class="mono">${action.params.asset}</span>` : null}</h4>
      <div class="badges"><${Badge} kind=${`risk-${action.risk}`} text=${`${action.risk} risk`} /> <${Badge} kind=${action.status} /></div>
    </header>
    <p class="rationale">${action.rationale}</p>
    <${ParamList} params=${action.params} />
    <p class="muted small">Proposed by ${action.proposed_by} · <span class="mono">${action.id}</span></p>
    ${pending
      ? html`<form class="decide" onSubmit=${(e: Event) => e.preventDefault()}>
          <label for=${cid}>Comment (optional)</label>
          <textarea id=${cid} rows="2" value=${comment} onInput=${(e: Event) => setComment((e.target as HTMLTextAreaElement).value)} placeholder="Why you approve or reject"></textarea>
          <div class="row">
            <button type="button" class="btn btn-primary" disabled=${!!busy} onClick=${() => decide(true)}>${busy === 'approve' ? 'Approving…' : 'Approve'}</button>
            <button type="button" class="btn btn-danger" disabled=${!!busy} onClick=${() => decide(false)}>${busy === 'reject' ? 'Rejecting…' : 'Reject'}</button>
          </div>
        </form>`
      : html`<p class="outcome" role="status">
          ${action.status === 'approved' ? html`<span class="spinner" aria-hidden="true"></span> Approved; waiting for the plant to confirm…` : null}
          ${action.status === 'executed' ? 'Executed.' : null}
          ${action.status === 'failed' ? 'Execution failed.' : null}
          ${action.status === 'rejected' ? 'Rejected.' : null}
        </p>`}
    ${error ? html`<${ErrorNote} error=${error} what="record the decision" />` : null}
  </article>`;
}
