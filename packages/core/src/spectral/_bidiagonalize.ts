// Householder bidiagonalization Qᵀ·A·P = B (upper bidiagonal) of a tall row-major matrix
// (GvL 4th ed. Alg. 5.4.2; LAPACK dgebd2 for m ≥ n), and the formation of Qᵀ and Pᵀ.
// Private engine of the spectral folder; assumes validated, finite input with m ≥ n.
import { axpyStrided } from '../kernels/blas1.js';
import { _householder, _reflectRowsRight } from './_householder.js';

/**
 * Reduces the row-major m×n array `w` (m ≥ n) to upper bidiagonal form: diagonal `d`
 * (length n), superdiagonal `e` (length n − 1). Left reflector k acts on rows k … m − 1
 * with its vector (v₀ = 1) left in column k of `w` and τ in `tauq[k]`; right reflector k
 * acts on columns k + 1 … n − 1 with its vector in row k of `w` and τ in `taup[k]`.
 * Q = H₀⋯H_{n−1}, P = G₀⋯G_{n−2}. About 4mn² − (4/3)n³ flops.
 */
export function _bidiagonalize(
  w: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
): void {
  const out = new Float64Array(1);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
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
