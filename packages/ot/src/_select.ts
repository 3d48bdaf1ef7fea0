/**
 * The k-th largest value of `values` (1 ≤ k ≤ length) by quickselect with a
 * median-of-three pivot and a three-way partition (so runs of equal values, such as
 * underflowed zeros, cost one pass); O(length) expected. Reorders `values` in place.
 */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const x = values[lo];
    const y = values[(lo + hi) >>> 1];
    const z = values[hi];
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    // three-way partition, descending: [lo, lt) > pivot, [lt, q) == pivot, (gt, hi] < pivot
    let lt = lo;
    let gt = hi;
    let q = lo;
    while (q <= gt) {
      const v = values[q];
      if (v > pivot) {
        values[q] = values[lt];
        values[lt] = v;
        lt++;
        q++;
      } else if (v < pivot) {
        values[q] = values[gt];
        values[gt] = v;
        gt--;
      } else q++;
    }
    if (target < lt) hi = lt - 1;
    else if (target > gt) lo = gt + 1;
    else return pivot;
  }
  return values[lo];
}
