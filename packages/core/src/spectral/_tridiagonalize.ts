// Householder reduction of a symmetric matrix to tridiagonal form, Qᵀ·A·Q = T
// (GvL 4th ed. Alg. 8.3.1; LAPACK dsytd2 with UPLO = 'L' semantics on a row-major copy).
// Private engine of the spectral folder; assumes validated, finite input.
import { axpyStrided, dotStrided } from '../kernels/blas1.js';
import { _householder, _reflectRowsRight } from './_householder.js';

/**
 * Reduces the symmetric matrix held in the upper triangle of the row-major n×n array `w`
 * (element (i, j), j ≥ i, at `w[i·n + j]`; the strict lower triangle is ignored) to
 * tridiagonal T with diagonal `d` (length n) and off-diagonal `e` (length n − 1).
 * Reflector k (k < n − 1) acts on coordinates k + 1 … n − 1; its vector (v₀ = 1) is left
 * in row k of `w`, columns k + 1 … n − 1, and its τ in `tau[k]`. Q = H₀·H₁⋯H_{n−2}.
 *
 * Each step is a symmetric rank-2 update of the trailing block, computed on its upper
 * triangle only with row-contiguous dot/axpy kernels: (4/3)·n³ flops in all.
 */
export function _tridiagonalize(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
): void {
  const p = new Float64Array(n);
  const out = new Float64Array(1);
  for (let k = 0; k < n - 1; k++) {
    d[k] = w[k * n + k]!;
    const s = k + 1; // first row/column of the trailing block
    const r = n - s; // its order
    const voff = k * n + s;
    const t = _householder(r - 1, w[voff]!, w, voff + 1, 1, out);
    e[k] = out[0]!;
    w[voff] = 1;
    tau[k] = t;
    if (t === 0) continue;
    // p = τ·A₂₂·v, reading only the upper triangle of A₂₂ (row i: a_ii, then a_i,j for j > i)
    p.fill(0, 0, r);
    for (let i = 0; i < r; i++) {
      const row = (s + i) * n + s + i;
      const vi = w[voff + i]!;
      const len = r - 1 - i;
      p[i] += w[row]! * vi + dotStrided(len, w, row + 1, 1, w, voff + i + 1, 1);
      axpyStrided(len, vi, w, row + 1, 1, p, i + 1, 1);
    }
    for (let i = 0; i < r; i++) p[i] *= t;
    // w = p − (τ/2)(pᵀv)·v, then A₂₂ ← A₂₂ − v·wᵀ − w·vᵀ
    const alpha = -0.5 * t * dotStrided(r, p, 0, 1, w, voff, 1);
    axpyStrided(r, alpha, w, voff, 1, p, 0, 1);
    for (let i = 0; i < r; i++) {
      const row = (s + i) * n + s + i;
      axpyStrided(r - i, -w[voff + i]!, p, i, 1, w, row, 1);
      axpyStrided(r - i, -p[i]!, w, voff + i, 1, w, row, 1);
    }
  }
  if (n > 0) d[n - 1] = w[(n - 1) * n + n - 1]!;
}

/**
 * Forms Qᵀ (n×n, row-major, into `qt`) from the reflectors left in `w` by
 * {@link _tridiagonalize}: Qᵀ = H_{n−2}⋯H₀, accumulated backward so that step k touches
 * only the trailing (n − k − 1)² block (LAPACK dorg2l/dorgtr's operation count, (4/3)·n³).
 * Row j of Qᵀ is column j of Q.
 */
export function _formTridiagonalQt(
  w: Float64Array,
  n: number,
  tau: Float64Array,
  qt: Float64Array,
): void {
  qt.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let k = n - 2; k >= 0; k--) {
    const s = k + 1;
    _reflectRowsRight(qt, n, s, n, s, n - s, w, k * n + s, tau[k]!);
  }
}
