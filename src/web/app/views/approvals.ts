/**
 * The approvals inbox: actions waiting for a person, each with approve/reject and a comment, and the recent decisions
 * below. Refreshed when the service reports an action change.
 */
import { html, useEffect, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtValue, label } from '../lib/format';
import { onLive } from '../lib/live';
import type { Action } from '../lib/types';
import { ActionCard } from './action-card';
import { Badge, ErrorNote, Loading } from './status';

export function ApprovalsPage() {
  const [pending, setPending] = useState<Action[] | null>(null);
  const [recent, setRecent] = useState<Action[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async () => {
    try {
      const [p, all] = await Promise.all([client.actions('pending_approval'), client.actions()]);
      setPending(p);
      setRecent(all.filter((a) => a.status !== 'pending_approval').slice(0, 30));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
    return onLive((e) => {
      if (e.type === 'action_changed' || e.type === 'action_proposed') void load();
    });
  }, []);
  return html`<div class="page">
    <header class="page-head"><h2>Approvals</h2><button type="button" class="btn btn-small" onClick=${load}>Refresh</button></header>
    ${error ? html`<${ErrorNote} error=${error} what="load actions" />` : null}
    <section aria-label="Waiting for approval">
      <h3>Waiting for you ${pending ? html`<span class="count">${pending.length}</span>` : null}</h3>
      ${pending === null && !error
        ? html`<${Loading} />`
        : pending?.length
          ? html`<div class="cards">${pending.map((a) => html`<${ActionCard} key=${a.id} action=${a} />`)}</div>`
          : html`<p class="muted">Nothing waits for approval.</p>`}
    </section>
    <section class="panel" aria-label="Recent decisions">
      <h3>Recent decisions</h3>
      ${recent?.length
        ? html`<div class="table-wrap"><table>
            <thead><tr><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Risk</th><th scope="col">Status</th><th scope="col">Proposed by</th></tr></thead>
            <tbody>${recent.map((a) => html`<tr key=${a.id}><td>${label(a.type)} <span class="muted small mono">${a.id}</span></td><td class="mono">${fmtValue(a.params?.asset ?? a.params?.order ?? '')}</td><td><${Badge} kind=${`risk-${a.risk}`} text=${a.risk} /></td><td><${Badge} kind=${a.status} /></td><td>${a.proposed_by}</td></tr>`)}</tbody>
          </table></div>`
        : html`<p class="muted small">No decisions yet.</p>`}
    </section>
  </div>`;
}
