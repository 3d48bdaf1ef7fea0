import { Rng } from '@lr/core';
import { ObservedEntries } from '../src/index.js';

/** A random rank-k n1×n2 matrix U·Vᵀ with Gaussian factors (incoherent w.h.p.), row-major. */
export function lowRank(n1: number, n2: number, k: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const U = rng.fillNormal(new Float64Array(n1 * k));
  const V = rng.fillNormal(new Float64Array(n2 * k));
  const M = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++)
    for (let j = 0; j < n2; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += U[i * k + a]! * V[j * k + a]!;
      M[i * n2 + j] = s;
    }
  return M;
}

/** `count` distinct entries of M sampled uniformly without replacement. */
export function sampleEntries(
  M: Float64Array,
  n1: number,
  n2: number,
  count: number,
  seed: number,
): ObservedEntries {
  const perm = new Rng(seed).permutation(n1 * n2).subarray(0, count);
  const r = new Int32Array(count);
  const c = new Int32Array(count);
  const v = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    r[p] = Math.floor(perm[p]! / n2);
    c[p] = perm[p]! % n2;
    v[p] = M[perm[p]!]!;
  }
  return new ObservedEntries(n1, n2, r, c, v);
}

/** ‖M − M̂‖_F / ‖M‖_F over all entries. */
export function relativeError(
  M: Float64Array,
  n1: number,
  n2: number,
  predict: (i: number, j: number) => number,
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < n1; i++)
    for (let j = 0; j < n2; j++) {
      const d = M[i * n2 + j]! - predict(i, j);
      num += d * d;
      den += M[i * n2 + j]! ** 2;
    }
  return Math.sqrt(num / den);
}
