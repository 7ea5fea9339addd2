/**
 * Words for the offline model: content words lemmatised by `compromise`, and a fuzzy word match (edit distance,
 * trigrams, shared stems) so that typos and word forms ("servicing", "serivce", "services") still meet.
 * Results are cached by text: the same cards and descriptions are read on every call of a run.
 */
import nlp from 'compromise';
import { memoText } from './memo';

export interface Term {
  /** Lower-case surface form, as written. */
  word: string;
  /** Lemma (compromise root), falling back to the surface form. */
  root: string;
  /** Part-of-speech tags compromise gave the word. */
  tags: string[];
}


/** Tags of words that carry no topic: "the", "we", "should", "and", "of", "which". */
const FUNCTION_TAGS = ['Determiner', 'Preposition', 'Pronoun', 'Conjunction', 'Auxiliary', 'Modal', 'Copula', 'QuestionWord'];
/** Closed-class words compromise sometimes leaves untagged. English grammar, not domain vocabulary. */
const FUNCTION_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'with', 'is', 'are', 'be', 'it', 'its', 'we', 'our', 'us', 'do', 'does', 'can', 'could', 'should', 'would', 'will', 'what', 'which', 'who', 'when', 'why', 'how', 'this', 'that', 'these', 'those', 'any', 'at', 'by', 'from', 'as', 'if', 'so', 'not', 'no', 'me', 'i', 'you', 'there', 'their', 'they', 'was', 'were', 'been', 'has', 'have', 'had', 'e.g', 'etc', 'one', 'each', 'every', 'all', 'about', 'into', 'out', 'up', 'get', 'give', 'let', 'some', 'than', 'then', 'just', 'also', 'please', 'my', 'your', 'whats', 'what\'s']);

/** Split identifiers and prose into plain words: `vibration_rms` → "vibration rms", `cnc-a2` stays joined in ids. */
export function plainWords(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_/]+/g, ' ')
    .replace(/[^\p{L}\p{N}\-.'\s]+/gu, ' ');
}

/**
 * One compromise reading of a text, shared by the functions that read it as written (intent, people, numbers):
 * parsing is the cost, and those only query the document. Remembered for the last texts (memo.ts).
 */
export const docOf = memoText((text: string) => nlp(text), 128);

/** All words of a text with their lemma and tags (function words included); remembered per text (memo.ts). */
export const terms = memoText(termsIn, 5000);

function termsIn(text: string): Term[] {
  const doc = nlp(plainWords(text));
  doc.compute('root');
  const out: Term[] = [];
  for (const sentence of doc.json({ terms: { normal: true, tags: true } } as object) as { terms: { normal?: string; root?: string; text: string; tags?: string[] }[] }[]) {
    for (const t of sentence.terms) {
      const word = (t.normal ?? t.text).toLowerCase().replace(/^[-.']+|[-.']+$/g, '');
      if (!word) continue;
      const root = (t.root ?? word).toLowerCase().replace(/^[-.']+|[-.']+$/g, '') || word;
      out.push({ word, root, tags: t.tags ?? [] });
    }
  }
  return out;
}

export function isFunctionWord(t: Term): boolean {
  if (FUNCTION_WORDS.has(t.word) || FUNCTION_WORDS.has(t.root)) return true;
  return t.tags.some((tag) => FUNCTION_TAGS.includes(tag));
}

/** Lemmas of the content words of a text: what topic matching compares. */
export function contentRoots(text: string): string[] {
  return terms(text)
    .filter((t) => !isFunctionWord(t) && t.root.length > 1)
    .map((t) => t.root);
}

/**
 * contentRoots for long prose (a draft answer), read word by word so each word's reading is remembered across texts:
 * tagging a long text in one piece costs milliseconds per call, and topic matching needs only the lemmas. A word read
 * alone can take another lemma than in its sentence; short texts (tasks) keep the sentence reading.
 */
export function contentRootsByWord(text: string): string[] {
  const out: string[] = [];
  for (const w of plainWords(text).split(/\s+/)) {
    // Digit-bearing words (figures, times, ids) name no topic, and each would be a new word to tag.
    if (w && !/\d/.test(w)) for (const t of terms(w.toLowerCase())) if (!isFunctionWord(t) && t.root.length > 1) out.push(t.root);
  }
  return out;
}

/** Content words in both forms, lemma and as written: a lemma depends on context ("capping" verb → "cap"). */
export function contentForms(text: string): string[] {
  const out = new Set<string>();
  for (const t of terms(text)) if (!isFunctionWord(t) && t.root.length > 1) out.add(t.root).add(t.word);
  return [...out];
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent swaps), cut off above `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j];
    prev = cur;
  }
  return prev[b.length];
}

function trigrams(s: string): Set<string> {
  const p = `  ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  return out;
}

/** Jaccard similarity of character trigrams, in [0,1]. */
export function trigramSimilarity(a: string, b: string): number {
  const A = trigrams(a);
  const B = trigrams(b);
  let inter = 0;
  for (const g of A) if (B.has(g)) inter++;
  return inter / (A.size + B.size - inter || 1);
}

/**
 * How alike two words are, in [0,1]: 1 for equal, ~0.85 for one typo or a shared stem ("compressed"/"compressor"),
 * 0 for unrelated. Short words must match exactly: "kw" and "kg" are different things.
 */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // A plain plural of a short word ("cncs", "plcs", "ahus") that the stemmer left alone.
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (short.length >= 3 && (long === `${short}s` || long === `${short}es`)) return 0.9;
  const n = Math.min(a.length, b.length);
  if (n < 4) return 0;
  let prefix = 0;
  while (prefix < n && a[prefix] === b[prefix]) prefix++;
  // A long shared stem ("compress-ed"/"compress-or", "fail"/"failure") is the same idea in another word form.
  // A whole short word at the start of a longer one ("safe"/"safety") beats a one-letter typo ("safe"/"save").
  if (prefix >= 4 && prefix === n) return 0.88;
  if (prefix >= 5) return 0.85;
  // Typos rarely hit the first letter, and two real words often differ only there ("late"/"date").
  if (a[0] !== b[0]) return 0;
  // Four letters one apart are as often two words as a typo ("oven"/"open"): only when the first two agree.
  if (n === 4 && a[1] !== b[1]) return 0;
  const allowed = n >= 8 ? 2 : 1;
  const d = editDistance(a, b, allowed);
  if (d <= allowed) return d === 1 ? 0.85 : 0.7;
  return trigramSimilarity(a, b) >= 0.6 ? 0.6 : 0;
}

/** Best similarity of a word against a list of words. */
export function bestMatch(word: string, candidates: Iterable<string>): { word: string; score: number } | undefined {
  let best: { word: string; score: number } | undefined;
  for (const c of candidates) {
    const s = wordSimilarity(word, c);
    if (s > 0 && (!best || s > best.score)) best = { word: c, score: s };
    if (s === 1) break;
  }
  return best;
}

/** Identifiers compared without punctuation or case: "CNC A2", "cnc-a2" and "cnca2" are one thing. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
