import { assertInt } from '../validate.js';

/**
 * The smallest n' ≥ n of the form 2^a·3^b·5^c, a length the mixed-radix {@link FftPlan}
 * runs with radix-4/2/3/5 passes only (as `scipy.fft.next_fast_len` for complex input).
 * Zero-padding to it instead of to the next power of two wastes at most ~1/4 of the work.
 *
 * @param n target length, an integer in [1, 2²⁸]
 * @param options `even`: also require a ≥ 1 (for the half-length trick of {@link rfft}); default false
 * @returns the smallest 5-smooth integer ≥ n (and even when asked)
 * @throws {InvalidArgumentError} if `n` is not an integer in [1, 2²⁸]
 * @example
 * nextFastLength(1009); // 1024
 * nextFastLength(97);   // 100
 */
export function nextFastLength(n: number, options: { even?: boolean } = {}): number {
  assertInt('n', n, 1, 2 ** 28);
  const even = options.even === true;
  let best = Infinity;
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      // smallest power of two (≥ 2 when even) that lifts p35 to ≥ n
      let v = even ? 2 * p35 : p35;
      while (v < n) v *= 2;
      if (v < best) best = v;
    }
  }
  return best;
}
