/** Eval runs over time: pass rate per run as a trend chart and a table, when the service keeps eval reports. */
import { html, useEffect, useState } from '../lib/html';
import * as client from '../lib/client';
import { fmtTime } from '../lib/format';
import type { Point } from '../lib/types';
import { Chart } from './chart';
import { ErrorNote, Loading } from './status';

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function passRate(run: Record<string, unknown>): number | undefined {
  const direct = num(run.pass_rate) ?? num(run.passRate) ?? num((run.summary as Record<string, unknown> | undefined)?.pass_rate);
  if (direct !== undefined) return direct;
  const passed = num(run.passed);
  const total = num(run.total) ?? (passed !== undefined && num(run.failed) !== undefined ? passed + num(run.failed)! : undefined);
  return passed !== undefined && total ? passed / total : undefined;
}

export function EvalsPage() {
  const [runs, setRuns] = useState<Record<string, unknown>[] | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void client.evalRuns().then(setRuns, setError), []);
  const points: Point[] = (runs ?? [])
    .map((r) => ({ t: Date.parse(String(r.started_at ?? r.at ?? r.created_at ?? r.ts ?? '')), v: (passRate(r) ?? NaN) * 100 }))
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
    .sort((a, b) => a.t - b.t);
  return html`<div class="page">
    <header class="page-head"><h2>Eval runs</h2></header>
    ${error ? html`<${ErrorNote} error=${error} what="load eval runs" />` : null}
    ${runs === undefined && !error ? html`<${Loading} />` : null}
    ${runs === null ? html`<p class="muted">This service keeps no eval history. Run <code>twin eval --report DIR</code> to score the copilot.</p>` : null}
    ${runs && runs.length
      ? html`<section class="panel"><h3>Pass rate (%)</h3><${Chart} title="pass rate" points=${points} def=${{ unit: '%' }} /></section>
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">When</th><th scope="col">Suite</th><th scope="col">Provider</th><th scope="col">Pass rate</th><th scope="col">Cases</th></tr></thead>
            <tbody>${runs.map((r, i) => {
              const rate = passRate(r);
              return html`<tr key=${String(r.id ?? i)}><td>${fmtTime(String(r.started_at ?? r.at ?? r.created_at ?? ''))}</td><td>${String(r.suite ?? r.suites ?? '—')}</td><td>${String(r.provider ?? '—')}</td><td>${rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`}</td><td>${String(r.total ?? r.cases ?? '—')}</td></tr>`;
            })}</tbody>
          </table></div>`
      : runs ? html`<p class="muted">No eval runs yet.</p>` : null}
  </div>`;
}
