import { optionsObject, Rng, type Seed } from '@lr/core';
import { checkSketchSize } from './_sketchArgs.js';
import { _SparseSketch } from './_sparseSketch.js';
import type { SketchOperator } from './sketchOperator.js';

/** Options of {@link countSketch}. */
export interface CountSketchOptions {
  /** Seed (or an Rng) for the hash and the signs; default 0. */
  seed?: Seed;
}

/**
 * CountSketch (Charikar–Chen–Farach-Colton 2002; Clarkson–Woodruff 2013): each column i
 * of S holds a single random sign ±1 in a uniformly random row h(i). S·A costs O(nnz(A)),
 * and E[SᵀS] = I. A subspace embedding only for m = O(d²/ε²); paper #3 shows that such
 * sparse sketches cannot give the ℓ∞ regression guarantee at m ≈ d polylog n.
 *
 * @param m sketch size (number of hash buckets), integer ≥ 1
 * @param n length of the sketched vectors, integer ≥ 1
 * @param options `seed` (default 0)
 * @returns a {@link SketchOperator} of kind `'countsketch'`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad m, n or seed
 * @example
 * import { countSketch } from '@lr/sketch';
 * const S = countSketch(16, 100, { seed: 1 });
 * S.matvec(new Float64Array(100).fill(1)); // length 16
 */
export function countSketch(m: number, n: number, options?: CountSketchOptions): SketchOperator {
  const opts = optionsObject('options', options);
  checkSketchSize(m, n);
  const rng = Rng.from(opts.seed);
  const rowOf = new Int32Array(n);
  const valOf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rowOf[i] = rng.int(m);
    valOf[i] = rng.sign();
  }
  return new _SparseSketch('countsketch', m, n, 1, rowOf, valOf);
}
