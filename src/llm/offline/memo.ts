/**
 * Memory for the offline model's pure text functions. One plan makes six or more model calls, and each call reads
 * the same task again: links to the catalog, numbers, times, intent and requests. Those readings (compromise and
 * chrono parses among them) were most of the model's time, so each is kept for the next call, keyed by its inputs.
 * Callers must treat what comes back as read-only: it is shared.
 */

/** A function of one text, remembered for the last `max` distinct texts. */
export function memoText<T>(fn: (text: string) => T, max = 512): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    const hit = seen.get(text);
    if (hit !== undefined || seen.has(text)) return hit as T;
    const value = fn(text);
    // Bounded by forgetting everything at once: simple, and a plan needs only its own few texts.
    if (seen.size >= max) seen.clear();
    seen.set(text, value);
    return value;
  };
}

/** A function of an object and a text, remembered per object (forgotten with it) and per text. */
export function memoPer<O extends object, T>(fn: (of: O, text: string) => T, max = 256): (of: O, text: string) => T {
  const per = new WeakMap<O, (text: string) => T>();
  return (of, text) => {
    let f = per.get(of);
    if (!f) per.set(of, (f = memoText((t) => fn(of, t), max)));
    return f(text);
  };
}
