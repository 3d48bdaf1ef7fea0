import { asMatrix, assertNumber, gemm, type Matrix, optionsObject } from '@lr/core';
import { expectShape, weightArg } from './_shared.js';

/** A LoRA adapter to merge: ΔW = scaling·B·A. */
export interface MergeableAdapter {
  /** lora_A, [r, in]. */
  A: Matrix;
  /** lora_B, [out, r]. */
  B: Matrix;
  /** The scaling s (alpha / r, or alpha / √r with rsLoRA). */
  scaling: number;
}

/**
 * Merges a LoRA adapter into its base weight: W + s·B·A (PEFT `merge_and_unload`), in a
 * fresh float64 matrix (one GEMM). Pass the residual as W for residual-base methods
 * (PiSSA, CorDA, OLoRA, …), the original weight for plain or converted LoRA.
 *
 * @param W base weight [out, in] (not mutated)
 * @param adapter `{ A [r, in], B [out, r], scaling }`
 * @returns W + s·B·A, [out, in], float64
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a non-finite scaling or non-matrices
 * @throws {ShapeError} `SHAPE_MISMATCH` if A, B and W do not fit
 * @throws {NonFiniteError} `NON_FINITE` if W, A or B holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { mergeAdapter, pissa } from '@lr/peft';
 * const W = randn(64, 32, { seed: 1 });
 * const init = pissa(W, { rank: 4 });
 * const back = mergeAdapter(init.residual, init); // ≈ W
 */
export function mergeAdapter(W: Matrix, adapter: MergeableAdapter): Matrix {
  const w = weightArg('W', W);
  const ad = optionsObject('adapter', adapter);
  const A = weightArg('adapter.A', asMatrix('adapter.A', ad.A));
  const B = weightArg('adapter.B', asMatrix('adapter.B', ad.B));
  const s = assertNumber('adapter.scaling', ad.scaling);
  expectShape('adapter.A', A, A.rows, w.cols);
  expectShape('adapter.B', B, w.rows, A.rows);
  const out = w.clone('float64');
  gemm(B, A, out, { alpha: s, beta: 1 });
  return out;
}
