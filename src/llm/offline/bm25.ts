/**
 * Okapi BM25 over lemmatised words, with fuzzy term matching (typos, word forms) and query expansion by
 * co-occurrence: two words that keep appearing in the same sentence of the indexed texts are treated as weak
 * synonyms, so the synonyms come from the documents themselves rather than from a hand-made list.
 */
import { bestMatch, contentRoots } from './text';

export interface Doc {
  id: string;
  /** Weighted fields; a field of weight 2 counts its words twice. */
  fields: { text: string; weight: number }[];
}

interface Indexed {
  id: string;
  tf: Map<string, number>;
  length: number;
}

const K1 = 1.2;
const B = 0.75;
const FUZZY_MIN = 0.6;
const SYNONYM_WEIGHT = 0.35;

export class Bm25 {
  private readonly docs: Indexed[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly vocab: string[];
  /** word → words it shares sentences with, with a strength in (0,1]. */
  private readonly related = new Map<string, Map<string, number>>();

  constructor(docs: Doc[]) {
    this.docs = docs.map((d) => {
      const tf = new Map<string, number>();
      let length = 0;
      for (const f of d.fields) {
        for (const sentence of f.text.split(/[.;!?\n]+/)) {
          const words = contentRoots(sentence);
          for (const w of words) {
            tf.set(w, (tf.get(w) ?? 0) + f.weight);
            length += f.weight;
          }
          this.relate(words);
        }
      }
      for (const w of tf.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      return { id: d.id, tf, length };
    });
    this.avgLength = this.docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.docs.length) || 1;
    this.vocab = [...this.df.keys()];
  }

  private relate(words: string[]): void {
    const uniq = [...new Set(words)];
    if (uniq.length > 12) return; // long sentences say little about any pair of words
    for (const a of uniq) {
      let m = this.related.get(a);
      if (!m) this.related.set(a, (m = new Map()));
      for (const b of uniq) if (a !== b) m.set(b, Math.min(1, (m.get(b) ?? 0) + 0.5));
    }
  }

  private idf(word: string): number {
    const n = this.docs.length;
    const df = this.df.get(word) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Map each query word onto index words: exact, fuzzy, then co-occurrence synonyms for words left unmatched. */
  expand(query: string | string[]): Map<string, number> {
    const words = Array.isArray(query) ? query : contentRoots(query);
    const out = new Map<string, number>();
    const put = (w: string, s: number) => out.set(w, Math.max(out.get(w) ?? 0, s));
    for (const q of words) {
      if (this.df.has(q)) {
        put(q, 1);
        continue;
      }
      const m = bestMatch(q, this.vocab);
      // A four-letter word one letter away is as often another word as a typo ("oven"/"open"): only when the first two
      // letters agree.
      if (m && m.score >= FUZZY_MIN && (q.length > 4 || m.word.slice(0, 2) === q.slice(0, 2))) put(m.word, m.score);
    }
    // Synonyms only widen, never dominate: their weight is a fraction of a direct hit.
    for (const [w, s] of [...out]) {
      for (const [r, strength] of this.related.get(w) ?? []) if (!out.has(r)) put(r, s * strength * SYNONYM_WEIGHT * 0.5);
    }
    return out;
  }

  /** Scores of every document for a query, best first. */
  score(query: string | string[]): { id: string; score: number }[] {
    const q = this.expand(query);
    return this.docs
      .map((d) => {
        let score = 0;
        for (const [w, weight] of q) {
          const tf = d.tf.get(w);
          if (!tf) continue;
          const norm = tf * (K1 + 1) / (tf + K1 * (1 - B + (B * d.length) / this.avgLength));
          score += weight * this.idf(w) * norm;
        }
        return { id: d.id, score };
      })
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  }
}
