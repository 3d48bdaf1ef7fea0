import { zeros } from '../creation.js';
import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { asMatrix, type Matrix } from '../matrix.js';
import { assertNumber } from '../validate.js';
import { gemmStridedTs } from './_gemmTs.js';
import { gemmWasm, wantWasmGemm } from './_gemmWasm.js';

/**
 * General matrix multiply on raw strided storage, the BLAS `?gemm` contract:
 * C ← α·A·B + β·C with A m×k at `a[aOff + i·ars + p·acs]`, B k×n, C m×n. Transposes are
 * expressed by swapping strides. When β = 0, C is overwritten (NaN in C does not
 * propagate), as in reference BLAS. Assumes validated input: use {@link gemm} otherwise.
 *
 * Runs the WebAssembly SIMD kernels (dgemm, or sgemm when A, B and C are all Float32Array;
 * on several threads for large products) or the TypeScript kernel, as chosen by
 * `setBackend` and the problem size; both agree within rounding.
 */
export function gemmStrided(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  beta: number,
  c: FloatArray,
  cOff: number,
  crs: number,
  ccs: number,
): void {
  if (m === 0 || n === 0) return;
  if (
    k !== 0 &&
    alpha !== 0 &&
    wantWasmGemm(m, n, k) &&
    gemmWasm(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, crs, ccs)
  ) {
    return;
  }
  gemmStridedTs(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, crs, ccs);
}

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Scale of the product; default 1. */
  alpha?: number;
  /** Scale of the existing C; default 0 (C is overwritten). */
  beta?: number;
  /** Use Aᵀ instead of A; default false. */
  transA?: boolean;
  /** Use Bᵀ instead of B; default false. */
  transB?: boolean;
}

/**
 * C ← α·op(A)·op(B) + β·C, in place on `C` (a view is fine: only its elements are
 * written). Any strides, including transposed and sliced views.
 *
 * @throws {ShapeError} when the inner or outer dimensions disagree
 * @example
 * const C = zeros(2, 2);
 * gemm(A, B, C, { transB: true }); // C = A·Bᵀ
 */
export function gemm(A: Matrix, B: Matrix, C: Matrix, options: GemmOptions = {}): Matrix {
  const a0 = asMatrix('A', A);
  const b0 = asMatrix('B', B);
  const c = asMatrix('C', C);
  const alpha = assertNumber('alpha', options.alpha ?? 1);
  const beta = assertNumber('beta', options.beta ?? 0);
  const a = options.transA ? a0.T : a0;
  const b = options.transB ? b0.T : b0;
  if (a.cols !== b.rows) {
    throw new ShapeError(`gemm: op(A) is ${a.rows}×${a.cols} but op(B) is ${b.rows}×${b.cols}`);
  }
  if (c.rows !== a.rows || c.cols !== b.cols) {
    throw new ShapeError(`gemm: C is ${c.rows}×${c.cols}, expected ${a.rows}×${b.cols}`);
  }
  if (c.data === a.data || c.data === b.data) {
    throw new InvalidArgumentError('gemm: C must not share storage with A or B');
  }
  gemmStrided(
    a.rows,
    b.cols,
    a.cols,
    alpha,
    a.data,
    a.offset,
    a.rowStride,
    a.colStride,
    b.data,
    b.offset,
    b.rowStride,
    b.colStride,
    beta,
    c.data,
    c.offset,
    c.rowStride,
    c.colStride,
  );
  return c;
}

/**
 * The product A·B in a new matrix (float32 only if both inputs are float32).
 * @example matmul(A, B.T)
 */
export function matmul(A: Matrix, B: Matrix): Matrix {
  const a = asMatrix('A', A);
  const b = asMatrix('B', B);
  if (a.cols !== b.rows)
    throw new ShapeError(`matmul: A is ${a.rows}×${a.cols} but B is ${b.rows}×${b.cols}`);
  const dtype = a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
  const c = zeros(a.rows, b.cols, dtype);
  gemmStrided(
    a.rows,
    b.cols,
    a.cols,
    1,
    a.data,
    a.offset,
    a.rowStride,
    a.colStride,
    b.data,
    b.offset,
    b.rowStride,
    b.colStride,
    0,
    c.data,
    0,
    c.cols,
    1,
  );
  return c;
}
