import { InvalidArgumentError, ShapeError } from '../errors.js';
import { gemmStrided } from '../kernels/gemm.js';
import { asMatrix, Matrix } from '../matrix.js';
import { assertFiniteArray, assertInt, describe, optionsObject } from '../validate.js';
import type { SvdResult } from './svd.js';

/** Options of {@link svdReconstruct}. */
export interface SvdReconstructOptions {
  /**
   * Use only the leading `rank` singular triplets (the best rank-`rank` approximation
   * when S is descending, Eckart–Young); default `S.length` (all of them).
   */
  rank?: number;
}

/**
 * Multiplies an SVD back together: U[:, :r]·diag(S[:r])·Vt[:r, :] with r = `rank`.
 * Works with thin or full factors (only the first r columns of U and rows of Vt are
 * used) and with any strides. One GEMM of m·n·r multiply-adds.
 *
 * @param res `{ U, S, Vt }` as returned by {@link svd} (U and Vt must not be null)
 * @param options see {@link SvdReconstructOptions}
 * @returns a new m×n float64 matrix
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when `res` is not an SVD result with
 *   factors (e.g. from `valuesOnly`) or `rank` is out of range
 * @throws {ShapeError} `SHAPE_MISMATCH` when U, S and Vt do not fit together
 * @throws {NonFiniteError} `NON_FINITE` when S holds NaN or ±Infinity
 * @example
 * const A2 = svdReconstruct(svd(A), { rank: 2 }); // best rank-2 approximation of A
 */
export function svdReconstruct(res: SvdResult, options?: SvdReconstructOptions): Matrix {
  if (res === null || typeof res !== 'object') {
    throw new InvalidArgumentError(
      `res: expected an SVD result { U, S, Vt }, got ${describe(res)}`,
    );
  }
  if (res.U === null || res.Vt === null) {
    throw new InvalidArgumentError('res: expected U and Vt, got null (computed with valuesOnly?)');
  }
  const U = asMatrix('res.U', res.U);
  const Vt = asMatrix('res.Vt', res.Vt);
  const S: unknown = res.S;
  if (!(S instanceof Float64Array || S instanceof Float32Array)) {
    throw new InvalidArgumentError(`res.S: expected a Float64Array, got ${describe(S)}`);
  }
  assertFiniteArray('res.S', S);
  const k = S.length;
  const opts = optionsObject('options', options);
  const r = assertInt('options.rank', opts.rank ?? k, 0, k);
  if (U.cols < k || Vt.rows < k) {
    throw new ShapeError(
      `res: S has length ${k} but U is ${U.rows}×${U.cols} and Vt is ${Vt.rows}×${Vt.cols} ` +
        `(expected at least ${k} columns of U and ${k} rows of Vt)`,
    );
  }
  const m = U.rows;
  const n = Vt.cols;
  // US = U[:, :r]·diag(S[:r]) in a contiguous m×r block, then one GEMM
  const us = new Float64Array(m * r);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < r; j++) us[i * r + j] = U.get(i, j) * S[j]!;
  }
  const out = new Float64Array(m * n);
  gemmStrided(
    m,
    n,
    r,
    1,
    us,
    0,
    r,
    1,
    Vt.data,
    Vt.offset,
    Vt.rowStride,
    Vt.colStride,
    0,
    out,
    0,
    n,
    1,
  );
  return new Matrix(out, m, n);
}
