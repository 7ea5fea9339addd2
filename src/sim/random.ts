/**
 * Deterministic randomness for the simulator. Noise is a pure function of (seed, channel, sample index), so any
 * stretch of history can be regenerated in any order or chunking and come out identical for the same seed.
 */

/** FNV-1a over a string: a stable 32-bit key for a channel name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit integer mix (a murmur3 finaliser) of three inputs. */
function mix(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in (0, 1) for (seed, key, i). */
export function uniform(seed: number, key: number, i: number): number {
  return (mix(seed, key, i) + 0.5) / 4294967296;
}

/** Standard normal for (seed, key, i), by Box-Muller over two independent uniforms. */
export function gaussian(seed: number, key: number, i: number): number {
  const u1 = uniform(seed, key, 2 * i);
  const u2 = uniform(seed, key ^ 0x5bd1e995, 2 * i + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

