import { assertInt, type Matrix, optionsObject, randomizedSvd, type Seed, svd } from '@lr/core';
import {
  adapterEnergy,
  identityError,
  orDefault,
  range,
  resolveRank,
  splitFactors,
  subtractProduct,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Options of {@link pissa}. */
export interface PissaOptions extends AdapterRankOptions {
  /** LoRA rank r; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default 8 (PEFT `lora_alpha`). */
  alpha?: number;
  /**
   * Subspace iterations of the fast SVD (PEFT `init_lora_weights="pissa_niter_N"`, which
   * calls `torch.svd_lowrank(W, q=r, niter=N)`); default undefined: the exact SVD
   * (`init_lora_weights="pissa"`).
   */
  niter?: number;
  /** Seed of the fast SVD's Gaussian test matrix; default 0 (ignored by the exact SVD). */
  seed?: Seed;
}

/** Result of {@link pissa}: the {@link AdapterInit} plus the singular values used. */
export interface PissaResult extends AdapterInit {
  method: 'pissa';
  residual: Matrix;
  /** The r principal singular values of W (before division by s). */
  singularValues: Float64Array;
}

/**
 * PiSSA initialisation (Meng, Wang & Zhang 2024; PEFT `pissa_init`): W = U·S·Vᵀ, keep the
 * top r triplets, S_r ← S_r / s, A = diag(√S_r)·V_rᵀ, B = U_r·diag(√S_r) and
 * W_res = W − s·B·A. Hence s·B·A = U_r·S_r·V_rᵀ whatever alpha is, and W_res holds the
 * other singular triplets.
 *
 * The exact path uses the thin SVD; with `niter` it uses {@link randomizedSvd} configured as
 * `torch.svd_lowrank(q=r, niter)`: no oversampling and QR re-orthonormalisation between
 * the `niter` power iterations (Halko, Martinsson & Tropp 2011, Alg. 4.4). Everything is
 * computed in float64 (PEFT works in float32 and casts W_res back to the weight dtype; cast
 * the returned float64 residual when writing it).
 *
 * Defaults: rank 8, alpha 8, useRslora false (PEFT `LoraConfig`), exact SVD, seed 0.
 *
 * @param W weight [out, in] (any dtype or strides; not mutated)
 * @param options see {@link PissaOptions}
 * @returns {@link PissaResult}: A [r, in], B [out, r], residual W_res [out, in] (float64),
 *   `singularValues` (S_r before the division by s); diagnostics `energy` = Σ_r σ²/Σ σ²
 *   (measured as ‖s·B·A‖²/‖W‖²), `relativeError` (measured identity error),
 *   `trainableParameters` r·(in + out), `svd` ('exact' or 'randomized'), `niter`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   a non-integer rank, alpha ≤ 0 or a negative / non-integer niter
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { pissa } from '@lr/peft';
 * const W = randn(64, 32, { seed: 1 });
 * const { A, B, residual, scaling, diagnostics } = pissa(W, { rank: 4, alpha: 8 });
 * // residual + scaling·B·A = W; diagnostics.relativeError ≈ 1e-16
 */
export function pissa(W: Matrix, options?: PissaOptions): PissaResult {
  const w = weightArg('W', W);
  const opts = optionsObject('options', options);
  const { rank, alpha, scaling } = resolveRank(opts, Math.min(w.rows, w.cols), 8, () => 8);
  const niter = opts.niter === undefined ? undefined : assertInt('options.niter', opts.niter, 0);

  let U: Matrix;
  let S: Float64Array;
  let Vt: Matrix;
  if (niter === undefined) {
    const f = svd(w);
    U = f.U!;
    S = f.S;
    Vt = f.Vt!;
  } else {
    const f = randomizedSvd(w, {
      rank,
      oversample: 0,
      powerIterations: niter,
      normalizer: 'qr',
      seed: orDefault(opts.seed, 0),
    });
    U = f.U;
    S = f.S;
    Vt = f.Vt;
  }
  const { A, B } = splitFactors(U, S, Vt, range(0, rank), scaling);
  const residual = subtractProduct(w, B, A, scaling);
  return {
    method: 'pissa',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    singularValues: S.slice(0, rank),
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank * (w.rows + w.cols),
      svd: niter === undefined ? 'exact' : 'randomized',
      niter: niter ?? 0,
    },
  };
}
