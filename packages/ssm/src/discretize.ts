import {
  assertFiniteArray,
  assertOneOf,
  InvalidArgumentError,
  NonFiniteError,
  optionsObject,
  ShapeError,
} from '@lr/core';
import { assertComplex, type ComplexArray, cdivInto, expm1OverInto } from './complex.js';
import { assertDiagonalSsm, type DiagonalSsm } from './diagonalSsm.js';

/** Discretization rules of {@link discretize}. */
export type DiscretizeMethod = 'zoh' | 'bilinear';

/** Options of {@link discretize}. */
export interface DiscretizeOptions {
  /** `'zoh'` (default; S4D's default) or `'bilinear'` (S4's). */
  method?: DiscretizeMethod;
}

/**
 * A discretized bank of diagonal SSMs: x_k = Ā·x_{k−1} + B̄·u_k, y_k = 2·Re(C·x_k) + D·u_k.
 * Complex arrays are [H, M] row-major as in {@link DiagonalSsm}.
 */
export interface DiscreteSsm {
  channels: number;
  modes: number;
  method: DiscretizeMethod;
  /** Ā, [H, M]. */
  Abar: ComplexArray;
  /**
   * A logarithm of Ā, [H, M], so that Ā^l = exp(l·logAbar) for every integer l:
   * dt·A exactly for ZOH; log(1 + dtA/2) − log(1 − dtA/2) for bilinear.
   */
  logAbar: ComplexArray;
  /** B̄, [H, M]. */
  Bbar: ComplexArray;
  /** C (a copy), [H, M]. */
  C: ComplexArray;
  /** D (a copy), [H]. */
  D: Float64Array;
  /** dt = exp(logDt), [H]. */
  dt: Float64Array;
}

/**
 * Throws unless `d` is a well-formed {@link DiscreteSsm}: integer channels H and modes M,
 * Ā, B̄, C complex [H, M] and D [H] finite, log Ā [H, M] free of NaN (Re may be −∞ where
 * Ā = 0). Lets hand-built objects fail fast instead of reading past the arrays in the
 * kernel and transfer loops. Internal.
 */
export function _assertDiscreteSsm(d: unknown, name = 'd'): DiscreteSsm {
  if (d === null || typeof d !== 'object')
    throw new InvalidArgumentError(`${name}: expected a DiscreteSsm (from discretize)`);
  const s = d as DiscreteSsm;
  const H = s.channels;
  const M = s.modes;
  if (!Number.isSafeInteger(H) || H < 1)
    throw new InvalidArgumentError(`${name}.channels: expected an integer ≥ 1, got ${H}`);
  if (!Number.isSafeInteger(M) || M < 1)
    throw new InvalidArgumentError(`${name}.modes: expected an integer ≥ 1, got ${M}`);
  for (const key of ['Abar', 'logAbar', 'Bbar', 'C'] as const) {
    const z = s[key];
    assertComplex(`${name}.${key}`, z, H * M);
    if (key === 'logAbar') {
      for (let k = 0; k < H * M; k++) {
        if (Number.isNaN(z.re[k]!) || !Number.isFinite(z.im[k]!) || z.re[k]! === Infinity)
          throw new NonFiniteError(`${name}.logAbar[${k}]: not a logarithm of a finite Ā`);
      }
    } else {
      assertFiniteArray(`${name}.${key}.re`, z.re);
      assertFiniteArray(`${name}.${key}.im`, z.im);
    }
  }
  if (!(s.D instanceof Float64Array))
    throw new InvalidArgumentError(`${name}.D: expected a Float64Array of length H`);
  if (s.D.length !== H)
    throw new ShapeError(`${name}.D: expected length H = ${H}, got ${s.D.length}`);
  assertFiniteArray(`${name}.D`, s.D);
  return s;
}

/**
 * Discretizes a diagonal SSM with step dt_h = exp(logDt[h]) (REFERENCES.md):
 * - ZOH: Ā = exp(dt·A), B̄ = (Ā − 1)/A·B, formed as dt·expm1(dtA)/(dtA)·B, which is
 *   accurate for small |dt·A| and also defined at A = 0 (B̄ = dt·B)
 * - bilinear: Ā = (1 + dtA/2)/(1 − dtA/2), B̄ = dt·B/(1 − dtA/2)
 *
 * @param ssm the continuous-time bank (not modified)
 * @param options `method`, default `'zoh'`
 * @returns Ā, log Ā, B̄ and copies of C, D, dt (fresh arrays)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for an unknown method or a malformed ssm
 * @throws {ShapeError} `SHAPE_MISMATCH` when the ssm's arrays are not [H, M] / [H]
 * @throws {NonFiniteError} `NON_FINITE` when the ssm holds NaN or ±Infinity
 * @example
 * const d = discretize(s4dInit({ N: 8 }), { method: 'bilinear' });
 * d.Abar.re.length; // 4
 */
export function discretize(ssm: DiagonalSsm, options?: DiscretizeOptions): DiscreteSsm {
  const s = assertDiagonalSsm(ssm);
  const o = optionsObject('options', options);
  const method = assertOneOf('options.method', o.method ?? 'zoh', ['zoh', 'bilinear'] as const);
  return _discretize(s, method);
}

/** {@link discretize} on validated input. */
export function _discretize(s: DiagonalSsm, method: DiscretizeMethod): DiscreteSsm {
  const H = s.channels;
  const M = s.modes;
  const n = H * M;
  const Abar: ComplexArray = { re: new Float64Array(n), im: new Float64Array(n) };
  const logAbar: ComplexArray = { re: new Float64Array(n), im: new Float64Array(n) };
  const Bbar: ComplexArray = { re: new Float64Array(n), im: new Float64Array(n) };
  const dt = new Float64Array(H);
  const t = new Float64Array(2);
  for (let h = 0; h < H; h++) {
    const step = Math.exp(s.logDt[h]!);
    dt[h] = step;
    for (let k = h * M; k < (h + 1) * M; k++) {
      const xr = step * s.A.re[k]!;
      const xi = step * s.A.im[k]!;
      const br = s.B.re[k]!;
      const bi = s.B.im[k]!;
      let fr: number;
      let fi: number;
      if (method === 'zoh') {
        const e = Math.exp(xr);
        Abar.re[k] = e * Math.cos(xi);
        Abar.im[k] = e * Math.sin(xi);
        logAbar.re[k] = xr;
        logAbar.im[k] = xi;
        expm1OverInto(xr, xi, t); // (e^{dtA} − 1)/(dtA)
        fr = step * t[0]!;
        fi = step * t[1]!;
      } else {
        const pr = 1 + 0.5 * xr; // 1 + dtA/2
        const pi = 0.5 * xi;
        const qr = 1 - 0.5 * xr; // 1 − dtA/2
        const qi = -0.5 * xi;
        cdivInto(pr, pi, qr, qi, t);
        Abar.re[k] = t[0]!;
        Abar.im[k] = t[1]!;
        // log(1 + w) − log(1 − w), w = dtA/2, with log|1 ± w| via log1p (accurate for small w).
        const wr = 0.5 * xr;
        const wi = 0.5 * xi;
        logAbar.re[k] =
          0.5 * (Math.log1p(wr * (2 + wr) + wi * wi) - Math.log1p(wr * (wr - 2) + wi * wi));
        logAbar.im[k] = Math.atan2(wi, 1 + wr) - Math.atan2(-wi, 1 - wr);
        cdivInto(step, 0, qr, qi, t); // dt/(1 − dtA/2)
        fr = t[0]!;
        fi = t[1]!;
      }
      Bbar.re[k] = fr * br - fi * bi;
      Bbar.im[k] = fr * bi + fi * br;
    }
  }
  return {
    channels: H,
    modes: M,
    method,
    Abar,
    logAbar,
    Bbar,
    C: { re: Float64Array.from(s.C.re), im: Float64Array.from(s.C.im) },
    D: Float64Array.from(s.D),
    dt,
  };
}
