// Test problems shared by the iterative tests. The minstd generator is exact in IEEE
// doubles, so fixtures/make_fixtures.py builds bit-identical matrices in numpy.
import { type LinearOperator, Matrix, matmul, qr, randn, zeros } from '@lr/core';
import fixtureJson from './fixtures/iterative.json';

/** Reference results written by fixtures/make_fixtures.py. */
export const fixtures = fixtureJson;

/** `count` uniforms in [-0.5, 0.5) from Park–Miller minstd (x ← 48271·x mod 2³¹−1). */
export function minstd(seed: number, count: number): Float64Array {
  let x = seed;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x = (48271 * x) % 2147483647;
    out[i] = x / 2147483647 - 0.5;
  }
  return out;
}

/** m×n matrix of minstd uniforms (row-major), as `mat` in make_fixtures.py. */
export function mat(seed: number, m: number, n: number): Matrix {
  return Matrix.fromData(minstd(seed, m * n), m, n);
}

/** X·diag(2⁻ⁱ)·Y + noise·E with minstd factors, as `low_rank` in make_fixtures.py. */
export function lowRankPlusNoise(
  seed: number,
  m: number,
  n: number,
  r: number,
  noise: number,
): Matrix {
  const X = mat(seed, m, r).clone();
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) X.set(i, j, X.get(i, j) * 2 ** -j);
  const A = matmul(X, mat(seed + 1, r, n));
  const E = mat(seed + 2, m, n);
  for (let i = 0; i < A.data.length; i++) A.data[i] = A.data[i]! + noise * E.data[i]!;
  return A;
}

/** Nested arrays → Matrix. */
export function fromRows(rows: number[][]): Matrix {
  return Matrix.from(rows);
}

/** Random m×n matrix with orthonormal columns (Q of a Gaussian matrix). */
export function randomOrthonormal(m: number, n: number, seed: number): Matrix {
  return qr(randn(m, n, { seed })).Q!;
}

/** U·diag(s)·Vᵀ with random orthonormal U (m×k), V (n×k), k = s.length. */
export function withSpectrum(m: number, n: number, s: ArrayLike<number>, seed: number): Matrix {
  const k = s.length;
  const U = randomOrthonormal(m, k, seed).clone();
  const V = randomOrthonormal(n, k, seed + 1);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) U.set(i, j, U.get(i, j) * s[j]!);
  return matmul(U, V.T);
}

/** Dense 1-D Poisson matrix tridiag(−1, 2, −1) of size n. */
export function poisson1d(n: number): Matrix {
  const A = zeros(n, n);
  for (let i = 0; i < n; i++) {
    A.set(i, i, 2);
    if (i > 0) A.set(i, i - 1, -1);
    if (i + 1 < n) A.set(i, i + 1, -1);
  }
  return A;
}

/** Matrix-free 2-D Poisson operator (5-point stencil, Dirichlet) on an N×M grid (M = N by default). */
export function poisson2d(N: number, M = N): LinearOperator {
  const apply = (x: Float64Array | Float32Array): Float64Array => {
    const y = new Float64Array(N * M);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < M; j++) {
        const p = i * M + j;
        let v = 4 * x[p]!;
        if (i > 0) v -= x[p - M]!;
        if (i + 1 < N) v -= x[p + M]!;
        if (j > 0) v -= x[p - 1]!;
        if (j + 1 < M) v -= x[p + 1]!;
        y[p] = v;
      }
    }
    return y;
  };
  return { rows: N * M, cols: N * M, matvec: apply, rmatvec: apply };
}

/** The same 2-D Poisson matrix (N×N grid), dense. */
export function poisson2dDense(N: number): Matrix {
  const n = N * N;
  const op = poisson2d(N);
  const A = zeros(n, n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const c = op.matvec(e);
    for (let i = 0; i < n; i++) A.set(i, j, c[i]!);
  }
  return A;
}

/** Sorted analytic eigenvalues 4 − 2cos(jπ/(N+1)) − 2cos(kπ/(M+1)) of the N×M-grid operator. */
export function poisson2dEigenvalues(N: number, M = N): Float64Array {
  const out: number[] = [];
  for (let j = 1; j <= N; j++) {
    for (let k = 1; k <= M; k++) {
      out.push(4 - 2 * Math.cos((j * Math.PI) / (N + 1)) - 2 * Math.cos((k * Math.PI) / (M + 1)));
    }
  }
  return Float64Array.from(out.sort((a, b) => a - b));
}

/** A·x for a dense A (reference, via the kernels). */
export function mv(A: Matrix, x: Float64Array): Float64Array {
  return matmul(A, Matrix.fromData(Float64Array.from(x), x.length, 1)).toFloat64Array();
}

/** Largest |x_i − y_i|. */
export function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/** Euclidean norm (reference). */
export function nrm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Returns the LrError code a call throws, or 'none'. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? `plain ${(e as Error).name}: ${(e as Error).message}`;
  }
  return 'none';
}

/** Rectangular Hilbert matrix H[i][j] = 1/(i+j+1) (ill-conditioned), as in make_fixtures.py. */
export function hilbertRect(m: number, n: number): Matrix {
  const H = zeros(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) H.set(i, j, 1 / (i + j + 1));
  return H;
}
