// Shared test helpers: naive references and LAPACK-style scaled residuals.
import { EPS, type Matrix, zeros } from '@lr/core';

/** Reference triple-loop product (no kernels), for checking the kernels. */
export function naiveMatmul(A: Matrix, B: Matrix): Matrix {
  const C = zeros(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let p = 0; p < A.cols; p++) s += A.get(i, p) * B.get(p, j);
      C.set(i, j, s);
    }
  return C;
}

/** Frobenius norm computed directly. */
export function fro(A: Matrix): number {
  let s = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) s += A.get(i, j) ** 2;
  return Math.sqrt(s);
}

/** ‖X − Y‖_F. */
export function diffFro(X: Matrix, Y: Matrix): number {
  if (X.rows !== Y.rows || X.cols !== Y.cols)
    throw new Error(`shape ${X.rows}x${X.cols} vs ${Y.rows}x${Y.cols}`);
  let s = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) s += (X.get(i, j) - Y.get(i, j)) ** 2;
  return Math.sqrt(s);
}

/** max |X − Y|. */
export function maxAbsDiff(X: Matrix, Y: Matrix): number {
  let d = 0;
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) d = Math.max(d, Math.abs(X.get(i, j) - Y.get(i, j)));
  return d;
}

/** ‖A − product‖_F / (‖A‖_F · n · ε), the LAPACK test ratio (0 when A = 0 and the product is 0). */
export function scaledResidual(A: Matrix, product: Matrix, eps = EPS.float64): number {
  const n = Math.max(A.rows, A.cols, 1);
  const r = diffFro(A, product);
  const a = fro(A);
  if (a === 0) return r === 0 ? 0 : Infinity;
  return r / (a * n * eps);
}

/** ‖QᵀQ − I‖_F / (n · ε) for the columns of Q. */
export function orthogonalityError(Q: Matrix, eps = EPS.float64): number {
  const k = Q.cols;
  const G = naiveMatmul(Q.T, Q);
  let s = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) s += (G.get(i, j) - (i === j ? 1 : 0)) ** 2;
  return Math.sqrt(s) / (Math.max(Q.rows, 1) * eps);
}

/** Hilbert matrix H[i][j] = 1/(i+j+1), condition number grows like e^{3.5n}. */
export function hilbert(n: number): Matrix {
  const H = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.set(i, j, 1 / (i + j + 1));
  return H;
}

/** Hostile values thrown at every public function that takes numbers. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  Number('1e9999'),
  -1,
  1.5,
  '3',
  null,
  undefined,
  {},
  [],
  2n,
];
