/**
 * The console report: totals, per-suite and per-expert pass rates, the routing confusion matrix, the cost columns and
 * the worst cases with what was expected and what came. Plain text, so it reads the same in CI logs.
 */
import { byExpert, byScorer, confusion, routeAccuracy, summarize, totalUsage, worstCases, caseFailures, caseUsage } from '../summary';
import type { RunResult } from '../types';

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function consoleReport(run: RunResult, baseline?: RunResult): string {
  const s = summarize(run);
  const b = baseline ? summarize(baseline) : undefined;
  const out: string[] = [];
  const u = totalUsage(run);
  out.push(
    `eval: ${s.summary.cases} cases, ${s.summary.passed} passed — pass^1 ${pct(s.summary.pass_rate)}, pass^${run.k} ${pct(s.summary.pass_k)}` +
      ` — routing ${pct(routeAccuracy(run))} — provider ${run.provider} — ${(run.ms / 1000).toFixed(1)} s`,
  );
  out.push(`usage: ${u.llm_calls} LLM calls, ${u.prompt_tokens} prompt + ${u.completion_tokens} completion tokens, ${u.tool_calls} tool calls`);
  if (b) out.push(`baseline (single expert): pass^1 ${pct(b.summary.pass_rate)}, routing ${pct(routeAccuracy(baseline!))}, ${totalUsage(baseline!).prompt_tokens} prompt tokens`);
  out.push('');
  out.push(
    table(
      ['suite', 'cases', 'passed', 'pass^1', ...(b ? ['single'] : []), 'tokens/case', 'ms/case'],
      run.suites.map((su, i) => {
        const row = s.suites[i]!;
        const usages = su.cases.map(caseUsage);
        const n = Math.max(1, usages.length);
        const tokens = usages.reduce((x, y) => x + y.prompt_tokens + y.completion_tokens, 0) / n;
        const ms = usages.reduce((x, y) => x + y.ms, 0) / n;
        const single = b?.suites.find((x) => x.suite === row.suite);
        return [row.suite + (row.error ? ' (setup failed)' : ''), row.cases, row.passed, pct(row.pass_rate), ...(b ? [single ? pct(single.pass_rate) : '-'] : []), Math.round(tokens), Math.round(ms)];
      }),
    ),
  );
  out.push('');
  const be = baseline ? byExpert(baseline) : [];
  out.push(
    table(
      ['expert', 'cases', 'passed', 'pass^1', ...(b ? ['single'] : [])],
      byExpert(run).map((e) => [e.expert, e.cases, e.passed, pct(e.pass_rate), ...(b ? [pct(be.find((x) => x.expert === e.expert)?.pass_rate ?? 0)] : [])]),
    ),
  );
  out.push('');
  out.push(table(['scorer', 'applied', 'passed', 'rate'], byScorer(run).map((x) => [x.scorer, x.applied, x.passed, pct(x.applied ? x.passed / x.applied : 1)])));
  const cm = confusion(run);
  if (cm.labels.length) {
    out.push('');
    out.push('routing (rows expected, columns got)');
    out.push(table(['expected \\ got', ...cm.labels], cm.labels.filter((l) => cm.counts[l]).map((r) => [r, ...cm.labels.map((c) => cm.counts[r]?.[c] ?? 0)])));
  }
  const worst = worstCases(run, 15);
  if (worst.length) {
    out.push('');
    out.push(`failing cases (${s.cases.filter((c) => !c.passed).length}):`);
    for (const c of worst) {
      out.push(`  ${c.suite}/${c.id}  (${c.trials.filter((t) => t.passed).length}/${c.trials.length} trials)  "${c.task}"`);
      for (const f of caseFailures(c).slice(0, 6)) out.push(`      ${f.length > 220 ? `${f.slice(0, 217)}...` : f}`);
    }
  }
  return out.join('\n');
}
