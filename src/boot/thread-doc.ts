/**
 * One thread as the web chat reopens it (`GET /api/v1/threads/:id`): the copilot's latest answer (`answer(threadId)`,
 * final or as it stands while waiting for approval) with the task that asked for it, after the earlier turns the
 * graph keeps in its state (task and answer text only; the last six). The thread row adds its title and times.
 */
import { eq } from 'drizzle-orm';
import type { Answer } from '../../agents/answer';
import type { Copilot } from '../../agents/copilot';
import type { Store } from '../store';
import { threads } from '../store/schema';

export interface ThreadTurn {
  task: string;
  /** The full answer for the latest turn; `{answer}` (markdown only) for earlier ones. */
  answer: Partial<Answer> & { answer: string };
  at?: string;
}

export interface ThreadDoc {
  thread_id: string;
  title: string;
  twin: string | null;
  created_at: string | null;
  updated_at: string | null;
  /** The latest answer, as `twin ask --json` and `POST /api/v1/plans` return it. */
  answer: Answer;
  turns: ThreadTurn[];
}

type StateValues = { task?: string; at?: string; history?: { task: string; answer: string }[] };

export function threadReader(store: Store, copilot: Pick<Copilot, 'answer' | 'graph'>): (id: string) => Promise<ThreadDoc | null> {
  return async (id) => {
    const answer = await copilot.answer(id);
    if (!answer) return null;
    const [snap, [row]] = await Promise.all([
      copilot.graph.getState({ configurable: { thread_id: id } }),
      store.db.select().from(threads).where(eq(threads.id, id)).limit(1),
    ]);
    const values = (snap.values ?? {}) as StateValues;
    const history = values.history ?? [];
    // The run's own turn is the last history entry once it has proposed; the full answer stands in for it.
    const earlier = history.length && history[history.length - 1].task === values.task ? history.slice(0, -1) : history;
    const turns: ThreadTurn[] = [
      ...earlier.map((t) => ({ task: t.task, answer: { answer: t.answer, thread_id: id } })),
      { task: values.task ?? row?.title ?? '', answer, at: values.at },
    ];
    return {
      thread_id: id,
      title: row?.title ?? turns[0].task,
      twin: row?.twinId ?? null,
      created_at: row?.createdAt.toISOString() ?? null,
      updated_at: row?.updatedAt.toISOString() ?? null,
      answer,
      turns,
    };
  };
}
