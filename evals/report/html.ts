/**
 * The self-contained HTML report: pass rate by suite and by expert (with the single-expert baseline beside the
 * product), cost per case, the routing confusion matrix, the comparison with earlier runs, and every failing case with
 * expected vs got. Everything is inline (SVG, CSS); nothing is fetched.
 */
import { byExpert, caseFailures, caseUsage, confusion, routeAccuracy, summarize, totalUsage } from '../summary';
import type { RunResult } from '../types';
import type { HistoryEntry } from './history';
import { escapeXml as esc } from './junit';
import { barChart, lineChart, type Series } from './svg';

const C = { product: '#2563eb', baseline: '#f59e0b', previous: '#9ca3af', ms: '#10b981', tokens: '#8b5cf6', fail: '#dc2626' };
const pct = (v: number) => `${Math.round(v * 100)}%`;

function runLabel(h: { started_at: string; provider: string; mode: string }): string {
  return `${h.started_at.slice(5, 16).replace('T', ' ')} ${h.provider}${h.mode === 'single' ? ' single' : ''}`;
}

export function htmlReport(run: RunResult, opts: { baseline?: RunResult; history?: HistoryEntry[]; title?: string } = {}): string {
  const s = summarize(run);
  const b = opts.baseline ? summarize(opts.baseline) : undefined;
  const history = opts.history ?? [];
  const previous = history.find((h) => h.mode === run.mode);
  const u = totalUsage(run);

  const suiteSeries: Series[] = [{ name: `this run (${run.provider})`, color: C.product, values: s.suites.map((x) => x.pass_rate) }];
  if (b) suiteSeries.push({ name: 'single-expert baseline', color: C.baseline, values: s.suites.map((x) => b.suites.find((y) => y.suite === x.suite)?.pass_rate ?? null) });
  if (previous) suiteSeries.push({ name: `previous (${runLabel(previous)})`, color: C.previous, values: s.suites.map((x) => previous.suites.find((y) => y.suite === x.suite)?.pass_rate ?? null) });

  const experts = byExpert(run);
  const bexperts = opts.baseline ? byExpert(opts.baseline) : [];
  const expertSeries: Series[] = [{ name: 'consensus', color: C.product, values: experts.map((e) => e.pass_rate) }];
  if (b) expertSeries.push({ name: 'single expert', color: C.baseline, values: experts.map((e) => bexperts.find((x) => x.expert === e.expert)?.pass_rate ?? null) });

  const cases = run.suites.flatMap((x) => x.cases);
  const usages = cases.map(caseUsage);
  const hasTokens = usages.some((x) => x.prompt_tokens + x.completion_tokens > 0);
  const costChart = barChart({
    title: hasTokens ? 'Cost per case: tokens (prompt + completion)' : 'Cost per case: latency (ms); the offline model uses no tokens',
    categories: cases.map((c) => c.id),
    series: [
      hasTokens
        ? { name: 'tokens', color: C.tokens, values: usages.map((x) => x.prompt_tokens + x.completion_tokens) }
        : { name: 'ms per case', color: C.ms, values: usages.map((x) => x.ms) },
      ...(b && opts.baseline
        ? [{
            name: 'single-expert baseline',
            color: C.baseline,
            values: cases.map((c) => {
              const bc = opts.baseline!.suites.flatMap((x) => x.cases).find((y) => y.suite === c.suite && y.id === c.id);
              if (!bc) return null;
              const bu = caseUsage(bc);
              return hasTokens ? bu.prompt_tokens + bu.completion_tokens : bu.ms;
            }),
          }]
        : []),
    ],
    rotate: true,
    width: Math.max(900, cases.length * (b ? 16 : 10) + 80),
    height: 300,
  });

  const runs = [...history].reverse();
  const now = { started_at: run.started_at, provider: run.provider, mode: run.mode, pass_rate: s.summary.pass_rate, pass_k: s.summary.pass_k };
  const nowBaseline = b ? [{ started_at: opts.baseline!.started_at, provider: opts.baseline!.provider, mode: 'single', pass_rate: b.summary.pass_rate, pass_k: b.summary.pass_k }] : [];
  const timeline = [...runs, ...nowBaseline, now];
  const trend = lineChart({
    title: 'Comparison between runs: pass^1',
    labels: timeline.map(runLabel),
    series: [
      { name: 'consensus', color: C.product, values: timeline.map((h) => (h.mode === 'consensus' ? h.pass_rate : null)) },
      { name: 'single expert', color: C.baseline, values: timeline.map((h) => (h.mode === 'single' ? h.pass_rate : null)) },
    ],
    max: 1,
    format: pct,
    width: Math.max(640, timeline.length * 60 + 100),
  });

  const cm = confusion(run);
  const cmMax = Math.max(1, ...Object.values(cm.counts).flatMap((r) => Object.values(r)));
  const cmRows = cm.labels
    .filter((r) => cm.counts[r])
    .map((r) => `<tr><th>${esc(r)}</th>${cm.labels.map((c) => {
      const v = cm.counts[r]?.[c] ?? 0;
      const a = v / cmMax;
      const bg = v === 0 ? '#fff' : r === c ? `rgba(37,99,235,${0.15 + 0.7 * a})` : `rgba(220,38,38,${0.2 + 0.7 * a})`;
      return `<td style="background:${bg}">${v}</td>`;
    }).join('')}</tr>`)
    .join('');

  type Row = { started_at: string; provider: string; mode: string; cases: number; pass_rate: number; pass_k: number; tokens: number; ms: number };
  const rowOf = (r: RunResult, j: ReturnType<typeof summarize>): Row => {
    const t = totalUsage(r);
    return { started_at: r.started_at, provider: r.provider, mode: r.mode, cases: j.summary.cases, pass_rate: j.summary.pass_rate, pass_k: j.summary.pass_k, tokens: t.prompt_tokens + t.completion_tokens, ms: r.ms };
  };
  const rows: Row[] = [
    rowOf(run, s),
    ...(b ? [rowOf(opts.baseline!, b)] : []),
    ...history.map((h) => ({ ...h, tokens: h.prompt_tokens + h.completion_tokens })),
  ];
  const compareRows = rows
    .slice(0, 12)
    .map((h) => `<tr><td>${esc(runLabel(h))}</td><td>${esc(h.provider)}</td><td>${esc(h.mode)}</td><td>${h.cases}</td><td>${pct(h.pass_rate)}</td><td>${pct(h.pass_k)}</td><td>${h.tokens}</td><td>${(h.ms / 1000).toFixed(1)} s</td></tr>`);

  const changed = previous?.outcomes
    ? cases.filter((c) => previous.outcomes![`${c.suite}/${c.id}`] !== undefined && previous.outcomes![`${c.suite}/${c.id}`] !== c.passed)
    : [];

  const failing = cases.filter((c) => !c.passed);
  const failRows = failing
    .map((c) => `<tr><td>${esc(c.suite)}</td><td>${esc(c.id)}</td><td>${esc(c.task)}</td><td>${esc(c.expected_route ?? '')}</td><td>${esc(c.trials[0]?.route ?? '')}</td><td><ul>${caseFailures(c).map((f) => `<li>${esc(f)}</li>`).join('')}</ul></td></tr>`)
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title ?? 'Twinpilot eval report')}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#111827;max-width:1400px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.kpi{border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:120px}
.kpi b{display:block;font-size:22px}
.charts{display:flex;gap:24px;flex-wrap:wrap}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
.cm td{text-align:center;min-width:54px}
ul{margin:0;padding-left:16px}
.fail{color:${C.fail}} .ok{color:#059669}
</style></head><body>
<h1>${esc(opts.title ?? 'Twinpilot eval report')}</h1>
<div>${esc(run.started_at)} · provider <b>${esc(run.provider)}</b> · mode ${esc(run.mode)} · k=${run.k} · ${(run.ms / 1000).toFixed(1)} s</div>
<div class="kpis">
<div class="kpi">cases<b>${s.summary.cases}</b></div>
<div class="kpi">passed<b>${s.summary.passed}</b></div>
<div class="kpi">pass^1<b id="pass-rate">${pct(s.summary.pass_rate)}</b></div>
<div class="kpi">pass^k (k=${run.k})<b>${pct(s.summary.pass_k)}</b></div>
<div class="kpi">routing<b>${pct(routeAccuracy(run))}</b></div>
${b ? `<div class="kpi">single-expert baseline<b>${pct(b.summary.pass_rate)}</b></div>` : ''}
<div class="kpi">tokens<b>${u.prompt_tokens + u.completion_tokens}</b></div>
<div class="kpi">LLM calls<b>${u.llm_calls}</b></div>
</div>
<h2>Pass rate</h2>
<div class="charts">
${barChart({ title: 'Pass rate by suite', categories: s.suites.map((x) => x.suite), series: suiteSeries, max: 1, format: pct, rotate: s.suites.length > 5 })}
${barChart({ title: 'Pass rate by expert', categories: experts.map((e) => e.expert), series: expertSeries, max: 1, format: pct })}
</div>
<h2>Cost per case</h2>
<div class="scroll">${costChart}</div>
<h2>Comparison between runs</h2>
<div class="scroll">${trend}</div>
<table><tr><th>run</th><th>provider</th><th>mode</th><th>cases</th><th>pass^1</th><th>pass^k</th><th>tokens</th><th>wall time</th></tr>${compareRows.join('')}</table>
${changed.length ? `<p>Changed since the previous run: ${changed.map((c) => `<span class="${c.passed ? 'ok' : 'fail'}">${esc(`${c.suite}/${c.id}`)} ${c.passed ? 'now passes' : 'now fails'}</span>`).join(', ')}</p>` : ''}
<h2>Routing confusion matrix (rows expected, columns got)</h2>
<table class="cm"><tr><th>expected \\ got</th>${cm.labels.map((l) => `<th>${esc(l)}</th>`).join('')}</tr>${cmRows}</table>
<h2>Failing cases (${failing.length})</h2>
${failing.length ? `<table><tr><th>suite</th><th>case</th><th>task</th><th>expected route</th><th>got</th><th>failures (expected vs got)</th></tr>${failRows}</table>` : '<p class="ok">Every case passed.</p>'}
</body></html>
`;
}
