/**
 * The live trace of a run: where the manager routed the task, which expert is working, which tools each one called
 * and what came back, the reviewers' verdicts and the consensus. Built only from PlanEvents, so it replays the same
 * for a stored turn as for a live one.
 */
import { html } from '../lib/html';
import type { PlanEvent } from '../lib/types';
import { Badge } from './status';

interface ToolStep {
  tool: string;
  args: unknown;
  ok?: boolean;
  summary?: string;
  evidence?: string[];
}

interface ExpertStep {
  expert: string;
  role: string;
  round: number;
  tools: ToolStep[];
  review?: { verdict: string; concerns: string[] };
}

export function groupTrace(events: PlanEvent[]) {
  let route: Extract<PlanEvent, { type: 'route' }> | undefined;
  let consensus: Extract<PlanEvent, { type: 'consensus' }> | undefined;
  const steps: ExpertStep[] = [];
  const current = (expert: string): ExpertStep => {
    for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.expert === expert) return steps[i]!;
    const s = { expert, role: 'primary', round: 1, tools: [] };
    steps.push(s);
    return s;
  };
  for (const e of events) {
    switch (e.type) {
      case 'route':
        route = e;
        break;
      case 'expert_started':
        steps.push({ expert: e.expert, role: e.role, round: e.round, tools: [] });
        break;
      case 'tool_call':
        current(e.expert).tools.push({ tool: e.tool, args: e.args });
        break;
      case 'tool_result': {
        const s = current(e.expert);
        const open = [...s.tools].reverse().find((t) => t.tool === e.tool && t.ok === undefined);
        const target = open ?? (s.tools.push({ tool: e.tool, args: undefined }), s.tools[s.tools.length - 1]!);
        target.ok = e.ok;
        target.summary = e.summary;
        target.evidence = e.evidence;
        break;
      }
      case 'review':
        current(e.expert).review = { verdict: e.verdict, concerns: e.concerns ?? [] };
        break;
      case 'consensus':
        consensus = e;
        break;
    }
  }
  return { route, steps, consensus };
}

function argsText(args: unknown): string {
  if (args === undefined || args === null) return '';
  const s = typeof args === 'string' ? args : JSON.stringify(args);
  return s.length > 140 ? `${s.slice(0, 137)}…` : s;
}

export function Trace({ events, running }: { events: PlanEvent[]; running?: boolean }) {
  const { route, steps, consensus } = groupTrace(events);
  const toolCount = steps.reduce((n, s) => n + s.tools.length, 0);
  const active = running ? steps[steps.length - 1] : undefined;
  return html`<details class="trace" open=${running || undefined}>
    <summary>
      ${running ? html`<span class="spinner" aria-hidden="true"></span>` : null}
      <span class="trace-title">${running ? (active ? `${active.expert} is working…` : 'Routing…') : 'How this answer was made'}</span>
      <span class="muted small"> · ${steps.length} expert step${steps.length === 1 ? '' : 's'}, ${toolCount} tool call${toolCount === 1 ? '' : 's'}</span>
    </summary>
    <div class="trace-body" aria-live="polite">
      ${route
        ? html`<p class="trace-route">Routed to <strong>${route.primary}</strong>${route.reviewers?.length ? html`, reviewed by ${route.reviewers.join(', ')}` : null}. <span class="muted">${route.reason}</span></p>`
        : null}
      <ol class="trace-steps">
        ${steps.map(
          (s, i) => html`<li key=${i} class=${`trace-step${s === active ? ' active' : ''}`} data-expert=${s.expert}>
            <div class="trace-expert">
              <strong>${s.expert}</strong> <span class="muted small">${s.role} · round ${s.round}</span>
              ${s.review ? html` <${Badge} kind=${`verdict-${s.review.verdict}`} text=${s.review.verdict} />` : null}
            </div>
            ${s.tools.length
              ? html`<ul class="trace-tools">
                  ${s.tools.map(
                    (t, j) => html`<li key=${j} class="trace-tool">
                      <span class=${`tool-dot ${t.ok === undefined ? 'run' : t.ok ? 'ok' : 'fail'}`} aria-hidden="true"></span>
                      <code>${t.tool}</code><span class="muted small args"> ${argsText(t.args)}</span>
                      ${t.summary ? html`<div class="tool-summary">${t.ok === false ? 'Failed: ' : ''}${t.summary}${t.evidence?.length ? html` <span class="muted">[${t.evidence.join(', ')}]</span>` : null}</div>` : null}
                    </li>`,
                  )}
                </ul>`
              : null}
            ${s.review?.concerns.length ? html`<ul class="concerns">${s.review.concerns.map((c, j) => html`<li key=${j}>${c}</li>`)}</ul>` : null}
          </li>`,
        )}
      </ol>
      ${consensus
        ? html`<p class="trace-consensus">Consensus after ${consensus.rounds} round${consensus.rounds === 1 ? '' : 's'}: ${consensus.agreed.join(', ') || 'none'} agreed${consensus.dissent.length ? html`; dissent from ${consensus.dissent.map((d) => d.expert).join(', ')}` : null}.</p>`
        : null}
    </div>
  </details>`;
}
