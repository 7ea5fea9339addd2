/**
 * Routing as a real model would do it from the route prompt: read the `<experts>` cards, pick the expert whose
 * description and examples best match the task (BM25 over lemmas, typo-tolerant, card-derived synonyms), and pick as
 * reviewers the experts whose review concerns the task or the primary's likely draft touch.
 */
import type { ExpertCard } from '../protocol';
import { Bm25 } from './bm25';
import { contentRoots } from './text';

export interface RouteDecision {
  primary: string;
  reviewers: string[];
  reason: string;
}

const REVIEW_MIN = 1;
const indexes = new Map<string, { primary: Bm25; reviews: Bm25 }>();

function indexFor(cards: ExpertCard[]) {
  const key = JSON.stringify(cards);
  let ix = indexes.get(key);
  if (!ix) {
    ix = {
      primary: new Bm25(
        cards.map((c) => ({
          id: c.name,
          fields: [
            { text: c.name, weight: 2 },
            { text: c.description, weight: 2 },
            { text: c.examples.join('\n'), weight: 1 },
          ],
        })),
      ),
      reviews: new Bm25(cards.map((c) => ({ id: c.name, fields: [{ text: c.reviews.join('\n'), weight: 1 }] }))),
    };
    if (indexes.size > 50) indexes.clear();
    indexes.set(key, ix);
  }
  return ix;
}

/**
 * @param hints extra words the linked catalog adds to the task (e.g. the kinds and types of things it names), which a
 * real model would infer from the ids.
 */
export function route(task: string, cards: ExpertCard[], hints: string[] = []): RouteDecision {
  if (!cards.length) return { primary: '', reviewers: [], reason: 'no experts offered' };
  const ix = indexFor(cards);
  const words = [...contentRoots(task), ...hints.flatMap((h) => contentRoots(h))];
  const scores = ix.primary.score(words);
  const top = scores[0];
  const primary = top.score > 0 ? top.id : cards[0].name;
  const primaryCard = cards.find((c) => c.name === primary)!;
  const matched = [...ix.primary.expand(words).entries()].filter(([, w]) => w >= 0.6).map(([w]) => w);
  // What the primary's draft will likely talk about: its own description, plus the task.
  const draftWords = [...words, ...contentRoots(primaryCard.description)];
  const byTask = new Map(ix.reviews.score(words).map((s) => [s.id, s.score]));
  const byDraft = new Map(ix.reviews.score(draftWords).map((s) => [s.id, s.score]));
  const byCard = new Map(scores.map((s) => [s.id, s.score]));
  // Three signals: the task names a concern the expert reviews; the primary's likely draft does; the task is partly
  // in the other expert's own field (a runner-up is usually a stakeholder).
  const ranked = cards
    .filter((c) => c.name !== primary && c.reviews.length && top.score > 0)
    .map((c) => ({ name: c.name, score: (byTask.get(c.name) ?? 0) + 0.5 * (byDraft.get(c.name) ?? 0) + 0.3 * (byCard.get(c.name) ?? 0) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const best = ranked[0]?.score ?? 0;
  // A reviewer must be touched by the task itself or by more than one word of the likely draft.
  const reviewers = ranked.filter((r) => r.score >= 0.35 * best && r.score >= REVIEW_MIN).slice(0, 3).map((r) => r.name);
  const runnerUp = scores[1];
  const margin = runnerUp && top.score > 0 ? ` (next: ${runnerUp.id} ${runnerUp.score.toFixed(2)})` : '';
  return {
    primary,
    reviewers,
    reason:
      top.score > 0
        ? `task words ${matched.slice(0, 6).map((w) => `"${w}"`).join(', ')} match ${primary}'s card (score ${top.score.toFixed(2)}${margin})`
        : `no card matched the task; defaulting to ${primary}`,
  };
}
