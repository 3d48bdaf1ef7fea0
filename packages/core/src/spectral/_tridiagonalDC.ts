// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and
// conquer (J. Cuppen, Numer. Math. 36, 1981), structured as LAPACK dstedc/dlaed0–dlaed3:
// T is torn into two halves by a rank-one correction, each half is solved recursively
// (the implicit QL/QR iteration below `dcMin`), and the halves are merged by solving the
// eigenproblem of D + ρ·z·zᵀ:
//  - deflation (dlaed2): components of z below a tolerance, and pairs of nearly equal
//    poles (rotated so that one component of z vanishes), leave eigenpairs unchanged;
//  - the remaining K roots of the secular equation (see _secular.ts), then the
//    Gu–Eisenstat ẑ, the exact data of a nearby problem whose eigenvectors ẑᵢ/(dᵢ − λⱼ)
//    are orthogonal to working precision however close the eigenvalues are (Löwner's
//    formula; Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 15, 1994);
//  - the eigenvector update Q·U as two GEMMs, one per half, after grouping the columns of
//    Q that live in the top half only, in both, or in the bottom half only (dlaed2's
//    column types), so that the zero blocks of Q are skipped.
// Private engine of the spectral folder; assumes finite input.
import { gemmStrided } from '../kernels/gemm.js';
import { _secularRoot } from './_secular.js';
import { _tridiagonalEigen } from './_tridiagonalEigen.js';
import { _spectralTuning } from './_tuning.js';

const EPS = 2 ** -53;

/** Workspace shared by the merges of one call. */
interface Work {
  n: number;
  z: Float64Array;
  ldz: number;
  zv: Float64Array; // the rank-one vector
  dd: Float64Array; // the merged poles (local copy of d)
  dl: Float64Array; // non-deflated poles, ascending
  wv: Float64Array; // their z components
  lam: Float64Array; // secular roots
  zhat: Float64Array;
  scratch: Float64Array;
  idx: Int32Array; // sorted order of the poles
  nd: Int32Array; // non-deflated columns, in pole order
  defl: Int32Array; // deflated columns
  order: Int32Array; // non-deflated positions grouped by column type
  type: Int8Array; // 1 top half only, 2 both halves, 3 bottom half only, 4 deflated
  out: Int32Array; // final order: k ≥ 0 root k, −1 − t deflated column t
  src: Int32Array; // inverse of order
  row1: Float64Array; // one staged row
  g: Float64Array; // n² gathered columns of Q
  dr: Float64Array; // n² δ matrix, then the GEMM result
  ut: Float64Array; // n² eigenvectors of D + ρ·z·zᵀ, as rows
}

/**
 * Diagonalizes the symmetric tridiagonal T (diagonal `d`, length n; off-diagonal `e`,
 * length ≥ n − 1; both overwritten, eigenvalues end in `d` ascending) and writes its
 * eigenvectors as the columns of the row-major n×n `z` (leading dimension ldz).
 * Like LAPACK dstedc (COMPZ = 'I'): T is split where an off-diagonal is negligible, each
 * block larger than `dcMin` is scaled to unit max-norm and solved by divide and conquer,
 * smaller ones by the implicit QL/QR iteration.
 *
 * @throws {NotConvergedError} if a QL/QR leaf or a secular equation fails (not expected)
 */
export function _tridiagonalDC(
  n: number,
  d: Float64Array,
  e: Float64Array,
  z: Float64Array,
  ldz: number,
): void {
  for (let i = 0; i < n; i++) {
    z.fill(0, i * ldz, i * ldz + n);
    z[i * ldz + i] = 1;
  }
  if (n <= 1) return;
  const leaf = Math.max(_spectralTuning.dcMin, 2);
  const wk: Work = {
    n,
    z,
    ldz,
    zv: new Float64Array(n),
    dd: new Float64Array(n),
    dl: new Float64Array(n),
    wv: new Float64Array(n),
    lam: new Float64Array(n),
    zhat: new Float64Array(n),
    scratch: new Float64Array(n),
    idx: new Int32Array(n),
    nd: new Int32Array(n),
    defl: new Int32Array(n),
    order: new Int32Array(n),
    type: new Int8Array(n),
    out: new Int32Array(n),
    src: new Int32Array(n),
    row1: new Float64Array(n),
    g: new Float64Array(0),
    dr: new Float64Array(0),
    ut: new Float64Array(0),
  };
  let split = false;
  let start = 0;
  while (start < n) {
    // the unreduced block start … end (dstedc's splitting test)
    let end = start;
    for (; end < n - 1; end++) {
      const tiny = EPS * Math.sqrt(Math.abs(d[end]!)) * Math.sqrt(Math.abs(d[end + 1]!));
      if (Math.abs(e[end]!) <= tiny) {
        e[end] = 0;
        split = true;
        break;
      }
    }
    const m = end - start + 1;
    if (m > leaf) {
      let nrm = 0;
      for (let i = start; i <= end; i++) nrm = Math.max(nrm, Math.abs(d[i]!));
      for (let i = start; i < end; i++) nrm = Math.max(nrm, Math.abs(e[i]!));
      for (let i = start; i <= end; i++) d[i] = d[i]! / nrm;
      for (let i = start; i < end; i++) e[i] = e[i]! / nrm;
      if (wk.g.length < m * m) {
        wk.g = new Float64Array(m * m);
        wk.dr = new Float64Array(m * m);
        wk.ut = new Float64Array(m * m);
      }
      divide(wk, d, e, start, end + 1, leaf);
      for (let i = start; i <= end; i++) d[i] = d[i]! * nrm;
    } else if (m > 1) {
      solveLeaf(wk, d, e, start, end + 1);
    }
    start = end + 1;
  }
  if (split) {
    // blocks were solved separately: selection sort, swapping eigenvector columns
    for (let i = 0; i < n - 1; i++) {
      let k = i;
      for (let j = i + 1; j < n; j++) if (d[j]! < d[k]!) k = j;
      if (k !== i) {
        const t = d[i]!;
        d[i] = d[k]!;
        d[k] = t;
        for (let r = 0; r < n; r++) {
          const p = r * ldz;
          const x = z[p + i]!;
          z[p + i] = z[p + k]!;
          z[p + k] = x;
        }
      }
    }
  }
}

/** Cuppen's tearing: solve [lo, mid) and [mid, hi) of T − |β|·(e_m ± e_{m+1})(…)ᵀ, merge. */
function divide(
  wk: Work,
  d: Float64Array,
  e: Float64Array,
  lo: number,
  hi: number,
  leaf: number,
): void {
  if (hi - lo <= leaf) {
    solveLeaf(wk, d, e, lo, hi);
    return;
  }
  const mid = lo + ((hi - lo) >> 1);
  const beta = e[mid - 1]!;
  d[mid - 1] = d[mid - 1]! - Math.abs(beta);
  d[mid] = d[mid]! - Math.abs(beta);
  divide(wk, d, e, lo, mid, leaf);
  divide(wk, d, e, mid, hi, leaf);
  merge(wk, d, lo, mid, hi, beta);
}

/** Implicit QL/QR on the block [lo, hi), eigenvectors into z's diagonal block. */
function solveLeaf(wk: Work, d: Float64Array, e: Float64Array, lo: number, hi: number): void {
  const m = hi - lo;
  const zt = new Float64Array(m * m);
  for (let i = 0; i < m; i++) zt[i * m + i] = 1;
  _tridiagonalEigen(m, d.subarray(lo, hi), e.subarray(lo, hi - 1), zt, m, m);
  const { z, ldz } = wk;
  for (let r = 0; r < m; r++) {
    const p = (lo + r) * ldz + lo;
    for (let j = 0; j < m; j++) z[p + j] = zt[j * m + r]!;
  }
}

/**
 * Merges the solved halves [lo, mid) and [mid, hi) coupled by β (LAPACK dlaed1–dlaed3):
 * on entry d[lo:hi) holds the halves' eigenvalues (each ascending) and z's diagonal
 * blocks their eigenvectors; on exit d[lo:hi) and z[lo:hi, lo:hi) hold the merged ones.
 */
function merge(wk: Work, d: Float64Array, lo: number, mid: number, hi: number, beta: number): void {
  const { z, ldz, zv, dd, dl, wv, lam, zhat, idx, nd, defl, order, type, out } = wk;
  const N = hi - lo;
  const n1 = mid - lo;
  const n2 = hi - mid;
  // z = (last row of Q₁, ±first row of Q₂)/√2, ρ = 2|β|: then ‖z‖ = 1
  const r1 = (mid - 1) * ldz + lo;
  const r2 = mid * ldz + mid;
  const sgn = beta < 0 ? -Math.SQRT1_2 : Math.SQRT1_2;
  for (let i = 0; i < n1; i++) zv[i] = z[r1 + i]! * Math.SQRT1_2;
  for (let i = 0; i < n2; i++) zv[n1 + i] = z[r2 + i]! * sgn;
  const rho = 2 * Math.abs(beta);
  for (let i = 0; i < N; i++) dd[i] = d[lo + i]!;

  // merge the two ascending halves into one ascending order (dlamrg)
  {
    let a = 0;
    let b = n1;
    for (let t = 0; t < N; t++) {
      if (b >= N || (a < n1 && dd[a]! <= dd[b]!)) idx[t] = a++;
      else idx[t] = b++;
    }
  }
  let zmax = 0;
  let dmax = 0;
  for (let i = 0; i < N; i++) {
    zmax = Math.max(zmax, Math.abs(zv[i]!));
    dmax = Math.max(dmax, Math.abs(dd[i]!));
    type[i] = i < n1 ? 1 : 3;
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);

  // deflation (dlaed2)
  let K = 0;
  let nDefl = 0;
  if (rho * zmax <= tol) {
    for (let t = 0; t < N; t++) defl[nDefl++] = idx[t]!;
  } else {
    let pj = -1;
    for (let t = 0; t < N; t++) {
      const j = idx[t]!;
      if (rho * Math.abs(zv[j]!) <= tol) {
        type[j] = 4;
        defl[nDefl++] = j;
        continue;
      }
      if (pj < 0) {
        pj = j;
        continue;
      }
      // two poles so close that a rotation in their plane zeroes one component of z
      let s = zv[pj]!;
      let c = zv[j]!;
      const tau = Math.hypot(c, s);
      const gap = dd[j]! - dd[pj]!;
      c /= tau;
      s = -s / tau;
      if (Math.abs(gap * c * s) <= tol) {
        zv[j] = tau;
        zv[pj] = 0;
        if (type[j] !== type[pj]) type[j] = 2;
        type[pj] = 4;
        const cp = lo + pj;
        const cj = lo + j;
        for (let r = lo; r < hi; r++) {
          const p = r * ldz;
          const x = z[p + cp]!;
          const y = z[p + cj]!;
          z[p + cp] = c * x + s * y;
          z[p + cj] = c * y - s * x;
        }
        const t1 = dd[pj]! * c * c + dd[j]! * s * s;
        dd[j] = dd[pj]! * s * s + dd[j]! * c * c;
        dd[pj] = t1;
        defl[nDefl++] = pj;
        pj = j;
      } else {
        nd[K++] = pj;
        pj = j;
      }
    }
    if (pj >= 0) nd[K++] = pj;
  }

  // the secular equation for the K non-deflated poles, then Gu–Eisenstat's ẑ
  const dr = wk.dr;
  const ut = wk.ut;
  for (let i = 0; i < K; i++) {
    dl[i] = dd[nd[i]!]!;
    wv[i] = zv[nd[i]!]!;
  }
  for (let k = 0; k < K; k++) lam[k] = _secularRoot(K, dl, wv, rho, k, dr, k * K, wk.scratch);
  if (K > 0) {
    // −ρ·ẑᵢ² = (dᵢ − λᵢ)·Π_{k≠i} (dᵢ − λ_k)/(dᵢ − d_k)  (dlaed3)
    for (let i = 0; i < K; i++) zhat[i] = dr[i * K + i]!;
    for (let k = 0; k < K; k++) {
      const row = k * K;
      const dk = dl[k]!;
      for (let i = 0; i < K; i++) if (i !== k) zhat[i] = zhat[i]! * (dr[row + i]! / (dl[i]! - dk));
    }
    for (let i = 0; i < K; i++) {
      const v = Math.sqrt(-zhat[i]!);
      zhat[i] = wv[i]! >= 0 ? v : -v;
    }
  }
  // group the non-deflated columns by type: top only, both halves, bottom only
  let c1 = 0;
  let c2 = 0;
  for (let i = 0; i < K; i++) {
    const t = type[nd[i]!]!;
    if (t === 1) c1++;
    else if (t === 2) c2++;
  }
  const c3 = K - c1 - c2;
  {
    let p1 = 0;
    let p2 = c1;
    let p3 = c1 + c2;
    for (let i = 0; i < K; i++) {
      const t = type[nd[i]!]!;
      order[i] = t === 1 ? p1++ : t === 2 ? p2++ : p3++; // position of pole i in type order
    }
  }
  // row k of ut: the eigenvector ẑᵢ/(dᵢ − λ_k), normalized, in type order (written
  // sequentially through the inverse permutation: ut is too large for cache)
  const src = wk.src;
  for (let i = 0; i < K; i++) src[order[i]!] = i;
  const row1 = wk.row1;
  for (let k = 0; k < K; k++) {
    const row = k * K;
    let s = 0;
    for (let i = 0; i < K; i++) {
      const v = zhat[i]! / dr[row + i]!;
      row1[i] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let q = 0; q < K; q++) ut[row + q] = row1[src[q]!]! * inv;
  }
  // the deflated eigenvalues in ascending order (insertion sort: nearly sorted already)
  for (let t = 1; t < nDefl; t++) {
    const j = defl[t]!;
    const v = dd[j]!;
    let s = t - 1;
    while (s >= 0 && dd[defl[s]!]! > v) {
      defl[s + 1] = defl[s]!;
      s--;
    }
    defl[s + 1] = j;
  }
  // gather the columns of Q: top rows of types 1–2, bottom rows of types 2–3, deflated
  const g = wk.g;
  const ctop = c1 + c2;
  const cbot = c2 + c3;
  const gBot = n1 * ctop;
  const gDef = gBot + n2 * cbot;
  // row by row: each row of the block is copied to row1 (one sequential read), and the
  // permuted columns are picked from there
  const colAt = wk.out; // scratch here: the local column behind each type-order position
  for (let q = 0; q < K; q++) colAt[q] = nd[src[q]!]!;
  for (let r = 0; r < N; r++) {
    const p = (lo + r) * ldz + lo;
    row1.set(z.subarray(p, p + N));
    if (r < n1) {
      const q0 = r * ctop;
      for (let q = 0; q < ctop; q++) g[q0 + q] = row1[colAt[q]!]!;
    } else {
      const q0 = gBot + (r - n1) * cbot - c1;
      for (let q = c1; q < K; q++) g[q0 + q] = row1[colAt[q]!]!;
    }
    const q0 = gDef + r * nDefl;
    for (let t = 0; t < nDefl; t++) g[q0 + t] = row1[defl[t]!]!;
  }
  // new eigenvectors: R = [Q_top·U_top; Q_bot·U_bot] (N×K, row-major, in dr)
  if (K > 0) {
    gemmStrided(n1, K, ctop, 1, g, 0, ctop, 1, ut, 0, 1, K, 0, dr, 0, K, 1);
    gemmStrided(n2, K, cbot, 1, g, gBot, cbot, 1, ut, c1, 1, K, 0, dr, n1 * K, K, 1);
  }
  // eigenvalues in ascending order: merge the roots (ascending) with the deflated values
  {
    let a = 0;
    let b = 0;
    for (let t = 0; t < N; t++) {
      if (b >= nDefl || (a < K && lam[a]! <= dd[defl[b]!]!)) {
        d[lo + t] = lam[a]!;
        out[t] = a++;
      } else {
        d[lo + t] = dd[defl[b]!]!;
        out[t] = -1 - b++;
      }
    }
  }
  for (let r = 0; r < N; r++) {
    const p = (lo + r) * ldz + lo;
    const pd = gDef + r * nDefl;
    row1.set(dr.subarray(r * K, r * K + K));
    for (let t = 0; t < N; t++) {
      const k = out[t]!;
      z[p + t] = k >= 0 ? row1[k]! : g[pd - 1 - k]!;
    }
  }
}
