import {
  assertInt,
  assertOneOf,
  eigh,
  InvalidArgumentError,
  Matrix,
  NotConvergedError,
} from '@lr/core';
import type { ComplexArray, ComplexMatrix } from './complex.js';

/** The HiPPO measures whose (A, B) {@link hippo} builds. */
export type HippoMeasure = 'legs' | 'legt' | 'lagt';

/** A dense continuous-time state-space pair x′ = A·x + B·u. */
export interface HippoMatrices {
  /** N×N state matrix (float64, row-major). */
  A: Matrix;
  /** Input vector, length N. */
  B: Float64Array;
}

/** Largest state size accepted by the dense HiPPO constructors (an N×N matrix). */
export const HIPPO_MAX_N = 4096;

function stateSize(N: unknown, even: boolean): number {
  const n = assertInt('N', N, 1, HIPPO_MAX_N);
  if (even && n % 2 !== 0) {
    throw new InvalidArgumentError(
      `N: expected an even state size (conjugate pairs of N/2 modes), got ${n}`,
    );
  }
  return n;
}

/**
 * HiPPO-LegS (Gu et al. 2020, "HiPPO", Thm. 2; S4's `transition('legs')`):
 * A[n,k] = −√(2n+1)·√(2k+1) for n > k, −(n+1) for n = k, 0 for n < k; B_n = √(2n+1).
 *
 * @param N state size, 1 ≤ N ≤ 4096
 * @returns dense A (N×N, lower triangular) and B (length N)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad N
 * @example
 * const { A, B } = hippoLegS(3);
 * A.toArray(); // [[-1, 0, 0], [-√3, -2, 0], [-√5, -√15, -3]]
 */
export function hippoLegS(N: number): HippoMatrices {
  const n = stateSize(N, false);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = Math.sqrt(2 * i + 1);
    B[i] = ri;
    for (let k = 0; k < i; k++) A[i * n + k] = -ri * Math.sqrt(2 * k + 1);
    A[i * n + i] = -(i + 1);
  }
  return { A: new Matrix(A, n, n), B };
}

/**
 * HiPPO-LegT as in S4's `transition('legt')` (translated Legendre, halved "for timescale
 * correctness" there): A[n,k] = −½·√(2n+1)·√(2k+1)·(1 if n ≥ k else (−1)^{n−k}),
 * B_n = ½·√(2n+1).
 *
 * @param N state size, 1 ≤ N ≤ 4096
 * @example hippoLegT(2).A.toArray(); // [[-0.5, 0.866], [-0.866, -1.5]]
 */
export function hippoLegT(N: number): HippoMatrices {
  const n = stateSize(N, false);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = Math.sqrt(2 * i + 1);
    B[i] = 0.5 * ri;
    for (let k = 0; k < n; k++) {
      const sign = i >= k ? 1 : (i - k) % 2 === 0 ? 1 : -1;
      A[i * n + k] = -0.5 * ri * Math.sqrt(2 * k + 1) * sign;
    }
  }
  return { A: new Matrix(A, n, n), B };
}

/**
 * HiPPO-LagT as in S4's `transition('lagt')` with β = 1 (Laguerre):
 * A = ½·I − tril(1) (so −½ on the diagonal, −1 below), B = 1.
 *
 * @param N state size, 1 ≤ N ≤ 4096
 * @example hippoLagT(2).A.toArray(); // [[-0.5, 0], [-1, -0.5]]
 */
export function hippoLagT(N: number): HippoMatrices {
  const n = stateSize(N, false);
  const A = new Float64Array(n * n);
  const B = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) A[i * n + k] = -1;
    A[i * n + i] = -0.5;
  }
  return { A: new Matrix(A, n, n), B };
}

/**
 * The HiPPO matrices of a measure: {@link hippoLegS}, {@link hippoLegT} or {@link hippoLagT}.
 * @example const { A, B } = hippo('legs', 64);
 */
export function hippo(measure: HippoMeasure, N: number): HippoMatrices {
  const m = assertOneOf('measure', measure, ['legs', 'legt', 'lagt'] as const);
  if (m === 'legs') return hippoLegS(N);
  if (m === 'legt') return hippoLegT(N);
  return hippoLagT(N);
}

/** The normal-plus-low-rank (NPLR / DPLR) form of HiPPO-LegS returned by {@link nplrLegS}. */
export interface NplrResult {
  /** HiPPO-LegS A (N×N). */
  A: Matrix;
  /** HiPPO-LegS B (length N). */
  B: Float64Array;
  /** Low-rank factor P_n = √(n + ½) (length N), so that S = A + P·Pᵀ is normal. */
  P: Float64Array;
  /** The normal part S = A + P·Pᵀ = −½·I + (skew-symmetric), N×N. */
  S: Matrix;
  /**
   * The N/2 eigenvalues of S with negative imaginary part, Λ_n = −½ + i·ω_n, sorted by
   * ω ascending (most negative first); the other N/2 are their conjugates.
   */
  lambda: ComplexArray;
  /**
   * N×(N/2) complex eigenvectors of S (unit columns, orthonormal; column n belongs to
   * Λ_n), each scaled so its entry of largest modulus is real and positive. With the
   * conjugate columns they form a unitary V_full and S = V_full·diag(Λ, Λ̄)·V_full*.
   */
  V: ComplexMatrix;
  /** B̃ = V*·B (length N/2): the input vector in the eigenbasis. */
  Btilde: ComplexArray;
  /** P̃ = V*·P (length N/2): the low-rank factor in the eigenbasis. */
  Ptilde: ComplexArray;
}

/**
 * The NPLR / DPLR form of HiPPO-LegS (Gu, Goel & Ré 2022, "S4", Thm. 1; the S4 reference
 * code's `nplr('legs', N)`): A = S − P·Pᵀ with S = A + P·Pᵀ = −½·I + K, K skew-symmetric,
 * P_n = √(n + ½). S is normal, so S = V·Λ·V* with V unitary and Λ = −½ + i·eig(−i·K).
 *
 * Algorithm. −i·K is Hermitian with zero real part; its eigenpairs are those of the real
 * symmetric 2N×2N embedding M = [[0, K], [−K, 0]] (M·[x; y] = ω·[x; y] ⇔
 * (−iK)(x + iy) = ω(x + iy)), each eigenvalue twice. `eigh` (core's, LAPACK dsyevd's
 * path) diagonalizes M; the N smallest eigenvalues come in N/2 adjacent pairs
 * ω_1 ≤ … < 0, and any unit vector [x; y] of a pair's eigenspace gives the complex
 * eigenvector x + iy (the pair spans {c·(x + iy)}). We keep the half with ω < 0
 * (conjugate symmetry), as REFERENCES.md and S4 do. Cost: one symmetric eigensolve of
 * size 2N (≈ 40·N³ flops); the last 8 sizes are cached (each call returns fresh copies).
 *
 * @param N even state size, 2 ≤ N ≤ 2048
 * @returns A, B, P, S, Λ (N/2), V (N×N/2), B̃ = V*B, P̃ = V*P
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when N is not an even integer in [2, 2048]
 * @throws {NotConvergedError} `NOT_CONVERGED` if the eigenvalues do not pair up (not expected)
 * @example
 * const { lambda, Btilde } = nplrLegS(64);
 * lambda.re[0]; // −0.5 (all real parts are −½)
 */
export function nplrLegS(N: number): NplrResult {
  const n = stateSize(N, true);
  if (n > HIPPO_MAX_N / 2) {
    throw new InvalidArgumentError(`N: expected an even integer in [2, 2048], got ${n}`);
  }
  let hit = NPLR_CACHE.get(n);
  if (hit === undefined) {
    hit = computeNplr(n);
    if (NPLR_CACHE.size >= NPLR_CACHE_SIZE) NPLR_CACHE.delete(NPLR_CACHE.keys().next().value!);
    NPLR_CACHE.set(n, hit);
  }
  return copyNplr(hit);
}

/** Results of the last few {@link nplrLegS} sizes (callers get deep copies). */
const NPLR_CACHE = new Map<number, NplrResult>();
const NPLR_CACHE_SIZE = 8;

function copyNplr(r: NplrResult): NplrResult {
  const c = (z: ComplexArray): ComplexArray => ({
    re: Float64Array.from(z.re),
    im: Float64Array.from(z.im),
  });
  return {
    A: r.A.clone(),
    B: Float64Array.from(r.B),
    P: Float64Array.from(r.P),
    S: r.S.clone(),
    lambda: c(r.lambda),
    V: { ...c(r.V), rows: r.V.rows, cols: r.V.cols },
    Btilde: c(r.Btilde),
    Ptilde: c(r.Ptilde),
  };
}

function computeNplr(n: number): NplrResult {
  const { A, B } = hippoLegS(n);
  const P = new Float64Array(n);
  for (let i = 0; i < n; i++) P[i] = Math.sqrt(i + 0.5);
  // S = A + PPᵀ in closed form, so that it is exactly −½I + skew in floating point:
  // S[i,i] = −½, S[i,k] = ∓½·√((2i+1)(2k+1)) for i ≷ k.
  const Sd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Sd[i * n + i] = -0.5;
    for (let k = 0; k < i; k++) {
      const v = 0.5 * Math.sqrt((2 * i + 1) * (2 * k + 1));
      Sd[i * n + k] = -v;
      Sd[k * n + i] = v;
    }
  }
  const S = new Matrix(Sd, n, n);
  // K = S + ½I, exactly skew-symmetric by construction.
  const n2 = 2 * n;
  const M = new Float64Array(n2 * n2);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const kik = i === k ? 0 : Sd[i * n + k]!;
      M[i * n2 + (n + k)] = kik; // upper-right block  K
      M[(n + i) * n2 + k] = -kik; // lower-left block −K
    }
  }
  const { values, vectors } = eigh(new Matrix(M, n2, n2));
  const m = n / 2;
  const lambda: ComplexArray = { re: new Float64Array(m).fill(-0.5), im: new Float64Array(m) };
  const V: ComplexMatrix = {
    re: new Float64Array(n * m),
    im: new Float64Array(n * m),
    rows: n,
    cols: m,
  };
  const vec = vectors!;
  const scale = Math.max(Math.abs(values[0]!), 1);
  for (let j = 0; j < m; j++) {
    const w0 = values[2 * j]!;
    const w1 = values[2 * j + 1]!;
    const next = values[2 * j + 2]!;
    if (!(w0 < 0 && w1 < 0) || Math.abs(w1 - w0) > 1e-8 * scale || next - w1 < Math.abs(w1 - w0)) {
      throw new NotConvergedError(
        `nplrLegS: eigenvalues of the real embedding did not pair up at ${2 * j} (${w0}, ${w1}, ${next})`,
      );
    }
    lambda.im[j] = 0.5 * (w0 + w1);
    // Column 2j of the embedding's eigenvectors: [x; y] → v = x + i·y (unit norm).
    let best = 0;
    let bestAbs = -1;
    for (let i = 0; i < n; i++) {
      const x = vec.get(i, 2 * j);
      const y = vec.get(n + i, 2 * j);
      V.re[i * m + j] = x;
      V.im[i * m + j] = y;
      const ab = x * x + y * y;
      if (ab > bestAbs * (1 + 1e-12)) {
        bestAbs = ab;
        best = i;
      }
    }
    // Fix the free phase: entry `best` real and positive.
    const pr = V.re[best * m + j]!;
    const pi = V.im[best * m + j]!;
    const pa = Math.hypot(pr, pi);
    let nrm = 0;
    for (let i = 0; i < n; i++) {
      const x = V.re[i * m + j]!;
      const y = V.im[i * m + j]!;
      // multiply by conj(p)/|p|
      const xr = (x * pr + y * pi) / pa;
      const yi = (y * pr - x * pi) / pa;
      V.re[i * m + j] = xr;
      V.im[i * m + j] = yi;
      nrm += xr * xr + yi * yi;
    }
    const inv = 1 / Math.sqrt(nrm);
    for (let i = 0; i < n; i++) {
      V.re[i * m + j]! *= inv;
      V.im[i * m + j]! *= inv;
    }
  }
  return {
    A,
    B,
    P,
    S,
    lambda,
    V,
    Btilde: conjTransposeApply(V, B),
    Ptilde: conjTransposeApply(V, P),
  };
}

/** V*·x for a complex N×M matrix V and a real vector x (length N). */
export function conjTransposeApply(V: ComplexMatrix, x: Float64Array): ComplexArray {
  const { rows, cols } = V;
  const out: ComplexArray = { re: new Float64Array(cols), im: new Float64Array(cols) };
  for (let i = 0; i < rows; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let j = 0; j < cols; j++) {
      out.re[j]! += V.re[i * cols + j]! * xi;
      out.im[j]! -= V.im[i * cols + j]! * xi;
    }
  }
  return out;
}
