import { assertFiniteArray, InvalidArgumentError, NonFiniteError, ShapeError } from '@lr/core';
import type { ComplexArray } from './complex.js';

/**
 * A bank of H independent single-input single-output diagonal SSMs (one per channel),
 * each with N = 2M real state dimensions stored as M complex modes whose conjugates are
 * implied (the S4D convention):
 *
 *   x′(t) = diag(A_h)·x(t) + B_h·u_h(t),   y_h(t) = 2·Re(C_h·x(t)) + D_h·u_h(t).
 *
 * All complex arrays are row-major [H, M] (element (h, n) at index h·M + n), as the S4D
 * reference code's per-channel parameters (`A_real`/`A_imag`, `B`, `C` of shape [H, N/2]).
 * The step size is dt_h = exp(logDt[h]).
 */
export interface DiagonalSsm {
  /** H: the number of channels. */
  channels: number;
  /** M = N/2: complex modes per channel. */
  modes: number;
  /** State matrix diagonal, [H, M]; Re A < 0 for a stable system. */
  A: ComplexArray;
  /** Input vector, [H, M]. */
  B: ComplexArray;
  /** Output vector, [H, M] (the kernel and outputs take 2·Re). */
  C: ComplexArray;
  /** Skip connection, [H]. */
  D: Float64Array;
  /** log of the step size, [H]. */
  logDt: Float64Array;
}

/**
 * Checks a {@link DiagonalSsm}: shapes, finiteness, H, M ≥ 1. Returns it unchanged.
 *
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` when a field is missing or of the wrong type
 * @throws {ShapeError} `SHAPE_MISMATCH` when an array's length is not H·M (or H)
 * @throws {NonFiniteError} `NON_FINITE` when a value is NaN or ±Infinity
 * @example assertDiagonalSsm(s4dInit({ N: 64, init: 'lin' }));
 */
export function assertDiagonalSsm(ssm: unknown, name = 'ssm'): DiagonalSsm {
  if (ssm === null || typeof ssm !== 'object')
    throw new InvalidArgumentError(`${name}: expected a DiagonalSsm object`);
  const s = ssm as DiagonalSsm;
  const H = s.channels;
  const M = s.modes;
  if (!Number.isSafeInteger(H) || H < 1)
    throw new InvalidArgumentError(`${name}.channels: expected an integer ≥ 1, got ${H}`);
  if (!Number.isSafeInteger(M) || M < 1)
    throw new InvalidArgumentError(`${name}.modes: expected an integer ≥ 1, got ${M}`);
  for (const key of ['A', 'B', 'C'] as const) {
    const z = s[key];
    if (
      z === null ||
      typeof z !== 'object' ||
      !(z.re instanceof Float64Array) ||
      !(z.im instanceof Float64Array)
    ) {
      throw new InvalidArgumentError(`${name}.${key}: expected a ComplexArray of Float64Arrays`);
    }
    if (z.re.length !== H * M || z.im.length !== H * M) {
      throw new ShapeError(
        `${name}.${key}: expected [H, M] = [${H}, ${M}] (${H * M} values), got re ${z.re.length}, im ${z.im.length}`,
      );
    }
    assertFiniteArray(`${name}.${key}.re`, z.re);
    assertFiniteArray(`${name}.${key}.im`, z.im);
  }
  for (const key of ['D', 'logDt'] as const) {
    const v = s[key];
    if (!(v instanceof Float64Array))
      throw new InvalidArgumentError(`${name}.${key}: expected a Float64Array of length H`);
    if (v.length !== H)
      throw new ShapeError(`${name}.${key}: expected length H = ${H}, got ${v.length}`);
    assertFiniteArray(`${name}.${key}`, v);
  }
  for (let h = 0; h < H; h++) {
    if (s.logDt[h]! > 700)
      throw new NonFiniteError(`${name}.logDt[${h}]: exp(${s.logDt[h]}) overflows`);
  }
  return s;
}

/** A deep copy of an SSM. */
export function cloneDiagonalSsm(ssm: DiagonalSsm): DiagonalSsm {
  const c = (z: ComplexArray): ComplexArray => ({
    re: Float64Array.from(z.re),
    im: Float64Array.from(z.im),
  });
  return {
    channels: ssm.channels,
    modes: ssm.modes,
    A: c(ssm.A),
    B: c(ssm.B),
    C: c(ssm.C),
    D: Float64Array.from(ssm.D),
    logDt: Float64Array.from(ssm.logDt),
  };
}
