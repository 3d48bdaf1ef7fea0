import { assertNumber, optionsObject } from '@lr/core';

/** Options of {@link sensitivitySampleSize}. */
export interface SensitivitySampleSizeOptions {
  /** The ℓp exponent (p ≥ 1); default 1. */
  p?: number;
  /** Target distortion ε; default 0.5. */
  epsilon?: number;
}

/**
 * Sample count of paper #4 (Woodruff & Yasuda 2023) for an ℓp subspace embedding by
 * sensitivity sampling, without its polylogarithmic factors: ⌈𝔖^{2/p}/ε²⌉ for
 * 1 ≤ p < 2, ⌈𝔖/ε²⌉ for p = 2 and ⌈𝔖^{2−2/p}/ε²⌉ for p > 2, with 𝔖 the total
 * sensitivity (e.g. the `total` of {@link lpSensitivities}).
 *
 * @param totalSensitivity 𝔖 > 0
 * @param options `p` (1), `epsilon` (0.5)
 * @returns the number of samples
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for bad values
 * @example
 * import { sensitivitySampleSize } from '@lr/sketch';
 * sensitivitySampleSize(10, { p: 1, epsilon: 0.5 }); // ⌈10²/0.25⌉ = 400
 */
export function sensitivitySampleSize(
  totalSensitivity: number,
  options?: SensitivitySampleSizeOptions,
): number {
  const opts = optionsObject('options', options);
  const S = assertNumber('totalSensitivity', totalSensitivity, Number.MIN_VALUE);
  const p = assertNumber('options.p', opts.p ?? 1, 1);
  const eps = assertNumber('options.epsilon', opts.epsilon ?? 0.5, Number.MIN_VALUE);
  const power = p < 2 ? 2 / p : p === 2 ? 1 : 2 - 2 / p;
  return Math.ceil(S ** power / (eps * eps));
}
