/** The audit trail: every proposal, approval, refusal and command, newest first, as the service recorded it. */
import { html, useEffect, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtTime, fmtValue, label } from '../lib/format';
import { ErrorNote, Loading } from './status';

function pick(row: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (row[k] !== undefined && row[k] !== null) return row[k];
  return undefined;
}

function detailsText(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}…` : s;
}

export function AuditPage() {
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState('');
  const load = () => client.audit(300).then((r) => { setRows(r); setError(null); }, setError);
  useEffect(() => void load(), []);
  const q = filter.trim().toLowerCase();
  const shown = (rows ?? []).filter((r) => !q || JSON.stringify(r).toLowerCase().includes(q));
  return html`<div class="page">
    <header class="page-head">
      <h2>Audit trail</h2>
      <div class="row">
        <label class="inline"><span class="sr-only">Filter the audit trail</span><input type="search" placeholder="Filter" value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} /></label>
        <button type="button" class="btn btn-small" onClick=${load}>Refresh</button>
      </div>
    </header>
    ${error ? html`<${ErrorNote} error=${error} what="load the audit trail" />` : null}
    ${rows === null && !error
      ? html`<${Loading} />`
      : html`<div class="table-wrap"><table class="audit-table">
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">Details</th></tr></thead>
          <tbody>
            ${shown.map((r, i) => {
              const event = String(pick(r, 'event', 'action', 'kind') ?? '');
              // Rows carry an outcome, or say it in the event name (`approval_refused`, `command.failed`).
              const outcome = String(pick(r, 'outcome', 'result') ?? (/refus/.test(event) ? 'refused' : /fail/.test(event) ? 'failed' : ''));
              return html`<tr key=${String(pick(r, 'id') ?? i)} class=${`outcome-${outcome}`}>
                <td class="nowrap">${fmtTime(pick(r, 'at', 'ts', 'created_at', 'time') as string)}</td>
                <td>${fmtValue(pick(r, 'actor', 'actor_id'))} <span class="muted small">${fmtValue(pick(r, 'role', 'actorRole', 'actor_role') ?? '')}${pick(r, 'via') ? ` · ${String(pick(r, 'via'))}` : ''}</span></td>
                <td>${label(event)}</td>
                <td class="mono">${fmtValue(pick(r, 'target', 'ref') ?? '')}</td>
                <td>${outcome ? html`<span class=${`badge badge-${outcome}`}>${outcome}</span>` : null}</td>
                <td class="small details">${detailsText(pick(r, 'details', 'data'))}</td>
              </tr>`;
            })}
          </tbody>
        </table></div>
        ${shown.length === 0 ? html`<p class="muted">No entries${q ? ' match' : ''}.</p>` : null}`}
  </div>`;
}
