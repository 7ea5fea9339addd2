/**
 * Runs a plan over SSE (`POST /api/v1/plans`, `Accept: text/event-stream`) and keeps a thread's turns in this
 * browser, so the thread list works even when the service keeps no thread index of its own.
 */
import { apiFetch } from './api';
import { parseFrame, readSse } from './sse';
import type { Answer, PlanEvent, ThreadSummary } from './types';

export interface Turn {
  task: string;
  events: PlanEvent[];
  answer?: Answer;
  error?: string;
  /** True while the stream is open. */
  running?: boolean;
  at: string;
}

/** Stream one plan. Calls `onEvent` for each step; resolves with the answer, or throws ApiError / Error. */
export async function streamPlan(
  body: { task: string; thread_id?: string },
  onEvent: (e: PlanEvent) => void,
  signal?: AbortSignal,
): Promise<Answer> {
  const res = await apiFetch('/api/v1/plans', { method: 'POST', body, accept: 'text/event-stream', signal });
  const ctype = res.headers.get('content-type') ?? '';
  if (!ctype.includes('text/event-stream')) {
    // A service that ignores Accept still answers with the whole Answer.
    const answer = (await res.json()) as Answer;
    onEvent({ type: 'answer', answer });
    return answer;
  }
  let answer: Answer | undefined;
  for await (const frame of readSse(res)) {
    const ev = parseFrame(frame);
    if (ev.type === 'error') {
      const e = (ev.error ?? ev) as { message?: string; code?: string };
      throw new Error(e.message ?? e.code ?? 'the plan failed');
    }
    if (ev.type === 'answer') {
      answer = (ev.answer ?? ev) as Answer;
      onEvent({ type: 'answer', answer });
    } else onEvent(ev as unknown as PlanEvent);
  }
  if (!answer) throw new Error('the stream ended before an answer arrived');
  return answer;
}

const INDEX_KEY = 'twinpilot.threads';
const turnsKey = (id: string) => `twinpilot.thread.${id}`;
const MAX_THREADS = 50;

function readJson<T>(key: string, fallback: T): T {
  try {
    const s = localStorage.getItem(key);
    return s ? (JSON.parse(s) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function localThreads(): ThreadSummary[] {
  return readJson<ThreadSummary[]>(INDEX_KEY, []);
}

export function localTurns(id: string): Turn[] {
  return readJson<Turn[]>(turnsKey(id), []);
}

/** Remember a finished turn. Old threads fall off the end; storage errors (quota, private mode) are ignored. */
export function saveTurn(id: string, turn: Turn): void {
  try {
    const turns = localTurns(id).filter((t) => t.at !== turn.at);
    turns.push({ ...turn, running: false });
    localStorage.setItem(turnsKey(id), JSON.stringify(turns.slice(-30)));
    const index = localThreads().filter((t) => t.thread_id !== id);
    const title = turns[0]?.task ?? turn.task;
    index.unshift({ thread_id: id, title, updated_at: new Date().toISOString() });
    for (const dropped of index.splice(MAX_THREADS)) localStorage.removeItem(turnsKey(dropped.thread_id));
    localStorage.setItem(INDEX_KEY, JSON.stringify(index));
  } catch {
    /* the turn stays on screen; it is only not remembered */
  }
}

/** Turns from a service thread document, whichever of the usual shapes it takes. */
export function turnsFromServer(doc: Record<string, unknown> | null): Turn[] {
  if (!doc) return [];
  const list = (doc.turns ?? doc.runs ?? doc.messages ?? doc.items) as unknown;
  if (!Array.isArray(list)) return [];
  const turns: Turn[] = [];
  let pendingTask: string | null = null;
  for (const item of list as Record<string, unknown>[]) {
    if (!item || typeof item !== 'object') continue;
    if ('answer' in item && item.answer && typeof item.answer === 'object') {
      turns.push({ task: String(item.task ?? pendingTask ?? ''), events: [], answer: item.answer as Answer, at: String(item.at ?? item.created_at ?? turns.length) });
      pendingTask = null;
    } else if (item.role === 'user') pendingTask = String(item.content ?? '');
    else if (item.role === 'assistant') {
      const answer = (item.answer ?? item.data) as Answer | undefined;
      if (answer && typeof answer === 'object') turns.push({ task: pendingTask ?? '', events: [], answer, at: String(item.at ?? turns.length) });
      else turns.push({ task: pendingTask ?? '', events: [], answer: { answer: String(item.content ?? '') } as Answer, at: String(turns.length) });
      pendingTask = null;
    }
  }
  return turns;
}
