/**
 * One thread as the web chat reopens it (`GET /api/v1/threads/:id`): the copilot's latest answer (`answer(threadId)`,
 * final or as it stands while waiting for approval) with the task that asked for it, after the earlier turns the
 * graph keeps in its state (the last six: task, answer text, and the actions they proposed, as they stand now). The
 * thread row adds its title and times.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Action, Answer } from '../../agents/answer';
import type { Copilot } from '../../agents/copilot';
import type { Store } from '../store';
import { actionProposals, threads } from '../store/schema';

export interface ThreadTurn {
  task: string;
  /** The full answer for the latest turn; for earlier ones the markdown and the proposed actions (no evidence). */
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

type StateValues = { task?: string; at?: string; history?: { task: string; answer: string; actions?: string[] }[] };

async function actionsById(store: Store, ids: string[]): Promise<Map<string, Action>> {
  if (!ids.length) return new Map();
  const list = await store.db.select().from(actionProposals).where(inArray(actionProposals.id, ids));
  return new Map(
    list.map((r) => [r.id, { id: r.id, type: r.type as Action['type'], params: r.params, risk: r.risk, status: r.status, proposed_by: r.proposedBy, rationale: r.rationale ?? '' }]),
  );
}

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
    // A history turn names its actions as "act_… type" (agents/nodes/propose.ts): the id is the first word.
    const idsOf = (t: { actions?: string[] }) => (t.actions ?? []).map((a) => String(a).split(' ')[0]);
    const actions = await actionsById(store, earlier.flatMap(idsOf));
    const turns: ThreadTurn[] = [
      ...earlier.map((t) => ({
        task: t.task,
        answer: { answer: t.answer, thread_id: id, actions: idsOf(t).map((a) => actions.get(a)).filter((a): a is Action => !!a) },
      })),
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
