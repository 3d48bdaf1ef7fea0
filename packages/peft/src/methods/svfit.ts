import { assertNumber, InvalidArgumentError, type Matrix, optionsObject, svd } from '@lr/core';
import {
  adapterEnergy,
  alphaArg,
  booleanArg,
  identityError,
  loraScaling,
  orDefault,
  range,
  rankArg,
  splitFactors,
  subtractProduct,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Options of {@link svfit}. */
export interface SvfitOptions extends AdapterRankOptions {
  /** A fixed rank r in [1, min(out, in)]; default undefined: chosen by `energy`. When given, `energy` is ignored. */
  rank?: number;
  /** Smallest r with Σ_{i≤r} σ_i² ≥ energy·Σ σ_i²; default 0.99 (the SVFit paper's "over 99%"). */
  energy?: number;
  /** lora_alpha; default r (scaling 1; √r with `useRslora`), so B·A carries U_r·Σ_r·V_rᵀ as is. */
  alpha?: number;
}

/** Result of {@link svfit}: the LoRA form plus the SVD factors SVFit trains. */
export interface SvfitResult extends AdapterInit {
  method: 'svfit';
  /** W_e = W − U_r·Σ_r·V_rᵀ (float64). */
  residual: Matrix;
  /** U_r [out, r], orthonormal columns (frozen). */
  U: Matrix;
  /** σ_1 ≥ … ≥ σ_r: the r trainable numbers. */
  S: Float64Array;
  /** V_rᵀ [r, in], orthonormal rows (frozen). */
  Vt: Matrix;
}

/**
 * SVFit initialisation (Sun et al. 2024, "SVFit: Parameter-Efficient Fine-Tuning of Large
 * Pre-Trained Models Using Singular Values"): W = U_r·Σ_r·V_rᵀ + W_e with r the smallest
 * rank holding `energy` (default 99%) of Σ σ², and only the r singular values Σ_r train,
 * while U_r, V_r and W_e stay frozen. No public reference code was found; this follows the
 * paper's description.
 *
 * The same update expressed as PEFT LoRA factors (so that tools that only know LoRA can
 * load it; training them trains r·(in + out) numbers, not r): S_r ← σ_r / s,
 * A = diag(√S_r)·V_rᵀ, B = U_r·diag(√S_r), so s·B·A = U_r·Σ_r·V_rᵀ (s = 1 by default).
 * The factors SVFit itself trains are returned as `U`, `S`, `Vt`.
 *
 * Defaults: rank by energy 0.99 (paper), alpha = r (scaling 1), useRslora false.
 *
 * @param W weight [out, in] (any dtype or strides; not mutated)
 * @param options see {@link SvfitOptions}
 * @returns {@link SvfitResult}: A [r, in], B [out, r], residual W_e, U, S, Vt; diagnostics
 *   `energy` (Σ_r σ²/Σ σ², measured from the factors), `relativeError` (measured identity
 *   error), `trainableParameters` r, `energyTarget` (the requested energy, or NaN with a
 *   fixed rank), `loraParameters` r·(in + out)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)], a
 *   non-integer rank, energy outside (0, 1] or alpha ≤ 0
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { svfit } from '@lr/peft';
 * const init = svfit(randn(64, 32, { seed: 1 }), { energy: 0.9 });
 * init.rank; // smallest r with 90 % of Σσ²
 * init.diagnostics.trainableParameters === init.rank; // true
 */
export function svfit(W: Matrix, options?: SvfitOptions): SvfitResult {
  const w = weightArg('W', W);
  const opts = optionsObject('options', options);
  const k = Math.min(w.rows, w.cols);
  const fixed = opts.rank !== undefined ? rankArg('options.rank', opts.rank, k) : undefined;
  const energy = assertNumber('options.energy', orDefault(opts.energy, 0.99), 0, 1);
  if (!(energy > 0)) {
    throw new InvalidArgumentError(`options.energy: expected a number in (0, 1], got ${energy}`);
  }
  const useRslora = booleanArg('options.useRslora', opts.useRslora, false);

  const f = svd(w);
  const S = f.S;
  let rank = fixed ?? k;
  if (fixed === undefined) {
    let total = 0;
    for (let i = 0; i < k; i++) total += S[i]! * S[i]!;
    let acc = 0;
    rank = k;
    for (let i = 0; i < k; i++) {
      acc += S[i]! * S[i]!;
      if (acc >= energy * total) {
        rank = i + 1;
        break;
      }
    }
  }
  const alpha = alphaArg(
    'options.alpha',
    orDefault(opts.alpha, useRslora ? Math.sqrt(rank) : rank),
  );
  const scaling = loraScaling(alpha, rank, useRslora);
  const { A, B } = splitFactors(f.U!, S, f.Vt!, range(0, rank), scaling);
  const residual = subtractProduct(w, B, A, scaling);
  return {
    method: 'svfit',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    U: f.U!.colRange(0, rank).clone(),
    S: S.slice(0, rank),
    Vt: f.Vt!.rowRange(0, rank).clone(),
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank,
      energyTarget: fixed === undefined ? energy : Number.NaN,
      loraParameters: rank * (w.rows + w.cols),
    },
  };
}
