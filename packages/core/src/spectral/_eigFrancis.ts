// Francis double-shift implicit QR on an upper Hessenberg matrix, reducing it to real
// Schur form T = ZᵀHZ (quasi-upper-triangular, 2×2 blocks standardized to equal diagonal
// and off-diagonals of opposite signs). Structured as LAPACK dlahqr (the small-bulge
// double-shift algorithm, Golub & Van Loan 4th ed., Alg. 7.5.2): deflation by the
// Ahues–Tisseur criterion, exceptional shifts at iterations 10 and 20, a search for two
// consecutive small subdiagonals to start the bulge, 3×3 reflectors chasing it, 2×2
// blocks split or standardized by dlanv2. Assumes validated input.
import { _householder } from './_householder.js';

const EPS = 2 ** -53; // unit roundoff, LAPACK dlamch('P') / 2 = dlamch('E')
const ULP = 2 ** -52; // LAPACK dlamch('P')
const SAFMIN = 2 ** -1022;

/**
 * Private knob: QR sweeps allowed per eigenvalue are `sweepFactor`·max(10, n) (LAPACK
 * dlahqr: 30). Tests lower it to drive the NOT_CONVERGED path; the API never writes it.
 */
export const _eigTuning = { sweepFactor: 30 };

/** Result of {@link _eigStandardize2}: the rotation and the standardized block. */
interface Std2 {
  a: number;
  b: number;
  c: number;
  d: number;
  rt1r: number;
  rt1i: number;
  rt2r: number;
  rt2i: number;
  cs: number;
  sn: number;
}

function sign(a: number, b: number): number {
  const x = Math.abs(a);
  return b >= 0 && !Object.is(b, -0) ? x : -x;
}

/**
 * Schur factorization of a real 2×2 block [a b; c d] = [cs −sn; sn cs]·[a' b'; c' d']·
 * [cs sn; −sn cs] in standard form: c' = 0 (real eigenvalues a', d'), or a' = d' and
 * b'·c' < 0 (complex pair a' ± i·√(|b'c'|)). LAPACK dlanv2's algorithm.
 */
export function _eigStandardize2(a0: number, b0: number, c0: number, d0: number): Std2 {
  let a = a0;
  let b = b0;
  let c = c0;
  let d = d0;
  let cs = 1;
  let sn = 0;
  const multpl = 4;
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    // swap rows and columns
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d === 0 && Math.sign(b) !== Math.sign(c)) {
    // already standard complex block
  } else {
    const temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c);
    const scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= multpl * EPS) {
      // real eigenvalues: compute a and d
      z = p + sign(Math.sqrt(scale) * Math.sqrt(z), p);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = Math.hypot(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // complex or nearly equal real eigenvalues: make the diagonal entries equal
      const sigma = b + c;
      const tau = Math.hypot(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * sign(1, sigma);
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      const mid = 0.5 * (a + d);
      a = mid;
      d = mid;
      if (c !== 0) {
        if (b !== 0) {
          if (Math.sign(b) === Math.sign(c)) {
            // real eigenvalues after all: reduce to upper triangular form
            const sab = Math.sqrt(Math.abs(b));
            const sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            const t = 1 / Math.sqrt(Math.abs(b + c));
            a = mid + p;
            d = mid - p;
            b = b - c;
            c = 0;
            const cs1 = sab * t;
            const sn1 = sac * t;
            const ncs = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = ncs;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  const rt1r = a;
  const rt2r = d;
  let rt1i = 0;
  let rt2i = 0;
  if (c !== 0) {
    rt1i = Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
    rt2i = -rt1i;
  }
  return { a, b, c, d, rt1r, rt1i, rt2r, rt2i, cs, sn };
}

/**
 * Reduces the row-major upper Hessenberg n×n `h` in place to real Schur form, applying
 * the same orthogonal transformations to the columns of the row-major n×n `z`
 * (Z ← Z·Q). Writes the eigenvalues to (wr, wi), complex pairs adjacent with the positive
 * imaginary part first. Returns the total number of QR sweeps, or −1 − i if the
 * eigenvalue at index i failed to converge within 30·max(10, n) sweeps (LAPACK's limit;
 * see {@link _eigTuning}).
 */
export function _eigFrancis(
  h: Float64Array,
  n: number,
  z: Float64Array,
  wr: Float64Array,
  wi: Float64Array,
): number {
  if (n === 0) return 0;
  const smlnum = SAFMIN * (n / ULP);
  const itmax = _eigTuning.sweepFactor * Math.max(10, n);
  const H = (i: number, j: number): number => h[i * n + j]!;
  // clear out the trash below the subdiagonal
  for (let j = 0; j + 3 < n + 0; j++) {
    if (j + 2 < n) h[(j + 2) * n + j] = 0;
    if (j + 3 < n) h[(j + 3) * n + j] = 0;
  }
  if (n >= 3) h[(n - 1) * n + n - 3] = 0;
  let total = 0;
  const v = new Float64Array(3);
  const hb = new Float64Array(1); // β from _householder
  let i = n - 1;
  while (i >= 0) {
    let l = 0;
    let converged = false;
    for (let its = 0; its <= itmax; its++) {
      // look for a single small subdiagonal element
      let k = i;
      for (; k > l; k--) {
        const hkk1 = Math.abs(H(k, k - 1));
        if (hkk1 <= smlnum) break;
        let tst = Math.abs(H(k - 1, k - 1)) + Math.abs(H(k, k));
        if (tst === 0) {
          if (k - 2 >= l) tst += Math.abs(H(k - 1, k - 2));
          if (k + 1 <= i) tst += Math.abs(H(k + 1, k));
        }
        if (hkk1 <= ULP * tst) {
          // Ahues & Tisseur's conservative small-subdiagonal test (LAWN 122)
          const ab = Math.max(hkk1, Math.abs(H(k - 1, k)));
          const ba = Math.min(hkk1, Math.abs(H(k - 1, k)));
          const aa = Math.max(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)));
          const bb = Math.min(Math.abs(H(k, k)), Math.abs(H(k - 1, k - 1) - H(k, k)));
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, ULP * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > 0) h[l * n + l - 1] = 0;
      if (l >= i - 1) {
        converged = true;
        break;
      }
      total++;
      // shifts
      let h11: number;
      let h12: number;
      let h21: number;
      let h22: number;
      if (its === 10) {
        const s = Math.abs(H(l + 1, l)) + Math.abs(H(l + 2, l + 1));
        h11 = 0.75 * s + H(l, l);
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else if (its === 20) {
        const s = Math.abs(H(i, i - 1)) + Math.abs(H(i - 1, i - 2));
        h11 = 0.75 * s + H(i, i);
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = H(i - 1, i - 1);
        h21 = H(i, i - 1);
        h12 = H(i - 1, i);
        h22 = H(i, i);
      }
      let rt1r = 0;
      let rt1i = 0;
      let rt2r = 0;
      let rt2i = 0;
      const s0 = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s0 !== 0) {
        h11 /= s0;
        h21 /= s0;
        h12 /= s0;
        h22 /= s0;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          rt1r = tr * s0;
          rt2r = rt1r;
          rt1i = rtdisc * s0;
          rt2i = -rt1i;
        } else {
          // real shifts: use the one closer to h22 twice
          rt1r = tr + rtdisc;
          rt2r = tr - rtdisc;
          if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
            rt1r *= s0;
            rt2r = rt1r;
          } else {
            rt2r *= s0;
            rt1r = rt2r;
          }
        }
      }
      // look for two consecutive small subdiagonal elements
      let m = i - 2;
      for (; m >= l; m--) {
        let h21s = H(m + 1, m);
        let s = Math.abs(H(m, m) - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
        h21s = H(m + 1, m) / s;
        v[0] = h21s * H(m, m + 1) + (H(m, m) - rt1r) * ((H(m, m) - rt2r) / s) - rt1i * (rt2i / s);
        v[1] = h21s * (H(m, m) + H(m + 1, m + 1) - rt1r - rt2r);
        v[2] = h21s * H(m + 2, m + 1);
        s = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
        v[0] /= s;
        v[1] /= s;
        v[2] /= s;
        if (m === l) break;
        const h00 = Math.abs(H(m, m - 1)) * (Math.abs(v[1]) + Math.abs(v[2]));
        const h01 =
          Math.abs(v[0]) *
          (Math.abs(H(m - 1, m - 1)) + Math.abs(H(m, m)) + Math.abs(H(m + 1, m + 1)));
        if (h00 <= ULP * h01) break;
      }
      // double-shift QR step: chase the bulge from row m down to row i
      for (let kk = m; kk <= i - 1; kk++) {
        const nr = Math.min(3, i - kk + 1);
        if (kk > m) {
          for (let r = 0; r < nr; r++) v[r] = H(kk + r, kk - 1);
        }
        const t1 = _householder(nr - 1, v[0]!, v, 1, 1, hb);
        const beta = hb[0]!;
        if (kk > m) {
          h[kk * n + kk - 1] = beta;
          h[(kk + 1) * n + kk - 1] = 0;
          if (kk < i - 1) h[(kk + 2) * n + kk - 1] = 0;
        } else if (m > l) {
          // as LAPACK: avoids a sign problem when v[1] and v[2] underflow
          h[kk * n + kk - 1] = H(kk, kk - 1) * (1 - t1);
        }
        const v2 = v[1]!;
        const t2 = t1 * v2;
        if (nr === 3) {
          const v3 = v[2]!;
          const t3 = t1 * v3;
          // rows kk…kk+2, columns kk…n−1 (the whole Schur form is wanted)
          const r0 = kk * n;
          const r1 = r0 + n;
          const r2 = r1 + n;
          for (let j = kk; j < n; j++) {
            const sum = h[r0 + j]! + v2 * h[r1 + j]! + v3 * h[r2 + j]!;
            h[r0 + j] = h[r0 + j]! - sum * t1;
            h[r1 + j] = h[r1 + j]! - sum * t2;
            h[r2 + j] = h[r2 + j]! - sum * t3;
          }
          const jmax = Math.min(kk + 3, i);
          for (let j = 0; j <= jmax; j++) {
            const p = j * n + kk;
            const sum = h[p]! + v2 * h[p + 1]! + v3 * h[p + 2]!;
            h[p] = h[p]! - sum * t1;
            h[p + 1] = h[p + 1]! - sum * t2;
            h[p + 2] = h[p + 2]! - sum * t3;
          }
          for (let j = 0; j < n; j++) {
            const p = j * n + kk;
            const sum = z[p]! + v2 * z[p + 1]! + v3 * z[p + 2]!;
            z[p] = z[p]! - sum * t1;
            z[p + 1] = z[p + 1]! - sum * t2;
            z[p + 2] = z[p + 2]! - sum * t3;
          }
        } else if (nr === 2) {
          const r0 = kk * n;
          const r1 = r0 + n;
          for (let j = kk; j < n; j++) {
            const sum = h[r0 + j]! + v2 * h[r1 + j]!;
            h[r0 + j] = h[r0 + j]! - sum * t1;
            h[r1 + j] = h[r1 + j]! - sum * t2;
          }
          for (let j = 0; j <= i; j++) {
            const p = j * n + kk;
            const sum = h[p]! + v2 * h[p + 1]!;
            h[p] = h[p]! - sum * t1;
            h[p + 1] = h[p + 1]! - sum * t2;
          }
          for (let j = 0; j < n; j++) {
            const p = j * n + kk;
            const sum = z[p]! + v2 * z[p + 1]!;
            z[p] = z[p]! - sum * t1;
            z[p + 1] = z[p + 1]! - sum * t2;
          }
        }
      }
    }
    if (!converged) return -1 - i;
    if (l === i) {
      wr[i] = H(i, i);
      wi[i] = 0;
    } else {
      // 2×2 block at rows i−1, i: standardize and apply the rotation to the rest
      const r = _eigStandardize2(H(i - 1, i - 1), H(i - 1, i), H(i, i - 1), H(i, i));
      h[(i - 1) * n + i - 1] = r.a;
      h[(i - 1) * n + i] = r.b;
      h[i * n + i - 1] = r.c;
      h[i * n + i] = r.d;
      wr[i - 1] = r.rt1r;
      wi[i - 1] = r.rt1i;
      wr[i] = r.rt2r;
      wi[i] = r.rt2i;
      const { cs, sn } = r;
      for (let j = i + 1; j < n; j++) {
        const x = h[(i - 1) * n + j]!;
        const y = h[i * n + j]!;
        h[(i - 1) * n + j] = cs * x + sn * y;
        h[i * n + j] = cs * y - sn * x;
      }
      for (let j = 0; j < i - 1; j++) {
        const x = h[j * n + i - 1]!;
        const y = h[j * n + i]!;
        h[j * n + i - 1] = cs * x + sn * y;
        h[j * n + i] = cs * y - sn * x;
      }
      for (let j = 0; j < n; j++) {
        const x = z[j * n + i - 1]!;
        const y = z[j * n + i]!;
        z[j * n + i - 1] = cs * x + sn * y;
        z[j * n + i] = cs * y - sn * x;
      }
    }
    i = l - 1;
  }
  return total;
}
