/**
 * Order statistics in linear time: an in-place quickselect on a Float64Array. The remaining-life fit needs the median
 * and two ranks of thousands of pairwise slopes, and a median per time bucket; sorting for that was most of its cost
 * (a typed-array sort of 5,000 numbers takes milliseconds on Node 20, the selection tens of microseconds).
 */

/** Rearrange a[lo..hi] so that a[k] holds the value of rank k, smaller values before it and larger after. Returns it. */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    // Median of three as pivot keeps sorted or constant runs from degrading to quadratic time.
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** Median of a[0..n-1], rearranging a. */
export function medianInPlace(a: Float64Array, n = a.length): number {
  if (n === 0) return NaN;
  const upper = selectInPlace(a, n >> 1, 0, n - 1);
  if (n % 2) return upper;
  // The lower middle is the largest value left of the upper middle after the selection.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
