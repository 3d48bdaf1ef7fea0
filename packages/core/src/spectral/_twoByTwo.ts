// Closed-form 2×2 eigen- and singular-value problems, computed to high relative accuracy
// (the LAPACK auxiliaries dlas2, dlasv2 and dlaev2; formulas from Demmel & Kahan 1990 and
// the LAPACK sources' documentation). Private engine; assumes finite input.

const EPS = 2 ** -53;

/** |a| with the sign of b (Fortran SIGN; b = ±0 counts as positive). */
function sign(a: number, b: number): number {
  const x = Math.abs(a);
  return b >= 0 ? x : -x;
}

/**
 * Singular values of the upper triangular `[f g; 0 h]` (LAPACK `dlas2`): writes
 * σ_min to `out[0]` and σ_max to `out[1]`. σ_min has high relative accuracy.
 */
export function _las2(f: number, g: number, h: number, out: Float64Array): void {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  let ssmin: number;
  let ssmax: number;
  if (fhmn === 0) {
    ssmin = 0;
    if (fhmx === 0) ssmax = ga;
    else {
      const mx = Math.max(fhmx, ga);
      const q = Math.min(fhmx, ga) / mx;
      ssmax = mx * Math.sqrt(1 + q * q);
    }
  } else if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const q = ga / fhmx;
    const au = q * q;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    ssmin = fhmn * c;
    ssmax = fhmx / c;
  } else {
    const au = fhmx / ga;
    if (au === 0) {
      // avoid underflow: fhmx/ga is below the underflow threshold
      ssmin = (fhmn * fhmx) / ga;
      ssmax = ga;
    } else {
      const as = 1 + fhmn / fhmx;
      const at = (fhmx - fhmn) / fhmx;
      const p = as * au;
      const q = at * au;
      const c = 1 / (Math.sqrt(1 + p * p) + Math.sqrt(1 + q * q));
      ssmin = fhmn * c * au;
      ssmin += ssmin;
      ssmax = ga / (c + c);
    }
  }
  out[0] = ssmin;
  out[1] = ssmax;
}

/**
 * SVD of the upper triangular `[f g; 0 h]` (LAPACK `dlasv2`):
 * `[csl snl; −snl csl]·[f g; 0 h]·[csr −snr; snr csr] = [ssmax 0; 0 ssmin]`, |ssmax| ≥ |ssmin|
 * (the signs of ssmax and ssmin may be negative). Writes
 * `out = [ssmin, ssmax, snr, csr, snl, csl]`.
 */
export function _lasv2(f: number, g: number, h: number, out: Float64Array): void {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  // pmax: 1 if f, 2 if g, 3 if h has the largest magnitude
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    let t = ft;
    ft = ht;
    ht = t;
    t = fa;
    fa = ha;
    ha = t;
  }
  const gt = g;
  const ga = Math.abs(gt);
  let ssmin = 0;
  let ssmax = 0;
  let clt = 1;
  let crt = 1;
  let slt = 0;
  let srt = 0;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
  } else {
    let gasmal = true;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        // g dominates: the singular values follow from ratios
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const d = fa - ha;
      let l = d === fa ? 1 : d / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) {
        if (l === 0) t = sign(2, ft) * sign(1, gt);
        else t = gt / sign(d, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  let csl: number;
  let snl: number;
  let csr: number;
  let snr: number;
  if (swap) {
    csl = srt;
    snl = crt;
    csr = slt;
    snr = clt;
  } else {
    csl = clt;
    snl = slt;
    csr = crt;
    snr = srt;
  }
  let tsign: number;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  else tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  out[0] = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  out[1] = sign(ssmax, tsign);
  out[2] = snr;
  out[3] = csr;
  out[4] = snl;
  out[5] = csl;
}

/**
 * Eigen-decomposition of the symmetric `[a b; b c]` (LAPACK `dlaev2`):
 * `[cs sn; −sn cs]·[a b; b c]·[cs −sn; sn cs] = [rt1 0; 0 rt2]` with |rt1| ≥ |rt2|; (cs, sn) is
 * the unit eigenvector of rt1. Writes `out = [rt1, rt2, cs, sn]`.
 */
export function _laev2(a: number, b: number, c: number, out: Float64Array): void {
  const sm = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  let acmx: number;
  let acmn: number;
  if (Math.abs(a) > Math.abs(c)) {
    acmx = a;
    acmn = c;
  } else {
    acmx = c;
    acmn = a;
  }
  let rt: number;
  if (adf > ab) {
    const q = ab / adf;
    rt = adf * Math.sqrt(1 + q * q);
  } else if (adf < ab) {
    const q = adf / ab;
    rt = ab * Math.sqrt(1 + q * q);
  } else {
    rt = ab * Math.SQRT2;
  }
  let rt1: number;
  let rt2: number;
  let sgn1: number;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    // rt2 from the determinant, to keep its relative accuracy
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let cs: number;
  let sgn2: number;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: number;
  let sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  out[0] = rt1;
  out[1] = rt2;
  out[2] = cs1;
  out[3] = sn1;
}
