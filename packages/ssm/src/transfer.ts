import {
  assertFiniteArray,
  assertInt,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  irfft,
  Matrix,
  optionsObject,
  ShapeError,
} from '@lr/core';
import { assertComplex, type ComplexArray, type ComplexMatrix } from './complex.js';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';
import {
  _assertDiscreteSsm,
  _discretize,
  type DiscreteSsm,
  type DiscretizeMethod,
} from './discretize.js';
import { SSM_MAX_LENGTH } from './kernel.js';

/**
 * The points z_k = exp(2πi·k/P), k = 0…count − 1, on the unit circle (default
 * count = ⌊P/2⌋ + 1: the non-negative frequencies, enough for a real kernel).
 *
 * @example unitCircle(4); // 1, i, −1
 */
export function unitCircle(P: number, count?: number): ComplexArray {
  const p = assertInt('P', P, 1, SSM_MAX_LENGTH);
  const c = count === undefined ? Math.floor(p / 2) + 1 : assertInt('count', count, 0, p);
  const re = new Float64Array(c);
  const im = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const t = (2 * Math.PI * k) / p;
    re[k] = Math.cos(t);
    im[k] = Math.sin(t);
  }
  return { re, im };
}

/** Options of {@link diagonalTransfer}. */
export interface DiagonalTransferOptions {
  /**
   * Truncate the generating function to its first T terms (Σ_{l<T}), which multiplies each
   * mode by (1 − Ā^T·z^{−T}) (S4's trick); default: no truncation (the full series).
   */
  truncate?: number;
  /** Add the skip term D_h; default false. */
  includeD?: boolean;
}

/**
 * The transfer function (z-transform of the kernel) of each channel of a discretized
 * diagonal bank, at given points z:
 *
 *   G_h(z) = Σ_{l≥0} K_l·z^{−l} = Σ_n [ W_n / (1 − Ā_n·z^{−1}) + W̄_n / (1 − Ā̄_n·z^{−1}) ],
 *   W_n = C_n·B̄_n,
 *
 * the sum over both members of each conjugate pair because y = 2·Re(C·x) (so
 * K_l = 2·Re Σ_n W_n·Ā_n^l). The series converges for |z| > max|Ā_n| (on the unit circle
 * for a stable system: the frequency response G(e^{iω})). With `truncate: T` the finite sum
 * Σ_{l<T} is returned instead, each term multiplied by (1 − (Ā_n/z)^T); plus D_h with
 * `includeD`.
 *
 * @param d the discretized bank ({@link discretize})
 * @param z evaluation points, length P (non-zero)
 * @param options `truncate`, `includeD`
 * @returns H×P complex matrix (row h: channel h)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a malformed d or a bad truncate
 * @throws {NonFiniteError} `NON_FINITE` for non-finite z
 * @example
 * const d = discretize(s4dInit({ N: 16 }));
 * const G = diagonalTransfer(d, unitCircle(64)); // frequency response at 33 frequencies
 */
export function diagonalTransfer(
  d: DiscreteSsm,
  z: ComplexArray,
  options?: DiagonalTransferOptions,
): ComplexMatrix {
  _assertDiscreteSsm(d);
  const P = assertComplex('z', z);
  assertFiniteArray('z.re', z.re);
  assertFiniteArray('z.im', z.im);
  const o = optionsObject('options', options);
  const T =
    o.truncate === undefined ? null : assertInt('options.truncate', o.truncate, 1, SSM_MAX_LENGTH);
  return _diagonalTransfer(d, z.re, z.im, P, T, o.includeD === true);
}

/** {@link diagonalTransfer} on validated input. Internal. */
export function _diagonalTransfer(
  d: DiscreteSsm,
  zr: Float64Array,
  zi: Float64Array,
  P: number,
  T: number | null,
  includeD: boolean,
): ComplexMatrix {
  const H = d.channels;
  const M = d.modes;
  const out: ComplexMatrix = {
    re: new Float64Array(H * P),
    im: new Float64Array(H * P),
    rows: H,
    cols: P,
  };
  for (let p = 0; p < P; p++) {
    // w = 1/z
    const den = zr[p]! * zr[p]! + zi[p]! * zi[p]!;
    const wr = zr[p]! / den;
    const wi = -zi[p]! / den;
    // log w for w^T = exp(T·log w)
    const lwr = Math.log(Math.hypot(wr, wi));
    const lwi = Math.atan2(wi, wr);
    for (let h = 0; h < H; h++) {
      let sr = includeD ? d.D[h]! : 0;
      let si = 0;
      for (let n = 0; n < M; n++) {
        const k = h * M + n;
        const ar = d.Abar.re[k]!;
        const ai = d.Abar.im[k]!;
        const cr = d.C.re[k]!;
        const ci = d.C.im[k]!;
        const br = d.Bbar.re[k]!;
        const bi = d.Bbar.im[k]!;
        const Wr = cr * br - ci * bi;
        const Wi = cr * bi + ci * br;
        // the pair (Ā, W) and its conjugate (Ā̄, W̄)
        for (let c = 0; c < 2; c++) {
          const s = c === 0 ? 1 : -1;
          const aR = ar;
          const aI = s * ai;
          let nR = Wr;
          let nI = s * Wi;
          if (T !== null) {
            // (1 − (Ā·w)^T) via exp(T·(log Ā + log w)) — logs from d.logAbar
            const er = T * (d.logAbar.re[k]! + lwr);
            const ei = T * (s * d.logAbar.im[k]! + lwi);
            const m = Math.exp(er);
            const fr = 1 - m * Math.cos(ei);
            const fi = -m * Math.sin(ei);
            const tr = nR * fr - nI * fi;
            nI = nR * fi + nI * fr;
            nR = tr;
          }
          // divide by 1 − Ā·w
          const qr = 1 - (aR * wr - aI * wi);
          const qi = -(aR * wi + aI * wr);
          const q2 = qr * qr + qi * qi;
          sr += (nR * qr + nI * qi) / q2;
          si += (nI * qr - nR * qi) / q2;
        }
      }
      out.re[h * P + p] = sr;
      out.im[h * P + p] = si;
    }
  }
  return out;
}

/** Options of {@link kernelFromTransfer}. */
export interface KernelFromTransferOptions {
  /** Kernel length L (required). */
  L: number;
  /** Discretization; default `'zoh'`. */
  method?: DiscretizeMethod;
}

/**
 * The length-L kernel recovered from the transfer function (S4, Gu, Goel & Ré 2022, §3.2
 * / Lemma C.2: "the truncated generating function at the roots of unity"): evaluates
 * Σ_{l<L} K_l·z_k^{−l} at z_k = exp(2πik/L), where z_k^{−L} = 1 so the truncation factor is
 * (1 − Ā^L), and inverts the DFT with core's `irfft`. Equals {@link ssmKernel} to
 * rounding (a cross-check of both); O(H·M·L) + H inverse FFTs.
 *
 * @param ssm the bank (not modified)
 * @param options `L` (required), `method` (default `'zoh'`)
 * @returns H×L Matrix
 * @throws as {@link ssmKernel}
 * @example const K = kernelFromTransfer(s4dInit({ N: 16 }), { L: 100 });
 */
export function kernelFromTransfer(ssm: DiagonalSsm, options: KernelFromTransferOptions): Matrix {
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  if (o.L === undefined) throw new InvalidArgumentError('options.L: the kernel length is required');
  const L = assertInt('options.L', o.L, 1, SSM_MAX_LENGTH);
  const method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
  const d = _discretize(s, method);
  const z = unitCircle(L);
  const G = _diagonalTransfer(d, z.re, z.im, z.re.length, L, false);
  const H = s.channels;
  const nf = z.re.length;
  const out = new Float64Array(H * L);
  for (let h = 0; h < H; h++) {
    const k = irfft(G.re.subarray(h * nf, (h + 1) * nf), G.im.subarray(h * nf, (h + 1) * nf), L);
    out.set(k, h * L);
  }
  return new Matrix(out, H, L);
}

/**
 * A single-input single-output diagonal-plus-low-rank (DPLR) SSM in its eigenbasis,
 * A = diag(Λ) − P·Q* (S4's form; HiPPO-LegS has Q = P = V*·P_LegS), with y = C·x and step
 * dt. With `conjugatePairs` (default true) the arrays hold one member of each conjugate
 * pair of a real system of size 2M and the conjugate modes are implied (y = 2·Re(C·x)).
 */
export interface DplrSsm {
  /** Λ, length M. */
  lambda: ComplexArray;
  /** P, length M. */
  P: ComplexArray;
  /** Q, length M. */
  Q: ComplexArray;
  /** B, length M. */
  B: ComplexArray;
  /** C, length M. */
  C: ComplexArray;
  /** Step size (> 0). */
  dt: number;
  /** Arrays hold half of a real system; default true. */
  conjugatePairs?: boolean;
}

/**
 * The transfer function of a DPLR SSM discretized by the bilinear rule, at points z
 * (S4's Cauchy-kernel algorithm, Gu, Goel & Ré 2022, Alg. 1). With w = z^{−1},
 * α = (2/dt)(1 − w), β = 1 + w:
 *
 *   G(z) = Σ_l C·Ā^l·B̄·z^{−l} = 2·C·(α·I − β·A)^{−1}·B
 *        = 2·[k_CB − β·k_CP·k_Q*B / (1 + β·k_Q*P)],   k_xy = Σ_n x_n·y_n / (α − β·Λ_n),
 *
 * by the Woodbury identity for the rank-one term (this form is regular at z = −1, where
 * G = (dt/2)·C·B). Each Cauchy sum includes the conjugate modes when `conjugatePairs`.
 * With P = Q = 0 it equals {@link diagonalTransfer} of the bilinear discretization.
 *
 * @param sys the DPLR system
 * @param z evaluation points (non-zero), length P
 * @returns G at each point, length P
 * @throws {ShapeError} `SHAPE_MISMATCH` when the arrays differ in length
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for dt ≤ 0
 * @example
 * const r = nplrLegS(16);
 * const C = { re: new Float64Array(8).fill(1), im: new Float64Array(8) };
 * const G = dplrTransfer({ lambda: r.lambda, P: r.Ptilde, Q: r.Ptilde, B: r.Btilde, C, dt: 0.01 }, unitCircle(64));
 */
export function dplrTransfer(sys: DplrSsm, z: ComplexArray): ComplexArray {
  if (sys === null || typeof sys !== 'object')
    throw new InvalidArgumentError('sys: expected a DplrSsm');
  const M = assertComplex('sys.lambda', sys.lambda);
  for (const key of ['P', 'Q', 'B', 'C'] as const) {
    assertComplex(`sys.${key}`, sys[key], M);
    assertFiniteArray(`sys.${key}.re`, sys[key].re);
    assertFiniteArray(`sys.${key}.im`, sys[key].im);
  }
  assertFiniteArray('sys.lambda.re', sys.lambda.re);
  assertFiniteArray('sys.lambda.im', sys.lambda.im);
  const dt = assertNumber('sys.dt', sys.dt, Number.MIN_VALUE);
  const pairs = sys.conjugatePairs ?? true;
  const Pn = assertComplex('z', z);
  assertFiniteArray('z.re', z.re);
  assertFiniteArray('z.im', z.im);
  if (M === 0) throw new ShapeError('sys.lambda: expected at least one mode');
  const out: ComplexArray = { re: new Float64Array(Pn), im: new Float64Array(Pn) };
  const { lambda: Lm, P, Q, B, C } = sys;
  for (let p = 0; p < Pn; p++) {
    const den = z.re[p]! * z.re[p]! + z.im[p]! * z.im[p]!;
    const wr = z.re[p]! / den;
    const wi = -z.im[p]! / den;
    const alr = (2 / dt) * (1 - wr);
    const ali = (2 / dt) * -wi;
    const ber = 1 + wr;
    const bei = wi;
    // Cauchy sums k_CB, k_CP, k_QB, k_QP (Q enters conjugated)
    let cbR = 0;
    let cbI = 0;
    let cpR = 0;
    let cpI = 0;
    let qbR = 0;
    let qbI = 0;
    let qpR = 0;
    let qpI = 0;
    for (let n = 0; n < M; n++) {
      for (let c = 0; c < (pairs ? 2 : 1); c++) {
        const s = c === 0 ? 1 : -1;
        const lr = Lm.re[n]!;
        const li = s * Lm.im[n]!;
        // r = 1/(α − β·λ)
        const dr = alr - (ber * lr - bei * li);
        const di = ali - (ber * li + bei * lr);
        const d2 = dr * dr + di * di;
        const rr = dr / d2;
        const ri = -di / d2;
        const Cr = C.re[n]!;
        const Ci = s * C.im[n]!;
        const Br = B.re[n]!;
        const Bi = s * B.im[n]!;
        const Pr = P.re[n]!;
        const Pi = s * P.im[n]!;
        // conj(Q) for the mode (for the conjugate mode: Q itself)
        const Qr = Q.re[n]!;
        const Qi = -s * Q.im[n]!;
        const mul = (xr: number, xi: number, yr: number, yi: number): [number, number] => {
          const tr = xr * yr - xi * yi;
          const ti = xr * yi + xi * yr;
          return [tr * rr - ti * ri, tr * ri + ti * rr];
        };
        let t = mul(Cr, Ci, Br, Bi);
        cbR += t[0];
        cbI += t[1];
        t = mul(Cr, Ci, Pr, Pi);
        cpR += t[0];
        cpI += t[1];
        t = mul(Qr, Qi, Br, Bi);
        qbR += t[0];
        qbI += t[1];
        t = mul(Qr, Qi, Pr, Pi);
        qpR += t[0];
        qpI += t[1];
      }
    }
    // G = 2·[k_CB − β·k_CP·k_QB / (1 + β·k_QP)]
    const nr0 = cpR * qbR - cpI * qbI;
    const ni0 = cpR * qbI + cpI * qbR;
    const nr = ber * nr0 - bei * ni0;
    const ni = ber * ni0 + bei * nr0;
    const dr = 1 + (ber * qpR - bei * qpI);
    const di = ber * qpI + bei * qpR;
    const d2 = dr * dr + di * di;
    out.re[p] = 2 * (cbR - (nr * dr + ni * di) / d2);
    out.im[p] = 2 * (cbI - (ni * dr - nr * di) / d2);
  }
  return out;
}
