import { type Matrix, optionsObject, qr } from '@lr/core';
import {
  adapterEnergy,
  identityError,
  resolveRank,
  subtractProduct,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Options of {@link olora}. */
export interface OloraOptions extends AdapterRankOptions {
  /** LoRA rank r; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default 8 (PEFT `lora_alpha`). */
  alpha?: number;
}

/** Result of {@link olora}. */
export interface OloraResult extends AdapterInit {
  method: 'olora';
  residual: Matrix;
}

/**
 * OLoRA initialisation (Büyükakyüz 2024, "OLoRA: Orthonormal Low-Rank Adaptation";
 * PEFT `olora_init`): the thin QR factorisation W = Q·R (`torch.linalg.qr`, reduced),
 * B = Q[:, :r] (orthonormal columns), A = R[:r] (upper trapezoidal) and W_res = W − s·B·A.
 *
 * Scaling: as in PEFT, the factors are *not* divided by s, so the adapter carries
 * s·Q_r·R_r (which equals the leading part Q_r·R_r of W only when s = 1, e.g. the default
 * alpha = r = 8); the identity W_res + s·B·A = W holds for every alpha. Signs follow
 * LAPACK's Householder convention (R_ii may be negative), as torch and numpy do.
 *
 * Defaults: rank 8, alpha 8, useRslora false (PEFT `LoraConfig`).
 *
 * @param W weight [out, in] (any dtype or strides; not mutated)
 * @param options see {@link OloraOptions}
 * @returns {@link OloraResult}: A [r, in], B [out, r], residual [out, in] (float64);
 *   diagnostics `energy` (‖s·B·A‖²/‖W‖²), `relativeError` (measured identity error),
 *   `trainableParameters` r·(in + out)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   a non-integer rank or alpha ≤ 0
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { olora } from '@lr/peft';
 * const { A, B, residual } = olora(randn(64, 32, { seed: 1 }), { rank: 4, alpha: 4 });
 * // B has orthonormal columns; residual + B·A = W (s = 1)
 */
export function olora(W: Matrix, options?: OloraOptions): OloraResult {
  const w = weightArg('W', W);
  const opts = optionsObject('options', options);
  const { rank, alpha, scaling } = resolveRank(opts, Math.min(w.rows, w.cols), 8, () => 8);
  const { Q, R } = qr(w);
  const B = Q!.colRange(0, rank).clone('float64');
  const A = R.rowRange(0, rank).clone('float64');
  const residual = subtractProduct(w, B, A, scaling);
  return {
    method: 'olora',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank * (w.rows + w.cols),
    },
  };
}
