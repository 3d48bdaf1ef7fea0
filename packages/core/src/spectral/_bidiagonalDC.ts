// Singular values and vectors of an upper bidiagonal matrix by divide and conquer
// (M. Gu & S. Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J.
// Matrix Anal. Appl. 16, 1995), structured as LAPACK dbdsdc/dlasd0–dlasd3 with the vectors
// formed explicitly:
//  - B (n×(n + sqre)) is split at a middle row k into B₁ (rows above, one column more than
//    rows), the row k (α at column k, β at column k + 1) and B₂ (rows below); the halves
//    are solved recursively (the Demmel–Kahan QR iteration below `dcMin`);
//  - with B₁ = U₁[Σ₁ 0]V₁ᵀ and B₂ = U₂[Σ₂ 0]V₂ᵀ, B is orthogonally equivalent to the
//    arrow M = e₀·zᵀ + diag(0, Σ₁, Σ₂), z = (α·V₁[k, :], β·V₂[0, :]) (dlasd1); when B₂ has
//    the extra column, its null vector is rotated into the arrow's column first;
//  - deflation (dlasd2): tiny components of z, and pairs of nearly equal singular values
//    (rotated so that one component of z vanishes), keep their vectors;
//  - the remaining singular values solve 1 + Σ zᵢ²/(dᵢ² − σ²) = 0 (see _secular.ts, with
//    dᵢ² − σ² formed accurately), then Gu–Eisenstat's ẑ gives orthogonal singular vectors
//    vⱼ ∝ ẑᵢ/(dᵢ² − σⱼ²), uⱼ ∝ (−1, dᵢẑᵢ/(dᵢ² − σⱼ²)) (dlasd3);
//  - the vectors of B are the old ones times these, as GEMMs over the top and bottom
//    halves with the zero blocks skipped (the column types of dlasd2).
// Private engine of the spectral folder; assumes finite input.
import { arenaMark, arenaRelease, workArray } from '../kernels/_wasmArena.js';
import { gemmStrided } from '../kernels/gemm.js';
import { _bidiagonalSvd } from './_bidiagonalSvd.js';
import { _lartg } from './_rotations.js';
import { _secularRoot } from './_secular.js';
import { _spectralTuning } from './_tuning.js';

const EPS = 2 ** -53;

interface Work {
  u: Float64Array;
  ldu: number;
  v: Float64Array;
  ldv: number;
  z: Float64Array;
  dsig: Float64Array;
  sv: Float64Array; // non-deflated poles (unsquared), ascending, sv[0] = 0
  p: Float64Array; // their squares
  zn: Float64Array; // normalized z of the non-deflated poles
  sig: Float64Array; // singular values of M
  zhat: Float64Array;
  scratch: Float64Array;
  idx: Int32Array;
  nd: Int32Array;
  defl: Int32Array;
  posU: Int32Array;
  posV: Int32Array;
  colU: Int32Array;
  colV: Int32Array;
  colD: Int32Array; // local columns of the deflated vectors
  srcU: Int32Array; // inverse of posU
  srcV: Int32Array; // inverse of posV
  row1: Float64Array; // one staged row
  type: Int8Array;
  out: Int32Array;
  rot: Float64Array;
  g: Float64Array; // gathered columns of u, then of v: (n+1)²
  dr: Float64Array; // δ = d² − σ², then the new u: n·(n+1)
  ut: Float64Array; // singular vectors of M (u part) as rows, then the new v: n·(n+1)
  vt: Float64Array; // singular vectors of M (v part) as rows: n²
  uArrow: Float64Array;
}

/**
 * Computes B = U·diag(σ)·Vᵀ for the n×n upper bidiagonal B (diagonal `d`, superdiagonal
 * `e`, both overwritten; σ ends in `d`, non-negative and descending). The singular vectors
 * are written as the columns of the row-major n×n `u` and `v` (leading dimensions ldu, ldv).
 * Like LAPACK dbdsdc (COMPQ = 'I'): B is scaled to unit max-norm, split recursively down to
 * blocks of `dcMin` rows solved by the QR iteration, and merged back.
 *
 * @throws {NotConvergedError} if a QR leaf or a secular equation fails (not expected)
 */
export function _bidiagonalDC(
  n: number,
  d: Float64Array,
  e: Float64Array,
  u: Float64Array,
  ldu: number,
  v: Float64Array,
  ldv: number,
): void {
  for (let i = 0; i < n; i++) {
    u.fill(0, i * ldu, i * ldu + n);
    u[i * ldu + i] = 1;
    v.fill(0, i * ldv, i * ldv + n);
    v[i * ldv + i] = 1;
  }
  if (n === 0) return;
  let nrm = 0;
  for (let i = 0; i < n; i++) nrm = Math.max(nrm, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) nrm = Math.max(nrm, Math.abs(e[i]!));
  if (nrm === 0) {
    d.fill(0, 0, n);
    return;
  }
  const leaf = Math.max(_spectralTuning.dcMin, 2);
  const n1 = n + 1;
  const mark = arenaMark();
  const wk: Work = {
    u,
    ldu,
    v,
    ldv,
    z: new Float64Array(n1),
    dsig: new Float64Array(n1),
    sv: new Float64Array(n1),
    p: new Float64Array(n1),
    zn: new Float64Array(n1),
    sig: new Float64Array(n1),
    zhat: new Float64Array(n1),
    scratch: new Float64Array(n1),
    idx: new Int32Array(n1),
    nd: new Int32Array(n1),
    defl: new Int32Array(n1),
    posU: new Int32Array(n1),
    posV: new Int32Array(n1),
    colU: new Int32Array(n1),
    colV: new Int32Array(n1),
    colD: new Int32Array(n1),
    srcU: new Int32Array(n1),
    srcV: new Int32Array(n1),
    row1: new Float64Array(n1),
    type: new Int8Array(n1),
    out: new Int32Array(n1),
    rot: new Float64Array(3),
    // the merges' GEMM operands, in wasm memory where possible (no copies per GEMM)
    g: workArray(n > leaf ? n1 * n1 : 0),
    dr: workArray(n > leaf ? n * n1 : 0),
    ut: workArray(n > leaf ? n * n1 : 0),
    vt: workArray(n > leaf ? n * n : 0),
    uArrow: new Float64Array(n1),
  };
  for (let i = 0; i < n; i++) d[i] = d[i]! / nrm;
  for (let i = 0; i < n - 1; i++) e[i] = e[i]! / nrm;
  try {
    divide(wk, d, e, 0, n, 0, leaf);
  } finally {
    arenaRelease(mark);
  }
  // ascending → descending, with the vector columns
  for (let i = 0; i < n; i++) d[i] = d[i]! * nrm;
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const t = d[i]!;
    d[i] = d[j]!;
    d[j] = t;
  }
  reverseColumns(u, ldu, n);
  reverseColumns(v, ldv, n);
}

function reverseColumns(x: Float64Array, ld: number, n: number): void {
  for (let r = 0; r < n; r++) {
    const p = r * ld;
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const t = x[p + i]!;
      x[p + i] = x[p + j]!;
      x[p + j] = t;
    }
  }
}

/**
 * Solves rows [lo, hi) and columns [lo, hi + sqre) of B: singular values ascending in
 * d[lo:hi), left vectors in u[lo:hi, lo:hi), right vectors in v[lo:hi+sqre, lo:hi) and,
 * when sqre = 1, the null vector in column hi of v.
 */
function divide(
  wk: Work,
  d: Float64Array,
  e: Float64Array,
  lo: number,
  hi: number,
  sqre: number,
  leaf: number,
): void {
  const N = hi - lo;
  if (N <= leaf) {
    solveLeaf(wk, d, e, lo, hi, sqre);
    return;
  }
  const k = lo + (N >> 1); // the coupling row; both halves keep at least one row
  const alpha = d[k]!;
  const beta = e[k]!;
  divide(wk, d, e, lo, k, 1, leaf);
  divide(wk, d, e, k + 1, hi, sqre, leaf);
  merge(wk, d, lo, k, hi, sqre, alpha, beta);
}

/** The QR iteration on a leaf (after rotating away the extra column when sqre = 1). */
function solveLeaf(
  wk: Work,
  d: Float64Array,
  e: Float64Array,
  lo: number,
  hi: number,
  sqre: number,
): void {
  const m = hi - lo;
  const mc = m + sqre;
  const dl = d.slice(lo, hi);
  const el = new Float64Array(m);
  for (let i = 0; i < m - 1 + sqre; i++) el[i] = e[lo + i]!;
  // gt: rows are the columns of the right rotation accumulator G (mc×mc)
  const gt = new Float64Array(mc * mc);
  for (let i = 0; i < mc; i++) gt[i * mc + i] = 1;
  if (sqre) {
    // B·G = [B′ 0]: rotations on columns (r, m) chase the extra entry up and out
    const rot = wk.rot;
    let f = el[m - 1]!;
    el[m - 1] = 0;
    for (let r = m - 1; r >= 0 && f !== 0; r--) {
      _lartg(dl[r]!, f, rot);
      const c = rot[0]!;
      const s = rot[1]!;
      dl[r] = rot[2]!;
      if (r > 0) {
        f = -s * el[r - 1]!;
        el[r - 1] = c * el[r - 1]!;
      }
      const pr = r * mc;
      const pm = m * mc;
      for (let t = 0; t < mc; t++) {
        const x = gt[pr + t]!;
        const y = gt[pm + t]!;
        gt[pr + t] = c * x + s * y;
        gt[pm + t] = c * y - s * x;
      }
    }
  }
  const ut = new Float64Array(m * m);
  for (let i = 0; i < m; i++) ut[i * m + i] = 1;
  _bidiagonalSvd(m, dl, el, gt, mc, mc, ut, m, m);
  // descending → ascending into d, u and v
  const { u, ldu, v, ldv } = wk;
  for (let j = 0; j < m; j++) {
    const src = m - 1 - j;
    d[lo + j] = dl[src]!;
    for (let r = 0; r < m; r++) u[(lo + r) * ldu + lo + j] = ut[src * m + r]!;
    for (let r = 0; r < mc; r++) v[(lo + r) * ldv + lo + j] = gt[src * mc + r]!;
  }
  if (sqre) for (let r = 0; r < mc; r++) v[(lo + r) * ldv + hi] = gt[m * mc + r]!;
}

/**
 * Merges the solved [lo, k) (with its extra column k) and [k+1, hi) (with column hi when
 * sqre = 1) through row k = (α at column k, β at column k + 1) (LAPACK dlasd1–dlasd3).
 */
function merge(
  wk: Work,
  d: Float64Array,
  lo: number,
  k: number,
  hi: number,
  sqre: number,
  alpha: number,
  beta: number,
): void {
  const { u, ldu, v, ldv, z, dsig, sv, p, zn, sig, zhat, idx, nd, defl, type, out } = wk;
  const { posU, posV, colU, colV, colD } = wk;
  const N = hi - lo;
  const nl = k - lo;
  const nr = hi - k - 1;
  const vRows = N + sqre; // rows of the merged v block
  // local index i: 0 the arrow (column k of v, row k of u), 1 … nl the left singular
  // values (column lo + i − 1), nl + 1 … N − 1 the right ones (column lo + i)
  let nrm = Math.max(Math.abs(alpha), Math.abs(beta));
  for (let i = lo; i < hi; i++) if (i !== k) nrm = Math.max(nrm, Math.abs(d[i]!));
  const a = alpha / nrm;
  const b = beta / nrm;
  const col = (i: number): number => (i === 0 ? k : i <= nl ? lo + i - 1 : lo + i);
  dsig[0] = 0;
  z[0] = a * v[k * ldv + k]!;
  for (let i = 1; i < N; i++) {
    const c = col(i);
    dsig[i] = d[c]! / nrm;
    z[i] = i <= nl ? a * v[k * ldv + c]! : b * v[(k + 1) * ldv + c]!;
  }
  let arrowType = 1;
  if (sqre) {
    // rotate B₂'s null vector (column hi) into the arrow's column k
    const zext = b * v[(k + 1) * ldv + hi]!;
    const r = Math.hypot(z[0]!, zext);
    if (r !== 0 && zext !== 0) {
      const c = z[0]! / r;
      const s = zext / r;
      z[0] = r;
      for (let row = lo; row < lo + vRows; row++) {
        const q = row * ldv;
        const x = v[q + k]!;
        const y = v[q + hi]!;
        v[q + k] = c * x + s * y;
        v[q + hi] = c * y - s * x;
      }
      arrowType = 2;
    }
  }
  let dmax = 0;
  for (let i = 1; i < N; i++) dmax = Math.max(dmax, Math.abs(dsig[i]!));
  const tol = 64 * EPS * Math.max(dmax, Math.abs(a), Math.abs(b));
  if (Math.abs(z[0]!) <= tol) z[0] = tol;
  // non-arrow indices in ascending order of dsig (both halves are ascending)
  {
    let x = 1;
    let y = nl + 1;
    for (let t = 0; t < N - 1; t++) {
      if (y >= N || (x <= nl && dsig[x]! <= dsig[y]!)) idx[t] = x++;
      else idx[t] = y++;
    }
  }
  for (let i = 1; i < N; i++) type[i] = i <= nl ? 1 : 3;
  type[0] = arrowType;

  // deflation (dlasd2)
  let K = 1;
  nd[0] = 0;
  let nDefl = 0;
  let pj = -1;
  for (let t = 0; t < N - 1; t++) {
    const j = idx[t]!;
    if (Math.abs(z[j]!) <= tol) {
      type[j] = 4;
      defl[nDefl++] = j;
      continue;
    }
    if (pj < 0) {
      pj = j;
      continue;
    }
    if (Math.abs(dsig[j]! - dsig[pj]!) <= tol) {
      // equal singular values: rotate u and v columns so that z[pj] vanishes
      let s = z[pj]!;
      let c = z[j]!;
      const tau = Math.hypot(c, s);
      c /= tau;
      s = -s / tau;
      z[j] = tau;
      z[pj] = 0;
      const cp = col(pj);
      const cj = col(j);
      for (let row = lo; row < hi; row++) {
        const q = row * ldu;
        const x = u[q + cp]!;
        const y = u[q + cj]!;
        u[q + cp] = c * x + s * y;
        u[q + cj] = c * y - s * x;
      }
      for (let row = lo; row < lo + vRows; row++) {
        const q = row * ldv;
        const x = v[q + cp]!;
        const y = v[q + cj]!;
        v[q + cp] = c * x + s * y;
        v[q + cj] = c * y - s * x;
      }
      if (type[j] !== type[pj]) type[j] = 2;
      type[pj] = 4;
      defl[nDefl++] = pj;
      pj = j;
    } else {
      nd[K++] = pj;
      pj = j;
    }
  }
  if (pj >= 0) nd[K++] = pj;
  // keep the smallest pole away from the arrow's pole 0 (dlasd2's perturbation ≤ tol/2)
  if (K > 1 && dsig[nd[1]!]! <= tol / 2) dsig[nd[1]!] = tol / 2;

  // the secular equation on the squared poles, then Gu–Eisenstat's ẑ
  let rho = 0;
  for (let i = 0; i < K; i++) {
    sv[i] = dsig[nd[i]!]!;
    p[i] = sv[i]! * sv[i]!;
    rho += z[nd[i]!]! * z[nd[i]!]!;
  }
  const zs = 1 / Math.sqrt(rho);
  for (let i = 0; i < K; i++) zn[i] = z[nd[i]!]! * zs;
  const dr = wk.dr;
  for (let j = 0; j < K; j++) {
    sig[j] = Math.sqrt(_secularRoot(K, p, zn, rho, j, dr, j * K, wk.scratch, sv));
  }
  for (let i = 0; i < K; i++) zhat[i] = dr[i * K + i]!;
  for (let j = 0; j < K; j++) {
    const row = j * K;
    const sj = sv[j]!;
    for (let i = 0; i < K; i++) {
      if (i !== j) zhat[i] = zhat[i]! * (dr[row + i]! / ((sv[i]! - sj) * (sv[i]! + sj)));
    }
  }
  for (let i = 0; i < K; i++) {
    const t = Math.sqrt(-zhat[i]!);
    zhat[i] = z[nd[i]!]! >= 0 ? t : -t;
  }

  // group by column type: u over the non-arrow poles, v over all (arrow type 1 or 2)
  let cu1 = 0;
  let cu2 = 0;
  for (let i = 1; i < K; i++) {
    const t = type[nd[i]!]!;
    if (t === 1) cu1++;
    else if (t === 2) cu2++;
  }
  const cu3 = K - 1 - cu1 - cu2;
  const cv1 = cu1 + (arrowType === 1 ? 1 : 0);
  const cv2 = cu2 + (arrowType === 2 ? 1 : 0);
  {
    let q1 = 0;
    let q2 = cu1;
    let q3 = cu1 + cu2;
    let r1 = 0;
    let r2 = cv1;
    let r3 = cv1 + cv2;
    for (let i = 0; i < K; i++) {
      const t = type[nd[i]!]!;
      if (i === 0) {
        posV[0] = t === 1 ? r1++ : r2++;
        continue;
      }
      posU[i] = t === 1 ? q1++ : t === 2 ? q2++ : q3++;
      posV[i] = t === 1 ? r1++ : t === 2 ? r2++ : r3++;
    }
  }
  // singular vectors of M: row j of ut (non-arrow part, u-type order) and uArrow[j];
  // row j of vt (v-type order)
  const ut = wk.ut;
  const vt = wk.vt;
  const uArrow = wk.uArrow;
  const K1 = K - 1;
  // (written sequentially through the inverse permutations: ut and vt are too large
  // for cache)
  const { srcU, srcV, row1 } = wk;
  for (let i = 1; i < K; i++) srcU[posU[i]!] = i;
  for (let i = 0; i < K; i++) srcV[posV[i]!] = i;
  for (let j = 0; j < K; j++) {
    const row = j * K;
    let su = 1; // the arrow component −1
    let svv = 0;
    for (let i = 0; i < K; i++) {
      const t = zhat[i]! / dr[row + i]!;
      row1[i] = t;
      svv += t * t;
      if (i > 0) su += (sv[i]! * t) ** 2;
    }
    const iu = 1 / Math.sqrt(su);
    const iv = 1 / Math.sqrt(svv);
    uArrow[j] = -iu;
    for (let q = 0; q < K; q++) vt[row + q] = row1[srcV[q]!]! * iv;
    const urow = j * K1;
    for (let q = 0; q < K1; q++) {
      const i = srcU[q]!;
      ut[urow + q] = sv[i]! * row1[i]! * iu;
    }
  }

  // the deflated singular values ascending (insertion sort; nearly sorted already)
  for (let t = 1; t < nDefl; t++) {
    const j = defl[t]!;
    const val = dsig[j]!;
    let s = t - 1;
    while (s >= 0 && dsig[defl[s]!]! > val) {
      defl[s + 1] = defl[s]!;
      s--;
    }
    defl[s + 1] = j;
  }
  // final order: merge the roots (ascending) with the deflated values
  {
    let x = 0;
    let y = 0;
    for (let t = 0; t < N; t++) {
      if (y >= nDefl || (x < K && sig[x]! <= dsig[defl[y]!]!)) {
        d[lo + t] = sig[x]! * nrm;
        out[t] = x++;
      } else {
        d[lo + t] = dsig[defl[y]!]! * nrm;
        out[t] = -1 - y++;
      }
    }
  }
  // u: gather the top rows of types 1–2, the bottom rows of types 2–3 and the deflated
  // columns into g, multiply (RU, N×K, in dr) and write back; then the same for v (RV in
  // the ut buffer, free once RU is formed)
  const g = wk.g;
  const cuTop = cu1 + cu2;
  const cuBot = cu2 + cu3;
  // row by row: each row of the block is copied to row1 (one sequential read), and the
  // permuted columns are picked from there
  for (let q = 0; q < K1; q++) colU[q] = col(nd[srcU[q]!]!) - lo;
  for (let t = 0; t < nDefl; t++) colD[t] = col(defl[t]!) - lo;
  const guBot = nl * cuTop;
  const guDef = guBot + nr * cuBot;
  for (let r = 0; r < N; r++) {
    const q = (lo + r) * ldu + lo;
    row1.set(u.subarray(q, q + N));
    if (r < nl) {
      const g0 = r * cuTop;
      for (let c = 0; c < cuTop; c++) g[g0 + c] = row1[colU[c]!]!;
    } else if (r > nl) {
      const g0 = guBot + (r - nl - 1) * cuBot - cu1;
      for (let c = cu1; c < K1; c++) g[g0 + c] = row1[colU[c]!]!;
    }
    const g0 = guDef + r * nDefl;
    for (let t = 0; t < nDefl; t++) g[g0 + t] = row1[colD[t]!]!;
  }
  const ru = dr;
  gemmStrided(nl, K, cuTop, 1, g, 0, cuTop, 1, ut, 0, 1, K1, 0, ru, 0, K, 1);
  ru.set(uArrow.subarray(0, K), nl * K);
  gemmStrided(nr, K, cuBot, 1, g, guBot, cuBot, 1, ut, cu1, 1, K1, 0, ru, (nl + 1) * K, K, 1);
  for (let r = 0; r < N; r++) {
    const q = (lo + r) * ldu + lo;
    const pd = guDef + r * nDefl - 1;
    row1.set(ru.subarray(r * K, r * K + K));
    for (let t = 0; t < N; t++) {
      const j = out[t]!;
      u[q + t] = j >= 0 ? row1[j]! : g[pd - j]!;
    }
  }
  const cvTop = cv1 + cv2;
  const cvBot = K - cv1;
  for (let q = 0; q < K; q++) colV[q] = col(nd[srcV[q]!]!) - lo;
  const vTopRows = nl + 1;
  const vBotRows = nr + sqre;
  const gvBot = vTopRows * cvTop;
  const gvDef = gvBot + vBotRows * cvBot;
  for (let r = 0; r < vRows; r++) {
    const q = (lo + r) * ldv + lo;
    row1.set(v.subarray(q, q + N));
    if (r < vTopRows) {
      const g0 = r * cvTop;
      for (let c = 0; c < cvTop; c++) g[g0 + c] = row1[colV[c]!]!;
    } else {
      const g0 = gvBot + (r - vTopRows) * cvBot - cv1;
      for (let c = cv1; c < K; c++) g[g0 + c] = row1[colV[c]!]!;
    }
    const g0 = gvDef + r * nDefl;
    for (let t = 0; t < nDefl; t++) g[g0 + t] = row1[colD[t]!]!;
  }
  const rv = ut;
  gemmStrided(vTopRows, K, cvTop, 1, g, 0, cvTop, 1, vt, 0, 1, K, 0, rv, 0, K, 1);
  gemmStrided(vBotRows, K, cvBot, 1, g, gvBot, cvBot, 1, vt, cv1, 1, K, 0, rv, vTopRows * K, K, 1);
  for (let r = 0; r < vRows; r++) {
    const q = (lo + r) * ldv + lo;
    const pd = gvDef + r * nDefl - 1;
    row1.set(rv.subarray(r * K, r * K + K));
    for (let t = 0; t < N; t++) {
      const j = out[t]!;
      v[q + t] = j >= 0 ? row1[j]! : g[pd - j]!;
    }
  }
}
