// Singular values (and optionally vectors) of an upper bidiagonal matrix by the
// Demmel–Kahan implicit QR iteration: zero-shift sweeps where a shift would spoil the
// relative accuracy of the small singular values, shifted sweeps otherwise, chasing in
// the direction that suits a graded matrix, with LAPACK dbdsqr's convergence criteria.
// (J. Demmel & W. Kahan, "Accurate singular values of bidiagonal matrices", SIAM J. Sci.
// Stat. Comput. 11(5), 1990; LAPACK dbdsqr.) Private engine; assumes finite input.
import { NotConvergedError } from '../errors.js';
import { _lartg, _rotatePair, _rotateRows, _swapRows } from './_rotations.js';
import { _las2, _lasv2 } from './_twoByTwo.js';

const EPS = 2 ** -53; // LAPACK dlamch('E')
const UNFL = 2 ** -1022; // LAPACK dlamch('S')
/** Relative tolerance multiplier: max(10, min(100, ε^(−1/8))), as dbdsqr. */
const TOLMUL = Math.max(10, Math.min(100, EPS ** -0.125));
const TOL = TOLMUL * EPS;
/** Inner steps allowed per singular value pair, dbdsqr's MAXITR (times n²). */
const MAXITR = 6;
const HNDRTH = 0.01;

/**
 * Computes the SVD B = Q·Σ·Pᵀ of the n×n upper bidiagonal B (diagonal `d`, superdiagonal
 * `e`, both overwritten; the singular values end in `d`, non-negative and descending).
 * Right rotations are applied to the rows of `vt` (n rows of length `ncvt`, leading
 * dimension `ldvt`): on entry Pᵀ of the reduction, on exit the right singular vectors as
 * rows. Left rotations are applied to the rows of `ut` (n rows of length `nru`): on entry
 * the first n rows of Qᵀ, on exit the left singular vectors as rows. Either may be null.
 *
 * @returns the number of inner QR steps
 * @throws {NotConvergedError} after 6·n² inner steps without convergence
 */
export function _bidiagonalSvd(
  n: number,
  d: Float64Array,
  e: Float64Array,
  vt: Float64Array | null,
  ldvt: number,
  ncvt: number,
  ut: Float64Array | null,
  ldut: number,
  nru: number,
): number {
  if (n === 0) return 0;
  let iter = 0;
  if (n > 1) iter = iterate(n, d, e, vt, ldvt, ncvt, ut, ldut, nru);

  // make the singular values non-negative
  for (let i = 0; i < n; i++) {
    if (d[i]! < 0) {
      d[i] = -d[i]!;
      if (vt) for (let t = 0; t < ncvt; t++) vt[i * ldvt + t] = -vt[i * ldvt + t]!;
    }
  }
  // selection sort into descending order (at most n − 1 swaps)
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let smin = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! > smin) {
        k = j;
        smin = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = smin;
      if (vt) _swapRows(vt, ldvt, i, k, 0, ncvt);
      if (ut) _swapRows(ut, ldut, i, k, 0, nru);
    }
  }
  return iter;
}

function iterate(
  n: number,
  d: Float64Array,
  e: Float64Array,
  vt: Float64Array | null,
  ldvt: number,
  ncvt: number,
  ut: Float64Array | null,
  ldut: number,
  nru: number,
): number {
  const wantVt = vt !== null && ncvt > 0;
  const wantUt = ut !== null && nru > 0;
  // rotation work: (c, s) for the right rotations and for the left rotations
  const c1 = new Float64Array(n);
  const s1 = new Float64Array(n);
  const c2 = new Float64Array(n);
  const s2 = new Float64Array(n);
  const g = new Float64Array(6);

  // threshold for negligible entries: relative to an estimate of σ_min (dbdsqr)
  let smax = 0;
  for (let i = 0; i < n; i++) smax = Math.max(smax, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) smax = Math.max(smax, Math.abs(e[i]!));
  let sminoa = Math.abs(d[0]!);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(TOL * sminoa, MAXITR * (n * (n * UNFL)));

  const maxit = MAXITR * n * n;
  let iter = 0;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let m = n - 1; // bottom of the active block (0-based)

  main: while (m > 0) {
    if (iter >= maxit) {
      throw new NotConvergedError(
        `svd: the bidiagonal QR iteration did not converge in ${maxit} inner steps (6·n²)`,
      );
    }
    // find the unreduced block d[ll..m] by scanning up for a negligible e
    smax = Math.abs(d[m]!);
    let ll = 0;
    for (let j = m - 1; j >= 0; j--) {
      const abss = Math.abs(d[j]!);
      const abse = Math.abs(e[j]!);
      if (abse <= thresh) {
        e[j] = 0;
        if (j === m - 1) {
          // bottom singular value converged
          m--;
          continue main;
        }
        ll = j + 1;
        break;
      }
      smax = Math.max(smax, abss, abse);
    }

    if (ll === m - 1) {
      // 2×2 block: closed-form SVD
      _lasv2(d[m - 1]!, e[m - 1]!, d[m]!, g);
      d[m - 1] = g[1]!;
      e[m - 1] = 0;
      d[m] = g[0]!;
      if (wantVt) _rotatePair(vt!, ldvt, m - 1, m, 0, ncvt, g[3]!, g[2]!);
      if (wantUt) _rotatePair(ut!, ldut, m - 1, m, 0, nru, g[5]!, g[4]!);
      m -= 2;
      continue;
    }

    // a new block: chase the bulge from the larger end
    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;

    // convergence tests
    let smin = 0;
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= TOL * Math.abs(d[m]!)) {
        e[m - 1] = 0;
        continue;
      }
      let mu = Math.abs(d[ll]!);
      smin = mu;
      for (let j = ll; j < m; j++) {
        if (Math.abs(e[j]!) <= TOL * mu) {
          e[j] = 0;
          continue main;
        }
        mu = Math.abs(d[j + 1]!) * (mu / (mu + Math.abs(e[j]!)));
        smin = Math.min(smin, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= TOL * Math.abs(d[ll]!)) {
        e[ll] = 0;
        continue;
      }
      let mu = Math.abs(d[m]!);
      smin = mu;
      for (let j = m - 1; j >= ll; j--) {
        if (Math.abs(e[j]!) <= TOL * mu) {
          e[j] = 0;
          continue main;
        }
        mu = Math.abs(d[j]!) * (mu / (mu + Math.abs(e[j]!)));
        smin = Math.min(smin, mu);
      }
    }
    oldll = ll;
    oldm = m;

    // shift: zero if shifting would ruin the relative accuracy of σ_min
    let shift = 0;
    if (n * TOL * (smin / smax) > Math.max(EPS, HNDRTH * TOL)) {
      let sll: number;
      if (idir === 1) {
        sll = Math.abs(d[ll]!);
        _las2(d[m - 1]!, e[m - 1]!, d[m]!, g);
      } else {
        sll = Math.abs(d[m]!);
        _las2(d[ll]!, e[ll]!, d[ll + 1]!, g);
      }
      shift = g[0]!;
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }
    iter += m - ll;
    const cnt = m - ll + 1;

    if (shift === 0) {
      if (idir === 1) {
        // zero-shift QR sweep, top to bottom
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = ll; i < m; i++) {
          _lartg(d[i]! * cs, e[i]!, g);
          cs = g[0]!;
          const sn = g[1]!;
          const r = g[2]!;
          if (i > ll) e[i - 1] = oldsn * r;
          _lartg(oldcs * r, d[i + 1]! * sn, g);
          oldcs = g[0]!;
          oldsn = g[1]!;
          d[i] = g[2]!;
          c1[i - ll] = cs;
          s1[i - ll] = sn;
          c2[i - ll] = oldcs;
          s2[i - ll] = oldsn;
        }
        const h = d[m]! * cs;
        d[m] = h * oldcs;
        e[m - 1] = h * oldsn;
        if (wantVt) _rotateRows(vt!, ldvt, ll, cnt, 0, ncvt, c1, s1, 0, true);
        if (wantUt) _rotateRows(ut!, ldut, ll, cnt, 0, nru, c2, s2, 0, true);
        if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
      } else {
        // zero-shift QR sweep, bottom to top
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = m; i > ll; i--) {
          _lartg(d[i]! * cs, e[i - 1]!, g);
          cs = g[0]!;
          const sn = g[1]!;
          const r = g[2]!;
          if (i < m) e[i] = oldsn * r;
          _lartg(oldcs * r, d[i - 1]! * sn, g);
          oldcs = g[0]!;
          oldsn = g[1]!;
          d[i] = g[2]!;
          c1[i - ll - 1] = cs;
          s1[i - ll - 1] = -sn;
          c2[i - ll - 1] = oldcs;
          s2[i - ll - 1] = -oldsn;
        }
        const h = d[ll]! * cs;
        d[ll] = h * oldcs;
        e[ll] = h * oldsn;
        if (wantVt) _rotateRows(vt!, ldvt, ll, cnt, 0, ncvt, c2, s2, 0, false);
        if (wantUt) _rotateRows(ut!, ldut, ll, cnt, 0, nru, c1, s1, 0, false);
        if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
      }
    } else if (idir === 1) {
      // shifted QR sweep, chasing the bulge top to bottom
      let f = (Math.abs(d[ll]!) - shift) * ((d[ll]! >= 0 ? 1 : -1) + shift / d[ll]!);
      let gg = e[ll]!;
      for (let i = ll; i < m; i++) {
        _lartg(f, gg, g);
        const cosr = g[0]!;
        const sinr = g[1]!;
        if (i > ll) e[i - 1] = g[2]!;
        f = cosr * d[i]! + sinr * e[i]!;
        e[i] = cosr * e[i]! - sinr * d[i]!;
        gg = sinr * d[i + 1]!;
        d[i + 1] = cosr * d[i + 1]!;
        _lartg(f, gg, g);
        const cosl = g[0]!;
        const sinl = g[1]!;
        d[i] = g[2]!;
        f = cosl * e[i]! + sinl * d[i + 1]!;
        d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
        if (i < m - 1) {
          gg = sinl * e[i + 1]!;
          e[i + 1] = cosl * e[i + 1]!;
        }
        c1[i - ll] = cosr;
        s1[i - ll] = sinr;
        c2[i - ll] = cosl;
        s2[i - ll] = sinl;
      }
      e[m - 1] = f;
      if (wantVt) _rotateRows(vt!, ldvt, ll, cnt, 0, ncvt, c1, s1, 0, true);
      if (wantUt) _rotateRows(ut!, ldut, ll, cnt, 0, nru, c2, s2, 0, true);
      if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
    } else {
      // shifted QR sweep, chasing the bulge bottom to top
      let f = (Math.abs(d[m]!) - shift) * ((d[m]! >= 0 ? 1 : -1) + shift / d[m]!);
      let gg = e[m - 1]!;
      for (let i = m; i > ll; i--) {
        _lartg(f, gg, g);
        const cosr = g[0]!;
        const sinr = g[1]!;
        if (i < m) e[i] = g[2]!;
        f = cosr * d[i]! + sinr * e[i - 1]!;
        e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
        gg = sinr * d[i - 1]!;
        d[i - 1] = cosr * d[i - 1]!;
        _lartg(f, gg, g);
        const cosl = g[0]!;
        const sinl = g[1]!;
        d[i] = g[2]!;
        f = cosl * e[i - 1]! + sinl * d[i - 1]!;
        d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
        if (i > ll + 1) {
          gg = sinl * e[i - 2]!;
          e[i - 2] = cosl * e[i - 2]!;
        }
        c1[i - ll - 1] = cosr;
        s1[i - ll - 1] = -sinr;
        c2[i - ll - 1] = cosl;
        s2[i - ll - 1] = -sinl;
      }
      e[ll] = f;
      if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
      if (wantVt) _rotateRows(vt!, ldvt, ll, cnt, 0, ncvt, c2, s2, 0, false);
      if (wantUt) _rotateRows(ut!, ldut, ll, cnt, 0, nru, c1, s1, 0, false);
    }
  }
  return iter;
}
