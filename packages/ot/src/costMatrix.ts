import {
  asMatrix,
  assertFiniteArray,
  assertOneOf,
  gemmStrided,
  Matrix,
  optionsObject,
  ShapeError,
} from '@lr/core';
import { orDefault } from './_validate.js';

/** Metrics of {@link costMatrix}. */
export type CostMetric = 'sqeuclidean' | 'euclidean' | 'cityblock';

/** Options of {@link costMatrix}. */
export interface CostMatrixOptions {
  /** Ground metric; default `'sqeuclidean'` (POT `ot.dist`). */
  metric?: CostMetric;
}

/**
 * Pairwise cost matrix between the rows of X (n×d) and Y (m×d), as POT's `ot.dist`:
 * `'sqeuclidean'` ‖x − y‖² (default), `'euclidean'` ‖x − y‖, `'cityblock'` Σ|x − y|.
 * The squared distances use ‖x‖² + ‖y‖² − 2·XYᵀ with XYᵀ by the GEMM kernel (clamped at 0,
 * as POT does); cityblock is a direct loop.
 *
 * @param X n×d points (rows)
 * @param Y m×d points; default X
 * @param options see {@link CostMatrixOptions}
 * @returns the n×m cost matrix (a new row-major Matrix)
 * @throws {ShapeError} `SHAPE_MISMATCH` if X and Y have different numbers of columns
 * @throws {NonFiniteError} `NON_FINITE` if X or Y hold NaN/±∞
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an unknown metric
 * @example
 * import { Matrix } from '@lr/core';
 * import { costMatrix } from '@lr/ot';
 * const X = Matrix.from([[0, 0], [1, 1]]);
 * costMatrix(X, X).get(0, 1); // 2
 */
export function costMatrix(X: Matrix, Y?: Matrix, options?: CostMatrixOptions): Matrix {
  const x = asMatrix('X', X).contiguous();
  const y = Y === undefined || Y === null ? x : asMatrix('Y', Y).contiguous();
  const opts = optionsObject('options', options);
  const defaults = { metric: 'sqeuclidean' as CostMetric }; // POT ot.dist(metric='sqeuclidean')
  const metric = assertOneOf('options.metric', orDefault(opts.metric, defaults.metric), [
    'sqeuclidean',
    'euclidean',
    'cityblock',
  ] as const);
  if (x.cols !== y.cols)
    throw new ShapeError(`X, Y: expected the same number of columns, got ${x.cols} and ${y.cols}`);
  const xd = x.toFloat64Array();
  const yd = y.toFloat64Array();
  assertFiniteArray('X', xd);
  assertFiniteArray('Y', yd);
  const n = x.rows;
  const m = y.rows;
  const d = x.cols;
  const out = new Float64Array(n * m);
  if (metric === 'cityblock') {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += Math.abs(xd[i * d + k] - yd[j * d + k]);
        out[i * m + j] = s;
      }
    return new Matrix(out, n, m);
  }
  // out = −2·X·Yᵀ, then add the squared norms
  gemmStrided(n, m, d, -2, xd, 0, d, 1, yd, 0, 1, d, 0, out, 0, m, 1);
  const nx = new Float64Array(n);
  const ny = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) nx[i] += xd[i * d + k] ** 2;
  for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) ny[j] += yd[j * d + k] ** 2;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const v = Math.max(0, out[i * m + j] + nx[i] + ny[j]);
      out[i * m + j] = metric === 'euclidean' ? Math.sqrt(v) : v;
    }
  return new Matrix(out, n, m);
}
