// Test matrices and checks shared by the decomposition tests.
import { EPS, Matrix, matmul, randn, zeros } from '@lr/core';
import { hilbert } from '../helpers.js';

/** A named test matrix. */
export interface Case {
  name: string;
  A: Matrix;
}

function graded(m: number, n: number, seed: number, byRows: boolean): Matrix {
  const A = randn(m, n, { seed }).clone();
  const len = byRows ? m : n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const t = byRows ? i : j;
      const e = len === 1 ? 0 : -8 + (16 * t) / (len - 1);
      A.set(i, j, A.get(i, j) * 10 ** e);
    }
  }
  return A;
}

/** m×n of rank r (product of Gaussian factors). */
export function lowRank(m: number, n: number, r: number, seed: number): Matrix {
  return matmul(randn(m, r, { seed }), randn(r, n, { seed: seed + 1 }));
}

/** Every-other-row/column strided view of a fresh random matrix. */
function strided(m: number, n: number, seed: number): Matrix {
  const big = randn(2 * m + 1, 2 * n + 1, { seed });
  return big.slice([1, 2 * m + 1, 2], [0, 2 * n, 2]) as Matrix;
}

/** The general (rectangular) zoo. Blocked code paths need min(m, n) ≥ 64. */
export function generalZoo(): Case[] {
  return [
    { name: 'random 5×5', A: randn(5, 5, { seed: 1 }) },
    { name: 'random 17×17', A: randn(17, 17, { seed: 2 }) },
    { name: 'random 130×130 (blocked)', A: randn(130, 130, { seed: 3 }) },
    { name: 'tall 9×4', A: randn(9, 4, { seed: 4 }) },
    { name: 'tall 150×70 (blocked)', A: randn(150, 70, { seed: 5 }) },
    { name: 'wide 4×9', A: randn(4, 9, { seed: 6 }) },
    { name: 'wide 70×150 (blocked)', A: randn(70, 150, { seed: 7 }) },
    { name: '1×1', A: Matrix.from([[-3]]) },
    { name: '1×5', A: randn(1, 5, { seed: 8 }) },
    { name: '5×1', A: randn(5, 1, { seed: 9 }) },
    { name: '0×0', A: zeros(0, 0) },
    { name: '0×3', A: zeros(0, 3) },
    { name: '3×0', A: zeros(3, 0) },
    { name: 'zero 5×4', A: zeros(5, 4) },
    { name: 'rank-3 8×6', A: lowRank(8, 6, 3, 10) },
    { name: 'rank-20 100×80', A: lowRank(100, 80, 20, 11) },
    { name: 'Hilbert 8', A: hilbert(8) },
    { name: 'Hilbert 12', A: hilbert(12) },
    { name: 'graded rows 1e±8, 12×9', A: graded(12, 9, 12, true) },
    { name: 'graded cols 1e±8, 12×9', A: graded(12, 9, 13, false) },
    { name: 'graded rows 1e±8, 10×10', A: graded(10, 10, 17, true) },
    { name: 'graded cols 1e±8, 10×10', A: graded(10, 10, 18, false) },
    { name: 'rank-3 6×6', A: lowRank(6, 6, 3, 19) },
    { name: 'transposed view 8×8', A: randn(8, 8, { seed: 20 }).T },
    { name: 'transposed view 11×7', A: randn(7, 11, { seed: 14 }).T },
    { name: 'strided view 9×6', A: strided(9, 6, 15) },
    { name: 'float32 6×4', A: randn(6, 4, { seed: 16, dtype: 'float32' }) },
  ];
}

/** Square members of the zoo. */
export function squareZoo(): Case[] {
  return generalZoo().filter((c) => c.A.rows === c.A.cols);
}

/** A[perm, :]. */
export function permuteRows(A: Matrix, perm: Int32Array): Matrix {
  const B = zeros(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) B.set(i, j, A.get(perm[i]!, j));
  return B;
}

/** A[:, perm]. */
export function permuteCols(A: Matrix, perm: Int32Array): Matrix {
  const B = zeros(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) B.set(i, j, A.get(i, perm[j]!));
  return B;
}

/** Max |entry| strictly below the diagonal shifted by `offset` (R_ij for i > j + offset). */
export function belowDiagonal(A: Matrix, offset = 0): number {
  let d = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) if (i > j + offset) d = Math.max(d, Math.abs(A.get(i, j)));
  return d;
}

/** Max |entry| strictly above the diagonal. */
export function aboveDiagonal(A: Matrix): number {
  return belowDiagonal(A.T);
}

/** ‖QᵀQ − I‖_F / (max(m,1)·ε) using the GEMM kernel (for large Q). */
export function orthoFast(Q: Matrix): number {
  const G = matmul(Q.T, Q);
  let s = 0;
  for (let i = 0; i < G.rows; i++)
    for (let j = 0; j < G.cols; j++) s += (G.get(i, j) - (i === j ? 1 : 0)) ** 2;
  return Math.sqrt(s) / (Math.max(Q.rows, 1) * EPS.float64);
}

/** Copy of the elements of a view, to check that a function did not mutate its input. */
export function snapshot(A: Matrix | Float64Array): Float64Array {
  return A instanceof Matrix ? Float64Array.from(A.data) : Float64Array.from(A);
}

/** Is `perm` a permutation of 0 … n−1? */
export function isPermutation(perm: Int32Array, n: number): boolean {
  if (perm.length !== n) return false;
  const seen = new Set(perm);
  return seen.size === n && [...perm].every((p) => p >= 0 && p < n);
}

/** Parity (+1 / −1) of a permutation. */
export function parity(perm: Int32Array): 1 | -1 {
  const seen = new Uint8Array(perm.length);
  let s = 1;
  for (let i = 0; i < perm.length; i++) {
    if (seen[i]) continue;
    let len = 0;
    for (let j = i; !seen[j]; j = perm[j]!) {
      seen[j] = 1;
      len++;
    }
    if (len % 2 === 0) s = -s;
  }
  return s as 1 | -1;
}

/** Expects `fn` to throw an LrError with `code`, returning the error for more checks. */
export function thrown(fn: () => unknown): { code?: string; message: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  return { code: 'NO_THROW', message: 'did not throw' };
}
