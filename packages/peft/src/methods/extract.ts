import { type Matrix, normFro, optionsObject, svd } from '@lr/core';
import {
  adapterEnergy,
  expectShape,
  identityError,
  range,
  resolveRank,
  splitFactors,
  weightArg,
} from './_shared.js';
import type { AdapterDiagnostics, AdapterRankOptions } from './types.js';

/** Options of {@link extractLora}. */
export interface ExtractLoraOptions extends AdapterRankOptions {
  /** Rank r in [1, min(out, in)]; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default r (scaling 1). */
  alpha?: number;
}

/** Result of {@link extractLora}. */
export interface ExtractedLora {
  /** lora_A, [r, in]. */
  A: Matrix;
  /** lora_B, [out, r]. */
  B: Matrix;
  rank: number;
  alpha: number;
  scaling: number;
  /** The r largest singular values of Δ = W_tuned − W_base. */
  singularValues: Float64Array;
  /**
   * `relativeError` = ‖Δ − s·B·A‖_F/‖Δ‖_F (the truncation error, measured),
   * `energy` = ‖s·B·A‖²/‖Δ‖², `trainableParameters` r·(in + out),
   * `tunedError` = ‖W_tuned − (W_base + s·B·A)‖_F/‖W_tuned‖_F.
   */
  diagnostics: AdapterDiagnostics;
}

/**
 * Extracts a LoRA adapter from a fine-tuned weight: the truncated SVD of the difference
 * Δ = W_tuned − W_base (Eckart–Young: the best rank-r approximation in Frobenius and
 * spectral norm), split as PiSSA's factors: S_r ← S_r / s, A = diag(√S_r)·V_rᵀ,
 * B = U_r·diag(√S_r), so W_base + s·B·A ≈ W_tuned with relative error
 * √(Σ_{i>r} σ_i²)/‖Δ‖_F.
 *
 * Defaults: rank 8, alpha = r (scaling 1; √r with `useRslora`).
 *
 * @param Wbase base weight [out, in] (not mutated)
 * @param Wtuned fine-tuned weight [out, in] (not mutated)
 * @param options see {@link ExtractLoraOptions}
 * @returns {@link ExtractedLora}: A [r, in], B [out, r] (float64) and the truncation error
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   a non-integer rank or alpha ≤ 0
 * @throws {ShapeError} `SHAPE_MISMATCH` if the shapes differ or are empty
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±Infinity
 * @example
 * import { add, randn } from '@lr/core';
 * import { extractLora, mergeAdapter } from '@lr/peft';
 * const W = randn(64, 32, { seed: 1 });
 * const tuned = add(W, randn(64, 32, { seed: 2 }));
 * const lora = extractLora(W, tuned, { rank: 8 });
 * const approx = mergeAdapter(W, lora); // ≈ tuned, within lora.diagnostics.relativeError·‖Δ‖
 */
export function extractLora(
  Wbase: Matrix,
  Wtuned: Matrix,
  options?: ExtractLoraOptions,
): ExtractedLora {
  const wb = weightArg('Wbase', Wbase);
  const wt = weightArg('Wtuned', Wtuned);
  expectShape('Wtuned', wt, wb.rows, wb.cols);
  const opts = optionsObject('options', options);
  const rsl = opts.useRslora === true;
  const { rank, alpha, scaling } = resolveRank(opts, Math.min(wb.rows, wb.cols), 8, (r) =>
    rsl ? Math.sqrt(r) : r,
  );
  const D = wt.clone('float64');
  const n = wb.cols;
  for (let i = 0; i < wb.rows; i++) {
    for (let j = 0; j < n; j++) D.data[i * n + j] = D.data[i * n + j]! - wb.get(i, j);
  }
  const f = svd(D);
  const { A, B } = splitFactors(f.U!, f.S, f.Vt!, range(0, rank), scaling);
  // ‖Δ − s·B·A‖/‖Δ‖ = identity error of Δ with a zero base; tuned error with base W_base
  const zero = D.clone();
  zero.data.fill(0);
  const relativeError = identityError(D, zero, B, A, scaling);
  const tunedError = identityError(wt, wb, B, A, scaling);
  return {
    A,
    B,
    rank,
    alpha,
    scaling,
    singularValues: f.S.slice(0, rank),
    diagnostics: {
      energy: adapterEnergy(D, B, A, scaling),
      relativeError,
      trainableParameters: rank * (wb.rows + wb.cols),
      tunedError,
      differenceNorm: normFro(D),
    },
  };
}
