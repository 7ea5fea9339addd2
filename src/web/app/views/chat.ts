/**
 * Chat: the thread list (from the service when it keeps one, else this browser's), the turns of the open thread, and
 * the composer. A new question streams: the trace grows step by step, then the answer replaces the spinner.
 */
import { html, useEffect, useRef, useState } from '../lib/html';
import * as client from '../lib/client';
import { errorText, fmtAgo } from '../lib/format';
import { localThreads, localTurns, saveTurn, streamPlan, turnsFromServer, type Turn } from '../lib/plan';
import { href, navigate } from '../lib/router';
import type { PlanEvent, ThreadSummary } from '../lib/types';
import { AnswerView } from './answer';
import { ErrorNote, Loading } from './status';
import { Trace } from './trace';

const EXAMPLES = [
  'Which machine is most likely to fail next, and when should we service it without missing PO-1042?',
  'Why is our compressed-air energy up this week?',
  'Can we move the oven pre-heat out of the peak window, and what does it save per month?',
  'Who should do the cnc-a2 bearing job, given crew fatigue?',
];

function ThreadList({ current, refresh }: { current?: string; refresh: number }) {
  const [list, setList] = useState<ThreadSummary[] | null>(null);
  useEffect(() => {
    let live = true;
    client
      .threads()
      .catch(() => null)
      .then((server) => {
        if (!live) return;
        // Merge: the service's list wins; this browser's fills in threads the service does not list.
        const local = localThreads();
        const seen = new Set((server ?? []).map((t) => t.thread_id));
        setList([...(server ?? []), ...local.filter((t) => !seen.has(t.thread_id))]);
      });
    return () => {
      live = false;
    };
  }, [refresh]);
  return html`<nav class="threads" aria-label="Threads">
    <a class="btn btn-primary new-thread" href="#/chat">+ New thread</a>
    ${list === null
      ? html`<${Loading} />`
      : list.length === 0
        ? html`<p class="muted small">No threads yet.</p>`
        : html`<ul>
            ${list.map(
              (t) => html`<li key=${t.thread_id}>
                <a href=${href(['chat', t.thread_id])} class=${t.thread_id === current ? 'current' : ''} aria-current=${t.thread_id === current ? 'page' : undefined}>
                  <span class="thread-title">${t.title}</span>
                  ${t.updated_at ? html`<span class="muted small">${fmtAgo(t.updated_at)}</span>` : null}
                </a>
              </li>`,
            )}
          </ul>`}
  </nav>`;
}

function TurnView({ turn }: { turn: LiveTurn }) {
  return html`<article class="turn" aria-busy=${turn.running ? 'true' : 'false'}>
    <div class="bubble question"><span class="sr-only">You asked: </span>${turn.task}</div>
    ${turn.events.length || turn.running ? html`<${Trace} events=${turn.events} running=${turn.running} />` : null}
    ${turn.answer ? html`<${AnswerView} answer=${turn.answer} />` : null}
    ${turn.error ? html`<${ErrorNote} error=${turn.errorObj ?? new Error(turn.error)} what="answer" />` : null}
  </article>`;
}

type LiveTurn = Turn & { errorObj?: unknown };

export function ChatPage({ threadId }: { threadId?: string }) {
  const [shown, setShown] = useState<string | undefined>(undefined);
  const [turns, setTurns] = useState<LiveTurn[]>([]);
  const [loading, setLoading] = useState(false);
  const [task, setTask] = useState('');
  const [busy, setBusy] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const endRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  // Load a thread when the route names one we are not already showing (a just-answered new thread is).
  useEffect(() => {
    if (threadId === shown && (turns.length || !threadId)) return;
    setShown(threadId);
    if (!threadId) {
      setTurns([]);
      return;
    }
    let live = true;
    setLoading(true);
    const local = localTurns(threadId);
    setTurns(local);
    client
      .thread(threadId)
      .catch(() => null)
      .then((doc) => {
        if (!live) return;
        // The service keeps full answers for the latest turn only (earlier ones: text and actions); where this browser
        // kept the full answer of an earlier turn (with its evidence), that one is shown.
        const server = turnsFromServer(doc).map((t) => (t.answer?.run_id ? t : (local.find((l) => l.task === t.task && l.answer?.run_id) ?? t)));
        if (server.length) setTurns(server);
        setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [threadId]);

  useEffect(() => () => abortRef.current?.abort(), []);
  useEffect(() => endRef.current?.scrollIntoView({ block: 'end', behavior: 'smooth' }), [turns.length]);

  const ask = async (text: string) => {
    const q = text.trim();
    if (!q || busy) return;
    setBusy(true);
    setTask('');
    const at = new Date().toISOString();
    let turn: LiveTurn = { task: q, events: [], running: true, at };
    const put = (t: LiveTurn) => {
      turn = t;
      setTurns((ts) => [...ts.filter((x) => x.at !== at), t]);
    };
    put(turn);
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    try {
      const answer = await streamPlan({ task: q, thread_id: shown }, (e: PlanEvent) => {
        if (e.type !== 'answer') put({ ...turn, events: [...turn.events, e] });
      }, ctrl.signal);
      put({ ...turn, answer, running: false });
      const id = answer.thread_id ?? shown;
      if (id) {
        saveTurn(id, turn);
        if (id !== shown) {
          setShown(id);
          navigate(href(['chat', id]));
        }
      }
      setRefresh((n) => n + 1);
    } catch (err) {
      if ((err as Error)?.name !== 'AbortError') put({ ...turn, running: false, error: errorText(err), errorObj: err });
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void ask(task);
    }
  };

  return html`<div class="chat-layout">
    <${ThreadList} current=${shown} refresh=${refresh} />
    <section class="chat" aria-label="Conversation">
      <div class="turns">
        ${loading && !turns.length ? html`<${Loading} text="Loading thread…" />` : null}
        ${!turns.length && !loading
          ? html`<div class="empty">
              <h2>Ask the plant</h2>
              <p class="muted">The copilot routes your question to its experts, checks the twin's data, and proposes actions for you to approve.</p>
              <ul class="examples">
                ${EXAMPLES.map((ex) => html`<li key=${ex}><button type="button" class="btn btn-ghost example" onClick=${() => ask(ex)} disabled=${busy}>${ex}</button></li>`)}
              </ul>
            </div>`
          : turns.map((t) => html`<${TurnView} key=${t.at} turn=${t} />`)}
        <div ref=${endRef}></div>
      </div>
      <form class="composer" onSubmit=${(e: Event) => { e.preventDefault(); void ask(task); }}>
        <label for="task" class="sr-only">Your question</label>
        <textarea id="task" ref=${inputRef} rows="2" placeholder=${shown ? 'Follow up…' : 'Ask about the plant, e.g. which machine needs service first'}
          value=${task} onInput=${(e: Event) => setTask((e.target as HTMLTextAreaElement).value)} onKeyDown=${onKey} disabled=${busy}></textarea>
        <button type="submit" class="btn btn-primary" disabled=${busy || !task.trim()}>${busy ? 'Working…' : 'Ask'}</button>
      </form>
    </section>
  </div>`;
}
