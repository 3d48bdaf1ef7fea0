import {
  assertInt,
  assertNumber,
  assertOneOf,
  InvalidArgumentError,
  inv,
  LrError,
  type Matrix,
  matmul,
  NotConvergedError,
  normFro,
  optionsObject,
  svd,
} from '@lr/core';
import {
  adapterEnergy,
  expectShape,
  identityError,
  orDefault,
  range,
  resolveRank,
  splitFactors,
  subtractProduct,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** CorDA's two modes: instruction-previewed (IPM) or knowledge-preserved (KPM) adaptation. */
export type CordaMode = 'ipm' | 'kpm';

/** Options of {@link corda}. */
export interface CordaOptions extends AdapterRankOptions {
  /** LoRA rank r; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default 8 (PEFT `lora_alpha`). */
  alpha?: number;
  /**
   * `'ipm'` trains the r largest components of W·C (the task context), `'kpm'` the r
   * smallest (the knowledge in the largest ones stays frozen); default `'ipm'` (PEFT
   * `CordaConfig.corda_method`).
   */
  mode?: CordaMode;
  /** Initial damping factor δ in C' = C + δ·mean(diag C)·I; default 0.01 (PEFT). */
  damp?: number;
  /** δ doubles until ‖C'·C'⁻¹ − I‖_F is below this; default 0.05 (PEFT). */
  inverseTolerance?: number;
  /** Cap on the doublings of δ before `NOT_CONVERGED`; default 60. */
  maxDoublings?: number;
}

/** Result of {@link corda}. */
export interface CordaResult extends AdapterInit {
  method: 'corda';
  residual: Matrix;
  /** The mode used. */
  mode: CordaMode;
  /** The singular values of W·C' behind the kept components (before division by s). */
  singularValues: Float64Array;
}

/**
 * CorDA initialisation (Yang et al. 2024, "CorDA: Context-Oriented Decomposition
 * Adaptation"; PEFT `collect_eigens_for_layer` + `corda_init`). With C the input covariance
 * (see {@link collectCovariance}):
 * 1. damping: C' = C + δ·mean(diag C)·I, δ = `damp` doubled until ‖C'·C'⁻¹ − I‖_F < 0.05;
 * 2. SVD W·C' = U·S·V̂ᵀ and V = (V̂ᵀ·C'⁻¹)ᵀ, so that W = U·S·Vᵀ exactly;
 * 3. IPM keeps components 1…r, KPM the last r (smallest singular values of W·C');
 * 4. as PiSSA: S_r ← S_r / s, A = diag(√S_r)·V_rᵀ, B = U_r·diag(√S_r), W_res = W − s·B·A.
 *
 * What KPM preserves: W_res·C' = Σ_{i ≤ k−r} u_i·s_i·v̂_iᵀ, the top k − r singular triplets of
 * W·C' untouched, and the adapter's action on inputs x = C'·y is only the smallest r
 * singular values. For a covariance eigenvector q (C·q = λ·q) the frozen weight
 * changes by ‖(W − W_res)·q‖ ≤ s_{k−r+1}/(λ + δ·mean diag C): directions with large λ
 * are almost untouched.
 *
 * Defaults: rank 8, alpha 8, useRslora false (PEFT `LoraConfig`), mode 'ipm', damp 0.01,
 * inverseTolerance 0.05 (PEFT `CordaConfig` and `collect_eigens_for_layer`).
 *
 * @param W weight [out, in] (any dtype or strides; not mutated)
 * @param C input covariance [in, in], symmetric with mean(diag C) > 0
 * @param options see {@link CordaOptions}
 * @returns {@link CordaResult}: A [r, in], B [out, r], residual (float64), `singularValues`;
 *   diagnostics `energy`, `relativeError` (measured), `trainableParameters` r·(in + out),
 *   `damp` (δ used), `inverseError` (‖C'·C'⁻¹ − I‖_F), `dampDoublings`
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad rank/alpha/mode/damp or
 *   mean(diag C) ≤ 0
 * @throws {ShapeError} `SHAPE_MISMATCH` if C is not [in, in] or W is empty
 * @throws {NonFiniteError} `NON_FINITE` if W or C holds NaN or ±Infinity
 * @throws {NotConvergedError} `NOT_CONVERGED` if δ doubled `maxDoublings` times without
 *   meeting the tolerance
 * @example
 * import { randn } from '@lr/core';
 * import { collectCovariance, corda } from '@lr/peft';
 * const W = randn(32, 16, { seed: 1 });
 * const { covariance } = collectCovariance(randn(256, 16, { seed: 2 }));
 * const kpm = corda(W, covariance, { rank: 4, mode: 'kpm' });
 * // kpm.residual + kpm.scaling·kpm.B·kpm.A = W
 */
export function corda(W: Matrix, C: Matrix, options?: CordaOptions): CordaResult {
  const w = weightArg('W', W);
  const c = weightArg('C', C);
  expectShape('C', c, w.cols, w.cols);
  const opts = optionsObject('options', options);
  const k = Math.min(w.rows, w.cols);
  const { rank, alpha, scaling } = resolveRank(opts, k, 8, () => 8);
  const mode = assertOneOf('options.mode', orDefault(opts.mode, 'ipm'), ['ipm', 'kpm'] as const);
  let damp = assertNumber('options.damp', orDefault(opts.damp, 0.01), 0);
  const tol = assertNumber('options.inverseTolerance', orDefault(opts.inverseTolerance, 0.05), 0);
  const maxDoublings = assertInt('options.maxDoublings', orDefault(opts.maxDoublings, 60), 0);

  const n = w.cols;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += c.get(i, i);
  meanDiag /= n;
  if (!(meanDiag > 0)) {
    throw new InvalidArgumentError(
      `C: expected a covariance with a positive mean diagonal, got mean(diag C) = ${meanDiag}`,
    );
  }

  let doublings = 0;
  let Cd = c.clone('float64');
  let Cinv: Matrix | undefined;
  let inverseError = Infinity;
  for (;;) {
    Cd = c.clone('float64');
    for (let i = 0; i < n; i++) Cd.data[i * n + i] = Cd.data[i * n + i]! + damp * meanDiag;
    try {
      Cinv = inv(Cd);
      const P = matmul(Cd, Cinv);
      for (let i = 0; i < n; i++) P.data[i * n + i] = P.data[i * n + i]! - 1;
      inverseError = normFro(P);
    } catch (e) {
      // an exactly singular C' (possible only for a C that is not positive semidefinite)
      if (!(e instanceof LrError && e.code === 'INVALID_ARGUMENT')) throw e;
      inverseError = Infinity;
    }
    if (inverseError < tol) break;
    if (doublings >= maxDoublings) {
      throw new NotConvergedError(
        `corda: ‖C'·C'⁻¹ − I‖_F = ${inverseError} is still ≥ ${tol} after ${doublings} doublings of damp (now ${damp})`,
      );
    }
    damp *= 2;
    doublings++;
  }
  const f = svd(matmul(w, Cd));
  const Vrows = matmul(f.Vt!, Cinv!); // rows are v_iᵀ = v̂_iᵀ·C'⁻¹
  const cols = mode === 'ipm' ? range(0, rank) : range(k - rank, rank);
  const { A, B } = splitFactors(f.U!, f.S, Vrows, cols, scaling);
  const residual = subtractProduct(w, B, A, scaling);
  return {
    method: 'corda',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    mode,
    singularValues: Float64Array.from(cols, (i) => f.S[i]!),
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank * (w.rows + w.cols),
      damp,
      inverseError,
      dampDoublings: doublings,
    },
  };
}
