/**
 * Streaming readers for telemetry files and request bodies: CSV (`ts,asset,property,value`, optional `twin` column),
 * NDJSON and JSON arrays. Each yields one item per record, in order, without holding the whole input in memory,
 * so a 1 GB file or request body costs the memory of one record. Parse problems become items with a reason, never
 * exceptions, because one bad line must not cost the valid ones.
 */
import { AppError } from '../errors';

export type TelemetryFormat = 'csv' | 'ndjson' | 'json';

/** One record of an input: `n` is the 0-based record index (HTTP) and `line` the 1-based line (files). */
export type RawItem = { n: number; line: number; value: unknown } | { n: number; line: number; error: string };

type Chunks = AsyncIterable<Uint8Array | string>;

/**
 * Split a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries: the complete lines of each
 * chunk come as one array. One await per chunk rather than per line: an async generator step costs a promise and a
 * turn of the microtask queue, which at a million lines is more than the JSON parsing.
 */
export async function* lineBatches(input: Chunks): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    let start = 0;
    let nl: number;
    while ((nl = rest.indexOf('\n', start)) !== -1) {
      const end = nl > start && rest.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      out.push(rest.slice(start, end));
      start = nl + 1;
    }
    rest = rest.slice(start);
    if (out.length > 0) yield out;
  }
  rest += decoder.decode();
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** Split a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries. */
export async function* lines(input: Chunks): AsyncGenerator<string> {
  for await (const batch of lineBatches(input)) yield* batch;
}

/** One item at a time from a reader that yields them in arrays. */
async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** Split one CSV line, honouring double quotes ("a,b" and "" escapes). */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

const CSV_COLUMNS = ['ts', 'asset', 'property', 'value', 'twin'] as const;

/**
 * CSV with a header naming the columns (`ts,asset,property,value`, `twin` optional, any order). Without a header
 * line the columns are taken as `ts,asset,property,value[,twin]`. Values stay strings; validation parses them.
 */
export async function* readCsv(input: Chunks): AsyncGenerator<RawItem> {
  let columns: string[] | null = null;
  let lineNo = 0;
  let n = 0;
  for await (const text of lines(input)) {
    lineNo++;
    if (text.trim() === '') continue;
    const cells = splitCsv(text).map((c) => c.trim());
    if (columns === null) {
      const lower = cells.map((c) => c.toLowerCase().replace(/^\uFEFF/, ''));
      if (lower.includes('ts') && lower.includes('value')) {
        columns = lower;
        continue;
      }
      columns = [...CSV_COLUMNS];
    }
    const record: Record<string, string> = {};
    if (cells.length < 4) {
      yield { n: n++, line: lineNo, error: `expected 4 columns (ts,asset,property,value), got ${cells.length}` };
      continue;
    }
    columns.forEach((col, i) => {
      if (cells[i] !== undefined && (CSV_COLUMNS as readonly string[]).includes(col)) record[col] = cells[i];
    });
    yield { n: n++, line: lineNo, value: record };
  }
}

/** Newline-delimited JSON: one value per non-empty line. */
export function readNdjson(input: Chunks): AsyncGenerator<RawItem> {
  return flatten(readNdjsonBatches(input));
}

/** readNdjson, the items of each input chunk as one array (the HTTP door: one await per chunk). */
export async function* readNdjsonBatches(input: Chunks): AsyncGenerator<RawItem[]> {
  let lineNo = 0;
  let n = 0;
  for await (const texts of lineBatches(input)) {
    const out: RawItem[] = [];
    for (const text of texts) {
      lineNo++;
      // A record line starts with "{"; only other lines need the whitespace check.
      if (text.charCodeAt(0) !== 123 && text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        out.push({ n: n++, line: lineNo, error: `invalid JSON: ${(err as Error).message}` });
        continue;
      }
      out.push({ n: n++, line: lineNo, value });
    }
    if (out.length > 0) yield out;
  }
}

/**
 * A JSON array read element by element: a small scanner tracks depth and strings to find where each top-level
 * element ends, then parses that slice alone. A body that is not an array, or is cut off, is a bad request
 * (thrown as AppError once the problem is seen; elements before it have already been yielded).
 */
export function readJsonArray(input: Chunks): AsyncGenerator<RawItem> {
  return flatten(readJsonArrayBatches(input));
}

/** readJsonArray, the elements completed by each input chunk as one array. */
export async function* readJsonArrayBatches(input: Chunks): AsyncGenerator<RawItem[]> {
  const decoder = new TextDecoder();
  let buf = '';
  let pos = 0; // scan position in buf
  let started = false; // seen the opening [
  let finished = false; // seen the closing ]
  let elemStart = -1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let elemLine = 1;
  let n = 0;
  let out: RawItem[] = [];
  const emit = (end: number): void => {
    const text = buf.slice(elemStart, end).trim();
    elemStart = -1;
    if (text === '') throw new AppError('bad_request', `malformed JSON array: empty element at index ${n}`, { index: n });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new AppError('bad_request', `malformed JSON at element ${n}: ${(err as Error).message}`, { index: n });
    }
    out.push({ n: n++, line: elemLine, value });
  };
  // Elements found before a problem is thrown still go out first: they are valid and the caller stores them.
  const feed = (): void => {
    for (; pos < buf.length; pos++) {
      const c = buf.charCodeAt(pos);
      if (c === 10) line++;
      if (finished) {
        if (c > 32) throw new AppError('bad_request', 'malformed JSON: content after the closing ]', null);
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
        continue;
      }
      if (!started) {
        if (c <= 32 || c === 0xfeff) continue;
        if (c !== 91) throw new AppError('bad_request', 'the body must be a JSON array or NDJSON', null);
        started = true;
        continue;
      }
      if (c === 34) inString = true;
      if (elemStart === -1 && c > 32 && c !== 44 && c !== 93) (elemStart = pos), (elemLine = line);
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0 && c === 93) {
          if (elemStart !== -1) emit(pos);
          finished = true;
          continue;
        }
        depth--;
      } else if (c === 44 && depth === 0) {
        if (elemStart === -1) throw new AppError('bad_request', `malformed JSON array: empty element at index ${n}`, { index: n });
        emit(pos);
      }
    }
    // Keep only the unfinished element so memory stays bounded by one record.
    const keep = elemStart === -1 ? pos : elemStart;
    buf = buf.slice(keep);
    pos -= keep;
    if (elemStart !== -1) elemStart = 0;
  };
  const step = function* (): Generator<RawItem[]> {
    let problem: unknown = null;
    try {
      feed();
    } catch (err) {
      problem = err;
    }
    if (out.length > 0) {
      const done = out;
      out = [];
      yield done;
    }
    if (problem) throw problem;
  };
  for await (const chunk of input) {
    buf += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* step();
  }
  buf += decoder.decode();
  yield* step();
  if (!started) throw new AppError('bad_request', 'empty body: expected a JSON array or NDJSON', null);
  if (!finished) throw new AppError('bad_request', 'malformed JSON: the array is not closed', null);
}

export function readerFor(format: TelemetryFormat): (input: Chunks) => AsyncGenerator<RawItem> {
  return format === 'csv' ? readCsv : format === 'ndjson' ? readNdjson : readJsonArray;
}

/** Guess a file's format from its name, else from its first non-blank character. */
export function guessFormat(name: string, firstChars = ''): TelemetryFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  const head = firstChars.trimStart();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return 'ndjson';
  return lower.endsWith('.json') ? 'json' : 'csv';
}
