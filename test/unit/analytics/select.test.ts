import { describe, expect, it } from 'vitest';
import { medianInPlace, selectInPlace } from '../../../src/analytics/select';
import { rng } from '../../bench/_synthetic';

describe('order statistics by selection', () => {
  it('finds every rank as a sort would, with duplicates, sorted and constant inputs', () => {
    const r = rng(3);
    const inputs = [
      Array.from({ length: 101 }, () => r()),
      Array.from({ length: 64 }, () => Math.floor(r() * 5)),
      Array.from({ length: 50 }, (_, i) => i),
      Array.from({ length: 50 }, (_, i) => 50 - i),
      Array(17).fill(2.5),
      [7],
    ];
    for (const xs of inputs) {
      const sorted = xs.slice().sort((a, b) => a - b);
      for (let k = 0; k < xs.length; k++) expect(selectInPlace(Float64Array.from(xs), k)).toBe(sorted[k]);
    }
  });

  it('gives the median of odd and even counts and NaN for none', () => {
    expect(medianInPlace(Float64Array.from([5, 1, 3]))).toBe(3);
    expect(medianInPlace(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
    expect(medianInPlace(Float64Array.from([9, 1, 3, 2, 100]), 4)).toBe(2.5);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});
