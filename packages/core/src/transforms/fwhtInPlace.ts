import type { FloatArray } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { assertInt, describe, optionsObject } from '../validate.js';
import { boolOption } from './_fftCommon.js';

/** Options of {@link fwhtInPlace} and {@link fwht}. */
export interface FwhtOptions {
  /** Scale by 1/√n so the transform is orthonormal (and its own inverse); default false. */
  normalize?: boolean;
}

/** Options of {@link fwhtInPlace}: a segment of the array and the scaling. */
export interface FwhtInPlaceOptions extends FwhtOptions {
  /** First element of the segment to transform; default 0. */
  offset?: number;
  /** Segment length, a power of two; default `x.length − offset`. */
  length?: number;
}

/**
 * Fast Walsh–Hadamard transform in place: x ← H_n·x (÷ √n when `normalize`), where H_n is
 * the Sylvester–Hadamard matrix H_1 = [1], H_{2m} = [[H_m, H_m], [H_m, −H_m]] in natural
 * (Hadamard) order, H[i][j] = (−1)^{popcount(i & j)}. log₂ n passes of n/2 butterflies
 * (a, b) → (a + b, a − b): n·log₂ n additions, no multiplications (Fino & Algazi 1976).
 * H_n·H_n = n·I, so the normalized transform is an involution. This is the kernel behind
 * {@link fwht} (validated copy) and randomized Hadamard sketches (SRHT).
 *
 * @param x data, transformed in place (Float64Array or Float32Array)
 * @param options see {@link FwhtInPlaceOptions}
 * @returns `x`
 * @throws {InvalidArgumentError} if the segment length is not a power of two or the segment does not fit in `x`
 * @example
 * const x = new Float64Array([1, 0, 1, 0]);
 * fwhtInPlace(x); // x = [2, 2, 0, 0]
 */
export function fwhtInPlace<T extends FloatArray>(x: T, options?: FwhtInPlaceOptions): T {
  if (!(x instanceof Float64Array || x instanceof Float32Array)) {
    throw new InvalidArgumentError(
      `x: expected a Float64Array or Float32Array, got ${describe(x)}`,
    );
  }
  const opts = optionsObject('options', options);
  const normalize = boolOption('options.normalize', opts.normalize, false);
  const off = opts.offset === undefined ? 0 : assertInt('options.offset', opts.offset, 0, x.length);
  const n =
    opts.length === undefined
      ? x.length - off
      : assertInt('options.length', opts.length, 0, x.length - off);
  if (!(n >= 1 && 2 ** Math.round(Math.log2(n)) === n)) {
    throw new InvalidArgumentError(
      `fwht: expected a length that is a power of two (1, 2, 4, …), got ${n}`,
    );
  }
  for (let h = 1; h < n; h *= 2) {
    const end = off + n;
    for (let i = off; i < end; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = x[j]!;
        const b = x[j + h]!;
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }
  if (normalize && n > 1) {
    const s = 1 / Math.sqrt(n);
    for (let j = off; j < off + n; j++) x[j]! *= s;
  }
  return x;
}
