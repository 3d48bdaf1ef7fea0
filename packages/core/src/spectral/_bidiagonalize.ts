// Householder bidiagonalization Qᵀ·A·P = B (upper bidiagonal) of a tall row-major matrix
// (GvL 4th ed. Alg. 5.4.2; LAPACK dgebd2 for m ≥ n), its blocked form (LAPACK
// dgebrd/dlabrd: panels reduced with matrix-vector products, the trailing matrix updated
// by two GEMMs), the formation of Qᵀ and Pᵀ, and the blocked application of Q and P.
// Private engine of the spectral folder; assumes validated, finite input with m ≥ n.
import { residentAddress } from '../kernels/_wasmArena.js';
import { axpyStrided, gemvStrided } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';
import { _applyReflectorsLeft } from './_blockReflector.js';
import { _householder, _reflectRowsRight } from './_householder.js';
import { _rowsCombine, _rowsDot } from './_level2.js';
import { _spectralTuning } from './_tuning.js';

/**
 * Reduces the row-major m×n array `w` (m ≥ n) to upper bidiagonal form: diagonal `d`
 * (length n), superdiagonal `e` (length n − 1). Left reflector k acts on rows k … m − 1
 * with its vector (v₀ = 1) left in column k of `w` and τ in `tauq[k]`; right reflector k
 * acts on columns k + 1 … n − 1 with its vector in row k of `w` and τ in `taup[k]`.
 * Q = H₀⋯H_{n−1}, P = G₀⋯G_{n−2}. About 4mn² − (4/3)n³ flops. With `k0` > 0 the
 * reduction starts at row and column k0 (as left by {@link _bidiagonalizeBlocked}).
 */
export function _bidiagonalize(
  w: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
  k0 = 0,
): void {
  const out = new Float64Array(1);
  const y = new Float64Array(n);
  for (let k = k0; k < n; k++) {
    // left reflector annihilating column k below the diagonal
    const kk = k * n + k;
    const tq = _householder(m - k - 1, w[kk]!, w, kk + n, n, out);
    d[k] = out[0]!;
    tauq[k] = tq;
    w[kk] = 1;
    const len = n - k - 1;
    if (tq !== 0 && len > 0) {
      // A[k:m, k+1:n] ← (I − τ·v·vᵀ)·A[k:m, k+1:n]: y = Aᵀv by rows, then a rank-1 update
      y.fill(0, 0, len);
      for (let i = k; i < m; i++) axpyStrided(len, w[i * n + k]!, w, i * n + k + 1, 1, y, 0, 1);
      for (let i = k; i < m; i++)
        axpyStrided(len, -tq * w[i * n + k]!, y, 0, 1, w, i * n + k + 1, 1);
    }
    if (k < n - 1) {
      // right reflector annihilating row k right of the superdiagonal
      const tp = _householder(len - 1, w[kk + 1]!, w, kk + 2, 1, out);
      e[k] = out[0]!;
      taup[k] = tp;
      w[kk + 1] = 1;
      _reflectRowsRight(w, n, k + 1, m, k + 1, len, w, kk + 1, tp);
    } else if (k < taup.length) {
      taup[k] = 0;
    }
  }
}

/**
 * Forms the first `rows` rows of Qᵀ (rows ≤ m; row j of Qᵀ is column j of Q) into the
 * row-major rows×m array `qt`, from the left reflectors left in `w` by
 * {@link _bidiagonalize}. Backward accumulation, as LAPACK dorg2r: step k touches only
 * rows k … rows − 1 and columns k … m − 1.
 */
export function _formLeftQt(
  w: Float64Array,
  m: number,
  n: number,
  tauq: Float64Array,
  qt: Float64Array,
  rows: number,
): void {
  qt.fill(0, 0, rows * m);
  for (let i = 0; i < rows; i++) qt[i * m + i] = 1;
  const v = new Float64Array(m);
  for (let k = n - 1; k >= 0; k--) {
    const t = tauq[k]!;
    if (t === 0) continue;
    for (let i = k; i < m; i++) v[i - k] = w[i * n + k]!;
    _reflectRowsRight(qt, m, k, rows, k, m - k, v, 0, t);
  }
}

/**
 * Forms Pᵀ (n×n, row-major, into `pt`) from the right reflectors left in `w` by
 * {@link _bidiagonalize}: Pᵀ = G_{n−2}⋯G₀, accumulated backward.
 */
export function _formRightPt(
  w: Float64Array,
  n: number,
  taup: Float64Array,
  pt: Float64Array,
): void {
  pt.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) pt[i * n + i] = 1;
  for (let k = n - 2; k >= 0; k--) {
    const s = k + 1;
    _reflectRowsRight(pt, n, s, n, s, n - s, w, k * n + s, taup[k]!);
  }
}

/**
 * Blocked bidiagonalization (LAPACK dgebrd with panels by dlabrd, m ≥ n): the same contract
 * and reflectors as {@link _bidiagonalize}. For each panel of nb rows and columns the
 * reflectors are generated with matrix-vector products against the not-yet-updated
 * trailing matrix, corrected through X (m×nb) and Y (n×nb); the trailing matrix then gets
 * A ← A − V·Yᵀ − X·Uᵀ (two GEMMs, half of the 4mn² − (4/3)n³ flops). The last `blockMin`
 * columns are reduced unblocked.
 */
export function _bidiagonalizeBlocked(
  w: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
): void {
  const nb = _spectralTuning.nb;
  const nx = Math.max(_spectralTuning.blockMin, nb + 1);
  if (n <= nx) {
    _bidiagonalize(w, m, n, d, e, tauq, taup);
    return;
  }
  // X(r, q) at x[q·m + r], Y(c, q) at y[q·n + c]: each column of X and Y is a contiguous row
  const x = new Float64Array(nb * m);
  const y = new Float64Array(nb * n);
  const tmp = new Float64Array(nb + 1);
  const col = new Float64Array(m); // a column of A, contiguous
  const out = new Float64Array(1);
  // When `w` lives in wasm memory the two large products per column (A₂₂ᵀ·u, A₂₂·v) go to
  // the SIMD gemv, which reads the block in place; otherwise the TypeScript loops do (a
  // copy of the trailing block per product would cost more than the SIMD gains).
  const simd = residentAddress(w) >= 0;
  let i0 = 0;
  for (; n - i0 > nx; i0 += nb) {
    for (let p = 0; p < nb; p++) {
      const c = i0 + p;
      const cc = c * n + c; // A(c, c)
      const mc = m - c;
      // A(c:m, c) −= A(c:m, i0:c)·Y(c, 0:p)ᵀ + X(c:m, 0:p)·A(i0:c, c), formed in the
      // contiguous col and subtracted from the (strided) column in one pass
      if (p > 0) {
        for (let q = 0; q < p; q++) tmp[q] = y[q * n + c]!;
        _rowsDot(mc, p, 1, w, c * n + i0, n, tmp, 0, 0, col, 0);
        _rowsCombine(p, mc, 1, x, c, m, w, i0 * n + c, n, 1, col, 0);
        for (let r = 0; r < mc; r++) w[cc + r * n] -= col[r]!;
      }
      // Q reflector: annihilate A(c+1:m, c); u = A(c:m, c) is copied to col
      tauq[c] = _householder(mc - 1, w[cc]!, w, cc + n, n, out);
      d[c] = out[0]!;
      w[cc] = 1;
      for (let r = 0; r < mc; r++) col[r] = w[cc + r * n]!;
      const nc = n - c - 1; // columns right of c
      const yp = p * n + c + 1; // Y(c+1:n, p)
      // Y(c+1:n, p) = τq·[A(c:m, c+1:n)ᵀ·u − Y(c+1:n, 0:p)·(A(c:m, i0:c)ᵀ·u) − A(i0:c, c+1:n)ᵀ·(X(c:m, 0:p)ᵀ·u)]
      if (simd) gemvStrided(nc, mc, 1, w, cc + 1, 1, n, col, 0, 1, 0, y, yp, 1);
      else _rowsCombine(mc, nc, 1, w, cc + 1, n, col, 0, 1, 0, y, yp);
      if (p > 0) {
        _rowsCombine(mc, p, 1, w, c * n + i0, n, col, 0, 1, 0, tmp, 0);
        _rowsCombine(p, nc, -1, y, c + 1, n, tmp, 0, 1, 1, y, yp);
        _rowsDot(p, mc, 1, x, c, m, col, 0, 0, tmp, 0);
        _rowsCombine(p, nc, -1, w, i0 * n + c + 1, n, tmp, 0, 1, 1, y, yp);
      }
      const tq = tauq[c]!;
      for (let j = 0; j < nc; j++) y[yp + j] *= tq;
      // A(c, c+1:n) −= Y(c+1:n, 0:p+1)·A(c, i0:c+1)ᵀ + A(i0:c, c+1:n)ᵀ·X(c, 0:p)ᵀ
      _rowsCombine(p + 1, nc, -1, y, c + 1, n, w, c * n + i0, 1, 1, w, cc + 1);
      if (p > 0) _rowsCombine(p, nc, -1, w, i0 * n + c + 1, n, x, c, m, 1, w, cc + 1);
      // P reflector: annihilate A(c, c+2:n)
      taup[c] = _householder(nc - 1, w[cc + 1]!, w, cc + 2, 1, out);
      e[c] = out[0]!;
      w[cc + 1] = 1;
      const m1 = mc - 1; // rows below c
      const xp = p * m + c + 1; // X(c+1:m, p)
      // X(c+1:m, p) = τp·[A(c+1:m, c+1:n)·v − A(c+1:m, i0:c+1)·(Y(c+1:n, 0:p+1)ᵀ·v) − X(c+1:m, 0:p)·(A(i0:c, c+1:n)·v)]
      if (simd) gemvStrided(m1, nc, 1, w, cc + n + 1, n, 1, w, cc + 1, 1, 0, x, xp, 1);
      else _rowsDot(m1, nc, 1, w, cc + n + 1, n, w, cc + 1, 0, x, xp);
      _rowsDot(p + 1, nc, 1, y, c + 1, n, w, cc + 1, 0, tmp, 0);
      _rowsDot(m1, p + 1, -1, w, (c + 1) * n + i0, n, tmp, 0, 1, x, xp);
      if (p > 0) {
        _rowsDot(p, nc, 1, w, i0 * n + c + 1, n, w, cc + 1, 0, tmp, 0);
        _rowsCombine(p, m1, -1, x, c + 1, m, tmp, 0, 1, 1, x, xp);
      }
      const tp = taup[c]!;
      for (let j = 0; j < m1; j++) x[xp + j] *= tp;
    }
    // trailing update A(s:m, s:n) −= V·Yᵀ + X·U with V(r, q) = A(r, i0+q), U(q, c) = A(i0+q, c)
    const s = i0 + nb;
    gemmStrided(m - s, n - s, nb, -1, w, s * n + i0, n, 1, y, s, n, 1, 1, w, s * n + s, n, 1);
    gemmStrided(m - s, n - s, nb, -1, x, s, 1, m, w, i0 * n + s, n, 1, 1, w, s * n + s, n, 1);
  }
  _bidiagonalize(w, m, n, d, e, tauq, taup, i0);
}

/**
 * C ← Q·C for the row-major m×nc `c` (leading dimension ldc), Q = H₀⋯H_{n−1} the left
 * factor of the bidiagonalization of the m×n `w` (reflector k in column k, rows k … m−1).
 * Compact-WY blocks, all in GEMM (LAPACK dormbr, VECT = 'Q').
 */
export function _applyBidiagonalQ(
  w: Float64Array,
  m: number,
  n: number,
  tauq: Float64Array,
  c: Float64Array,
  ldc: number,
  nc: number,
): void {
  _applyReflectorsLeft(false, n, m, 0, w, 0, 1, n, tauq, c, ldc, nc, _spectralTuning.applyNb);
}

/**
 * C ← P·C for the row-major n×nc `c` (leading dimension ldc), P = G₀⋯G_{n−2} the right
 * factor of the bidiagonalization of the m×n `w` (reflector k in row k, columns k+1 … n−1).
 * Compact-WY blocks, all in GEMM (LAPACK dormbr, VECT = 'P').
 */
export function _applyBidiagonalP(
  w: Float64Array,
  n: number,
  taup: Float64Array,
  c: Float64Array,
  ldc: number,
  nc: number,
): void {
  _applyReflectorsLeft(false, n - 1, n, 1, w, 0, n, 1, taup, c, ldc, nc, _spectralTuning.applyNb);
}
