import { type Matrix, optionsObject, Rng, type Seed, zeros } from '@lr/core';
import { adapterEnergy, identityError, resolveRank, weightArg } from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Options of {@link lora}. Defaults are PEFT's `LoraConfig`. */
export interface LoraOptions extends AdapterRankOptions {
  /** LoRA rank r; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default 8 (PEFT `lora_alpha`). */
  alpha?: number;
  /** Seed of A's uniform draw; default 0. */
  seed?: Seed;
}

/**
 * Plain LoRA initialisation as PEFT's `init_lora_weights=True` (Hu et al. 2021; PEFT
 * `reset_lora_parameters`): A (r×in) from `torch.nn.init.kaiming_uniform_(a=√5)` and
 * B (out×r) = 0, so ΔW = s·B·A = 0 and the base weight is unchanged (`residual` is
 * undefined). For a r×in tensor torch uses fan_in = in, gain √(2/(1 + a²)) = √(1/3) and
 * bound √3·gain/√fan_in = 1/√in, so A ~ U(−1/√in, 1/√in). The values come from our seeded
 * generator, so they follow the same law as torch's but not its bits.
 *
 * Defaults: rank 8, alpha 8, useRslora false (PEFT `LoraConfig`), seed 0.
 *
 * @param W weight [out, in] (nn.Linear layout; any dtype or strides; not mutated)
 * @param options see {@link LoraOptions}
 * @returns {@link AdapterInit} with A [r, in], B [out, r] (float64), no residual;
 *   diagnostics `energy` 0, `relativeError` 0 (measured), `trainableParameters` r·(in + out)
 *   and `bound` (the uniform bound 1/√in)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   a non-integer rank, alpha ≤ 0 or a bad seed
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { lora } from '@lr/peft';
 * const init = lora(randn(64, 32, { seed: 1 }), { rank: 4, seed: 7 });
 * init.A.shape; // [4, 32], entries in (−1/√32, 1/√32)
 * init.B.shape; // [64, 4], all zero
 */
export function lora(W: Matrix, options?: LoraOptions): AdapterInit {
  const w = weightArg('W', W);
  const opts = optionsObject('options', options);
  const { rank, alpha, scaling } = resolveRank(opts, Math.min(w.rows, w.cols), 8, () => 8);
  const rng = Rng.from(opts.seed);
  const n = w.cols;
  const bound = 1 / Math.sqrt(n);
  const A = zeros(rank, n);
  const a = A.data;
  for (let i = 0; i < a.length; i++) a[i] = rng.uniformIn(-bound, bound);
  const B = zeros(w.rows, rank);
  return {
    method: 'lora',
    A,
    B,
    scaling,
    rank,
    alpha,
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, undefined, B, A, scaling),
      trainableParameters: rank * (w.rows + w.cols),
      bound,
    },
  };
}
