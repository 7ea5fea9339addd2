/**
 * Routing as a real model would do it from the route prompt: read the `<experts>` cards, pick the expert whose
 * description and examples best match the task (BM25 over lemmas, typo-tolerant, card-derived synonyms), and pick as
 * reviewers the experts whose review concerns the task or the primary's likely draft touch.
 *
 * Two more things a reader uses: what the task's ids are (linked in the `<context>` catalog: an order, a machine, a
 * crew), scored against the cards like words, since "PO-17?" is a question about an order; and the thread so far,
 * since "go ahead and book it" continues with whoever answered the turn before.
 */
import type { ExpertCard } from '../protocol';
import { Bm25 } from './bm25';
import { linkText, type Catalog } from './link';
import { parseTurns, type CallView } from './read';
import { contentRoots } from './text';

export interface RouteDecision {
  primary: string;
  reviewers: string[];
  reason: string;
}

const REVIEW_MIN = 1;
/** How much the kinds of linked things weigh against the task's own words. */
const KIND_WEIGHT = 0.6;
/** A follow-up reads on from the turn before: its words count at this weight, and its expert gets a small lead. */
const EARLIER_WEIGHT = 0.5;
const STAY_BONUS = 0.25;
const indexes = new Map<string, { primary: Bm25; reviews: Bm25 }>();

/**
 * Multi-word expressions that mean one thing, joined so that a bag of words keeps them: "what if" is a simulation,
 * "work order" is a maintenance record and not a customer order, "on track" asks about a schedule. English usage, the
 * same for every twin; applied to the cards and the task alike.
 */
const PHRASES: [RegExp, string][] = [
  [/\bwhat[\s-]*if\b|\bwhat\s+happens\s+if\b|\bwhat\s+would\s+happen\b|\bsuppose\b|\bscenario\b/gi, ' whatif '],
  // "w/o" is "without", not a work order.
  [/\bw\/o\b/gi, ' without '],
  [/\bwork[\s-]*orders?\b|\bjob\s+tickets?\b|\bWO[\s-]*\d+\b/gi, ' workorder '],
  [/\bon[\s-]+(?:track|time|schedule)\b|\bbehind(?:\s+schedule)?\b|\bahead\s+of\s+schedule\b/gi, ' ontrack '],
  [/\bhow\s+long\s+(?:have\s+we\s+got|do\s+we\s+have|(?:will|would|can)\s+it\s+(?:last|hold|run))\b|\bremaining\s+(?:useful\s+)?life\b|\bhow\s+long\s+until\b/gi, ' lifeleft '],
  [/\bwhat'?s?\s+(?:is\s+)?(?:wrong|up|going\s+on)\s+with\b|\bis\s+(?:something|anything)\s+(?:wrong|off)\b|\bproblem\s+with\b/gi, ' wrongwith '],
  [/\bwho(?:'?s|\s+is|\s+are)\s+(?:on|in|working|around|here)\b/gi, ' whoonshift '],
  // "who can do the job", "who should take it": choosing people for work, not the work itself.
  [/\bwho\s+(?:can|could|should|would|will|is\s+able\s+to)\s+(?:do|take|handle|cover|fix|staff)\b/gi, ' whodoesjob '],
  // "Now" says when, not what about.
  [/\bright\s+now\b|\bat\s+the\s+moment\b|\bcurrently\b/gi, ' '],
  [/\boff[\s-]*peak\b/gi, ' offpeak '],
  // A machine "making noise" or "making a racket" is a symptom, not production ("make").
  [/\bmak(?:es|ing|e)\s+(?:a\s+)?(?:(?:funny|weird|strange|loud)\s+)?(?:noises?|sounds?|racket|rattle)\b/gi, ' noisy '],
  // Assent and filler carry no topic: "ok go ahead and do it".
  [/^\s*(?:(?:ok(?:ay)?|alright|sure|yes|yeah|right|so|then)\b[\s,!.]*)+/gi, ' '],
  [/\b(?:go\s+ahead(?:\s+and)?|do\s+it|pls|please|thanks)\b/gi, ' '],
];

export function joinPhrases(text: string): string {
  let out = text;
  for (const [re, token] of PHRASES) out = out.replace(re, token);
  return out;
}

function roots(text: string): string[] {
  return contentRoots(joinPhrases(text));
}

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
            { text: joinPhrases(c.description), weight: 2 },
            { text: c.examples.map(joinPhrases).join('\n'), weight: 1 },
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
 * Words everyone uses for the same idea, as a reader knows them without the cards saying so: "cheapest" is about
 * price, "staff" about people. General English, not any plant's vocabulary; a task word in a set also asks for the
 * others, at a fraction of a direct hit.
 */
const SYNONYMS: string[][] = [
  ['cheap', 'expensive', 'price', 'cost', 'tariff', 'bill', 'pay', 'rate'],
  ['power', 'electricity', 'energy', 'kwh', 'consumption', 'usage'],
  ['people', 'staff', 'crew', 'team', 'worker', 'headcount', 'personnel', 'shift'],
  ['late', 'behind', 'ontrack', 'delay', 'due', 'slip'],
  ['break', 'fail', 'failure', 'breakdown', 'fault', 'trip', 'wrongwith'],
  ['make', 'produce', 'output', 'build', 'fill', 'pack', 'ship'],
];
const SYNONYM_WEIGHT = 0.35;

function synonymsOf(words: string[]): string[] {
  const out: string[] = [];
  for (const set of SYNONYMS) if (words.some((w) => set.includes(w))) out.push(...set.filter((x) => !words.includes(x)));
  return out;
}

/** Card scores of a task's own words plus the kinds of the things it names. */
function evidence(ix: Bm25, taskWords: string[], hintWords: string[]): Map<string, number> {
  const out = new Map(ix.score(taskWords).map((s) => [s.id, s.score]));
  const related = synonymsOf(taskWords);
  if (related.length) for (const s of ix.score(related)) out.set(s.id, (out.get(s.id) ?? 0) + SYNONYM_WEIGHT * s.score);
  if (hintWords.length) for (const s of ix.score(hintWords)) out.set(s.id, (out.get(s.id) ?? 0) + KIND_WEIGHT * s.score);
  return out;
}

/** Generic words for what a linked thing is: the words a card about that kind of thing would use. */
export function kindWords(task: string, catalog: Catalog | undefined): string[] {
  if (!catalog) return [];
  const links = linkText(task, catalog);
  const out: string[] = [];
  for (const a of links.assets) {
    const asset = catalog.assets.find((x) => x.id === a.id);
    if (!asset) continue;
    out.push('machine', 'equipment');
    out.push(...contentRoots(asset.type.replace(/[_-]+/g, ' ')));
  }
  if (links.orders.length) out.push('order', 'order');
  if (links.crews.length) out.push('crew', 'shift');
  return out;
}

/** Earlier turns as the route prompt lists them ("1. Task: …" then "maintenance answered: …"), oldest first. */
export function earlierTurns(system: string, names: string[]): { task: string; primary?: string }[] {
  const at = system.search(/Earlier in this conversation:/i);
  if (at < 0) return [];
  return parseTurns(system.slice(at)).map((t) => ({
    task: t.task.split('\n')[0].trim(),
    ...(t.expert && names.includes(t.expert) ? { primary: t.expert } : {}),
  }));
}

/** Route one call of the offline model: its task, the cards, the linked catalog and the thread so far. */
export function routeView(view: CallView): RouteDecision {
  const cards = view.experts ?? [];
  const catalog = view.context?.catalog;
  const turns = earlierTurns(view.system, cards.map((c) => c.name));
  return route(view.task, cards, kindWords(view.task, catalog), {
    previous: turns.at(-1)?.primary,
    earlier: turns.map((t) => ({ task: t.task, hints: kindWords(t.task, catalog) })),
  });
}

/**
 * @param hints extra words the linked catalog adds to the task (the kinds and types of things it names), which a
 * real model would infer from the ids; they count at KIND_WEIGHT of a task word.
 * @param opts the thread so far: the expert that answered the last turn, and the earlier tasks (oldest first) with the
 * kinds of what they name.
 */
export function route(
  task: string,
  cards: ExpertCard[],
  hints: string[] = [],
  opts: { previous?: string; earlier?: { task: string; hints?: string[] }[] } = {},
): RouteDecision {
  if (!cards.length) return { primary: '', reviewers: [], reason: 'no experts offered' };
  const ix = indexFor(cards);
  const taskWords = roots(task);
  const hintWords = hints.flatMap((h) => contentRoots(h));
  const words = [...taskWords, ...hintWords];
  const raw = evidence(ix.primary, taskWords, hintWords);
  const prev = cards.some((c) => c.name === opts.previous) ? opts.previous : undefined;
  // Earlier turns count less the further back they are: the last at EARLIER_WEIGHT, the one before at half that.
  const earlier = new Map<string, number>();
  [...(opts.earlier ?? [])].reverse().forEach((t, i) => {
    const e = evidence(ix.primary, roots(t.task), (t.hints ?? []).flatMap((h) => contentRoots(h)));
    for (const [id, v] of e) earlier.set(id, (earlier.get(id) ?? 0) + v * Math.pow(0.5, i));
  });
  const own = cards.map((c) => ({ id: c.name, score: raw.get(c.name) ?? 0 }));
  const best = Math.max(...own.map((r) => r.score), ...[...earlier.values()].map((v) => EARLIER_WEIGHT * v));
  // A follow-up with little of its own ("go ahead and book it", "and why not?") reads on from the turn before.
  const scores = own
    .map((r) => ({ id: r.id, score: r.score + EARLIER_WEIGHT * (earlier.get(r.id) ?? 0) + (r.id === prev ? STAY_BONUS * best : 0) }))
    .sort((a, b) => b.score - a.score || cards.findIndex((c) => c.name === a.id) - cards.findIndex((c) => c.name === b.id));
  const top = scores[0];
  const primary = top.score > 0 ? top.id : cards[0].name;
  const primaryCard = cards.find((c) => c.name === primary)!;
  const matched = [...ix.primary.expand(words).entries()].filter(([, w]) => w >= 0.6).map(([w]) => w);
  // What the primary's draft will likely talk about: its own description, plus the task.
  const draftWords = [...words, ...contentRoots(primaryCard.description)];
  const byTask = new Map(ix.reviews.score(words).map((s) => [s.id, s.score]));
  const byDraft = new Map(ix.reviews.score(draftWords).map((s) => [s.id, s.score]));
  const byCard = raw;
  // Three signals: the task names a concern the expert reviews; the primary's likely draft does; the task is partly
  // in the other expert's own field (a runner-up is usually a stakeholder).
  const ranked = cards
    .filter((c) => c.name !== primary && c.reviews.length && top.score > 0)
    .map((c) => ({ name: c.name, score: (byTask.get(c.name) ?? 0) + 0.5 * (byDraft.get(c.name) ?? 0) + 0.3 * (byCard.get(c.name) ?? 0) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const bestReview = ranked[0]?.score ?? 0;
  // A reviewer must be touched by the task itself or by more than one word of the likely draft.
  const reviewers = ranked.filter((r) => r.score >= 0.35 * bestReview && r.score >= REVIEW_MIN).slice(0, 3).map((r) => r.name);
  const runnerUp = scores[1];
  const margin = runnerUp && top.score > 0 ? ` (next: ${runnerUp.id} ${runnerUp.score.toFixed(2)})` : '';
  const kinds = hintWords.length ? `, and it names ${[...new Set(hintWords)].slice(0, 4).join('/')}` : '';
  const stayed = prev === primary ? `; the thread was already with ${prev}` : '';
  return {
    primary,
    reviewers,
    reason:
      top.score > 0
        ? `task words ${matched.slice(0, 6).map((w) => `"${w}"`).join(', ')}${kinds} match ${primary}'s card (score ${top.score.toFixed(2)}${margin})${stayed}`
        : `no card matched the task; defaulting to ${primary}`,
  };
}
