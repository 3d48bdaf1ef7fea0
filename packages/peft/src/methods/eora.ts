import {
  asMatrix,
  describe,
  eigh,
  gemm,
  InvalidArgumentError,
  type Matrix,
  matmul,
  normFro,
  optionsObject,
  svd,
  svdReconstruct,
} from '@lr/core';
import {
  adapterEnergy,
  booleanArg,
  expectShape,
  identityError,
  range,
  resolveRank,
  splitFactors,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Calibration for {@link eora}: inputs X [n, in] (rows are input vectors), or their Gram matrix. */
export type EoraCalibration = Matrix | { gram: Matrix };

/** Options of {@link eora}. */
export interface EoraOptions extends AdapterRankOptions {
  /**
   * Rank r of the compensation; default min(256, out, in) (the EoRA reference default
   * 256, clamped to the matrix). An explicit rank must lie in [1, min(out, in)].
   */
  rank?: number;
  /**
   * lora_alpha; default r (√r with `useRslora`), i.e. scaling s = 1, as the reference
   * applies B·A without scaling. Another alpha divides S_r by s (PiSSA's rule), so that
   * s·B·A is the same compensation.
   */
  alpha?: number;
  /** Also compute the plain-SVD baseline of the diagnostics (one more SVD); default true. */
  compareSvd?: boolean;
}

/** Result of {@link eora}. */
export interface EoraResult extends AdapterInit {
  method: 'eora';
  /** The base weight stays the compressed one: a float64 copy of `Wcompressed`. */
  residual: Matrix;
  /** The r singular values of ΔW·S̃ behind the kept components (before division by s). */
  singularValues: Float64Array;
}

/**
 * EoRA: training-free eigenspace low-rank compensation of a compression error (Liu et al.
 * 2024, "EoRA: Training-free Compensation for Compressed LLM with Eigenspace Low-Rank
 * Approximation"; reference implementation in GPTQModel). With ΔW = W − W_c and the
 * calibration Gram G = XᵀX/n (the running mean of the reference):
 * 1. G = Q·diag(λ)·Qᵀ with negative λ (rounding) clamped to 0;
 * 2. S̃ = Q·diag(√λ); SVD ΔW·S̃ = U·S·Vᵀ, keep the top r;
 * 3. B = U_r·√S_r, A = √S_r·V_rᵀ·S̃⁻¹ (with S_r ← S_r/s when s ≠ 1).
 * Since ‖M·S̃‖_F² = tr(M·G·Mᵀ) = ‖M·Xᵀ‖_F²/n, this is the best rank-r compensation in the
 * activation-weighted norm, where plain SVD of ΔW is best only in the weight norm.
 *
 * Departure from the reference, stated: eigenvalues λ ≤ in·ε·λ_max are treated as zero and
 * S̃⁻¹ is the pseudo-inverse diag(1/√λ⁺)·Qᵀ (1/√λ → 0 there), instead of inverting S̃ + 10⁻⁶·I
 * after a failed inverse. Directions the calibration never excites are then left
 * uncompensated, which does not change the activation-weighted error.
 *
 * The base weight is not changed: `residual` is (a copy of) W_c and
 * `diagnostics.relativeError` = ‖W − (W_c + s·B·A)‖_F/‖W‖_F is the remaining weight error,
 * not zero.
 *
 * @param W original weight [out, in] (not mutated)
 * @param Wcompressed compressed (e.g. quantised or pruned) weight [out, in] (not mutated)
 * @param calibration X [n, in] (input activations, one per row) or `{ gram: G }` with G [in, in]
 * @param options see {@link EoraOptions}
 * @returns {@link EoraResult}; diagnostics: `energy`, `relativeError` (measured, see above),
 *   `trainableParameters` r·(in + out), `activationError` = ‖(ΔW − s·B·A)·S̃‖_F/‖ΔW·S̃‖_F,
 *   `activationErrorSvd` the same for the rank-r truncated SVD of ΔW (NaN if
 *   `compareSvd` is false), `compressionActivationError` = ‖ΔW·S̃‖_F/‖W·S̃‖_F,
 *   `compressionError` = ‖ΔW‖_F/‖W‖_F, `zeroEigenvalues` (count treated as zero)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a bad rank/alpha or calibration
 * @throws {ShapeError} `SHAPE_MISMATCH` if W_c is not the shape of W, X has not `in` columns
 *   or G is not [in, in]
 * @throws {NonFiniteError} `NON_FINITE` if an input holds NaN or ±Infinity
 * @example
 * import { map, randn } from '@lr/core';
 * import { eora } from '@lr/peft';
 * const W = randn(32, 16, { seed: 1 });
 * const Wq = map(W, (v) => Math.round(v * 4) / 4); // a crude quantiser
 * const X = randn(200, 16, { seed: 2 });
 * const res = eora(W, Wq, X, { rank: 4 });
 * res.diagnostics.activationError < (res.diagnostics.activationErrorSvd as number); // true
 */
export function eora(
  W: Matrix,
  Wcompressed: Matrix,
  calibration: EoraCalibration,
  options?: EoraOptions,
): EoraResult {
  const w = weightArg('W', W);
  const wc = weightArg('Wcompressed', Wcompressed);
  expectShape('Wcompressed', wc, w.rows, w.cols);
  const n = w.cols;
  const G = gramArg(calibration, n);
  const opts = optionsObject('options', options);
  const k = Math.min(w.rows, w.cols);
  const rsl = booleanArg('options.useRslora', opts.useRslora, false);
  const { rank, alpha, scaling } = resolveRank(opts, k, Math.min(256, k), (r) =>
    rsl ? Math.sqrt(r) : r,
  );
  const compareSvd = booleanArg('options.compareSvd', opts.compareSvd, true);

  const dW = w.clone('float64');
  for (let i = 0; i < w.rows; i++) {
    for (let j = 0; j < n; j++) dW.data[i * n + j] = dW.data[i * n + j]! - wc.get(i, j);
  }

  const { values, vectors } = eigh(G);
  const Q = vectors!;
  const lmax = Math.max(0, values[n - 1]!);
  const floor = n * Number.EPSILON * lmax;
  const sq = new Float64Array(n);
  const isq = new Float64Array(n);
  let zeroEigenvalues = 0;
  for (let j = 0; j < n; j++) {
    const l = values[j]!;
    if (l > floor) {
      sq[j] = Math.sqrt(l);
      isq[j] = 1 / sq[j]!;
    } else {
      zeroEigenvalues++;
    }
  }
  const St = Q.clone('float64'); // S̃ = Q·diag(√λ)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) St.data[i * n + j] = St.data[i * n + j]! * sq[j]!;

  const M = matmul(dW, St);
  const f = svd(M);
  // V_rᵀ·S̃⁺ = (V_rᵀ·diag(1/√λ⁺))·Qᵀ
  const Vr = f.Vt!.rowRange(0, rank).clone('float64');
  for (let i = 0; i < rank; i++)
    for (let j = 0; j < n; j++) Vr.data[i * n + j] = Vr.data[i * n + j]! * isq[j]!;
  const Vproj = matmul(Vr, Q.T);
  const { A, B } = splitFactors(f.U!, f.S, Vproj, range(0, rank), scaling);
  const residual = wc.clone('float64');

  // activation-weighted errors ‖E·S̃‖_F
  const base = normFro(M);
  const E = dW.clone();
  gemm(B, A, E, { alpha: -scaling, beta: 1 });
  const activationError = ratio(normFro(matmul(E, St)), base);
  let activationErrorSvd = Number.NaN;
  if (compareSvd) {
    const Es = dW.clone();
    const P = svdReconstruct(svd(dW), { rank });
    for (let i = 0; i < Es.data.length; i++) Es.data[i] = Es.data[i]! - P.data[i]!;
    activationErrorSvd = ratio(normFro(matmul(Es, St)), base);
  }
  const nw = normFro(w);
  return {
    method: 'eora',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    singularValues: f.S.slice(0, rank),
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank * (w.rows + w.cols),
      activationError,
      activationErrorSvd,
      compressionActivationError: ratio(base, normFro(matmul(w, St))),
      compressionError: ratio(normFro(dW), nw),
      zeroEigenvalues,
    },
  };
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : a;
}

/** G = XᵀX/n from X [n, in], or a validated { gram } [in, in]. */
function gramArg(calibration: unknown, n: number): Matrix {
  if (calibration !== null && typeof calibration === 'object' && 'gram' in calibration) {
    const G = weightArg('calibration.gram', asMatrix('calibration.gram', calibration.gram));
    expectShape('calibration.gram', G, n, n);
    return G;
  }
  if (calibration === null || typeof calibration !== 'object') {
    throw new InvalidArgumentError(
      `calibration: expected inputs X [n, ${n}] or { gram: G [${n}, ${n}] }, got ${describe(calibration)}`,
    );
  }
  const X = weightArg('calibration', calibration);
  if (X.cols !== n) {
    expectShape('calibration', X, X.rows, n);
  }
  const G = matmul(X.T, X);
  const inv = 1 / X.rows;
  for (let i = 0; i < G.data.length; i++) G.data[i] = G.data[i]! * inv;
  return G;
}
