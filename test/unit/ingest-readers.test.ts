/** Streaming readers give the same records whatever the chunking; broken input becomes reasons or a bad_request. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors';
import { nextLevel } from '../../src/ingest/alarms';
import type { PropertyRule } from '../../src/ingest/catalog';
import { readCsv, readJsonArray, readNdjson, splitCsv, type RawItem } from '../../src/ingest/readers';

async function collect(gen: AsyncGenerator<RawItem>): Promise<RawItem[]> {
  const out: RawItem[] = [];
  for await (const x of gen) out.push(x);
  return out;
}
function* chunked(text: string, sizes: number[]): Generator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}
const asAsync = async function* (it: Iterable<Uint8Array>) {
  yield* it;
};

describe('readers', () => {
  it('JSON arrays parse identically under any chunking, multi-byte characters included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 5 }), async (values, sizes) => {
        const text = JSON.stringify(values, null, values.length % 2 ? 1 : 0);
        const items = await collect(readJsonArray(asAsync(chunked(text, sizes))));
        expect(items.map((i) => ('value' in i ? i.value : i.error))).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bodies that are not a closed JSON array', async () => {
    for (const bad of ['{"a":1}', '[1,2', '[1,,2]', '[1] 2', '', '[{"a":}]']) {
      await expect(collect(readJsonArray(asAsync(chunked(bad, [3]))))).rejects.toBeInstanceOf(AppError);
    }
  });

  it('NDJSON: one record per line, CRLF and blank lines fine, bad lines become reasons with their line number', async () => {
    const items = await collect(readNdjson(asAsync(chunked('{"a":1}\r\n\r\nnot json\n{"a":"é"}', [2, 5]))));
    expect(items).toEqual([
      { n: 0, line: 1, value: { a: 1 } },
      { n: 1, line: 3, error: expect.stringMatching(/invalid JSON/) },
      { n: 2, line: 4, value: { a: 'é' } },
    ]);
  });

  it('CSV: header in any order, quoted cells, short rows reported', async () => {
    const csv = 'value,ts,asset,property\n2.5,2025-01-01T00:00:00Z,"cnc-a1",vibration_rms\n1,2\n"3,5",t,a,p\n';
    const items = await collect(readCsv(asAsync(chunked(csv, [4]))));
    expect(items[0]).toEqual({ n: 0, line: 2, value: { value: '2.5', ts: '2025-01-01T00:00:00Z', asset: 'cnc-a1', property: 'vibration_rms' } });
    expect('error' in items[1] && items[1].line).toBe(3);
    expect(items[2]).toMatchObject({ value: { value: '3,5' } });
    expect(splitCsv('a,"b ""q""",c')).toEqual(['a', 'b "q"', 'c']);
  });
});

describe('alarm hysteresis', () => {
  const above: PropertyRule = { kind: 'telemetry', type: 'number', warn: 4.5, alarm: 7.1, direction: 'above' };
  const below: PropertyRule = { kind: 'telemetry', type: 'number', warn: 6.5, alarm: 6.0, direction: 'below' };
  it('raises at the threshold and clears only past the band', () => {
    expect(nextLevel(above, 'none', 4.5)).toBe('warn');
    expect(nextLevel(above, 'warn', 4.0)).toBe('warn'); // inside the band (4.5 - 0.65)
    expect(nextLevel(above, 'warn', 3.8)).toBe('none');
    expect(nextLevel(above, 'none', 8)).toBe('alarm');
    expect(nextLevel(above, 'alarm', 6.6)).toBe('alarm');
    expect(nextLevel(above, 'alarm', 6.3)).toBe('warn');
  });
  it('mirrors for direction below', () => {
    expect(nextLevel(below, 'none', 6.6)).toBe('none');
    expect(nextLevel(below, 'none', 6.4)).toBe('warn');
    expect(nextLevel(below, 'warn', 6.55)).toBe('warn');
    expect(nextLevel(below, 'warn', 6.7)).toBe('none');
    expect(nextLevel(below, 'warn', 5.9)).toBe('alarm');
  });
});
