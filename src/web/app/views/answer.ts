/**
 * A finished answer: the text as sanitised Markdown, recommendations with their evidence, the evidence list (each
 * readings item links to the asset chart with its window highlighted), consensus and dissent, and action cards.
 */
import { html } from '../lib/html';
import { evidenceHref } from '../lib/evidence';
import { fmtTime, label } from '../lib/format';
import { markdown } from '../lib/markdown';
import { useSession } from '../lib/session';
import type { Answer, Evidence } from '../lib/types';
import { ActionCard } from './action-card';
import { Badge } from './status';

function anchorOf(runId: string, evId: string): string {
  return `ev-${runId}-${evId}`.replace(/[^\w-]/g, '_');
}

export function AnswerView({ answer }: { answer: Answer }) {
  const session = useSession();
  const evidence = Array.isArray(answer.evidence) ? answer.evidence : [];
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const runId = answer.run_id ?? 'run';
  // An evidence id in the text jumps to its chart when it has one, else to its entry in the list.
  const hrefFor = (id: string): string | null => {
    const ev = byId.get(id);
    if (!ev) return null;
    return evidenceHref(ev, session.twin, session.twins) ?? `#${anchorOf(runId, id)}`;
  };
  const linkFor = (ev: Evidence) => evidenceHref(ev, session.twin, session.twins);
  const consensus = answer.consensus;
  return html`<div class="answer" data-run-id=${runId}>
    <div class="prose">${markdown(String(answer.answer ?? ''), { evidenceHref: hrefFor })}</div>

    ${answer.recommendations?.length
      ? html`<section class="recs" aria-label="Recommendations">
          <h4>Recommendations</h4>
          <ol>
            ${answer.recommendations.map(
              (r, i) => html`<li key=${i}>${r.text}
                ${r.evidence?.length
                  ? html` <span class="ev-chips">${r.evidence.map((id) => {
                      const target = hrefFor(id);
                      return target ? html`<a key=${id} class="chip" href=${target}>${id}</a>` : html`<span key=${id} class="chip">${id}</span>`;
                    })}</span>`
                  : null}
              </li>`,
            )}
          </ol>
        </section>`
      : null}

    ${answer.actions?.length
      ? html`<section class="actions" aria-label="Proposed actions">
          <h4>Proposed actions</h4>
          <div class="cards">${answer.actions.map((a) => html`<${ActionCard} key=${a.id} action=${a} />`)}</div>
        </section>`
      : null}

    ${consensus
      ? html`<section class="consensus" aria-label="Consensus">
          <h4>Consensus</h4>
          <p>
            ${consensus.agreed?.length ? html`Agreed: ${consensus.agreed.map((x) => html`<${Badge} key=${x} kind="agree" text=${x} /> `)}` : 'No expert agreed outright.'}
            <span class="muted small"> after ${consensus.rounds} review round${consensus.rounds === 1 ? '' : 's'}</span>
          </p>
          ${consensus.dissent?.length
            ? html`<ul class="dissent">${consensus.dissent.map((d, i) => html`<li key=${i}><strong>${d.expert}</strong> dissents: ${d.concern}</li>`)}</ul>`
            : html`<p class="muted small">No dissent.</p>`}
        </section>`
      : null}

    ${evidence.length
      ? html`<section class="evidence" aria-label="Evidence">
          <h4>Evidence</h4>
          <ul class="evidence-list">
            ${evidence.map((ev) => {
              const target = linkFor(ev);
              return html`<li key=${ev.id} id=${anchorOf(runId, ev.id)} class="evidence-item" data-kind=${ev.kind}>
                <span class="chip">${ev.id}</span> <${Badge} kind="kind" text=${ev.kind} />
                ${target ? html` <a class="ev-link mono" href=${target}>${ev.ref}</a>` : html` <span class="mono">${ev.ref}</span>`}
                <div>${ev.summary}</div>
                ${ev.window ? html`<div class="muted small">${fmtTime(ev.window.start)} → ${fmtTime(ev.window.end)}</div>` : null}
              </li>`;
            })}
          </ul>
        </section>`
      : null}

    <p class="muted small usage">
      ${answer.route ? html`Answered by ${answer.route.primary}${answer.route.reviewers?.length ? ` with ${answer.route.reviewers.join(', ')}` : ''} · ` : null}
      ${answer.provider ? html`model: ${label(answer.provider)} · ` : null}
      ${answer.usage ? html`${answer.usage.llm_calls} model calls, ${answer.usage.tool_calls} tool calls, ${(answer.usage.ms / 1000).toFixed(1)} s` : null}
    </p>
  </div>`;
}
