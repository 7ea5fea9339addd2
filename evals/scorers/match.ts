/**
 * Matching rules shared by the scorers. A fact is plain text or `/regex/`, both case-insensitive. An action pattern
 * matches a proposal on the fields it gives only (τ-bench's state match): strings compare case-insensitively, numbers
 * exactly, objects by the keys the pattern names, and a list in the pattern needs each of its items somewhere in the
 * proposal's list.
 */
import type { ActionPattern } from '../suite';

/** Compile a fact into a predicate over text. */
export function factMatcher(fact: string): (text: string) => boolean {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(fact);
  if (m) {
    const flags = new Set(`${m[2] ?? ''}i`.replace(/g/g, ''));
    const re = new RegExp(m[1]!, [...flags].join(''));
    return (text) => re.test(text);
  }
  const needle = fact.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === expected || actual === undefined || actual === null;
  if (typeof expected === 'string') {
    if (typeof actual === 'string') return actual.toLowerCase() === expected.toLowerCase();
    if (typeof actual === 'number' || typeof actual === 'boolean') return String(actual).toLowerCase() === expected.toLowerCase();
    return false;
  }
  if (typeof expected === 'number') return typeof actual === 'number' ? actual === expected : Number(actual) === expected;
  if (typeof expected === 'boolean') return actual === expected;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    return expected.every((e) => actual.some((a) => valueMatches(e, a)));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => valueMatches(v, a[k]));
  }
  return false;
}

/** Does a proposal (or a command seen as a send_command) match a pattern on the fields the pattern gives? */
export function actionMatches(pattern: ActionPattern, action: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([k, v]) => valueMatches(v, action[k]));
}

export function describeAction(a: { type: string; params?: Record<string, unknown>; status?: string }): string {
  const params = a.params && Object.keys(a.params).length ? ` ${JSON.stringify(a.params)}` : '';
  return `${a.type}${params}${a.status ? ` [${a.status}]` : ''}`;
}
