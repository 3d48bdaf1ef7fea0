import type { Matrix } from '@lr/core';
import { expect } from 'vitest';
import { EPS_F32 } from '../src/index.js';

/**
 * Asserts |got − ref| ≤ γ·bound elementwise, where `bound` is the magnitude the rounding
 * error scales with (|A|·|B| for a product, the absolute-value recurrence for a scan) and
 * γ a multiple of the f32 epsilon fixed per kernel from its accumulation length. Returns
 * the worst ratio |got − ref| / (γ·bound) for the log.
 */
export function expectWithin(
  label: string,
  got: Matrix,
  ref: Matrix,
  bound: Matrix,
  gamma: number,
): number {
  expect(got.shape).toEqual(ref.shape);
  let worst = 0;
  let where = '';
  for (let i = 0; i < ref.rows; i++) {
    for (let j = 0; j < ref.cols; j++) {
      const err = Math.abs(got.get(i, j) - ref.get(i, j));
      const tol = gamma * bound.get(i, j);
      if (!(err <= tol)) {
        throw new Error(
          `${label}: element (${i}, ${j}) = ${got.get(i, j)}, reference ${ref.get(i, j)}, error ${err} > ${tol} (γ = ${gamma}, bound ${bound.get(i, j)})`,
        );
      }
      const r = tol > 0 ? err / tol : 0;
      if (r > worst) {
        worst = r;
        where = `(${i}, ${j})`;
      }
    }
  }
  void where;
  return worst;
}

/**
 * Tolerance for softmax attention, per the error sources of the kernel:
 * - a score s_j = scale·q·k_j sums d products: |Δs_j| ≤ (d + 2)·ε·|scale|·|q|·|k_j| =: δ;
 * - WGSL's exp is accurate to (3 + 2·|x|) ULP (WGSL §16.5 "exp"), x = s_j − max ≥ −X;
 * - the normaliser and the p·v sums add ≤ m + 4 roundings (the online-softmax rescale
 *   multiplies acc and l by the same factor, which cancels in acc/l);
 * so each weight p_j has relative error ρ ≤ 2δ + (3 + 2X)·ε + (m + 4)·ε, the normalised
 * weights ≤ 2ρ, and |Δo_c| ≤ (2ρ + (m + 2)·ε)·Σ_j w_j·|v_jc|. γ is the worst row's factor
 * and the bound is attention(Q, K, |V|).
 */
export function attentionGamma(Q: Matrix, K: Matrix, scale: number, causal: boolean): number {
  let g = 0;
  const n = Q.rows;
  const m = K.rows;
  const d = Q.cols;
  for (let i = 0; i < n; i++) {
    const jend = causal ? i + 1 : m;
    let delta = 0;
    let smax = Number.NEGATIVE_INFINITY;
    let smin = Number.POSITIVE_INFINITY;
    for (let j = 0; j < jend; j++) {
      let dot = 0;
      let adot = 0;
      for (let c = 0; c < d; c++) {
        dot += Q.get(i, c) * K.get(j, c);
        adot += Math.abs(Q.get(i, c) * K.get(j, c));
      }
      delta = Math.max(delta, (d + 2) * EPS_F32 * Math.abs(scale) * adot);
      smax = Math.max(smax, scale * dot);
      smin = Math.min(smin, scale * dot);
    }
    const X = smax - smin + delta;
    const rho = 2 * delta + (3 + 2 * X) * EPS_F32 + (jend + 4) * EPS_F32;
    g = Math.max(g, 2 * rho + (jend + 2) * EPS_F32);
  }
  return g;
}
