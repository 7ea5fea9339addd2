/**
 * PostgreSQL's binary COPY format, for bulk loads on the embedded store (`COPY t FROM '/dev/blob' WITH (FORMAT
 * binary)`). Binary skips the server's text parsing of floats and timestamps, which is most of what a text COPY
 * costs in PGlite's WASM build. Columns are text, int4, float8 or timestamptz given as epoch milliseconds.
 */

export type CopyColumn = 'text' | 'int4' | 'float8' | 'timestamptz';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;

/**
 * Encode `rows` rows; `cell(i, c)` gives row i's value of column c (a string for text, a number otherwise).
 * Values must already be valid for their type (the writer has validated them): no NULLs, finite numbers.
 */
export function encodeBinaryCopy(columns: readonly CopyColumn[], rows: number, cell: (row: number, col: number) => string | number): Uint8Array {
  const encoder = new TextEncoder();
  const texts = new Map<string, Uint8Array>(); // twin ids and property names repeat on every row
  let cap = 32 + rows * (2 + columns.length * 12 + 16);
  let buf = new Uint8Array(cap);
  let view = new DataView(buf.buffer);
  let o = 0;
  const ensure = (n: number) => {
    if (o + n <= cap) return;
    cap = Math.max(cap * 2, o + n);
    const next = new Uint8Array(cap);
    next.set(buf.subarray(0, o));
    buf = next;
    view = new DataView(buf.buffer);
  };
  buf.set(SIGNATURE, 0);
  o = SIGNATURE.length;
  view.setInt32(o, 0); // flags
  view.setInt32(o + 4, 0); // header extension length
  o += 8;
  for (let i = 0; i < rows; i++) {
    ensure(2 + columns.length * 12);
    view.setInt16(o, columns.length);
    o += 2;
    for (let c = 0; c < columns.length; c++) {
      const v = cell(i, c);
      switch (columns[c]) {
        case 'text': {
          let bytes = texts.get(v as string);
          if (!bytes) texts.set(v as string, (bytes = encoder.encode(v as string)));
          ensure(4 + bytes.length);
          view.setInt32(o, bytes.length);
          buf.set(bytes, o + 4);
          o += 4 + bytes.length;
          break;
        }
        case 'int4':
          view.setInt32(o, 4);
          view.setInt32(o + 4, v as number);
          o += 8;
          break;
        case 'float8':
          view.setInt32(o, 8);
          view.setFloat64(o + 4, v as number);
          o += 12;
          break;
        case 'timestamptz': {
          // int64 microseconds since 2000-01-01, written as two 32-bit halves (exact below 2^53 µs).
          const us = Math.round(((v as number) - PG_EPOCH_MS) * 1000);
          const hi = Math.floor(us / TWO_32);
          view.setInt32(o, 8);
          view.setInt32(o + 4, hi);
          view.setUint32(o + 8, us - hi * TWO_32);
          o += 12;
          break;
        }
      }
    }
  }
  ensure(2);
  view.setInt16(o, -1); // trailer
  o += 2;
  return buf.subarray(0, o);
}
