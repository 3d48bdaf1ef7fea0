// Householder reduction of a symmetric matrix to tridiagonal form, Qᵀ·A·Q = T
// (GvL 4th ed. Alg. 8.3.1; LAPACK dsytd2 with UPLO = 'L' semantics on a row-major copy),
// its blocked form (LAPACK dsytrd/dlatrd: panels reduced with matrix-vector products, the
// trailing matrix updated by a rank-2·nb GEMM), and the blocked application of Q
// (LAPACK dormtr: compact-WY blocks, three GEMMs each).
// Private engine of the spectral folder; assumes validated, finite input.
//
// Storage: the row-major upper triangle of the n×n work array is the column-major lower
// triangle, so "column j" of LAPACK's lower-triangle code is row j here and every vector
// of the panel is a contiguous row.
import { axpyStrided, dotStrided } from '../kernels/blas1.js';
import { gemmStrided } from '../kernels/gemm.js';
import { _applyReflectorsLeft } from './_blockReflector.js';
import { _householder, _reflectRowsRight } from './_householder.js';
import { _rowsCombine, _rowsDot } from './_level2.js';
import { _spectralTuning } from './_tuning.js';

/**
 * Reduces the symmetric matrix held in the upper triangle of the row-major n×n array `w`
 * (element (i, j), j ≥ i, at `w[i·n + j]`; the strict lower triangle is ignored) to
 * tridiagonal T with diagonal `d` (length n) and off-diagonal `e` (length n − 1).
 * Reflector k (k < n − 1) acts on coordinates k + 1 … n − 1; its vector (v₀ = 1) is left
 * in row k of `w`, columns k + 1 … n − 1, and its τ in `tau[k]`. Q = H₀·H₁⋯H_{n−2}.
 *
 * Each step is a symmetric rank-2 update of the trailing block, computed on its upper
 * triangle only with row-contiguous dot/axpy kernels: (4/3)·n³ flops in all. With `k0` > 0
 * the reduction starts at column k0 (the first k0 columns already reduced, as left by
 * {@link _tridiagonalizeBlocked}).
 */
export function _tridiagonalize(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
  k0 = 0,
): void {
  const p = new Float64Array(n);
  const out = new Float64Array(1);
  for (let k = k0; k < n - 1; k++) {
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

/**
 * y[0..r) = S·v for the symmetric r×r S whose upper triangle is stored row-major at
 * `a[off + i·ld + j]` (j ≥ i); v at `v[voff …]`, y at `y[yoff …]` (overwritten). Reads the
 * triangle once: four rows at a time, each element feeds both the dot product of its row
 * and the axpy into y (LAPACK dsymv's two uses of one load), so every load of y and v
 * serves four rows.
 */
export function _symvUpper(
  r: number,
  a: Float64Array,
  off: number,
  ld: number,
  v: Float64Array,
  voff: number,
  y: Float64Array,
  yoff: number,
): void {
  y.fill(0, yoff, yoff + r);
  let i = 0;
  for (; i + 4 <= r; i += 4) {
    const b0 = off + i * ld;
    const b1 = b0 + ld;
    const b2 = b1 + ld;
    const b3 = b2 + ld;
    const v0 = v[voff + i]!;
    const v1 = v[voff + i + 1]!;
    const v2 = v[voff + i + 2]!;
    const v3 = v[voff + i + 3]!;
    // the 4×4 diagonal block (upper triangle stored)
    const a00 = a[b0 + i]!;
    const a01 = a[b0 + i + 1]!;
    const a02 = a[b0 + i + 2]!;
    const a03 = a[b0 + i + 3]!;
    const a11 = a[b1 + i + 1]!;
    const a12 = a[b1 + i + 2]!;
    const a13 = a[b1 + i + 3]!;
    const a22 = a[b2 + i + 2]!;
    const a23 = a[b2 + i + 3]!;
    const a33 = a[b3 + i + 3]!;
    let s0 = a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3;
    let s1 = a01 * v0 + a11 * v1 + a12 * v2 + a13 * v3;
    let s2 = a02 * v0 + a12 * v1 + a22 * v2 + a23 * v3;
    let s3 = a03 * v0 + a13 * v1 + a23 * v2 + a33 * v3;
    const dv = voff - yoff;
    for (let j = yoff + i + 4, end = yoff + r, q = i + 4; j < end; j++, q++) {
      const x0 = a[b0 + q]!;
      const x1 = a[b1 + q]!;
      const x2 = a[b2 + q]!;
      const x3 = a[b3 + q]!;
      const vj = v[j + dv]!;
      s0 += x0 * vj;
      s1 += x1 * vj;
      s2 += x2 * vj;
      s3 += x3 * vj;
      y[j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
    }
    y[yoff + i] += s0;
    y[yoff + i + 1] += s1;
    y[yoff + i + 2] += s2;
    y[yoff + i + 3] += s3;
  }
  for (; i < r; i++) {
    const row = off + i * ld + i;
    const vi = v[voff + i]!;
    const len = r - 1 - i;
    y[yoff + i] += a[row]! * vi + dotStrided(len, a, row + 1, 1, v, voff + i + 1, 1);
    axpyStrided(len, vi, a, row + 1, 1, y, yoff + i + 1, 1);
  }
}

/**
 * Blocked tridiagonal reduction (LAPACK dsytrd with UPLO = 'L', panels by dlatrd): the same
 * contract and the same reflectors as {@link _tridiagonalize}, except that row k of `w` keeps
 * the unit entry of v at column k + 1 and the strict lower triangle of `w` is used as
 * scratch. Each panel of nb columns is reduced with one symmetric matrix-vector product per
 * column against the not-yet-updated trailing matrix, corrected by the panel's own vectors;
 * the trailing matrix then gets A ← A − V·Wᵀ − W·Vᵀ as GEMMs over block rows of its upper
 * triangle (half of the (4/3)·n³ flops). The last `blockMin` columns are reduced unblocked.
 */
export function _tridiagonalizeBlocked(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
): void {
  const nb = _spectralTuning.nb;
  const nx = Math.max(_spectralTuning.blockMin, nb + 1);
  if (n <= nx) {
    _tridiagonalize(w, n, d, e, tau);
    return;
  }
  // rows [0, nb): copy of the panel's V, [nb, 2nb): W, [2nb, 3nb): V again, so that
  // [V W] and [W V] are both contiguous row ranges for the trailing GEMM
  const buf = new Float64Array(3 * nb * n);
  const wo = nb * n;
  const tmp = new Float64Array(nb);
  const out = new Float64Array(1);
  let i0 = 0;
  for (; n - i0 > nx; i0 += nb) {
    for (let p = 0; p < nb; p++) {
      const c = i0 + p;
      const rowc = c * n;
      const len = n - c;
      // column c ← column c − A[:, i0:c]·W[c, :]ᵀ − W[:, 0:p]·A[c, i0:c]ᵀ (rows c … n−1)
      if (p > 0) {
        _rowsCombine(p, len, -1, w, i0 * n + c, n, buf, wo + c, n, 1, w, rowc + c);
        _rowsCombine(p, len, -1, buf, wo + c, n, w, i0 * n + c, n, 1, w, rowc + c);
      }
      d[c] = w[rowc + c]!;
      // reflector annihilating column c below the subdiagonal
      const t = _householder(len - 2, w[rowc + c + 1]!, w, rowc + c + 2, 1, out);
      e[c] = out[0]!;
      tau[c] = t;
      w[rowc + c + 1] = 1;
      const s = c + 1;
      const l = n - s; // length of v
      const vo = rowc + s;
      const wp = wo + p * n + s; // W[s:n, p]
      // W[:, p] = A₂₂·v − V·(Wᵀv) − W·(Vᵀv), then τ·(…) and the symmetric correction
      _symvUpper(l, w, s * n + s, n, w, vo, buf, wp);
      if (p > 0) {
        _rowsDot(p, l, 1, buf, wo + s, n, w, vo, 0, tmp, 0);
        _rowsCombine(p, l, -1, w, i0 * n + s, n, tmp, 0, 1, 1, buf, wp);
        _rowsDot(p, l, 1, w, i0 * n + s, n, w, vo, 0, tmp, 0);
        _rowsCombine(p, l, -1, buf, wo + s, n, tmp, 0, 1, 1, buf, wp);
      }
      for (let j = 0; j < l; j++) buf[wp + j] *= t;
      const alpha = -0.5 * t * dotStrided(l, buf, wp, 1, w, vo, 1);
      axpyStrided(l, alpha, w, vo, 1, buf, wp, 1);
    }
    // trailing update of rows/columns s … n−1: the upper triangle by block rows of 2·nb, each
    // one GEMM with k = 2·nb (the lower parts of the diagonal blocks add about 1.5·bs/n to
    // the GEMM flops: 10% at n = 1000)
    const s = i0 + nb;
    for (let q = 0; q < nb; q++) {
      const src = (i0 + q) * n + s;
      buf.set(w.subarray(src, src + n - s), q * n + s);
      buf.set(w.subarray(src, src + n - s), (2 * nb + q) * n + s);
    }
    const bs = 2 * nb;
    for (let r0 = s; r0 < n; r0 += bs) {
      const rb = Math.min(bs, n - r0);
      // C[r, c] −= Σ_q [V W](r, q)·[W V](c, q) for c ≥ r0
      gemmStrided(
        rb,
        n - r0,
        2 * nb,
        -1,
        buf,
        r0,
        1,
        n,
        buf,
        wo + r0,
        n,
        1,
        1,
        w,
        r0 * n + r0,
        n,
        1,
      );
    }
  }
  _tridiagonalize(w, n, d, e, tau, i0);
}

/**
 * Z ← Q·Z for the row-major n×nc `z` (leading dimension ldz), Q = H₀⋯H_{n−2} the
 * orthogonal factor of {@link _tridiagonalize} / {@link _tridiagonalizeBlocked}, whose
 * reflectors sit in `w` and `tau`. Blocks of `applyNb` reflectors are applied last to first,
 * each as three GEMMs (LAPACK dormtr, SIDE = 'L', TRANS = 'N'): 2·n²·nc flops.
 */
export function _applyTridiagonalQ(
  w: Float64Array,
  n: number,
  tau: Float64Array,
  z: Float64Array,
  ldz: number,
  nc: number,
): void {
  _applyReflectorsLeft(false, n - 1, n, 1, w, 0, n, 1, tau, z, ldz, nc, _spectralTuning.applyNb);
}
