// Householder QR kernels on column-major Float64 work arrays (private, assume validated
// input). The reflectors are stored LAPACK style: R on and above the diagonal, v below it
// (v[0] = 1 implicit), τ in a separate array.
//
// - geqrf: blocked compact-WY QR (Schreiber & Van Loan 1989; Golub & Van Loan 4th ed.,
//   Alg. 5.2.2), unblocked Alg. 5.2.1 for the panels and for small matrices.
// - geqp3: QR with column pivoting (Businger & Golub 1965; GvL Alg. 5.4.1) with the norm
//   downdate safeguard of LAPACK dlaqp2 (Drmač & Bujanović 2008).
// - orgqr: forms the first nq columns of Q = H₀·H₁·…·H_{k−1} (LAPACK dorgqr / dorg2r).
import { EPS } from '../dtype.js';
import { arenaMark, arenaRelease, workArray } from '../kernels/_wasmArena.js';
import { axpyStrided, dotStrided, norm2 } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';
import { applyReflector, makeReflector } from './_householder.js';

/** Panel width of the blocked algorithms. */
const NB = 32;
/** Below this min(m, n) the unblocked code is used (measured: blocking pays off from ~64). */
const BLOCK_MIN = 64;

/** Unblocked QR of columns j0 … j1−1 (rows j … m−1), applying each reflector to columns up to c1. */
function geqr2(
  w: Float64Array,
  m: number,
  tau: Float64Array,
  j0: number,
  j1: number,
  c1: number,
): void {
  for (let j = j0; j < j1; j++) {
    const d = j * m + j;
    tau[j] = makeReflector(m - j, w, d);
    if (j + 1 < c1 && tau[j] !== 0) {
      const beta = w[d]!;
      w[d] = 1;
      applyReflector(m - j, tau[j]!, w, d, w, m, j, j + 1, c1);
      w[d] = beta;
    }
  }
}

/**
 * Copies the reflectors j0 … j0+b−1 into an explicit (m−j0)×b column-major V (unit
 * diagonal, zeros above) and builds the upper triangular b×b T (row-major) with
 * H_{j0}·…·H_{j0+b−1} = I − V·T·Vᵀ (LAPACK dlarft, forward, columnwise).
 */
function blockReflector(
  w: Float64Array,
  m: number,
  tau: Float64Array,
  j0: number,
  b: number,
  V: Float64Array,
  T: Float64Array,
): void {
  const mm = m - j0;
  for (let c = 0; c < b; c++) {
    const src = (j0 + c) * m + j0;
    const dst = c * mm;
    for (let r = 0; r < c; r++) V[dst + r] = 0;
    V[dst + c] = 1;
    for (let r = c + 1; r < mm; r++) V[dst + r] = w[src + r]!;
  }
  T.fill(0, 0, b * b);
  const z = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[j0 + i]!;
    T[i * b + i] = ti;
    if (ti === 0 || i === 0) continue;
    // z = −τ_i · V[:, 0:i]ᵀ v_i (v_i is zero above row i)
    for (let p = 0; p < i; p++) z[p] = -ti * dotStrided(mm - i, V, p * mm + i, 1, V, i * mm + i, 1);
    // T[0:i, i] = T[0:i, 0:i] · z (upper triangular)
    for (let p = 0; p < i; p++) {
      T[p * b + i] = dotStrided(i - p, T, p * b + p, 1, z, p, 1);
    }
  }
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C the (m−j0)×nc block of the column-major `c` (leading
 * dimension ldc) starting at row j0, column c0. op(T) = Tᵀ applies Qᵀ of the block, T
 * applies Q. Two GEMMs and a small triangular product (LAPACK dlarfb).
 */
function applyBlockReflector(
  V: Float64Array,
  T: Float64Array,
  mm: number,
  b: number,
  transT: boolean,
  c: Float64Array,
  ldc: number,
  j0: number,
  c0: number,
  nc: number,
  W: Float64Array,
): void {
  if (nc === 0) return;
  const cOff = c0 * ldc + j0;
  // W (b×nc, row-major) = Vᵀ·C
  gemmStrided(b, nc, mm, 1, V, 0, mm, 1, c, cOff, 1, ldc, 0, W, 0, nc, 1);
  if (transT) {
    // W ← Tᵀ·W: row i becomes Σ_{p≤i} T[p,i]·W[p]; go upward so rows p < i are still old
    for (let i = b - 1; i >= 0; i--) {
      const row = i * nc;
      const tii = T[i * b + i]!;
      for (let q = 0; q < nc; q++) W[row + q] *= tii;
      for (let p = 0; p < i; p++) axpyStrided(nc, T[p * b + i]!, W, p * nc, 1, W, row, 1);
    }
  } else {
    // W ← T·W: row i becomes Σ_{p≥i} T[i,p]·W[p]; go downward so rows p > i are still old
    for (let i = 0; i < b; i++) {
      const row = i * nc;
      const tii = T[i * b + i]!;
      for (let q = 0; q < nc; q++) W[row + q] *= tii;
      for (let p = i + 1; p < b; p++) axpyStrided(nc, T[i * b + p]!, W, p * nc, 1, W, row, 1);
    }
  }
  // C ← C − V·W
  gemmStrided(mm, nc, b, -1, V, 0, 1, mm, W, 0, nc, 1, 1, c, cOff, 1, ldc);
}

/**
 * Householder QR of the m×n column-major `w` in place; τ (length min(m, n)) receives the
 * reflector scalars.
 */
export function geqrf(w: Float64Array, m: number, n: number, tau: Float64Array): void {
  const k = Math.min(m, n);
  if (k < BLOCK_MIN) {
    geqr2(w, m, tau, 0, k, n);
    return;
  }
  const mark = arenaMark();
  try {
    // V in wasm memory (when `w` is too, no operand of the trailing update is copied)
    const V = workArray(m * NB);
    const T = new Float64Array(NB * NB);
    const W = new Float64Array(NB * n);
    for (let j0 = 0; j0 < k; j0 += NB) {
      const b = Math.min(NB, k - j0);
      const j1 = j0 + b;
      geqr2(w, m, tau, j0, j1, j1);
      if (j1 < n) {
        blockReflector(w, m, tau, j0, b, V, T);
        applyBlockReflector(V, T, m - j0, b, true, w, m, j0, j1, n - j1, W);
      }
    }
  } finally {
    arenaRelease(mark);
  }
}

/**
 * QR with column pivoting of the m×n column-major `w` in place. `jpvt` (length n) receives
 * the permutation: column j of Q·R is column jpvt[j] of the input. |R_jj| is non-increasing.
 */
export function geqp3(
  w: Float64Array,
  m: number,
  n: number,
  tau: Float64Array,
  jpvt: Int32Array,
): void {
  const k = Math.min(m, n);
  const vn1 = new Float64Array(n);
  const vn2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    jpvt[j] = j;
    vn1[j] = norm2(w, j * m, 1, m);
    vn2[j] = vn1[j]!;
  }
  const tol3z = Math.sqrt(EPS.float64);
  for (let i = 0; i < k; i++) {
    // pivot: the remaining column of largest (downdated) norm, first one on ties
    let pvt = i;
    for (let j = i + 1; j < n; j++) if (vn1[j]! > vn1[pvt]!) pvt = j;
    if (pvt !== i) {
      const a = pvt * m;
      const b = i * m;
      for (let r = 0; r < m; r++) {
        const t = w[a + r]!;
        w[a + r] = w[b + r]!;
        w[b + r] = t;
      }
      const tp = jpvt[pvt]!;
      jpvt[pvt] = jpvt[i]!;
      jpvt[i] = tp;
      vn1[pvt] = vn1[i]!;
      vn2[pvt] = vn2[i]!;
    }
    const d = i * m + i;
    tau[i] = makeReflector(m - i, w, d);
    if (i + 1 < n && tau[i] !== 0) {
      const beta = w[d]!;
      w[d] = 1;
      applyReflector(m - i, tau[i]!, w, d, w, m, i, i + 1, n);
      w[d] = beta;
    }
    // downdate the partial column norms (LAPACK dlaqp2): recompute when cancellation
    // would make the downdated value unreliable
    for (let j = i + 1; j < n; j++) {
      if (vn1[j] === 0) continue;
      const r = Math.abs(w[j * m + i]!) / vn1[j]!;
      const temp = Math.max(0, 1 - r * r);
      const q = vn1[j]! / vn2[j]!;
      if (temp * q * q <= tol3z) {
        if (i + 1 < m) {
          vn1[j] = norm2(w, j * m + i + 1, 1, m - i - 1);
          vn2[j] = vn1[j]!;
        } else {
          vn1[j] = 0;
          vn2[j] = 0;
        }
      } else {
        vn1[j] = vn1[j]! * Math.sqrt(temp);
      }
    }
  }
}

/**
 * Forms the first nq columns (k ≤ nq ≤ m) of Q = H₀·…·H_{k−1} from the reflectors in the
 * column-major m×(≥k) `w`; returns Q column-major m×nq. With `resident`, Q may be a
 * work array in wasm memory (see kernels/_wasmArena.ts): the caller copies it out and
 * releases the arena.
 */
export function orgqr(
  w: Float64Array,
  m: number,
  k: number,
  tau: Float64Array,
  nq: number,
  resident = false,
): Float64Array {
  const Q = resident ? workArray(m * nq) : new Float64Array(m * nq);
  if (k < BLOCK_MIN) {
    // LAPACK dorg2r: columns ≥ k start as identity columns, then H_i is applied backwards
    for (let j = k; j < nq; j++) Q[j * m + j] = 1;
    for (let i = k - 1; i >= 0; i--) {
      const d = i * m + i;
      Q[d] = 1;
      for (let r = i + 1; r < m; r++) Q[i * m + r] = w[i * m + r]!;
      const t = tau[i]!;
      if (i + 1 < nq) applyReflector(m - i, t, Q, d, Q, m, i, i + 1, nq);
      for (let r = i + 1; r < m; r++) Q[i * m + r] *= -t;
      Q[d] = 1 - t;
    }
    return Q;
  }
  for (let j = 0; j < nq; j++) Q[j * m + j] = 1;
  const mark = arenaMark();
  try {
    const V = workArray(m * NB);
    const T = new Float64Array(NB * NB);
    const W = new Float64Array(NB * nq);
    const last = Math.floor((k - 1) / NB) * NB;
    for (let j0 = last; j0 >= 0; j0 -= NB) {
      const b = Math.min(NB, k - j0);
      blockReflector(w, m, tau, j0, b, V, T);
      applyBlockReflector(V, T, m - j0, b, false, Q, m, j0, j0, nq - j0, W);
    }
  } finally {
    arenaRelease(mark);
  }
  return Q;
}
