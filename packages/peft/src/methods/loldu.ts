import { lu, type Matrix, optionsObject, zeros } from '@lr/core';
import {
  adapterEnergy,
  booleanArg,
  identityError,
  resolveRank,
  subtractProduct,
  weightArg,
} from './_shared.js';
import type { AdapterInit, AdapterRankOptions } from './types.js';

/** Options of {@link loldu}. */
export interface LolduOptions extends AdapterRankOptions {
  /** Rank r in [1, min(out, in)]; default 8 (PEFT `r`). */
  rank?: number;
  /** lora_alpha; default r (scaling 1; √r with `useRslora`). */
  alpha?: number;
}

/** Result of {@link loldu}: the LoRA form plus the LDU factors LoLDU trains. */
export interface LolduResult extends AdapterInit {
  method: 'loldu';
  residual: Matrix;
  /** P·L_r [out, r]: rows of the unit lower L_r put back in W's row order (frozen). */
  L: Matrix;
  /** z = D_r, the r trainable pivots (1 where a pivot is exactly zero, see {@link loldu}). */
  z: Float64Array;
  /** U_r [r, in], unit upper trapezoidal (frozen). */
  U: Matrix;
  /** Row order of the LU: row i of L·diag(D)·U is row perm[i] of W. */
  perm: Int32Array;
}

/**
 * LoLDU initialisation (Shi et al. 2024, "LoLDU: Low-Rank Adaptation via Lower-Diag-Upper
 * Decomposition"): pivoted LU W = P·L·U (partial pivoting, {@link lu}), D = diag(U),
 * U ← D⁻¹·U; keep L[:, :r], D[:r], U[:r]; the trainable vector z = D_r (r numbers) and
 * W_res = W − s·P·L_r·diag(z)·U_r. Only z trains; P·L_r, U_r and W_res are frozen.
 *
 * As LoRA factors: B = P·L_r·diag(z) [out, r] and A = U_r [r, in], so s·B·A is the adapter
 * (PEFT would then train all of A and B). As in REFERENCES (and OLoRA), z is not divided by
 * s: the adapter carries s times the leading LU part, which equals it for the default
 * alpha = r. W_res is then the Schur complement left after r elimination steps (zero when
 * r ≥ rank W in exact arithmetic).
 *
 * Zero pivots: if U_ii = 0 exactly (a column with no usable pivot, rank-deficient W), the
 * row U[i, :] cannot be scaled to a unit diagonal; we keep z_i = 1 and the LU row as it is
 * (U_ii = 0 marks it), so P·L_r·diag(z)·U_r still equals the first r elimination steps and
 * the identity W_res + s·B·A = W holds. `diagnostics.zeroPivots` counts these.
 *
 * Defaults: rank 8 (PEFT `r`), alpha = r (scaling 1), useRslora false.
 *
 * @param W weight [out, in] (any dtype or strides; not mutated)
 * @param options see {@link LolduOptions}
 * @returns {@link LolduResult}: A = U_r, B = P·L_r·diag(z), residual, L, z, U, perm;
 *   diagnostics `energy` (‖s·B·A‖²/‖W‖²), `relativeError` (measured identity error),
 *   `trainableParameters` r, `zeroPivots`, `loraParameters` r·(in + out)
 * @throws {InvalidArgumentError} `INVALID_ARGUMENT` for a rank outside [1, min(out, in)],
 *   a non-integer rank or alpha ≤ 0
 * @throws {ShapeError} `SHAPE_MISMATCH` for an empty W
 * @throws {NonFiniteError} `NON_FINITE` if W holds NaN or ±Infinity
 * @example
 * import { randn } from '@lr/core';
 * import { loldu } from '@lr/peft';
 * const init = loldu(randn(64, 32, { seed: 1 }), { rank: 4 });
 * init.z.length; // 4: the only trainable numbers
 * init.diagnostics.relativeError < 1e-14; // W = W_res + B·A
 */
export function loldu(W: Matrix, options?: LolduOptions): LolduResult {
  const w = weightArg('W', W);
  const opts = optionsObject('options', options);
  const rsl = booleanArg('options.useRslora', opts.useRslora, false);
  const { rank, alpha, scaling } = resolveRank(opts, Math.min(w.rows, w.cols), 8, (r) =>
    rsl ? Math.sqrt(r) : r,
  );
  const { L, U, perm } = lu(w);
  const m = w.rows;
  const n = w.cols;
  const k = L.cols;
  const z = new Float64Array(rank);
  let zeroPivots = 0;
  const Ur = zeros(rank, n);
  for (let i = 0; i < rank; i++) {
    const d = U.data[i * n + i]!;
    const row = U.data.subarray(i * n, (i + 1) * n);
    if (d === 0) {
      zeroPivots++;
      z[i] = 1;
      Ur.data.set(row, i * n);
    } else {
      z[i] = d;
      for (let j = i; j < n; j++) Ur.data[i * n + j] = row[j]! / d;
      Ur.data[i * n + i] = 1;
    }
  }
  const PL = zeros(m, rank); // P·L_r: row i of L_r goes to row perm[i]
  const B = zeros(m, rank);
  for (let i = 0; i < m; i++) {
    const dst = perm[i]!;
    for (let j = 0; j < rank; j++) {
      const v = L.data[i * k + j]!;
      PL.data[dst * rank + j] = v;
      B.data[dst * rank + j] = v * z[j]!;
    }
  }
  const A = Ur;
  const residual = subtractProduct(w, B, A, scaling);
  return {
    method: 'loldu',
    A,
    B,
    scaling,
    rank,
    alpha,
    residual,
    L: PL,
    z,
    U: Ur.clone(),
    perm,
    diagnostics: {
      energy: adapterEnergy(w, B, A, scaling),
      relativeError: identityError(w, residual, B, A, scaling),
      trainableParameters: rank,
      zeroPivots,
      loraParameters: rank * (w.rows + w.cols),
    },
  };
}
