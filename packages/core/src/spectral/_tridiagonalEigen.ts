// Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the
// implicit QL / QR algorithm with Wilkinson-type shifts (GvL 4th ed. Alg. 8.3.2–8.3.3),
// structured as LAPACK dsteqr: split at negligible off-diagonals, scale each block into a
// safe range, and chase from the end with the larger diagonal entry (QL if the bottom is
// larger, QR otherwise) so graded matrices keep their accuracy.
// Private engine of the spectral folder; assumes finite input.
import { NotConvergedError } from '../errors.js';
import { _lartg, _pythag, _rotateRows, _swapRows } from './_rotations.js';
import { _laev2 } from './_twoByTwo.js';

const EPS = 2 ** -53;
const EPS2 = EPS * EPS;
const SAFMIN = 2 ** -1022;
const SAFMAX = 1 / SAFMIN;
const SSFMAX = Math.sqrt(SAFMAX) / 3;
const SSFMIN = Math.sqrt(SAFMIN) / EPS2;
/** Iterations allowed per eigenvalue, LAPACK dsteqr's MAXIT. */
const MAXIT = 30;

function sign(a: number, b: number): number {
  const x = Math.abs(a);
  return b >= 0 ? x : -x;
}

function scale(x: Float64Array, from: number, to: number, factor: number): void {
  for (let i = from; i < to; i++) x[i] *= factor;
}

/**
 * Diagonalizes the symmetric tridiagonal T (diagonal `d`, length n; off-diagonal `e`,
 * length ≥ n − 1; both overwritten, eigenvalues end in `d` in ascending order).
 * When `zt` is given (n rows of length `cols`, leading dimension `ld`), every rotation
 * applied to T from the right is applied to the rows of `zt`, so that on entry Qᵀ gives
 * on exit the transposed eigenvector matrix (row j pairs with d[j]).
 *
 * @returns the number of QL/QR sweeps
 * @throws {NotConvergedError} if 30·n sweeps do not diagonalize T
 */
export function _tridiagonalEigen(
  n: number,
  d: Float64Array,
  e: Float64Array,
  zt: Float64Array | null,
  ld: number,
  cols: number,
): number {
  if (n <= 1) return 0;
  const cw = zt ? new Float64Array(n) : null;
  const sw = zt ? new Float64Array(n) : null;
  const g2 = new Float64Array(4);
  const nmaxit = n * MAXIT;
  let jtot = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) e[l1 - 1] = 0;
    // find the end m of the unreduced block that starts at l1
    let m = l1;
    for (; m < n - 1; m++) {
      const tst = Math.abs(e[m]!);
      if (tst === 0) break;
      if (tst <= Math.sqrt(Math.abs(d[m]!)) * Math.sqrt(Math.abs(d[m + 1]!)) * EPS) {
        e[m] = 0;
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;

    // scale the block into [SSFMIN, SSFMAX]
    let anorm = 0;
    for (let i = l; i <= lend; i++) anorm = Math.max(anorm, Math.abs(d[i]!));
    for (let i = l; i < lend; i++) anorm = Math.max(anorm, Math.abs(e[i]!));
    if (anorm === 0) continue;
    let iscale = 0;
    if (anorm > SSFMAX) {
      iscale = 1;
      scale(d, l, lend + 1, SSFMAX / anorm);
      scale(e, l, lend, SSFMAX / anorm);
    } else if (anorm < SSFMIN) {
      iscale = 2;
      scale(d, l, lend + 1, SSFMIN / anorm);
      scale(e, l, lend, SSFMIN / anorm);
    }

    // QL when the bottom end is larger, QR otherwise
    if (Math.abs(d[lend]!) < Math.abs(d[l]!)) {
      lend = lsv;
      l = lendsv;
    }

    if (lend > l) {
      // ---- QL iteration: deflate at the top (l) of the block ----
      for (;;) {
        let mm = l;
        if (l !== lend) {
          for (; mm < lend; mm++) {
            const t = Math.abs(e[mm]!);
            if (t * t <= EPS2 * Math.abs(d[mm]!) * Math.abs(d[mm + 1]!) + SAFMIN) break;
          }
        } else mm = lend;
        if (mm < lend) e[mm] = 0;
        let p = d[l]!;
        if (mm === l) {
          // eigenvalue found
          d[l] = p;
          l++;
          if (l <= lend) continue;
          break;
        }
        if (mm === l + 1) {
          // 2×2 block: closed form
          _laev2(d[l]!, e[l]!, d[l + 1]!, g2);
          if (zt) {
            cw![0] = g2[2]!;
            sw![0] = g2[3]!;
            _rotateRows(zt, ld, l, 2, 0, cols, cw!, sw!, 0, false);
          }
          d[l] = g2[0]!;
          d[l + 1] = g2[1]!;
          e[l] = 0;
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        // Wilkinson-type shift from the leading 2×2
        let g = (d[l + 1]! - p) / (2 * e[l]!);
        let r = _pythag(g, 1);
        g = d[mm]! - p + e[l]! / (g + sign(r, g));
        let s = 1;
        let c = 1;
        p = 0;
        for (let i = mm - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          _lartg(g, f, g2);
          c = g2[0]!;
          s = g2[1]!;
          r = g2[2]!;
          if (i !== mm - 1) e[i + 1] = r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          if (zt) {
            cw![i] = c;
            sw![i] = -s;
          }
        }
        if (zt) _rotateRows(zt, ld, l, mm - l + 1, 0, cols, cw!, sw!, l, false);
        d[l] = d[l]! - p;
        e[l] = g;
      }
    } else {
      // ---- QR iteration: deflate at the bottom (l) of the block ----
      for (;;) {
        let mm = l;
        if (l !== lend) {
          for (; mm > lend; mm--) {
            const t = Math.abs(e[mm - 1]!);
            if (t * t <= EPS2 * Math.abs(d[mm]!) * Math.abs(d[mm - 1]!) + SAFMIN) break;
          }
        } else mm = lend;
        if (mm > lend) e[mm - 1] = 0;
        let p = d[l]!;
        if (mm === l) {
          d[l] = p;
          l--;
          if (l >= lend) continue;
          break;
        }
        if (mm === l - 1) {
          _laev2(d[l - 1]!, e[l - 1]!, d[l]!, g2);
          if (zt) {
            cw![0] = g2[2]!;
            sw![0] = g2[3]!;
            _rotateRows(zt, ld, l - 1, 2, 0, cols, cw!, sw!, 0, true);
          }
          d[l - 1] = g2[0]!;
          d[l] = g2[1]!;
          e[l - 1] = 0;
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        let g = (d[l - 1]! - p) / (2 * e[l - 1]!);
        let r = _pythag(g, 1);
        g = d[mm]! - p + e[l - 1]! / (g + sign(r, g));
        let s = 1;
        let c = 1;
        p = 0;
        for (let i = mm; i <= l - 1; i++) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          _lartg(g, f, g2);
          c = g2[0]!;
          s = g2[1]!;
          r = g2[2]!;
          if (i !== mm) e[i - 1] = r;
          g = d[i]! - p;
          r = (d[i + 1]! - g) * s + 2 * c * b;
          p = s * r;
          d[i] = g + p;
          g = c * r - b;
          if (zt) {
            cw![i] = c;
            sw![i] = s;
          }
        }
        if (zt) _rotateRows(zt, ld, mm, l - mm + 1, 0, cols, cw!, sw!, mm, true);
        d[l] = d[l]! - p;
        e[l - 1] = g;
      }
    }

    // undo the scaling of this block
    if (iscale === 1) {
      scale(d, lsv, lendsv + 1, anorm / SSFMAX);
      scale(e, lsv, lendsv, anorm / SSFMAX);
    } else if (iscale === 2) {
      scale(d, lsv, lendsv + 1, anorm / SSFMIN);
      scale(e, lsv, lendsv, anorm / SSFMIN);
    }
    if (jtot >= nmaxit) {
      let bad = 0;
      for (let i = 0; i < n - 1; i++) if (e[i] !== 0) bad++;
      if (bad > 0) {
        throw new NotConvergedError(
          `eigh: the tridiagonal QL/QR iteration did not converge in ${nmaxit} sweeps (30·n); ` +
            `${bad} off-diagonal element(s) remain nonzero`,
        );
      }
      break;
    }
  }

  // selection sort into ascending order, permuting the eigenvector rows alongside
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      if (zt) _swapRows(zt, ld, i, k, 0, cols);
    }
  }
  return jtot;
}
