import { assertInt, optionsObject, Rng, type Seed } from '@lr/core';
import { checkSketchSize } from './_sketchArgs.js';
import { _SparseSketch } from './_sparseSketch.js';
import type { SketchOperator } from './sketchOperator.js';

/** Options of {@link osnap}. */
export interface OsnapOptions {
  /**
   * Nonzeros per column, integer in [1, m]; default 4 (Nelson–Nguyễn 2013 take
   * s = O(1/ε) — small constants such as 2–8 suffice in practice, Tropp et al. 2017 §3.3).
   */
  s?: number;
  /** Seed (or an Rng); default 0. */
  seed?: Seed;
}

/**
 * OSNAP (Nelson–Nguyễn 2013): each column of S has exactly s nonzeros, each ±1/√s, in s
 * distinct uniformly random rows, so every column has unit norm and E[SᵀS] = I. S·A costs
 * O(s·nnz(A)). With s = 1 it is {@link countSketch}.
 *
 * @param m sketch size, integer ≥ 1
 * @param n length of the sketched vectors, integer ≥ 1
 * @param options `s` (default 4; s > m is an error), `seed` (default 0)
 * @returns a {@link SketchOperator} of kind `'osnap'`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad m, n, s or seed
 * @example
 * import { osnap } from '@lr/sketch';
 * const S = osnap(32, 500, { s: 4, seed: 1 });
 * S.toDense(); // 32×500, 4 nonzeros per column
 */
export function osnap(m: number, n: number, options?: OsnapOptions): SketchOperator {
  const opts = optionsObject('options', options);
  checkSketchSize(m, n);
  const s = assertInt('options.s', opts.s ?? 4, 1, m);
  const rng = Rng.from(opts.seed);
  const rowOf = new Int32Array(n * s);
  const valOf = new Float64Array(n * s);
  const v = 1 / Math.sqrt(s);
  // s distinct rows per column by Floyd's sampling (O(s²) per column, no O(m) work).
  for (let i = 0; i < n; i++) {
    const base = i * s;
    let filled = 0;
    for (let j = m - s; j < m; j++) {
      const t = rng.int(j + 1);
      let seen = false;
      for (let q = 0; q < filled; q++) if (rowOf[base + q] === t) seen = true;
      rowOf[base + filled] = seen ? j : t;
      valOf[base + filled] = v * rng.sign();
      filled++;
    }
  }
  return new _SparseSketch('osnap', m, n, s, rowOf, valOf);
}
