import { asMatrix, hstack, type Matrix, neg, optionsObject, vstack } from '@lr/core';
import { alphaArg, booleanArg, expectShape, rankArg, weightArg } from './_shared.js';

/** The initial adapter of {@link toPlainLora} (as returned by pissa, corda, olora, …). */
export interface InitialAdapter {
  /** lora_A at init, [r, in]. */
  A: Matrix;
  /** lora_B at init, [out, r]. */
  B: Matrix;
  /** lora_alpha of the initial adapter. */
  alpha: number;
  /** r of the initial adapter. */
  rank: number;
}

/** Options of {@link toPlainLora}. */
export interface ToPlainLoraOptions {
  /** The adapter used rsLoRA scaling (alpha/√r); default false (PEFT `use_rslora`). */
  useRslora?: boolean;
}

/** Result of {@link toPlainLora}: a plain LoRA adapter of rank 2r for the original base. */
export interface PlainLora {
  /** [A_trained; A_init], [2r, in]. */
  A: Matrix;
  /** [B_trained, −B_init], [out, 2r]. */
  B: Matrix;
  /** 2r. */
  rank: number;
  /** 2·alpha (√2·alpha with rsLoRA), so that the scaling is unchanged. */
  alpha: number;
  /** The scaling, equal to the initial adapter's. */
  scaling: number;
}

/**
 * Converts a trained PiSSA / CorDA / OLoRA (any residual-base) adapter into a plain LoRA
 * adapter on the *original* base weights (PEFT `save_pretrained(...,
 * path_initial_model_for_weight_conversion=...)`, i.e. `subtract_mutated_init`):
 * A' = [A; A₀] (2r × in), B' = [B, −B₀] (out × 2r), r and lora_alpha doubled (alpha × √2
 * under rsLoRA) so that s is unchanged. Then W + s·B'·A' = (W − s·B₀·A₀) + s·B·A =
 * W_res + s·B·A: the original model plus the converted adapter equals the residual model
 * plus the trained adapter.
 *
 * @param initial `{ A, B, alpha, rank }` of the adapter at initialisation (A₀ [r, in], B₀ [out, r])
 * @param trained `{ A, B }` after training, same shapes
 * @param options see {@link ToPlainLoraOptions}
 * @returns {@link PlainLora} (float64 factors, fresh)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad rank or alpha, or non-matrices
 * @throws {ShapeError} `SHAPE_MISMATCH` if the four factors do not fit [r, in] / [out, r]
 * @throws {NonFiniteError} `NON_FINITE` if a factor holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { pissa, toPlainLora } from '@lr/peft';
 * const init = pissa(randn(64, 32, { seed: 1 }), { rank: 4 });
 * const trained = { A: init.A, B: init.B }; // … after fine-tuning
 * const plain = toPlainLora(init, trained); // rank 8, alpha 16, same scaling
 */
export function toPlainLora(
  initial: InitialAdapter,
  trained: { A: Matrix; B: Matrix },
  options?: ToPlainLoraOptions,
): PlainLora {
  const init = optionsObject('initial', initial);
  const tr = optionsObject('trained', trained);
  const opts = optionsObject('options', options);
  const A0 = weightArg('initial.A', asMatrix('initial.A', init.A));
  const B0 = weightArg('initial.B', asMatrix('initial.B', init.B));
  const rank = rankArg('initial.rank', init.rank, Number.MAX_SAFE_INTEGER);
  const alpha = alphaArg('initial.alpha', init.alpha);
  const useRslora = booleanArg('options.useRslora', opts.useRslora, false);
  const n = A0.cols;
  const m = B0.rows;
  expectShape('initial.A', A0, rank, n);
  expectShape('initial.B', B0, m, rank);
  const A = weightArg('trained.A', asMatrix('trained.A', tr.A));
  const B = weightArg('trained.B', asMatrix('trained.B', tr.B));
  expectShape('trained.A', A, rank, n);
  expectShape('trained.B', B, m, rank);
  const alpha2 = useRslora ? Math.SQRT2 * alpha : 2 * alpha;
  const rank2 = 2 * rank;
  return {
    A: vstack([A.clone('float64'), A0.clone('float64')]),
    B: hstack([B.clone('float64'), neg(B0.clone('float64'))]),
    rank: rank2,
    alpha: alpha2,
    scaling: useRslora ? alpha2 / Math.sqrt(rank2) : alpha2 / rank2,
  };
}
